"""Pagination of the API's long lists."""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.pagination import LimitOffsetPagination

from spis.stats.memo import memoised


class RememberedCountPagination(LimitOffsetPagination):
    """Limit/offset pages whose total is counted once per registry version and query.

    Counting every event a reader may see takes far longer than finding a page of them (100,000 people,
    SQLite: 0.4–0.8 s against 9 ms); the count changes only with a write, and `memoised` keys on the
    registry's version. The key is the query's SQL and parameters, so it differs by caller level and by
    filter. Only for lists whose rows do not depend on today's date.
    """

    def get_count(self, queryset: Any) -> int:
        sql, params = queryset.query.sql_with_params()
        key = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        return memoised("api:count", key, queryset.count)
