"""Published references of events: an opaque token per event instead of its database id.

Event ids are issued in sequence to every event, restricted and sealed ones included, so a reader who saw
a person's public events as ids 101, 102 and 104 learnt that event 103 existed and was hidden from them, and
roughly when it was recorded. The API and the public export publish a reference instead (`event_refs()`): the
first 16 hex digits of an HMAC-SHA256 of the id under this registry's own key (`RefKey`). Stable for an event for as long as the
registry keeps its key (a backup carries it), unordered, and not reversible without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable


def event_refs() -> Callable[[int], str]:
    """A function from event id to published reference (16 hex digits), under the key as it is now: one
    query, for one response or one export (a restore may bring another key; nothing keeps it longer)."""
    from .models import RefKey

    # Made by migration 0013; a database emptied since (a test's flush) gets a new one.
    row, _ = RefKey.objects.get_or_create(pk=1, defaults={"key": secrets.token_hex(32)})
    key = bytes.fromhex(row.key)

    def ref(pk: int) -> str:
        return hmac.new(key, pk.to_bytes(8, "big"), hashlib.sha256).hexdigest()[:16]

    return ref
