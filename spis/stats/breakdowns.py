"""Breakdowns of recognised political prisoners in custody on a date, with small-cell suppression.

Who is counted: people held on `as_of` in a spell during which they were recognised (the population of
counts()["recognized_in_custody"]); for `release_kind`, releases up to `as_of` of people recognised by then
(counts()["released_by_kind"]). `total` counts everyone, sealed persons included. Rows count only people the
user may see through access.policy and never sealed persons, so a sealed person can be part of a total but
never of a cell. A cell with 0 < count < SPIS_SUPPRESSION_THRESHOLD shows as "<5" and its count is None, in
every output (page, CSV, API): suppression happens here, once, not in templates.

Every dimension is one or two bounded queries (GROUP BY in SQL where the value is a column; for articles
and sentences, one row per person in the population, reduced in Python).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from spis.access import policy
from spis.access.roles import ANONYMOUS, role_of
from spis.registry.models import CustodySpell, Event, EventType, Facility, Person, ReleaseKind

from .memo import memoised

DIMENSIONS: list[tuple[str, Any]] = [
    ("article", _("Article of the Criminal Code")),
    ("region", _("Region")),
    ("facility", _("Place of detention")),
    ("gender", _("Gender")),
    ("age_band", _("Age")),
    ("sentence_length", _("Sentence length")),
    ("detention_year", _("Year of detention")),
    ("release_kind", _("Kind of release")),
]
DIMENSION_KEYS = [key for key, _label in DIMENSIONS]
UNKNOWN = "unknown"

# Age bands in whole years reached in the year of `as_of` (birth dates are often known to the year only).
AGE_BANDS = [(0, 24, "under 25"), (25, 34, "25–34"), (35, 44, "35–44"), (45, 54, "45–54"), (55, 64, "55–64")]
# Sentence bands in months, as Viasna's reviews group them.
SENTENCE_BANDS = [
    (0, 11, "under 1 year"),
    (12, 35, "1 to under 3 years"),
    (36, 59, "3 to under 5 years"),
    (60, 119, "5 to under 10 years"),
]


@dataclass
class Breakdown:
    dimension: str
    as_of: dt.date
    total: int
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(dict(DIMENSIONS)[self.dimension])

    def to_csv(self) -> str:
        """`key,label,count` per row (suppressed cells read "<5"), then a `total` row."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["key", "label", "count"])
        for row in self.rows:
            writer.writerow([row["key"], row["label"], row["display"]])
        writer.writerow(["total", "Total", self.total])
        return out.getvalue()

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "label": self.label,
            "as_of": self.as_of.isoformat(),
            "total": self.total,
            "suppression_threshold": settings.SPIS_SUPPRESSION_THRESHOLD,
            "rows": [dict(row) for row in self.rows],
        }


def suppress(count: int) -> tuple[int | None, str]:
    """(count, display) for one cell: small non-zero counts become (None, "<N")."""
    threshold = settings.SPIS_SUPPRESSION_THRESHOLD
    if 0 < count < threshold:
        return None, f"<{threshold}"
    return count, str(count)


def _row(key: str, label: str, count: int) -> dict[str, Any]:
    value, display = suppress(count)
    return {"key": key, "label": label, "count": value, "display": display}


def _held(as_of: dt.date) -> QuerySet[CustodySpell]:
    return CustodySpell.objects.filter(
        Q(start__lte=as_of) & (Q(end__isnull=True) | Q(end__gt=as_of)), recognized=True
    )


def _released(as_of: dt.date) -> QuerySet[CustodySpell]:
    return CustodySpell.objects.filter(
        end__lte=as_of, person_first_recognized_on__lte=as_of, end_reason__in=ReleaseKind.values
    )


def _shown(user: Any, spells: QuerySet[CustodySpell]) -> QuerySet[CustodySpell]:
    """The spells of people the user may see, never sealed ones (they live only in totals)."""
    visible = policy.persons(user).exclude(confidentiality=policy.SEALED).values("pk")
    return spells.filter(person_id__in=visible)


def breakdown(user: Any, dimension: str, as_of: dt.date) -> Breakdown:
    """Counts of recognised political prisoners in custody on `as_of` by `dimension` (see DIMENSIONS)."""
    if dimension not in DIMENSION_KEYS:
        raise ValueError(f"dimension: {dimension!r} is not one of {', '.join(DIMENSION_KEYS)}")
    if role_of(user) == ANONYMOUS:
        # The public site asks the same questions all day; other roles see other rows, so compute afresh.
        total, rows = memoised("breakdown", f"{dimension}:{as_of}", lambda: _compute(user, dimension, as_of))
    else:
        total, rows = _compute(user, dimension, as_of)
    return Breakdown(dimension=dimension, as_of=as_of, total=total, rows=[dict(row) for row in rows])


def _compute(user: Any, dimension: str, as_of: dt.date) -> tuple[int, list[dict[str, Any]]]:
    population = _released(as_of) if dimension == "release_kind" else _held(as_of)
    total = population.count()
    counted = _COUNTERS[dimension](_shown(user, population), as_of)
    return total, [_row(key, label, n) for key, label, n in counted]


def _grouped(spells: QuerySet[CustodySpell], column: str) -> Counter:
    return Counter(dict(spells.values_list(column).annotate(n=Count("id")).order_by()))


def _by_count(counter: Counter, labels: dict[Any, str]) -> list[tuple[str, str, int]]:
    """Largest first; ties and the "unknown" row in a stable order."""
    items = sorted(counter.items(), key=lambda kv: (kv[0] in ("", None, UNKNOWN), -kv[1], str(kv[0])))
    out = []
    for key, n in items:
        if key in ("", None):
            out.append((UNKNOWN, "unknown", n))
        else:
            out.append((str(key), labels.get(key, str(key)), n))
    return out


def _region(spells: QuerySet[CustodySpell], as_of: dt.date) -> list[tuple[str, str, int]]:
    return _by_count(_grouped(spells, "person__region"), {})


def _gender(spells: QuerySet[CustodySpell], as_of: dt.date) -> list[tuple[str, str, int]]:
    counted = _grouped(spells, "person__gender")
    labels = dict(Person.Gender.choices)
    rows = [(key, str(labels[key]), counted.get(key, 0)) for key in Person.Gender.values]
    if counted.get(""):
        rows.append((UNKNOWN, "unknown", counted[""]))
    return rows


def _facility(spells: QuerySet[CustodySpell], as_of: dt.date) -> list[tuple[str, str, int]]:
    counted = _grouped(spells, "facility_id")
    names = dict(Facility.objects.filter(pk__in=[k for k in counted if k]).values_list("pk", "name"))
    return _by_count(counted, names)


def _detention_year(spells: QuerySet[CustodySpell], as_of: dt.date) -> list[tuple[str, str, int]]:
    counted = Counter(
        dict(
            spells.annotate(year=ExtractYear("custody_start"))
            .values_list("year")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    return [(str(year), str(year), counted[year]) for year in sorted(counted)]


def _age_band(spells: QuerySet[CustodySpell], as_of: dt.date) -> list[tuple[str, str, int]]:
    by_year = (
        spells.annotate(year=ExtractYear("person__birth_date")).values_list("year").annotate(n=Count("id"))
    )
    bands: Counter[str] = Counter()
    for year, n in by_year.order_by():
        bands[_age_key(None if year is None else as_of.year - year)] += n
    keys = [label for _lo, _hi, label in AGE_BANDS] + ["65 and over", UNKNOWN]
    return [(key, key, bands.get(key, 0)) for key in keys if key != UNKNOWN or bands.get(UNKNOWN)]


def _age_key(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "65 and over"


def _latest_per_person(rows: Any) -> dict[int, Any]:
    """From (person_id, date, id, value) rows: each person's value with the latest (date, id)."""
    best: dict[int, tuple] = {}
    for person_id, day, pk, value in rows:
        if person_id not in best or (day, pk) > best[person_id][:2]:
            best[person_id] = (day, pk, value)
    return {person_id: entry[2] for person_id, entry in best.items()}


def _in_force(as_of: dt.date) -> QuerySet[Event]:
    # Superseded and retracting events are not facts any more (policy.events applies the same rule).
    return Event.objects.filter(date__lte=as_of, superseded_by__isnull=True, retracts=False)


def _sentence_length(spells: QuerySet[CustodySpell], as_of: dt.date) -> list[tuple[str, str, int]]:
    people = spells.values("person_id")
    rows = (
        _in_force(as_of)
        .filter(person_id__in=people, sentence_months__isnull=False)
        .filter(type__in=[EventType.SENTENCED, EventType.CONVICTED])
        .values_list("person_id", "date", "id", "sentence_months")
    )
    latest = _latest_per_person(rows)
    bands: Counter[str] = Counter(_sentence_key(months) for months in latest.values())
    bands["not yet sentenced"] = spells.count() - len(latest)
    keys = [label for _lo, _hi, label in SENTENCE_BANDS] + ["10 years or more", "not yet sentenced"]
    return [(key, key, bands.get(key, 0)) for key in keys]


def _sentence_key(months: int) -> str:
    for low, high, label in SENTENCE_BANDS:
        if low <= months <= high:
            return label
    return "10 years or more"


def _article(spells: QuerySet[CustodySpell], as_of: dt.date) -> list[tuple[str, str, int]]:
    """A person counts once under each article of their latest case; rows need not add up to the total."""
    rows = (
        _in_force(as_of)
        .filter(person_id__in=spells.values("person_id"), case__isnull=False)
        .values_list("person_id", "date", "id", "case__articles")
    )
    counted: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for articles in _latest_per_person(rows).values():
        keys = set()
        for article in articles or []:
            number = str(article.get("article", "")).strip()
            if not number:
                continue
            code = str(article.get("code", "") or "CC-BY")
            key = f"{code}:{number}"
            labels[key] = f"{code} art. {number}"
            keys.add(key)
        counted.update(keys)
    return _by_count(counted, labels)


def _release_kind(spells: QuerySet[CustodySpell], as_of: dt.date) -> list[tuple[str, str, int]]:
    counted = _grouped(spells, "end_reason")
    labels = dict(ReleaseKind.choices)
    return [(key, str(labels[key]), counted.get(key, 0)) for key in ReleaseKind.values]


_COUNTERS = {
    "article": _article,
    "region": _region,
    "facility": _facility,
    "gender": _gender,
    "age_band": _age_band,
    "sentence_length": _sentence_length,
    "detention_year": _detention_year,
    "release_kind": _release_kind,
}
