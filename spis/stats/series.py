"""Time series: daily counts of people in custody and monthly flows (recognitions, releases, detentions).

Daily counts use the same definitions as counts.counts(): a spell covers day D when start <= D < end, so the
series for any day equals counts(D)["in_custody"] / ["recognized_in_custody"] (tests check this). Instead of
one query per day, the per-day count ledger (registry/ledger.py) gives the level before the range and the
changes inside it, and Python takes cumulative sums: a series since 2020 reads a few thousand ledger rows,
whatever the size of the registry.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from spis.registry import ledger
from spis.registry.actions import custody_as_known_on
from spis.registry.models import ReleaseKind

from .memo import memoised

DAY = dt.timedelta(days=1)
SERIES_KEYS = ["in_custody", "recognized_in_custody"]
RELEASE_KINDS = list(ReleaseKind.values)


def _check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValueError(f"end: {end.isoformat()} is before start {start.isoformat()}")


def _stored_deltas(start: dt.date) -> tuple[Counter, dict[dt.date, list[int]]]:
    """Held counts on the day before `start` and per-day changes from `start` on, from the count ledger."""
    before = ledger.totals(start - DAY)
    base: Counter[str] = Counter(
        in_custody=before.get(ledger.HELD, 0), recognized_in_custody=before.get(ledger.HELD_RECOGNIZED, 0)
    )
    deltas: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    column = {ledger.HELD: 0, ledger.HELD_RECOGNIZED: 1}
    for day, measure, n in ledger.changes_between(start, dt.date.max, column):
        deltas[day][column[measure]] += n
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
    return [
        (s.start, s.end, s.recognized)
        for _pk, custody in custody_as_known_on(known_on)
        for s in custody.spells
    ]


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
    measures = [
        ledger.RECOGNIZED,
        ledger.DETAINED,
        *(ledger.ENDED + kind for kind in [*RELEASE_KINDS, "died"]),
    ]
    for day, measure, n in ledger.changes_between(start, end, measures):
        row = rows[_month_key(day)]
        if measure in (ledger.RECOGNIZED, ledger.DETAINED):
            row[measure] += n
            continue
        # Releases and deaths of people recognised by the day they left custody (ledger.ENDED).
        reason = measure.removeprefix(ledger.ENDED)
        if reason == "died":
            row["died"] += n
        else:
            row["released_by_kind"][reason] = row["released_by_kind"].get(reason, 0) + n
            row["released"] += n
    return list(rows.values())
