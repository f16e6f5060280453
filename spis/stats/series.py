"""Time series: daily counts of people in custody and monthly flows (recognitions, releases, detentions).

Daily counts use the same definitions as counts.counts(): a spell covers day D when start <= D < end, so the
series for any day equals counts(D)["in_custody"] / ["recognized_in_custody"] (tests check this). Instead of
one query per day, the database groups spell starts and ends by date and Python takes cumulative sums: a
series since 2020 at 100,000 persons costs two GROUP BY queries and a loop over ~2,400 days.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from spis.registry.actions import event_rows, record_from_row
from spis.registry.custody import derive, effective
from spis.registry.models import CustodySpell, Person, ReleaseKind

from .memo import memoised

DAY = dt.timedelta(days=1)
SERIES_KEYS = ["in_custody", "recognized_in_custody"]
RELEASE_KINDS = list(ReleaseKind.values)


def _check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValueError(f"end: {end.isoformat()} is before start {start.isoformat()}")


def _stored_deltas(start: dt.date) -> tuple[Counter, dict[dt.date, list[int]]]:
    """Held counts on the day before `start` and per-day changes from `start` on, from stored spells."""
    base: Counter[str] = Counter()
    deltas: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    rows = CustodySpell.objects.values_list("start", "recognized").annotate(n=Count("id"))
    for day, recognized, n in rows:
        _apply(base, deltas, start, day, recognized, n)
    ends = (
        CustodySpell.objects.filter(end__isnull=False)
        .values_list("end", "recognized")
        .annotate(n=Count("id"))
    )
    for day, recognized, n in ends:
        _apply(base, deltas, start, day, recognized, -n)
    return base, deltas


def _apply(base: Counter, deltas: dict, start: dt.date, day: dt.date, recognized: bool, n: int) -> None:
    # Changes before the range fold into the starting level; later ones stay per day.
    if day < start:
        base["in_custody"] += n
        base["recognized_in_custody"] += n if recognized else 0
    else:
        deltas[day][0] += n
        deltas[day][1] += n if recognized else 0


def _replayed_spells(known_on: dt.date) -> list[tuple[dt.date, dt.date | None, bool]]:
    """Spells as they were known at the end of `known_on` (UTC): events recorded later are ignored."""
    cutoff = dt.datetime.combine(known_on, dt.time.max, tzinfo=dt.UTC)
    root_of = dict(Person.objects.values_list("pk", "merged_into_id"))

    def root(pk: int) -> int:
        while root_of.get(pk):
            pk = root_of[pk]
        return pk

    histories: dict[int, list] = defaultdict(list)
    for row in event_rows():
        histories[root(row[1])].append(record_from_row(row))
    spells = []
    for pk, records in histories.items():
        custody = derive(effective(records, cutoff), str(pk), known_on, validate=False)
        spells.extend((s.start, s.end, s.recognized) for s in custody.spells)
    return spells


def daily_series(start: dt.date, end: dt.date, *, known_on: dt.date | None = None) -> list[dict[str, Any]]:
    """One dict per day from `start` to `end` inclusive: {"date": "YYYY-MM-DD", "in_custody": n,
    "recognized_in_custody": n}. With `known_on`, only events recorded by the end of that day count
    (a replay of every history: seconds at 100,000 persons, not milliseconds)."""
    _check_range(start, end)
    if known_on is None:
        # Copies: callers may change the rows they get, the memoised ones stay as computed.
        rows = memoised("daily", f"{start}:{end}", lambda: _daily(start, end, None))
        return [dict(row) for row in rows]
    return _daily(start, end, known_on)


def _daily(start: dt.date, end: dt.date, known_on: dt.date | None) -> list[dict[str, Any]]:
    if known_on is None:
        base, deltas = _stored_deltas(start)
    else:
        base, deltas = Counter(), defaultdict(lambda: [0, 0])
        for s_start, s_end, recognized in _replayed_spells(known_on):
            _apply(base, deltas, start, s_start, recognized, 1)
            if s_end is not None:
                _apply(base, deltas, start, s_end, recognized, -1)
    held, recognized_held = base["in_custody"], base["recognized_in_custody"]
    out = []
    day = start
    while day <= end:
        change = deltas.get(day)
        if change:
            held += change[0]
            recognized_held += change[1]
        out.append({"date": day.isoformat(), "in_custody": held, "recognized_in_custody": recognized_held})
        day += DAY
    return out


def _month_key(value: dt.date | dt.datetime) -> str:
    return value.strftime("%Y-%m")


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_flows(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Per calendar month touching [start, end]: {"month": "YYYY-MM", "recognized": n (first recognitions),
    "detained": n (custody periods begun), "released": n, "released_by_kind": {kind: n}, "died": n}.

    Releases and deaths count people recognised by the day they left custody, as counts() does; each month is
    clipped to [start, end], so partial first and last months count only the days inside the range.
    """
    _check_range(start, end)
    flows = memoised("monthly", f"{start}:{end}", lambda: _monthly(start, end))
    return [{**row, "released_by_kind": dict(row["released_by_kind"])} for row in flows]


def _monthly(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {
        m: {
            "month": m,
            "recognized": 0,
            "detained": 0,
            "released": 0,
            "released_by_kind": dict.fromkeys(RELEASE_KINDS, 0),
            "died": 0,
        }
        for m in _months(start, end)
    }
    recognized = (
        Person.objects.filter(merged_into=None, first_recognized_on__range=(start, end))
        .annotate(month=TruncMonth("first_recognized_on"))
        .values_list("month")
        .annotate(n=Count("id"))
    )
    for month, n in recognized:
        rows[_month_key(month)]["recognized"] += n
    # A custody period begins with the spell whose start is the period's start (later spells are transfers).
    detained = (
        CustodySpell.objects.filter(start__range=(start, end), custody_start__range=(start, end))
        .filter(start=F("custody_start"))
        .annotate(month=TruncMonth("start"))
        .values_list("month")
        .annotate(n=Count("id"))
    )
    for month, n in detained:
        rows[_month_key(month)]["detained"] += n
    ended = (
        CustodySpell.objects.filter(end__range=(start, end))
        .exclude(end_reason="")
        .filter(Q(person_first_recognized_on__lte=F("end")))
        .annotate(month=TruncMonth("end"))
        .values_list("month", "end_reason")
        .annotate(n=Count("id"))
    )
    for month, reason, n in ended:
        row = rows[_month_key(month)]
        if reason == "died":
            row["died"] += n
        else:
            row["released_by_kind"][reason] = row["released_by_kind"].get(reason, 0) + n
            row["released"] += n
    return list(rows.values())
