"""Compliance of a demand with the registry: who was in scope, who has been freed, who is still held.

Two paths give the same numbers (tests hold them equal, a property test on random registries): "as of" a date
reads the stored spells of the scope in SQL and folds them per person (`_measure_stored`); "as known on" a
date replays recorded events (custody.derive/effective, as stats.counts does) into spell tuples for the pure
core `_measure`. The CLI, the pages, the API and the briefs all call `compliance()`; docs/campaigns.md defines
every figure. Counting conventions are the registry's (custody.py): held from the day of detention until the
day of release, exclusive; recognised from the day of the statement.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Count, Window
from django.db.models.functions import Collate

from spis.access import policy
from spis.access.queries import roots_with_hidden
from spis.registry import ledger
from spis.registry.actions import custody_as_known_on
from spis.registry.models import CustodySpell, Facility, ReleaseKind
from spis.registry.queries import canonical_ids, in_ids

from .models import Demand

RELEASE_KINDS = list(ReleaseKind.values)
WINDOW_DAYS = 90
NAME_LIMIT = 1000
DIED = "died"
MET, PARTLY_MET, NOT_MET = "met", "partly_met", "not_met"

# (person_id, start, end or None, recognised, end_reason, facility_id, custody_start)
SpellRow = tuple[int, dt.date, dt.date | None, bool, str, int | None, dt.date]


@dataclass
class Compliance:
    demand_id: int | None
    scope_kind: str
    scope_date: dt.date
    as_of: dt.date
    known_on: dt.date | None
    in_scope: int
    released: dict[str, int]
    still_held: int
    died: int
    newly_recognized: int
    newly_recognized_held: int
    list_on_scope_date: int
    list_on_as_of: int
    net_change: int
    status: str
    window_days: int
    release_rate_90d: float
    released_90d: int
    reentered_90d: int
    net_drain_per_day_90d: float
    projected_empty_on: dt.date | None
    still_held_named: list[dict[str, Any]] = field(default_factory=list)
    still_held_unnamed: int = 0
    still_held_names_truncated: bool = False
    deadline: dt.date | None = None
    deadline_passed: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("scope_date", "as_of", "known_on", "projected_empty_on", "deadline"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def _covers(spell: SpellRow, day: dt.date) -> bool:
    return spell[1] <= day and (spell[2] is None or spell[2] > day)


def _overlaps(spell: SpellRow, first: dt.date, last: dt.date) -> bool:
    return spell[1] <= last and (spell[2] is None or spell[2] > first)


def _entry_days(
    by_person: dict[int, list[SpellRow]], scope_kind: str, start: dt.date, end: dt.date
) -> dict[int, dt.date]:
    """Who is in scope by `end`, and from which day: the snapshot day, or (rolling) the first recognised day since."""
    entries: dict[int, dt.date] = {}
    for pid, spells in by_person.items():
        if scope_kind == Demand.ScopeKind.SNAPSHOT:
            if any(s[3] and _covers(s, start) for s in spells):
                entries[pid] = start
        else:
            days = [max(s[1], start) for s in spells if s[3] and _overlaps(s, start, end)]
            if days:
                entries[pid] = min(days)
    return entries


def _measure(
    spells: Iterable[SpellRow], scope_kind: str, start: dt.date, as_of: dt.date, window: int = WINDOW_DAYS
) -> dict[str, Any]:
    """The numbers of a demand on `as_of`, from spells that overlap [start, as_of]."""
    by_person: dict[int, list[SpellRow]] = defaultdict(list)
    for spell in spells:
        by_person[spell[0]].append(spell)
    entries = _entry_days(by_person, scope_kind, start, as_of)
    released: Counter[str] = Counter()
    held: dict[int, int | None] = {}
    died = 0
    window_start = max(start, as_of - dt.timedelta(days=window))
    released_window = reentered_window = held_at_window_start = 0
    newly = newly_held = list_start = list_end = 0
    last_exit: dt.date | None = None
    for pid, spells in by_person.items():
        list_start += any(s[3] and _covers(s, start) for s in spells)
        list_end += any(s[3] and _covers(s, as_of) for s in spells)
        entered = entries.get(pid)
        recognised_since = [s for s in spells if s[3] and _overlaps(s, start, as_of) and s[1] > start]
        if entered is None or entered > start:
            # On the list after the snapshot: the refill a snapshot demand does not cover.
            if recognised_since:
                newly += 1
                newly_held += any(_covers(s, as_of) for s in recognised_since)
            if entered is None:
                continue
        covering = next((s for s in spells if _covers(s, as_of)), None)
        if covering is not None:
            held[pid] = covering[5]
        else:
            endings = [s for s in spells if s[4] and s[2] is not None and s[2] <= as_of]
            ended = max(endings, key=lambda s: s[2]) if endings else None
            reason = ended[4] if ended else "other"
            if ended is not None and (last_exit is None or ended[2] > last_exit):
                last_exit = ended[2]
            if reason == DIED:
                died += 1
            else:
                released[reason] += 1
        if entered <= window_start and any(_covers(s, window_start) for s in spells):
            held_at_window_start += 1
        for s in spells:
            # Releases in the window, and returns to custody (re-arrest, or a rolling scope's new entries).
            if s[4] and s[4] != DIED and s[2] is not None and window_start < s[2] <= as_of:
                released_window += 1
            if window_start < s[1] <= as_of and s[1] > start and s[1] == s[6]:
                reentered_window += 1
    window_days = max((as_of - window_start).days, 0)
    still_held = len(held)
    # Net drain = releases + deaths - returns to custody - (rolling) new entries, per day of the window.
    drain = (held_at_window_start - still_held) / window_days if window_days else 0.0
    return {
        "entries": entries,
        "held": held,
        "in_scope": len(entries),
        "released": {kind: released.get(kind, 0) for kind in RELEASE_KINDS}
        | {k: v for k, v in released.items() if k not in RELEASE_KINDS},
        "still_held": still_held,
        "died": died,
        "newly_recognized": newly,
        "newly_recognized_held": newly_held,
        "list_on_scope_date": list_start,
        "list_on_as_of": list_end,
        "window_days": window_days,
        "released_90d": released_window,
        "reentered_90d": reentered_window,
        "release_rate_90d": round(released_window / window_days, 4) if window_days else 0.0,
        "net_drain_per_day_90d": round(drain, 4),
        "net_drained": held_at_window_start - still_held,
        "last_exit": last_exit,
    }


# Stored-spell compliance works on the scope's persons: their ids come from the (recognized, start, end,
# person) index alone (a snapshot scope is the list on the scope date), then only their spells are read, by
# person_id on the covering index (~36,000 of ~283,000 spells at 100,000 persons), and folded per person.
# The list on a date comes from the count ledger; the refill is a count on the (recognized, start) range
# minus the scope persons among it (flagged by the fold), never a NOT IN over the table.
# Portable SQL (SQLite and PostgreSQL): CASE instead of boolean aggregates, CAST(date AS TEXT) for ISO text.
_ON_LIST = (
    "SELECT person_id FROM {table} WHERE recognized = %(yes)s"
    ' AND start <= %({d})s AND ("end" IS NULL OR "end" > %({d})s)'
)
_SCOPE_SQL = {
    # snapshot: on the list on the scope date (one covering spell per person: no DISTINCT needed);
    # rolling: recognised in custody at some time from the scope date to `until`.
    "snapshot": _ON_LIST.replace("{d}", "s"),
    "rolling": "SELECT DISTINCT person_id FROM {table} WHERE recognized = %(yes)s AND start <= %({until})s"
    ' AND ("end" IS NULL OR "end" > %(s)s)',
}
# The scope's spells overlapping [s, a], in person order, dates as ISO text (compared as text, no parsing),
# plain integers and flags (no per-value converters: Django's SQLite backend converts declared bool and date):
# folded per person in Python, which costs less than the same folds as CASE aggregates in SQL (~35,000
# rows at 100,000 persons; each aggregate column costs SQLite more than the whole Python loop).
_SCOPE_SPELLS = """
SELECT person_id, CAST(start AS TEXT), CAST("end" AS TEXT), CAST(recognized AS INTEGER), end_reason,
 custody_start = start, facility_id
FROM {table}
WHERE person_id IN ({scope}) AND start <= %(a)s AND ("end" IS NULL OR "end" > %(s)s)
ORDER BY person_id, start
"""
# Everyone with a recognised spell starting in (s, a], and of them those whose such spell goes on past a.
# The refill (on the list for the first time since the scope date) is this minus those on the list on s.
# One GROUP BY (one sort by person) costs a third less than two COUNT(DISTINCT …), each its own temp B-tree.
_REFILL_SQL = """
SELECT COUNT(*), COALESCE(SUM(held), 0) FROM (
 SELECT MAX(CASE WHEN "end" IS NULL OR "end" > %(a)s THEN 1 ELSE 0 END) AS held
 FROM {table} WHERE recognized = %(yes)s AND start > %(s)s AND start <= %(a)s GROUP BY person_id
) AS refill
"""


def _sql(template: str, scope_kind: str = "snapshot", until: str = "a") -> str:
    table = CustodySpell._meta.db_table
    parts = {
        "table": table,
        "on_list_s": _ON_LIST.replace("{d}", "s").replace("{table}", table),
        "scope": _SCOPE_SQL[scope_kind].replace("{table}", table).replace("{until}", until),
    }
    return template.format(**parts)


def _params(**days: dt.date) -> dict[str, Any]:
    adapt = connection.ops.adapt_datefield_value
    return {"yes": True} | {key: adapt(day) for key, day in days.items()}


def _fetch(sql: str, params: dict[str, Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _measure_stored(
    scope_kind: str, start: dt.date, as_of: dt.date, window: int = WINDOW_DAYS
) -> dict[str, Any]:
    """The same numbers as `_measure`, from stored spells; tests check both paths agree."""
    window_start = max(start, as_of - dt.timedelta(days=window))
    params = _params(s=start, a=as_of, w=window_start)
    s, a, w = start.isoformat(), as_of.isoformat(), window_start.isoformat()
    rows = _fetch(_sql(_SCOPE_SPELLS, scope_kind), params)
    newly, newly_held = _fetch(_sql(_REFILL_SQL), params)[0]
    list_s, list_a = ledger.measure_on(ledger.HELD_RECOGNIZED, [start, as_of])
    released: Counter[str] = Counter()
    held: dict[int, int | None] = {}
    died = held_w = rel_w = re_w = 0
    last_exit = ""
    rolling = scope_kind == Demand.ScopeKind.ROLLING
    # One person's spells at a time (start order): the held list (with facilities) comes with the counts.
    for pid, spells in groupby(rows, itemgetter(0)):
        held_a = covers_w = listed_s = new_rec = new_rec_held = False
        facility, last_end, reason, entered = None, "", "", ""
        for _, first, end, recognized, end_reason, starts_custody, facility_id in spells:
            going_on = end is None or end > a  # every row starts on or before a
            if going_on:
                held_a, facility = True, facility_id
            elif end_reason and end > last_end:
                last_end, reason = end, end_reason
            if end is not None and end_reason not in ("", DIED) and w < end <= a:
                rel_w += 1
            if starts_custody and first > w:
                re_w += 1
            if first <= w and (end is None or end > w):
                covers_w = True
            if recognized:
                entered = entered or first  # the first recognised start (rows end after s)
                if first <= s:
                    listed_s = listed_s or end is None or end > s
                else:
                    new_rec, new_rec_held = True, new_rec_held or going_on
        # A rolling scope's person counts in the window's starting figure only if they had entered by then.
        held_w += covers_w and (not rolling or entered <= w)
        if listed_s and new_rec:
            # On the list on the scope date already: back again (a new spell) is no refill.
            newly, newly_held = newly - 1, newly_held - new_rec_held
        if held_a:
            held[pid] = facility
            continue
        last_exit = max(last_exit, last_end)
        if reason == DIED:
            died += 1
        else:
            released[reason or "other"] += 1
    window_days = max((as_of - window_start).days, 0)
    still_held = len(held)
    drained = held_w - still_held
    return {
        "held": held,
        "in_scope": len(held) + died + sum(released.values()),
        "released": {kind: released.get(kind, 0) for kind in RELEASE_KINDS}
        | {k: v for k, v in released.items() if k not in RELEASE_KINDS},
        "still_held": still_held,
        "died": died,
        "newly_recognized": newly,
        "newly_recognized_held": newly_held,
        "list_on_scope_date": list_s,
        "list_on_as_of": list_a,
        "window_days": window_days,
        "released_90d": rel_w,
        "reentered_90d": re_w,
        "release_rate_90d": round(rel_w / window_days, 4) if window_days else 0.0,
        "net_drain_per_day_90d": round(drained / window_days, 4) if window_days else 0.0,
        "net_drained": drained,
        "last_exit": dt.date.fromisoformat(last_exit) if last_exit else None,
    }


def _replayed_spells(start: dt.date, end: dt.date, known_on: dt.date) -> list[SpellRow]:
    """Spells as the registry knew them at the end of `known_on` (UTC), as stats.counts replays them."""
    rows: list[SpellRow] = []
    for pk, custody in custody_as_known_on(known_on):
        for s in custody.spells:
            row = (pk, s.start, s.end, s.recognized, s.end_reason, s.facility_id, s.custody_start)
            if _overlaps(row, start, end):
                rows.append(row)
    return rows


def _status(demand: Demand, numbers: dict[str, Any]) -> str:
    released = sum(numbers["released"].values())
    if (
        numbers["in_scope"]
        and numbers["still_held"] == 0
        and not (demand.without_exception and numbers["died"])
    ):
        return MET
    return PARTLY_MET if released else NOT_MET


def _projection(as_of: dt.date, numbers: dict[str, Any]) -> dt.date | None:
    """The day the scope empties if it keeps draining at the net rate of the window; None: it never does.

    An empty scope gives the day it emptied (the last release or death), or None when it was always empty.
    """
    still_held, net, window = numbers["still_held"], numbers["net_drained"], numbers["window_days"]
    if still_held == 0:
        return numbers["last_exit"]
    if net <= 0 or window <= 0:
        return None
    days = -(-still_held * window // net)  # ceil in integers: no float rounding on exact rates
    try:
        return as_of + dt.timedelta(days=days)
    except OverflowError:
        return None


# Hidden events that can change whether a person is in a demand's scope and held (custody.derive: detention,
# release, death, recognition), and those that change only where (a transfer, for the people held).
_SCOPE_EVENTS = frozenset({"detained", "released", "died", "recognized", "recognition_withdrawn"})
_PLACE_EVENTS = frozenset({"transferred"})
_FREEING_EVENTS = frozenset({"released", "died", "recognition_withdrawn"})


def _nameable(
    held: dict[int, int | None], user: Any, demand: Demand, as_of: dt.date, known_on: dt.date | None
) -> dict[int, int | None]:
    """The persons the user may be told are in scope and held, with the facility the user may see.

    The figures count every event; a name must rest only on events the user may see, as every per-person
    view does. People with an event the user may not see that can change their custody, recognition or place
    are derived again from the events the user may see (as known on `known_on`, if given) and named if those
    alone put them in scope and in custody on `as_of`, whether or not the stored spells hold them: a name
    that came and went with a restricted release or detention would date it. The stored held who are not
    named so are counted among the unnamed.
    """
    if known_on is None:
        # Of the people the stored spells do not hold, only a hidden release, death or withdrawal can be what
        # keeps them out (without a hidden detention or recognition no one is held or in scope more).
        held_ids = set(held)
        hidden = (roots_with_hidden(user, _FREEING_EVENTS) - held_ids) | (
            roots_with_hidden(user, _SCOPE_EVENTS | _PLACE_EVENTS) & held_ids
        )
    elif policy.sees_every_level(user):
        hidden = set()
    else:
        # Any event at a level the user may not see, in force now or not: the replay reads them all.
        with_hidden = (
            policy.hidden_events(user, in_force=False).order_by().values_list("person_id", flat=True)
        )
        hidden = set(canonical_ids(with_hidden.distinct()).values())
    if not hidden:
        return held
    nameable = {pk: facility for pk, facility in held.items() if pk not in hidden}
    for pk, custody in policy.custody_as_seen(user, sorted(hidden), known_on=known_on).items():
        spells = [
            (pk, s.start, s.end, s.recognized, s.end_reason, s.facility_id, s.custody_start)
            for s in custody.spells
        ]
        entered = _entry_days({pk: spells}, demand.scope_kind, demand.scope_date, as_of).get(pk)
        covering = next((spell for spell in spells if _covers(spell, as_of)), None)
        if entered is not None and covering is not None:
            nameable[pk] = covering[5]
    return nameable


def _named(
    held: dict[int, int | None], user: Any, limit: int, nameable: dict[int, int | None] | None = None
) -> tuple[list[dict[str, Any]], int, bool]:
    """Still-held persons the user may see, never a sealed one (sealed are counted, never named); only those
    in `nameable` (default: all of `held`), with its facility.

    By name in alphabet order (the stored sort key, spis.names.collate), then public id, the same on both
    databases (the key's column and the public id compare bytes: PostgreSQL's "C" collation, SQLite's
    BINARY): only the first `limit` rows are read.
    """
    total = len(held)
    held = held if nameable is None else nameable
    visible = policy.persons(user).exclude(confidentiality=policy.SEALED).filter(pk__in=in_ids(list(held)))
    collation = "C" if connection.vendor == "postgresql" else "BINARY"
    order = ("sort_name", Collate("public_id", collation))
    # How many are visible rides on every row (COUNT(*) OVER ()): one pass over the held ids, not two.
    rows = visible.annotate(shown=Window(Count("pk"))).order_by(*order)
    first = list(rows.values_list("pk", "public_id", "display_name", "shown")[:limit])
    shown = first[0][3] if first else 0
    facility_ids = {held[pk] for pk, _, _, _ in first if held[pk]}
    facilities = dict(Facility.objects.filter(pk__in=facility_ids).values_list("pk", "name"))
    named = [
        {
            "public_id": public_id,
            "name": name,
            "facility": facilities.get(held[pk], ""),
            "facility_id": held[pk],
        }
        for pk, public_id, name, _ in first
    ]
    # Named as seen, counted as stored: a person the public still sees held after a restricted release is
    # named, and the unnamed are then never fewer than none.
    return named, max(0, total - shown), shown > limit


def with_local_facilities(named: list[dict[str, Any]], language: str | None) -> list[dict[str, Any]]:
    """Named rows (`still_held_named`) with each facility's name in `language` where the registry has it
    (new dicts: the rows may come from a cache shared by every language)."""
    places = Facility.objects.in_bulk({row["facility_id"] for row in named if row.get("facility_id")})
    return [
        {**row, "facility": places[row["facility_id"]].name_in(language)}
        if row.get("facility_id") in places
        else row
        for row in named
    ]


def compliance(
    demand: Demand,
    as_of: dt.date,
    known_on: dt.date | None = None,
    user: Any = None,
    *,
    name_limit: int = NAME_LIMIT,
) -> Compliance:
    """The demand measured against the registry on `as_of` (as known on `known_on`, if given)."""
    if as_of < demand.scope_date:
        raise ValueError(f"as_of {as_of}: before the demand's scope date {demand.scope_date}")
    if known_on is None:
        numbers = _measure_stored(demand.scope_kind, demand.scope_date, as_of)
    else:
        spells = _replayed_spells(demand.scope_date, as_of, known_on)
        numbers = _measure(spells, demand.scope_kind, demand.scope_date, as_of)
    named, unnamed, truncated = [], 0, False
    if name_limit:
        nameable = _nameable(numbers["held"], user, demand, as_of, known_on)
        named, unnamed, truncated = _named(numbers["held"], user, name_limit, nameable)
    return Compliance(
        demand_id=demand.pk,
        scope_kind=demand.scope_kind,
        scope_date=demand.scope_date,
        as_of=as_of,
        known_on=known_on,
        in_scope=numbers["in_scope"],
        released={"total": sum(numbers["released"].values()), **numbers["released"]},
        still_held=numbers["still_held"],
        died=numbers["died"],
        newly_recognized=numbers["newly_recognized"],
        newly_recognized_held=numbers["newly_recognized_held"],
        list_on_scope_date=numbers["list_on_scope_date"],
        list_on_as_of=numbers["list_on_as_of"],
        net_change=numbers["list_on_as_of"] - numbers["list_on_scope_date"],
        status=_status(demand, numbers),
        window_days=numbers["window_days"],
        release_rate_90d=numbers["release_rate_90d"],
        released_90d=numbers["released_90d"],
        reentered_90d=numbers["reentered_90d"],
        net_drain_per_day_90d=numbers["net_drain_per_day_90d"],
        projected_empty_on=_projection(as_of, numbers),
        still_held_named=named,
        still_held_unnamed=unnamed,
        still_held_names_truncated=truncated,
        deadline=demand.deadline,
        deadline_passed=bool(demand.deadline and demand.deadline < as_of),
    )


def _offsets(start: dt.date) -> Any:
    """Day offset from `start` of a date or of the ISO text a raw SQLite cursor returns (None stays None);
    dates repeat across rows, so each distinct value is parsed once."""
    seen: dict[Any, int | None] = {None: None}

    def offset(value: Any) -> int | None:
        if value not in seen:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
            seen[value] = (day - start).days
        return seen[value]

    return offset


def _span_add(diff: list[int], span: int, lo: int, hi: int | None, count: int = 1) -> None:
    """+count from day offset `lo` (clipped to 0) up to `hi` exclusive (None: open, or past the end)."""
    lo = max(lo, 0)
    hi = span + 1 if hi is None else min(hi, span + 1)
    if hi > lo:
        diff[lo] += count
        diff[hi] -= count


def _series_from_spells(
    spells: list[SpellRow], scope_kind: str, start: dt.date, end: dt.date
) -> list[list[int]]:
    """The four difference arrays (scope, new, list, first) from every spell: the replay path's pass."""
    span = (end - start).days
    by_person: dict[int, list[SpellRow]] = defaultdict(list)
    for spell in spells:
        by_person[spell[0]].append(spell)
    entries = _entry_days(by_person, scope_kind, start, end)
    scope_diff, new_diff, list_diff, first_diff = ([0] * (span + 2) for _ in range(4))

    def days(first: dt.date, last: dt.date | None) -> tuple[int, int | None]:
        return (first - start).days, None if last is None else (last - start).days

    for pid, person_spells in by_person.items():
        entered = entries.get(pid)
        first_new: dt.date | None = None
        for s in person_spells:
            if s[3]:
                _span_add(list_diff, span, *days(s[1], s[2]))
            if entered is not None and (s[2] is None or s[2] > entered):
                _span_add(scope_diff, span, *days(max(s[1], entered), s[2]))
            elif entered is None and s[3]:
                _span_add(new_diff, span, *days(s[1], s[2]))
                first_new = s[1] if first_new is None else min(first_new, s[1])
        if entered is not None and entered > start:
            first_new = entered
        if first_new is not None:
            first_diff[max((first_new - start).days, 0)] += 1
    return [scope_diff, new_diff, list_diff, first_diff]


# The stored series reads only the scope's spells row by row; the whole list and the first recognitions
# since the scope date are grouped by day in SQL on the (recognized, start, end) index.
_SERIES_SCOPE = """
SELECT person_id, CAST(start AS TEXT), CAST("end" AS TEXT), recognized FROM {table}
WHERE person_id IN ({scope}) AND start <= %(e)s AND ("end" IS NULL OR "end" > %(s)s)
"""
_SERIES_LIST_STARTS = """
SELECT start, COUNT(*) FROM {table}
WHERE recognized = %(yes)s AND start <= %(e)s AND ("end" IS NULL OR "end" > %(s)s) GROUP BY start
"""
_SERIES_LIST_ENDS = """
SELECT "end", COUNT(*) FROM {table}
WHERE recognized = %(yes)s AND start <= %(e)s AND "end" > %(s)s AND "end" <= %(e)s GROUP BY "end"
"""
# Off the list on the scope date, recognised since: counted from their first recognised spell's start.
_SERIES_FIRSTS = """
SELECT first_day, COUNT(*) FROM (
 SELECT MIN(start) AS first_day FROM {table}
 WHERE recognized = %(yes)s AND start > %(s)s AND start <= %(e)s AND person_id NOT IN ({on_list_s})
 GROUP BY person_id
) f GROUP BY first_day
"""


def _series_stored(scope_kind: str, start: dt.date, end: dt.date) -> list[list[int]]:
    """The same arrays as `_series_from_spells`, from stored spells: new_held is the list minus the scope's
    recognised spells (everyone recognised and held who is not in scope)."""
    span = (end - start).days
    params = _params(s=start, e=end)
    offset = _offsets(start)
    scope_diff, scope_listed, list_diff, first_diff = ([0] * (span + 2) for _ in range(4))
    cap = span + 1
    spells = [
        (pid, max(offset(first), 0), cap if last is None else min(offset(last), cap), bool(recognized))
        for pid, first, last, recognized in _fetch(_sql(_SERIES_SCOPE, scope_kind, until="e"), params)
    ]
    # Entry: the scope date (snapshot), or the first recognised day since (rolling).
    entries: dict[int, int] = {}
    if scope_kind == Demand.ScopeKind.ROLLING:
        for pid, lo, _, recognized in spells:
            if recognized and lo < entries.get(pid, cap):
                entries[pid] = lo
    # Inlined difference-array updates: this loop runs once per spell of the scope (~36,000 at 100,000).
    for pid, lo, hi, recognized in spells:
        if recognized and hi > lo:
            scope_listed[lo] += 1
            scope_listed[hi] -= 1
        lo = max(lo, entries.get(pid, 0))
        if hi > lo:
            scope_diff[lo] += 1
            scope_diff[hi] -= 1
    for first, n in _fetch(_sql(_SERIES_LIST_STARTS), params):
        list_diff[max(offset(first), 0)] += n
    for last, n in _fetch(_sql(_SERIES_LIST_ENDS), params):
        list_diff[offset(last)] -= n
    for first, n in _fetch(_sql(_SERIES_FIRSTS), params):
        first_diff[offset(first)] += n
    new_diff = [listed - scoped for listed, scoped in zip(list_diff, scope_listed, strict=True)]
    return [scope_diff, new_diff, list_diff, first_diff]


def draining_series(
    demand: Demand, end: dt.date, *, known_on: dt.date | None = None, step_days: int | None = None
) -> list[dict[str, Any]]:
    """The scope draining since the scope date against new recognitions: one row per day (≤ 180 days) or week.

    Columns: scope_held (persons in scope still held), new_held (recognised in custody, not in scope),
    new_cumulative (persons on the list for the first time since the scope date), list (recognised in custody).
    """
    start = demand.scope_date
    if end < start:
        raise ValueError(f"end {end}: before the demand's scope date {start}")
    span = (end - start).days
    step = step_days or (1 if span <= 180 else 7)
    if known_on is None:
        diffs = _series_stored(demand.scope_kind, start, end)
    else:
        diffs = _series_from_spells(_replayed_spells(start, end, known_on), demand.scope_kind, start, end)
    scope_diff, new_diff, list_diff, first_diff = diffs
    rows: list[dict[str, Any]] = []
    scope_held = new_held = listed = new_total = 0
    for offset in range(span + 1):
        scope_held += scope_diff[offset]
        new_held += new_diff[offset]
        listed += list_diff[offset]
        new_total += first_diff[offset]
        if offset % step == 0 or offset == span:
            rows.append(
                {
                    "date": (start + dt.timedelta(days=offset)).isoformat(),
                    "scope_held": scope_held,
                    "new_held": new_held,
                    "new_cumulative": new_total,
                    "list": listed,
                }
            )
    return rows
