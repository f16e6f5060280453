"""Breakdowns of recognised political prisoners in custody on a date, with small-cell suppression.

Who is counted: people held on `as_of` in a spell during which they were recognised (the population of
counts()["recognized_in_custody"]); for `release_kind`, releases up to `as_of` of people recognised by then
(counts()["released_by_kind"]). `total` is that headline figure: every person (sealed ones included) and
every event, the same for every reader. Cells count only people the user may see through access.policy,
never sealed persons, and each as the events THE USER may see place them (docs/statistics.md): a cell that
counted a restricted transfer, release or detention would disagree with the person's page, the list and the
facility pages, and the difference would reveal the hidden event, where it moved someone and on which day.
So cells need not add up to `total`. A cell with 0 < count < SPIS_SUPPRESSION_THRESHOLD shows as "<5" and
its count is None, in every output (page, CSV, API): suppression happens here, once, not in templates.

Every dimension is a few bounded queries (GROUP BY in SQL where the value is a column; for articles and
sentences, one row per person in the population, reduced in Python). The few people with an in-force event
the reader may not see (~1.5% in the demo) are left out of the SQL and counted from their custody as seen,
derived once per registry version and levels.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from spis.access import policy
from spis.access.queries import roots_with_hidden
from spis.registry.custody import DETAINED, DIED, RECOGNIZED, RELEASED, TRANSFERRED, WITHDRAWN
from spis.registry.models import CustodySpell, Event, EventType, Facility, Person, ReleaseKind
from spis.registry.queries import in_ids

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


def _visible(user: Any) -> QuerySet[Person]:
    """The people the user may see, never sealed ones (they live only in totals): which depends only on the
    user's levels, since only an editor's grants add sealed people to what a user sees."""
    return policy.persons(user).exclude(confidentiality=policy.SEALED)


# Event types that, hidden, can change a person's spells (read off custody.derive: a detention, release or
# death opens or closes custody, a transfer moves it, a recognition or its withdrawal splits it). A hidden
# charge, conviction or sentence changes no spell: the sentence and article dimensions read only the events
# the user may see instead.
_SPELL_TYPES = frozenset({DETAINED, RELEASED, DIED, TRANSFERRED, RECOGNIZED, WITHDRAWN})


class _Seen(NamedTuple):
    """One spell of a person as the events the user may see derive it, with the columns dimensions group by."""

    person_id: int
    start: dt.date
    end: dt.date | None
    facility_id: int | None
    recognized: bool
    end_reason: str
    custody_start: dt.date
    first_recognized_on: dt.date | None
    region: str
    gender: str
    birth_year: int | None

    def held_on(self, as_of: dt.date) -> bool:
        """In _held(as_of)."""
        return self.recognized and self.start <= as_of and (self.end is None or self.end > as_of)

    def released_by(self, as_of: dt.date) -> bool:
        """In _released(as_of)."""
        return (
            self.end is not None
            and self.end <= as_of
            and self.first_recognized_on is not None
            and self.first_recognized_on <= as_of
            and self.end_reason in ReleaseKind.values
        )


@dataclass
class _Population:
    """Who a breakdown counts, as the user may see them: `stored`, the spells of people whose stored spells
    are what the user may see, in SQL; `seen`, the spells of the others derived from the events the user
    may see (at most one per person on a day, like stored spells), in Python; `events`, the events in force
    by `as_of` that the user may see (sentences and cases)."""

    stored: QuerySet[CustodySpell]
    seen: list[_Seen]
    events: QuerySet[Event]

    def size(self) -> int:
        return self.stored.count() + len(self.seen)


def breakdown(user: Any, dimension: str, as_of: dt.date) -> Breakdown:
    """Counts of recognised political prisoners in custody on `as_of` by `dimension` (see DIMENSIONS)."""
    if dimension not in DIMENSION_KEYS:
        raise ValueError(f"dimension: {dimension!r} is not one of {', '.join(DIMENSION_KEYS)}")
    # Cells depend only on the levels the user may see (_visible; what is hidden from them is decided by
    # levels too), so readers with the same levels share one computation per registry version.
    levels = ",".join(policy.levels_for(user))
    total, rows = memoised(
        "breakdown", f"{levels}:{dimension}:{as_of}", lambda: _compute(user, dimension, as_of)
    )
    return Breakdown(dimension=dimension, as_of=as_of, total=total, rows=[dict(row) for row in rows])


def _compute(user: Any, dimension: str, as_of: dt.date) -> tuple[int, list[dict[str, Any]]]:
    """(total, rows) of one breakdown, computed (breakdown() memoises them)."""
    released = dimension == "release_kind"
    population = _released(as_of) if released else _held(as_of)
    total = population.count()
    stored = population.filter(person_id__in=_visible(user).values("pk"))
    moved, seen = _seen_spells(user)
    if moved:
        # Their stored spells count events hidden from the user: counted from `seen` instead.
        stored = stored.exclude(person_id__in=in_ids(moved))
    within = [s for s in seen if (s.released_by(as_of) if released else s.held_on(as_of))]
    events = policy.events(user).filter(date__lte=as_of)
    counted = _COUNTERS[dimension](_Population(stored, within, events), as_of)
    return total, [_row(key, label, n) for key, label, n in counted]


def _seen_spells(user: Any) -> tuple[list[int], list[_Seen]]:
    """(the people the user may see with an in-force event hidden from them that can change their spells,
    their spells as the events the user may see derive them). Memoised per registry version and levels: the
    statistics page asks for eight breakdowns, and deriving 1,500 people takes a fraction of a second."""
    if policy.sees_every_level(user):
        return [], []
    levels = ",".join(policy.levels_for(user))
    return memoised("seen-spells", levels, lambda: _derive_seen(user))


def _derive_seen(user: Any) -> tuple[list[int], list[_Seen]]:
    roots = roots_with_hidden(user, _SPELL_TYPES)
    if not roots:
        return [], []
    people = {
        pk: (region, gender, birth.year if birth else None)
        for pk, region, gender, birth in _visible(user)
        .filter(pk__in=in_ids(sorted(roots)))
        .order_by()
        .values_list("pk", "region", "gender", "birth_date")
    }
    spells = [
        _Seen(
            pk,
            s.start,
            s.end,
            s.facility_id,
            s.recognized,
            s.end_reason,
            s.custody_start,
            custody.first_recognized_on,
            *people[pk],
        )
        for pk, custody in policy.custody_as_seen(user, sorted(people)).items()
        for s in custody.spells
    ]
    return sorted(people), spells


def _grouped(population: _Population, column: str, value: Callable[[_Seen], Any]) -> Counter[Any]:
    """Spells per value of `column` (a spell column or a lookup through person), plus `value(seen spell)`
    for the spells derived again."""
    counted = Counter(dict(population.stored.values_list(column).annotate(n=Count("id")).order_by()))
    counted.update(value(s) for s in population.seen)
    return counted


def _by_count(counter: Counter[Any], labels: dict[Any, str]) -> list[tuple[str, str, int]]:
    """Largest first; ties and the "unknown" row in a stable order."""
    items = sorted(counter.items(), key=lambda kv: (kv[0] in ("", None, UNKNOWN), -kv[1], str(kv[0])))
    out = []
    for key, n in items:
        if key in ("", None):
            out.append((UNKNOWN, "unknown", n))
        else:
            out.append((str(key), labels.get(key, str(key)), n))
    return out


def _region(population: _Population, as_of: dt.date) -> list[tuple[str, str, int]]:
    return _by_count(_grouped(population, "person__region", lambda s: s.region), {})


def _gender(population: _Population, as_of: dt.date) -> list[tuple[str, str, int]]:
    counted = _grouped(population, "person__gender", lambda s: s.gender)
    labels = dict(Person.Gender.choices)
    rows = [(key, str(labels[key]), counted.get(key, 0)) for key in Person.Gender.values]
    if counted.get(""):
        rows.append((UNKNOWN, "unknown", counted[""]))
    return rows


def _facility(population: _Population, as_of: dt.date) -> list[tuple[str, str, int]]:
    counted = _grouped(population, "facility_id", lambda s: s.facility_id)
    names = dict(Facility.objects.filter(pk__in=[k for k in counted if k]).values_list("pk", "name"))
    return _by_count(counted, names)


def _detention_year(population: _Population, as_of: dt.date) -> list[tuple[str, str, int]]:
    counted = _by_year(population, "custody_start", [s.custody_start.year for s in population.seen])
    return [(str(year), str(year), counted[year]) for year in sorted(counted)]


def _age_band(population: _Population, as_of: dt.date) -> list[tuple[str, str, int]]:
    by_year = _by_year(population, "person__birth_date", [s.birth_year for s in population.seen])
    bands: Counter[str] = Counter()
    for year, n in by_year.items():
        bands[_age_key(None if year is None else as_of.year - year)] += n
    keys = [label for _lo, _hi, label in AGE_BANDS] + ["65 and over", UNKNOWN]
    return [(key, key, bands.get(key, 0)) for key in keys if key != UNKNOWN or bands.get(UNKNOWN)]


def _by_year(population: _Population, field: str, seen: list[int | None]) -> Counter[int | None]:
    """Spells counted by the year of `field` (a date of the spell or of its person): the stored spells in SQL,
    then `seen`, the same years of the spells derived again as the reader may see them."""
    counted: Counter[int | None] = Counter(
        dict(
            population.stored.annotate(year=ExtractYear(field))
            .values_list("year")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    counted.update(seen)
    return counted


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


def _events_of(population: _Population, *fields: str, **lookups: Any) -> list[tuple[Any, ...]]:
    """`fields` of the events the user may see (by `as_of`, matching `lookups`) of the people counted:
    one query for those counted from stored spells, one more for those derived again."""
    events = population.events.filter(**lookups).order_by()
    rows = list(events.filter(person_id__in=population.stored.values("person_id")).values_list(*fields))
    if population.seen:
        people = sorted({s.person_id for s in population.seen})
        rows += events.filter(person_id__in=in_ids(people)).values_list(*fields)
    return rows


def _sentence_length(population: _Population, as_of: dt.date) -> list[tuple[str, str, int]]:
    rows = _events_of(
        population,
        "person_id",
        "date",
        "id",
        "sentence_months",
        sentence_months__isnull=False,
        type__in=[EventType.SENTENCED, EventType.CONVICTED],
    )
    latest = _latest_per_person(rows)
    bands: Counter[str] = Counter(_sentence_key(months) for months in latest.values())
    bands["not yet sentenced"] = population.size() - len(latest)
    keys = [label for _lo, _hi, label in SENTENCE_BANDS] + ["10 years or more", "not yet sentenced"]
    return [(key, key, bands.get(key, 0)) for key in keys]


def _sentence_key(months: int) -> str:
    for low, high, label in SENTENCE_BANDS:
        if low <= months <= high:
            return label
    return "10 years or more"


def _article(population: _Population, as_of: dt.date) -> list[tuple[str, str, int]]:
    """A person counts once under each article of their latest case; rows need not add up to the total."""
    rows = _events_of(population, "person_id", "date", "id", "case__articles", case__isnull=False)
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


def _release_kind(population: _Population, as_of: dt.date) -> list[tuple[str, str, int]]:
    counted = _grouped(population, "end_reason", lambda s: s.end_reason)
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
