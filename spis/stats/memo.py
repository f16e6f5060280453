"""Memoisation of statistics on the registry's version.

Every write to the registry goes through actions.py and appends to the hash-chained audit log (DESIGN.md),
so the head entry (seq, hash) names the state of the data: while it is unchanged, a figure computed from
the data is unchanged too. The hash (not just seq) is part of the key because two databases can reach the
same seq with different content (test databases rolled back, a restored backup). Two more parts cover
writes without an audit entry of their own: the newest spell id (rebuilds) and the generation counter that
every committed save raises (admin edits of names, sources, facilities: registry/generation.py). Reading
all of it is one statement; a full series since 2020 is a scan of every custody spell.

Only the "as of" paths are memoised: "as known on" replays read `recorded_at` directly and are rare.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from spis.registry.generation import registry_version

T = TypeVar("T")
# An hour bounds how long a write made outside actions.py (a raw SQL fix) could go unseen.
TIMEOUT = 3600


def memoised(name: str, key: str, compute: Callable[[], T]) -> T:
    """compute(), or its value from the cache while the registry is unchanged."""
    full_key = f"spis-stats:{name}:{registry_version()}:{key}"
    found: Any = cache.get(full_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = compute()
    cache.set(full_key, value, TIMEOUT)
    return value
