"""The Viasna series of political prisoners currently held, shipped in data/precedents/belarus_counts.csv.

The demo registry is calibrated to it, and a test checks the demo against every dated point from 2021 on.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .dates import PartialDate

SERIES_FILE = Path(__file__).resolve().parents[2] / "data" / "precedents" / "belarus_counts.csv"
HELD = "political prisoners currently held"
PARDONED = "cumulative political prisoners released by pardon since July 2024"
PARDON_START = dt.date(2024, 7, 1)
# Before the first figure (169 at the end of 2020) the list grew from the August 2020 election.
START = dt.date(2020, 8, 9)
DEFAULT_PERSONS = 5000


@dataclass(frozen=True)
class Point:
    date: dt.date
    text: str
    count: int
    source: str


def held_series(path: Path = SERIES_FILE, what: str = HELD) -> list[Point]:
    """Every dated 'currently held' figure, in date order (month-only dates stand for the 1st)."""
    points = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["what_is_counted"].startswith(what):
                continue
            partial = PartialDate.parse(row["date"])
            if partial is None:
                raise ValueError(f"{path}: a row without a date: {row}")
            points.append(Point(partial.value, row["date"], int(row["count"]), row["source"]))
    return sorted(points, key=lambda p: p.date)


def daily_target(end: dt.date, scale: float = 1.0, path: Path = SERIES_FILE) -> dict[dt.date, float]:
    """Linear interpolation through the series (same-day figures averaged), flat after the last point."""
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for point in held_series(path):
        by_day[point.date].append(point.count)
    knots = [(START, 0.0)] + [(day, sum(v) / len(v)) for day, v in sorted(by_day.items())]
    target: dict[dt.date, float] = {}
    for (d0, v0), (d1, v1) in zip(knots, knots[1:], strict=False):
        span = (d1 - d0).days
        for i in range(span):
            target[d0 + dt.timedelta(days=i)] = scale * (v0 + (v1 - v0) * i / span)
    last_day, last_value = knots[-1]
    day = last_day
    while day <= end:
        target[day] = scale * last_value
        day += dt.timedelta(days=1)
    return target


def pardon_target(end: dt.date, scale: float = 1.0, path: Path = SERIES_FILE) -> dict[dt.date, float]:
    """Cumulative pardons since July 2024 (Viasna), interpolated daily; flat after the last figure."""
    knots = [(PARDON_START, 0.0)] + [(p.date, float(p.count)) for p in held_series(path, PARDONED)]
    target: dict[dt.date, float] = {}
    for (d0, v0), (d1, v1) in zip(knots, knots[1:], strict=False):
        span = max((d1 - d0).days, 1)
        for i in range(span):
            target[d0 + dt.timedelta(days=i)] = scale * (v0 + (v1 - v0) * i / span)
    day, value = knots[-1]
    while day <= end:
        target[day] = scale * value
        day += dt.timedelta(days=1)
    return target
