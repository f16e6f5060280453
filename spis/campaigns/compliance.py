"""Compliance of a demand with the registry: who was in scope, who has been freed, who is still held.

One pure core (`_measure`) works on custody-spell tuples; two loaders feed it: stored CustodySpell rows for
"as of" a date, and a replay of recorded events (custody.derive/effective, as stats.counts does) for "as known
on" a date. The CLI, the pages, the API and the briefs all call `compliance()`; docs/campaigns.md defines
every figure. Counting conventions are the registry's (custody.py): held from the day of detention until the
day of release, exclusive; recognised from the day of the statement.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q

from spis.access import policy
from spis.registry.actions import event_rows, record_from_row
from spis.registry.custody import derive, effective
from spis.registry.models import CustodySpell, Facility, Person, ReleaseKind

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


def _covering(day: dt.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


# One pass over the spells that overlap [scope date, as_of]: an inner query folds each person's spells into
# flags, an outer one counts persons by (in scope, held on as_of, how their last custody ended). Several ORM
# aggregates cost one table scan each; at 100,000 persons this single scan is what keeps compliance fast.
# Portable SQL (SQLite and PostgreSQL): CASE instead of boolean aggregates, CAST(date AS TEXT) for ISO text.
_PER_PERSON = """
SELECT +person_id AS person_id,
 MAX(CASE WHEN recognized AND start <= %(s)s AND ("end" IS NULL OR "end" > %(s)s) THEN 1 ELSE 0 END) AS on_s,
 MIN(CASE WHEN recognized THEN start END) AS entry,
 MAX(CASE WHEN start <= %(a)s AND ("end" IS NULL OR "end" > %(a)s) THEN 1 ELSE 0 END) AS held_a,
 MAX(CASE WHEN start <= %(w)s AND ("end" IS NULL OR "end" > %(w)s) THEN 1 ELSE 0 END) AS held_w,
 MAX(CASE WHEN recognized AND start <= %(a)s AND ("end" IS NULL OR "end" > %(a)s) THEN 1 ELSE 0 END) AS list_a,
 MAX(CASE WHEN recognized AND start > %(s)s THEN 1 ELSE 0 END) AS rec_new,
 MAX(CASE WHEN recognized AND start > %(s)s AND ("end" IS NULL OR "end" > %(a)s) THEN 1 ELSE 0 END) AS rec_new_a,
 SUM(CASE WHEN "end" > %(w)s AND "end" <= %(a)s AND end_reason NOT IN ('', 'died') THEN 1 ELSE 0 END) AS rel_w,
 SUM(CASE WHEN start > %(w)s AND custody_start = start THEN 1 ELSE 0 END) AS re_w,
 MAX(CASE WHEN end_reason <> '' AND "end" <= %(a)s THEN CAST("end" AS TEXT) || '|' || end_reason END) AS last_end
FROM {table}
WHERE start <= %(a)s AND ("end" IS NULL OR "end" > %(s)s)
GROUP BY +person_id
"""
_BY_OUTCOME = """
SELECT in_scope, held_a, CASE WHEN held_a = 1 OR in_scope = 0 THEN '' ELSE substr(last_end, 12) END AS reason,
 MAX(CASE WHEN held_a = 0 AND in_scope = 1 THEN last_end END), COUNT(*), SUM(held_w_in), SUM(rel_w), SUM(re_w), SUM(on_s), SUM(list_a),
 SUM(CASE WHEN on_s = 0 THEN rec_new ELSE 0 END), SUM(CASE WHEN on_s = 0 THEN rec_new_a ELSE 0 END)
FROM (
 SELECT p.*, {in_scope} AS in_scope, CASE WHEN held_w = 1 AND {entered_by_w} THEN 1 ELSE 0 END AS held_w_in
 FROM ({per_person}) p
) q
GROUP BY in_scope, held_a, CASE WHEN held_a = 1 OR in_scope = 0 THEN '' ELSE substr(last_end, 12) END
"""
_SCOPE_SQL = {
    # snapshot: on the list on the scope date; rolling: recognised in custody at some time since.
    "snapshot": ("on_s = 1", "on_s = 1"),
    "rolling": ("entry IS NOT NULL", "entry <= %(w)s"),
}


def _scope_ids(scope_kind: str, start: dt.date, as_of: dt.date) -> Any:
    spells = CustodySpell.objects.filter(recognized=True)
    if scope_kind == Demand.ScopeKind.SNAPSHOT:
        return spells.filter(_covering(start)).values("person_id")
    return spells.filter(start__lte=as_of).filter(Q(end__isnull=True) | Q(end__gt=start)).values("person_id")


def held_in_scope(scope_kind: str, start: dt.date, as_of: dt.date) -> dict[int, int | None]:
    """Persons in scope held on `as_of`, with the facility of that day's spell."""
    qs = CustodySpell.objects.filter(_covering(as_of), person_id__in=_scope_ids(scope_kind, start, as_of))
    return dict(qs.values_list("person_id", "facility_id"))


def _measure_stored(
    scope_kind: str, start: dt.date, as_of: dt.date, window: int = WINDOW_DAYS
) -> dict[str, Any]:
    """The same numbers as `_measure`, from stored spells in one query; tests check both paths agree."""
    window_start = max(start, as_of - dt.timedelta(days=window))
    adapt = connection.ops.adapt_datefield_value
    params = {"s": adapt(start), "a": adapt(as_of), "w": adapt(window_start)}
    in_scope_sql, entered_sql = _SCOPE_SQL[scope_kind]
    per_person = _PER_PERSON.format(table=CustodySpell._meta.db_table)
    # The recognised entry only counts from the scope date on: rolling scope rows are restricted below.
    if scope_kind == Demand.ScopeKind.ROLLING:
        per_person = per_person.replace(
            "MIN(CASE WHEN recognized THEN start END)",
            'MIN(CASE WHEN recognized AND ("end" IS NULL OR "end" > %(s)s) THEN start END)',
        )
    sql = _BY_OUTCOME.format(in_scope=in_scope_sql, entered_by_w=entered_sql, per_person=per_person)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        groups = cursor.fetchall()
    released: Counter[str] = Counter()
    in_scope = still_held = died = held_w = rel_w = re_w = list_s = list_a = newly = newly_held = 0
    last_exit: str | None = None
    for scoped, held, reason, last_end, n, h_w, r_w, e_w, on_s, on_a, new, new_a in groups:
        list_s, list_a = list_s + (on_s or 0), list_a + (on_a or 0)
        newly, newly_held = newly + (new or 0), newly_held + (new_a or 0)
        if not scoped:
            continue
        in_scope += n
        held_w, rel_w, re_w = held_w + (h_w or 0), rel_w + (r_w or 0), re_w + (e_w or 0)
        if held:
            still_held += n
            continue
        reason = reason or "other"
        if last_end and (last_exit is None or last_end > last_exit):
            last_exit = str(last_end)
        if reason == DIED:
            died += n
        else:
            released[reason] += n
    window_days = max((as_of - window_start).days, 0)
    drained = held_w - still_held
    return {
        "held": None,
        "in_scope": in_scope,
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
        "last_exit": dt.date.fromisoformat(last_exit[:10]) if last_exit else None,
    }


def _stored_spells(start: dt.date, end: dt.date) -> list[SpellRow]:
    qs = CustodySpell.objects.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gt=start))
    fields = ("person_id", "start", "end", "recognized", "end_reason", "facility_id", "custody_start")
    return list(qs.values_list(*fields))


def _replayed_spells(start: dt.date, end: dt.date, known_on: dt.date) -> list[SpellRow]:
    """Spells as the registry knew them at the end of `known_on` (UTC), as stats.counts replays them."""
    cutoff = dt.datetime.combine(known_on, dt.time.max, tzinfo=dt.UTC)
    root_of = dict(Person.objects.values_list("pk", "merged_into_id"))

    def root(pk: int) -> int:
        while root_of.get(pk):
            pk = root_of[pk]
        return pk

    histories: dict[int, list] = defaultdict(list)
    for row in event_rows():
        histories[root(row[1])].append(record_from_row(row))
    rows: list[SpellRow] = []
    for pk, records in histories.items():
        custody = derive(effective(records, cutoff), str(pk), end, validate=False)
        for s in custody.spells:
            row = (pk, s.start, s.end, s.recognized, s.end_reason, s.facility_id, s.custody_start)
            if _overlaps(row, start, end):
                rows.append(row)
    return rows


def _raw_stored_spells(start: dt.date, end: dt.date) -> list[SpellRow]:
    """Stored spells overlapping [start, end] through a plain cursor: Django's per-value date conversion is
    most of the cost of 100,000 rows, and ISO dates repeat, so each distinct text is parsed once."""
    qs = CustodySpell.objects.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gt=start))
    fields = ("person_id", "start", "end", "recognized", "end_reason", "facility_id", "custody_start")
    sql, params = qs.values_list(*fields).query.sql_with_params()
    parsed: dict[Any, dt.date | None] = {None: None}

    def day(value: Any) -> Any:
        if value not in parsed:
            parsed[value] = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        return parsed[value]

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(p, day(a), day(b), bool(r), e or "", f, day(c)) for p, a, b, r, e, f, c in cursor.fetchall()]


def load_spells(start: dt.date, end: dt.date, known_on: dt.date | None = None) -> list[SpellRow]:
    return _stored_spells(start, end) if known_on is None else _replayed_spells(start, end, known_on)


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


def _named(held: dict[int, int | None], user: Any, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
    """Still-held persons the user may see, never a sealed one (sealed are counted, never named)."""
    ids = list(held)
    visible: list[tuple[int, str, str]] = []
    base = policy.persons(user).exclude(confidentiality=policy.SEALED)
    for first in range(0, len(ids), 5000):
        chunk = ids[first : first + 5000]
        visible.extend(base.filter(pk__in=chunk).values_list("pk", "public_id", "display_name"))
    visible.sort(key=lambda row: (row[2], row[1]))
    facility_ids = {held[pk] for pk, _, _ in visible[:limit] if held[pk]}
    facilities = dict(Facility.objects.filter(pk__in=facility_ids).values_list("pk", "name"))
    named = [
        {"public_id": public_id, "name": name, "facility": facilities.get(held[pk], "")}
        for pk, public_id, name in visible[:limit]
    ]
    return named, len(held) - len(visible), len(visible) > limit


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
        held = numbers["held"]
        if held is None:
            held = held_in_scope(demand.scope_kind, demand.scope_date, as_of)
        named, unnamed, truncated = _named(held, user, name_limit)
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
    spells = _raw_stored_spells(start, end) if known_on is None else _replayed_spells(start, end, known_on)
    by_person: dict[int, list[SpellRow]] = defaultdict(list)
    for spell in spells:
        by_person[spell[0]].append(spell)
    entries = _entry_days(by_person, demand.scope_kind, start, end)
    # Difference arrays over days since the scope date: +1 where a stretch begins, -1 where it ends.
    scope_diff = [0] * (span + 2)
    new_diff = [0] * (span + 2)
    list_diff = [0] * (span + 2)
    first_diff = [0] * (span + 2)

    def add(diff: list[int], first: dt.date, last: dt.date | None) -> None:
        lo = max((first - start).days, 0)
        hi = span + 1 if last is None else min((last - start).days, span + 1)
        if hi > lo:
            diff[lo] += 1
            diff[hi] -= 1

    for pid, person_spells in by_person.items():
        entered = entries.get(pid)
        first_new: dt.date | None = None
        for s in person_spells:
            if s[3]:
                add(list_diff, s[1], s[2])
            if entered is not None and (s[2] is None or s[2] > entered):
                add(scope_diff, max(s[1], entered), s[2])
            elif entered is None and s[3]:
                add(new_diff, s[1], s[2])
                first_new = s[1] if first_new is None else min(first_new, s[1])
        if entered is not None and entered > start:
            first_new = entered
        if first_new is not None:
            first_diff[max((first_new - start).days, 0)] += 1
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
