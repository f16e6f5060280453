"""The append-only, hash-chained audit log that every write in actions.py appends to.

Each entry carries the SHA-256 of the previous entry, so changing, deleting or reordering one row breaks
the chain from that row on; `spis audit verify` recomputes it. Entries never expire.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEntry

GENESIS = "0" * 64


def actor_label(actor: Any) -> str:
    """A user, a username or a 'system:<command>' string, as stored in the log."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return getattr(actor, "get_username", lambda: str(actor))() or "anonymous"


def _canonical(value: Any) -> Any:
    # Round-trip through JSON so that what is hashed is exactly what the database stores and returns.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False))


def entry_hash(
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [
            seq,
            at.astimezone(dt.UTC).isoformat(),
            actor,
            action,
            object_type,
            object_id,
            before,
            after,
            prev_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(actor: Any, action: str, obj: Any = None, before: Any = None, after: Any = None) -> AuditEntry:
    """Append one entry; call inside the transaction of the write it records."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # One writer at a time extends the chain; released at commit.
                cursor.execute("SELECT pg_advisory_xact_lock(7041)")
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        at = timezone.now()
        object_type = obj._meta.label_lower if hasattr(obj, "_meta") else (obj or "")
        object_id = str(getattr(obj, "pk", "") or "") if hasattr(obj, "_meta") else ""
        before, after = _canonical(before), _canonical(after)
        actor_text = actor_label(actor)
        digest = entry_hash(seq, at, actor_text, action, object_type, object_id, before, after, prev_hash)
        return AuditEntry.objects.create(
            seq=seq,
            at=at,
            actor=actor_text,
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
            prev_hash=prev_hash,
            hash=digest,
        )


@dataclass
class VerifyResult:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_bad_seq": self.first_bad_seq,
            "reason": self.reason,
        }


def _rows() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("id").iterator(chunk_size=2000)


def verify() -> VerifyResult:
    """Recompute the chain in insertion order; name the first changed, missing or reordered entry."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for entry in _rows():
        count += 1
        if entry.seq != expected_seq:
            reason = "missing" if entry.seq > expected_seq else "out of order or duplicated"
            return VerifyResult(
                False, count, expected_seq, f"entry {expected_seq} is {reason} (found {entry.seq})"
            )
        if entry.prev_hash != prev_hash:
            return VerifyResult(
                False, count, entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1}"
            )
        digest = entry_hash(
            entry.seq,
            entry.at,
            entry.actor,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.before,
            entry.after,
            entry.prev_hash,
        )
        if digest != entry.hash:
            return VerifyResult(
                False, count, entry.seq, f"entry {entry.seq} was changed after it was written"
            )
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    return VerifyResult(True, count)
