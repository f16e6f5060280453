"""The continuation cursor of /api/v1/changes: where each of its lists stopped.

A `since` alone cannot page on: every row at the last timestamp comes back again, and when more than `limit`
rows share one (a bulk import, the first dating of a registry, several people sealed at once) the feed never
gets past them, and a mirror keeps withdrawn people public. Each list is therefore ordered by (timestamp, a
tie-break) and the cursor keeps, per list, the timestamp and tie-break of the last row it returned.

The tie-break is what the caller was already shown: a person's public id, an event's reference (registry.refs).
Never a database id: ids are issued in sequence to hidden rows too, and would tell how many lay between two
visible ones. The token is signed so that a changed or truncated one is refused rather than misread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

from spis.registry.models import Event
from spis.registry.refs import event_refs

_SALT = "spis.api.changes.cursor"
LISTS = ("people", "withdrawn", "events")


@dataclass(frozen=True)
class Position:
    """The last row a list returned: its timestamp and tie-break (a public id, an event reference)."""

    at: dt.datetime
    key: str


@dataclass
class Cursor:
    since: dt.datetime
    positions: dict[str, Position]

    def dumps(self) -> str:
        payload = {
            "s": self.since.isoformat(),
            **{name: [p.at.isoformat(), p.key] for name, p in self.positions.items()},
        }
        return signing.dumps(payload, salt=_SALT)

    def moved(self, name: str, last: Position) -> None:
        """Record where `name` stopped (a list that returned nothing is left where it was)."""
        self.positions[name] = last


class BadCursor(ValueError):
    pass


def loads(token: str) -> Cursor:
    try:
        payload = signing.loads(token, salt=_SALT)
        since = dt.datetime.fromisoformat(payload["s"])
        positions = {
            name: Position(dt.datetime.fromisoformat(payload[name][0]), str(payload[name][1]))
            for name in LISTS
            if name in payload
        }
    except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
        raise BadCursor("not a cursor this feed returned: page again from `since`") from None
    return Cursor(since, positions)


def after(qs: QuerySet[Any], at: str, key: str, position: Position | None) -> QuerySet[Any]:
    """`qs` limited to rows after `position` in (at, key) order; all of them when there is none."""
    if position is None:
        return qs
    return qs.filter(Q(**{f"{at}__gt": position.at}) | Q(**{at: position.at, f"{key}__gt": position.key}))


def events_after(qs: QuerySet[Event], position: Position | None) -> QuerySet[Event]:
    """`qs` (ordered by recorded_at, id) limited to events after the one whose reference `position` keeps.

    The reference is turned back into the id among the events recorded at that moment (hidden ones too: the
    event the caller saw may since have been withheld from them). An event no longer there (deleted) leaves the
    whole moment to be listed again: a repeat a mirror absorbs, never a gap."""
    if position is None:
        return qs
    ref = event_refs()
    ids: Iterable[int] = Event.objects.filter(recorded_at=position.at).values_list("id", flat=True)
    found = next((pk for pk in ids if ref(pk) == position.key), None)
    if found is None:
        return qs.filter(recorded_at__gte=position.at)
    return qs.filter(Q(recorded_at__gt=position.at) | Q(recorded_at=position.at, id__gt=found))
