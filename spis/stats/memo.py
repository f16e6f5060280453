"""Memoisation of statistics on the audit-chain head.

Every write to the registry goes through actions.py and appends to the hash-chained audit log (DESIGN.md),
so the head entry (seq, hash) names the state of the data: while it is unchanged, a figure computed from
the data is unchanged too. Reading the head is one indexed lookup; a full series since 2020 is a scan of
every custody spell. The hash (not just seq) is part of the key because two databases can reach the same
seq with different content (test databases rolled back, a restored backup).

Only the "as of" paths are memoised: "as known on" replays read `recorded_at` directly and are rare.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection

from spis.registry.models import AuditEntry, CustodySpell

T = TypeVar("T")
# An hour bounds how long a write made outside actions.py (a raw SQL fix) could go unseen.
TIMEOUT = 3600


def registry_version() -> str:
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    # Spells are rewritten with new ids by every rebuild (ids are never reused), so the newest spell id also
    # changes when derived data is rebuilt without an audit entry of its own (bulk imports, merges in tests).
    spell = CustodySpell.objects.order_by("-pk").values_list("pk", flat=True).first()
    audit = f"{head[0]}:{head[1]}" if head else "empty"
    return f"{connection.alias}:{audit}:{spell or 0}"


def memoised(name: str, key: str, compute: Callable[[], T]) -> T:
    """compute(), or its value from the cache while the registry is unchanged."""
    full_key = f"spis-stats:{name}:{registry_version()}:{key}"
    found: Any = cache.get(full_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = compute()
    cache.set(full_key, value, TIMEOUT)
    return value
