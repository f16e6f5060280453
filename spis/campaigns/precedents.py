"""Precedents beside the Belarusian list: filters, each release as a share of the list on its date, and a
comparison of releases that followed sanctions relief with those that followed new pressure.

The share is computed twice: against the registry (spis.stats.counts, recognised political prisoners in
custody on that date; synthetic in the demo) and against the nearest earlier published Viasna figure shipped in
data/precedents/belarus_counts.csv, so a reader can see both and their dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from spis.stats.counts import counts
from spis.stats.series import daily_series

from .models import Precedent

COUNTS_FILE = Path(settings.DATA_DIR) / "precedents" / "belarus_counts.csv"
HELD_SERIES = "political prisoners currently held (Viasna / Belarusian HR community list)"
# Pressure categories as written in precedents.csv, grouped for the relief-vs-pressure comparison.
RELIEF, PRESSURE, OTHER = "relief", "pressure", "other"


def pressure_group(category: str) -> str:
    text = category.lower()
    if "relief" in text or "unfreezing" in text:
        return RELIEF
    if "sanctions pressure" in text or "coercion" in text or "pressure" in text:
        return PRESSURE
    return OTHER


@lru_cache(maxsize=1)
def _published_series() -> list[tuple[dt.date, int, str]]:
    rows = []
    with COUNTS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["what_is_counted"].strip() != HELD_SERIES:
                continue
            text = row["date"].strip()
            day = dt.date.fromisoformat(text if len(text) == 10 else f"{text[:7]}-01")
            rows.append((day, int(row["count"]), row["source"].strip()))
    return sorted(rows)


def published_list_on(day: dt.date) -> tuple[dt.date, int, str] | None:
    """The latest published Viasna count on or before `day` (None before the series starts)."""
    earlier = [row for row in _published_series() if row[0] <= day]
    return earlier[-1] if earlier else None


def filtered(filters: dict[str, Any]) -> QuerySet[Precedent]:
    qs = Precedent.objects.all()
    if filters.get("codes") is not None:
        qs = qs.filter(code__in=filters["codes"])
    if filters.get("country"):
        qs = qs.filter(country__icontains=filters["country"])
    if filters.get("kind"):
        qs = qs.filter(kind__icontains=filters["kind"])
    if filters.get("pressure"):
        qs = qs.filter(Q(pressure_category__icontains=filters["pressure"]))
    if filters.get("confidence"):
        qs = qs.filter(confidence=filters["confidence"])
    return qs


def registry_list_on(days: list[dt.date]) -> dict[dt.date, int]:
    """Recognised political prisoners in custody on each day, as spis.stats counts them (one pass).

    A few dates go through stats.counts; many go through stats.series.daily_series, which gives the same
    figure for every day in one pass over the spells (tests/campaigns check the two agree).
    """
    days = sorted({d for d in days if d.year >= 2020 and d <= timezone.now().date()})
    if len(days) <= 3:
        return {d: counts(d)["recognized_in_custody"] for d in days}
    rows = daily_series(days[0], days[-1])
    by_day = {row["date"]: row["recognized_in_custody"] for row in rows}
    return {d: by_day[d.isoformat()] for d in days}


def _pct(part: int | None, whole: int | None) -> float | None:
    if not part or not whole:
        return None
    return round(100 * part / whole, 1)


def precedent_rows(filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    precedents = list(filtered(filters or {}))
    lists = registry_list_on([p.date for p in precedents])
    rows = []
    for p in precedents:
        registry_list = lists.get(p.date, 0)
        published = published_list_on(p.date)
        rows.append(
            {
                "code": p.code,
                "country": p.country,
                "date": p.date_text,
                "event": p.event,
                "number": p.number_text,
                "number_released": p.number_released,
                "approximate": p.is_approximate,
                "kind": p.kind,
                "pressure_category": p.pressure_category,
                "pressure_group": pressure_group(p.pressure_category),
                "conditions": p.conditions,
                "confidence": p.confidence,
                "caveats": p.caveats,
                "sources": p.source_list,
                "registry_list_on_date": registry_list or None,
                "share_of_list_pct": _pct(p.number_released, registry_list),
                "published_list": published[1] if published else None,
                "published_list_date": published[0].isoformat() if published else None,
                "published_list_source": published[2] if published else None,
                "share_of_published_list_pct": _pct(p.number_released, published[1] if published else None),
            }
        )
    return rows


def pressure_comparison(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Releases grouped by what preceded them: sanctions relief, new pressure, anything else."""
    result = []
    for group in (RELIEF, PRESSURE, OTHER):
        members = [r for r in rows if r["pressure_group"] == group]
        numbers = [r["number_released"] for r in members if r["number_released"]]
        result.append(
            {
                "group": group,
                "precedents": len(members),
                "released_total": sum(numbers),
                "released_median": statistics.median(numbers) if numbers else None,
                "high_confidence": sum(r["confidence"] == "high" for r in members),
            }
        )
    return result


def sentence(row: dict[str, Any]) -> str:
    """'Nicaragua's release of 222 in 2023-02-09 equals X% of the Belarusian list on that date.'"""
    if row["share_of_list_pct"] is None:
        return ""
    return (
        f"{row['country']}'s release of {row['number']} on {row['date']} equals {row['share_of_list_pct']}% "
        f"of the Belarusian list on that date ({row['registry_list_on_date']:,} in the registry)."
    )
