"""Query helpers over registry tables. What a user may see is decided above, in spis.access.queries."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL


def id_values(ids: list[int]) -> tuple[str, list[Any]]:
    """A subquery yielding `ids`, with the ids as one parameter (a JSON array on SQLite, an array on
    PostgreSQL): Django's `pk__in=[...]` prepares and binds every id on its own, and SQLite caps the count."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [list(ids)]
    return "SELECT value FROM json_each(%s)", [json.dumps(list(ids))]


def in_ids(ids: list[int]) -> RawSQL:
    """For `filter(pk__in=in_ids(ids))` on thousands of ids."""
    return RawSQL(*id_values(ids))  # noqa: S611 - fixed SQL, the ids go as a parameter
