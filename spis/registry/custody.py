"""Custody and recognition derived from events: the one function that turns a history into spells.

Pure Python on plain records so that the same code rebuilds stored spells (actions.rebuild_custody), replays
"as known on" a date (stats), and validates a history before it is written. Counting conventions follow
Viasna's list: a person is "held" from the day of detention until the day of release (exclusive), and is a
recognised political prisoner from the day of the recognition statement until a withdrawal.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .dates import DAY, PartialDate

DETAINED, CHARGED, CONVICTED, SENTENCED, TRANSFERRED = (
    "detained",
    "charged",
    "convicted",
    "sentenced",
    "transferred",
)
RECOGNIZED, WITHDRAWN, RELEASED, DIED, EMIGRATED = (
    "recognized",
    "recognition_withdrawn",
    "released",
    "died",
    "emigrated",
)
# Order of events that share a date (or whose partial dates overlap): a detention comes before the trial,
# the trial before a transfer to a colony, and a release or death ends the day.
_RANK = {
    DETAINED: 0,
    CHARGED: 1,
    CONVICTED: 2,
    SENTENCED: 3,
    TRANSFERRED: 4,
    RECOGNIZED: 5,
    WITHDRAWN: 6,
    RELEASED: 7,
    DIED: 8,
    EMIGRATED: 9,
}
CUSTODIAL = {"general", "strengthened", "strict", "special", "prison", "open"}


def gettext_noop(text: str) -> str:
    """Marks a template for the catalogues (makemessages knows the name) without importing Django: custody's
    reasons and the import's messages (spis/intake/messages.py) are translated where they are shown."""
    return text


# Reasons derive() gives that callers tell apart (the importer explains them in a row's terms).
NOT_IN_CUSTODY_TRANSFER = gettext_noop("transferred while not in custody")
NOT_IN_CUSTODY_RELEASE = gettext_noop("released before being detained (not in custody)")


class InvalidHistory(ValueError):
    """A history that cannot be true; the message names the person and the event.

    `reason` is an English template with `%(name)s` placeholders filled from `params`, so that a page can show
    it in its reader's language; `str()` is the English text.
    """

    def __init__(self, person: str, event: str, reason: str, params: dict[str, Any] | None = None) -> None:
        self.person, self.event, self.reason, self.params = person, event, reason, params or {}
        super().__init__(f"{person}: {event}: {reason % self.params if self.params else reason}")


class EventRecord(NamedTuple):
    """One event as derive() reads it: a named tuple, since a full rebuild builds 656,000 of them."""

    id: int
    type: str
    date: dt.date
    precision: str = "day"
    release_kind: str = ""
    facility_id: int | None = None
    sentence_months: int | None = None
    regime: str = ""
    supersedes_id: int | None = None
    retracts: bool = False
    recorded_at: dt.datetime | None = None

    @property
    def partial(self) -> PartialDate:
        return PartialDate(self.date, self.precision)

    def label(self) -> str:
        kind = f" ({self.release_kind})" if self.release_kind else ""
        return f"event {self.id or 'new'} {self.type}{kind} on {self.partial}"


@dataclass
class Spell:
    start: dt.date
    end: dt.date | None
    facility_id: int | None
    recognized: bool
    end_reason: str
    custody_start: dt.date


@dataclass
class Custody:
    spells: list[Spell] = field(default_factory=list)
    status: str = "at_liberty"
    recognized: bool = False
    first_recognized_on: dt.date | None = None
    current_facility_id: int | None = None
    detained_on: dt.date | None = None
    released_on: dt.date | None = None
    expected_release_on: dt.date | None = None
    sentence_months: int | None = None
    # How much of each derived date is known: that of the event it was read from (a term's end, of the
    # detention it counts from), so that a date entered as "2021" shows as "2021", not "2021-01-01". Not
    # stored: the pages and the API derive them with what the reader may see (access.queries.as_seen).
    first_recognized_on_precision: str = DAY
    detained_on_precision: str = DAY
    released_on_precision: str = DAY
    expected_release_on_precision: str = DAY


def effective(events: Iterable[EventRecord], known_on: dt.datetime | None = None) -> list[EventRecord]:
    """Events in force: corrections replace what they supersede; `known_on` keeps only what was recorded by then."""
    pool = [e for e in events if known_on is None or e.recorded_at is None or e.recorded_at <= known_on]
    superseded = {e.supersedes_id for e in pool if e.supersedes_id}
    return [e for e in pool if e.id not in superseded and not e.retracts]


def _compare(a: EventRecord, b: EventRecord) -> int:
    a_first, a_last, b_first, b_last = a.date, a.partial.latest(), b.date, b.partial.latest()
    if a_last < b_first:
        return -1
    if b_last < a_first:
        return 1
    # Overlapping periods ("2021" and "2021-03-12"): the kind of event decides, then the date.
    if _RANK[a.type] != _RANK[b.type]:
        return _RANK[a.type] - _RANK[b.type]
    return (a_first > b_first) - (a_first < b_first) or (a.id > b.id) - (a.id < b.id)


def in_order(items: Sequence[Any], fields: Callable[[Any], tuple[int, str, dt.date, str]]) -> list[Any]:
    """Events of any shape (a model, an export's dict) in the order derive() replays them: by date, and where
    a partial date's period holds another's ("2021" and "2021-03-12") by the kind of event, a detention before
    a verdict before a release. By the first day alone, "2023 released" came before "2023-05-10 detained".
    `fields`: an item's (id, type, date, precision)."""
    records = [EventRecord(pk, kind, date, precision) for pk, kind, date, precision in map(fields, items)]
    order = ordered(records)
    position = {id(record): n for n, record in enumerate(order)}
    return [
        item for _, item in sorted(zip(records, items, strict=True), key=lambda pair: position[id(pair[0])])
    ]


def ordered(events: Iterable[EventRecord]) -> list[EventRecord]:
    events = list(events)
    if all(e.precision == "day" for e in events):
        return sorted(events, key=lambda e: (e.date, _RANK[e.type], e.id))
    return sorted(events, key=functools.cmp_to_key(_compare))


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, the day of the month kept where the month has it (else its last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def derive(events: Sequence[EventRecord], person: str, today: dt.date, *, validate: bool = True) -> Custody:
    """Replay effective events in order; raise InvalidHistory for a history that cannot be true."""
    result = Custody()
    custody_start: dt.date | None = None
    facility: int | None = None
    recognized = False
    convicted = False
    dead = False
    # (date, facility, recognised) change points inside the open custody period
    changes: list[tuple[dt.date, int | None, bool]] = []

    def close(event: EventRecord, reason: str) -> None:
        nonlocal custody_start
        if custody_start is None:  # pragma: no cover - callers check first
            raise AssertionError("close() outside custody")
        # A coarse date ("2021") may start before the detention it follows: take its last possible day.
        end = event.date if event.date >= custody_start else max(event.partial.latest(), custody_start)
        points = [*changes, (end, None, False)]
        for (start, fac, rec), (nxt, _, _) in zip(points, points[1:], strict=False):
            if nxt > start:
                result.spells.append(Spell(start, nxt, fac, rec, "", custody_start))
        if result.spells and result.spells[-1].custody_start == custody_start:
            result.spells[-1].end_reason = reason
        result.released_on = end
        result.released_on_precision = event.precision
        custody_start = None
        changes.clear()

    def change(day: dt.date) -> None:
        if custody_start is not None:
            day = max(day, custody_start)
            if changes and changes[-1][0] == day:
                changes[-1] = (day, facility, recognized)
            else:
                changes.append((day, facility, recognized))

    for event in ordered(events):
        if validate and event.date > today:
            raise InvalidHistory(
                person,
                event.label(),
                gettext_noop("the date %(date)s is in the future"),
                {"date": str(event.partial)},
            )
        if validate and dead:
            raise InvalidHistory(person, event.label(), gettext_noop("recorded after the person's death"))
        kind = event.type
        if kind == DETAINED:
            if custody_start is None:
                custody_start = event.date
                facility = event.facility_id
                result.detained_on = event.date
                result.detained_on_precision = event.precision
                result.expected_release_on = None
                changes.append((event.date, facility, recognized))
            elif event.facility_id and event.facility_id != facility:
                facility = event.facility_id
                change(event.date)
        elif kind == CONVICTED:
            convicted = True
        elif kind == SENTENCED:
            if validate and not convicted:
                raise InvalidHistory(person, event.label(), gettext_noop("a sentence without a conviction"))
            if event.sentence_months is not None:
                result.sentence_months = event.sentence_months
                if custody_start is not None and event.regime in CUSTODIAL:
                    result.expected_release_on = add_months(custody_start, event.sentence_months)
                    result.expected_release_on_precision = result.detained_on_precision
        elif kind == TRANSFERRED:
            if custody_start is None:
                if validate:
                    raise InvalidHistory(person, event.label(), NOT_IN_CUSTODY_TRANSFER)
            else:
                facility = event.facility_id
                change(event.date)
        elif kind == RECOGNIZED:
            recognized = True
            if result.first_recognized_on is None:
                result.first_recognized_on = event.date
                result.first_recognized_on_precision = event.precision
            change(event.date)
        elif kind == WITHDRAWN:
            if validate and not recognized:
                raise InvalidHistory(
                    person, event.label(), gettext_noop("recognition withdrawn but never given")
                )
            recognized = False
            change(event.date)
        elif kind == RELEASED:
            if custody_start is None:
                if validate:
                    raise InvalidHistory(person, event.label(), NOT_IN_CUSTODY_RELEASE)
                continue
            if validate and not event.release_kind:
                raise InvalidHistory(
                    person, event.label(), gettext_noop("a release needs its kind (end of term, pardon, …)")
                )
            close(event, event.release_kind or "other")
            facility = None
        elif kind == DIED:
            if custody_start is not None:
                close(event, "died")
            dead = True
        elif kind == EMIGRATED and custody_start is not None and validate:
            raise InvalidHistory(
                person,
                event.label(),
                gettext_noop("left the country while in custody (use a release: expelled)"),
            )
    if custody_start is not None:
        points = changes
        for (start, fac, rec), nxt in zip(points, [p[0] for p in points[1:]] + [None], strict=False):
            if nxt is None or nxt > start:
                result.spells.append(Spell(start, nxt, fac, rec, "", custody_start))
        result.status = "in_custody"
        result.current_facility_id = facility
        result.released_on = None
    elif dead:
        result.status = "died"
    elif result.detained_on is not None:
        result.status = "released"
    result.recognized = recognized
    return result
