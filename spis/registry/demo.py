"""The SYNTHETIC demo registry: invented people with realistic histories since 2020.

Nobody in it is real. The number of recognised political prisoners in custody follows the Viasna series
(calibration.py) day by day, scaled by persons / 5,000: each day releases whose term ended go first; when
the series rises, new people are recognised (detained some weeks before); when it falls faster than terms
end, people are released early by the kinds of release of that period (pardon waves from July 2024,
forced expulsions and exchanges in 2025). Rows are written with executemany: `spis demo --persons 100000`
must stay well under a minute.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import connection, transaction
from django.utils import timezone

from spis.names.collate import sort_key

from . import audit
from .actions import (
    DERIVED_FIELDS,
    derived_values,
    insert_spells,
    issue_public_ids,
    refresh_planner_statistics,
    spell_rows,
)
from .bulk import bulk_insert, secondary_indexes_dropped
from .calibration import DEFAULT_PERSONS, START, daily_target, pardon_target
from .custody import EventRecord, derive, effective
from .models import Case, Citation, CustodySpell, Event, Facility, Name, Organization, Person, Source
from .search import bulk_loading
from .signals import demo_built

NAMES_FILE = Path(__file__).resolve().parents[2] / "data" / "demo" / "names.yaml"
DEMO_NOTE = "SYNTHETIC DEMO RECORD: invented for demonstration; not a real person."
FIRST_DAY = dt.date(2020, 5, 10)
DAY = dt.timedelta(days=1)


@dataclass
class _Spell:
    detained: dt.date
    recognized: dt.date | None
    term_months: int
    released: dt.date | None = None
    release_kind: str = ""


@dataclass
class _Person:
    index: int
    recognized_on: dt.date | None = None
    spells: list[_Spell] = field(default_factory=list)
    died: bool = False


class _Held:
    """People in custody, with O(1) admission, release and uniform random choice."""

    def __init__(self) -> None:
        self.people: list[_Person] = []
        self.position: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.people)

    def get(self, index: int) -> _Person | None:
        at = self.position.get(index)
        return None if at is None else self.people[at]

    def add(self, person: _Person) -> None:
        self.position[person.index] = len(self.people)
        self.people.append(person)

    def remove(self, index: int) -> None:
        at = self.position.pop(index, None)
        if at is None:
            return
        last = self.people.pop()
        if at < len(self.people):
            self.people[at] = last
            self.position[last.index] = at

    def sample(self, rng: random.Random, k: int) -> list[_Person]:
        return rng.sample(self.people, min(k, len(self.people)))


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _term_months(rng: random.Random) -> int:
    # Sentences in political cases: most under 4 years, a long tail to 15+ (assumption: shaped so that releases
    # and cumulative recognitions come near Viasna's totals, ~1,400 released by end-2023, ~4,500 recognised by 2026).
    roll = rng.random()
    if roll < 0.45:
        return rng.randint(6, 24)
    if roll < 0.80:
        return rng.randint(24, 48)
    if roll < 0.95:
        return rng.randint(48, 96)
    return rng.randint(96, 200)


def _early_kind(rng: random.Random, day: dt.date) -> str:
    """How people left custody early in each period (pardon waves from July 2024; expulsions in 2025)."""
    roll = rng.random()
    if day < dt.date(2024, 7, 1):
        return "amnesty" if roll < 0.3 else ("house_arrest" if roll < 0.45 else "end_of_term")
    if day < dt.date(2025, 6, 1):
        return "pardon" if roll < 0.85 else "end_of_term"
    if roll < 0.55:
        return "pardon"
    if roll < 0.85:
        return "expelled"
    return "exchanged" if roll < 0.93 else "end_of_term"


def simulate(persons: int, seed: int, end: dt.date) -> list[_Person]:
    """Custody histories whose daily recognised-in-custody count follows the scaled Viasna series."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    target = daily_target(end, persons / DEFAULT_PERSONS)
    pardons = pardon_target(end, persons / DEFAULT_PERSONS)
    pardoned = 0
    people = [_Person(i) for i in range(persons)]
    # About 6% are detained in political cases but never recognised (they count in `in_custody` only).
    unrecognized = set(rng.sample(range(persons), persons * 6 // 100))
    pool = [p for p in people if p.index not in unrecognized]
    rng.shuffle(pool)
    held = _Held()
    ends: dict[dt.date, list[int]] = defaultdict(list)
    released: list[_Person] = []
    deaths = {
        dt.date(2021, 5, 21),
        dt.date(2022, 1, 30),
        dt.date(2022, 12, 23),
        dt.date(2023, 10, 2),
        dt.date(2024, 2, 6),
        dt.date(2024, 11, 12),
        dt.date(2025, 8, 20),
    }
    day = START
    while day <= end:
        for index in ends.pop(day, []):
            person = held.get(index)
            if person is not None and person.spells[-1].released is None:
                _release(person, day, "end_of_term", held, released)
        if day in deaths and held and persons >= 1000:
            victim = rng.choice(held.people)
            _release(victim, day, "died", held, released)
            victim.died = True
        # The pardon waves since July 2024 follow Viasna's cumulative count; from mid-2025 most of those
        # freed were forced out of the country (189 of 342 in 2025, Viasna's annual review).
        due = round(pardons.get(day, 0.0)) - pardoned
        if due > 0 and held:
            # Pardons reached people of every cohort, not only the longest held.
            for person in held.sample(rng, due):
                # assumption: about 5% of the 2025 deals were prisoner exchanges rather than pardons.
                roll = rng.random() if day >= dt.date(2025, 6, 1) else 1.0
                kind = "expelled" if roll < 0.55 else ("exchanged" if roll < 0.60 else "pardon")
                _release(person, day, kind, held, released)
                pardoned += 1
        want = round(target.get(day, 0.0))
        while len(held) < want:
            if pool:
                person = pool.pop()
                detained = max(FIRST_DAY, day - dt.timedelta(days=rng.randint(10, 150)))
            elif released:
                # The revolving door: people released earlier are detained and counted again.
                person = released.pop(rng.randrange(len(released)))
                if person.died:
                    continue
                detained = day
            else:
                break
            person.recognized_on = person.recognized_on or day
            term = _term_months(rng)
            release_day = max(_add_months(detained, term), day + dt.timedelta(days=45))
            person.spells.append(_Spell(detained, day, term))
            held.add(person)
            ends[release_day].append(person.index)
        if len(held) > want:
            # Early releases (amnesty, pardon, expulsion) of people chosen at random among those held.
            for person in held.sample(rng, len(held) - want):
                _release(person, day, _early_kind(rng, day), held, released)
        day += DAY
    # Everyone on the list was held at some time: those the series did not need are held and released
    # without recognition (some recognised later, as "former political prisoners").
    spare = sorted(unrecognized | {p.index for p in pool})
    _unrecognized_histories(rng, [people[i] for i in spare], end)
    return people


def _release(person: _Person, day: dt.date, kind: str, held: _Held, released: list[_Person]) -> None:
    spell = person.spells[-1]
    spell.released, spell.release_kind = day, kind
    held.remove(person.index)
    # The dead and the expelled are not detained again; anyone else may be (the revolving door).
    if kind not in {"died", "expelled", "exchanged"}:
        released.append(person)


def _unrecognized_histories(rng: random.Random, people: list[_Person], end: dt.date) -> None:
    span = (end - FIRST_DAY).days
    for person in people:
        detained = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        spell = _Spell(detained, None, rng.randint(6, 36))
        out = _add_months(detained, spell.term_months)
        if out <= end:
            spell.released, spell.release_kind = out, "end_of_term"
        person.spells.append(spell)
        # Some are recognised only after release ("former political prisoners").
        if spell.released and rng.random() < 0.3:
            later = spell.released + dt.timedelta(days=rng.randint(10, 200))
            person.recognized_on = later if later <= end else None


class _Writer:
    """Bulk rows by executemany with explicit ids, so events can point at people without reading back.

    A writer for a chunk of people takes its ids from blocks reserved for that chunk (`first`/`limit`), so
    chunks can be generated in parallel processes and inserted in any order; unused ids stay as gaps.
    """

    def __init__(self, first: dict[type, int] | None = None, limit: dict[type, int] | None = None) -> None:
        self.rows: dict[type, list[tuple]] = defaultdict(list)
        self.columns: dict[type, list[str]] = {}
        self.next_id: dict[type, int] = dict(first or {})
        self.limit = limit or {}
        self.spells: list[tuple] = []
        self.recognitions: list[dt.date | None] = []
        self.counts: dict[str, int] = defaultdict(int)

    def new_id(self, model: type) -> int:
        if model not in self.next_id:
            self.next_id[model] = _next_free_id(model)
        value = self.next_id[model]
        if value >= self.limit.get(model, value + 1):
            raise RuntimeError(f"demo: more {model.__name__} rows for a chunk than ROWS_PER_PERSON reserves")
        self.next_id[model] += 1
        return value

    def add(self, model: type, values: dict[str, Any]) -> int:
        if "id" not in values:
            values["id"] = self.new_id(model)
        columns = self.columns.setdefault(model, list(values))
        self.rows[model].append(tuple(values[c] for c in columns))
        return values["id"]

    def append(self, model: type, columns: tuple[str, ...], row: tuple) -> None:
        """A row given as a tuple in `columns` order (the hot paths: events and citations)."""
        if self.columns.setdefault(model, list(columns)) != list(columns):
            raise RuntimeError(f"demo: {model.__name__} rows with two different column lists")
        self.rows[model].append(row)

    def flush(self) -> None:
        for model in _MODELS:
            bulk_insert(model, self.columns.get(model, ()), self.rows.pop(model, []))
        insert_spells(self.spells, self.recognitions)
        self.spells, self.recognitions = [], []


# Event columns the demo sets; the others take these constant values.
_EVENT_COLUMNS = (
    "id",
    "person_id",
    "type",
    "release_kind",
    "date",
    "facility_id",
    "case_id",
    "organization_id",
    "sentence_months",
    "regime",
    "confidentiality",
    "recorded_at",
    "date_precision",
    "fine_amount",
    "note",
    "supersedes_id",
    "retracts",
    "recorded_by_id",
)
_EVENT_DEFAULTS: dict[str, Any] = {
    "release_kind": "",
    "facility_id": None,
    "case_id": None,
    "organization_id": None,
    "sentence_months": None,
    "regime": "",
    "confidentiality": "public",
}
_CITATION_COLUMNS = (
    "id",
    "source_id",
    "content_type_id",
    "object_id",
    "locator",
    "confidentiality",
    "recorded_at",
)
_MODELS = [Organization, Source, Facility, Case, Person, Name, Event, Citation]
# People per chunk, and the ids each person may use: chunks are generated apart (in parallel with `workers`)
# from blocks of ids fixed in advance; a person has at most 3 names and, at most, a few custody periods.
CHUNK = 5000
ROWS_PER_PERSON = {Person: 1, Name: 4, Case: 16, Event: 128, Citation: 128}


def _next_free_id(model: type) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


@dataclass
class _Context:
    """What every chunk needs besides its people (pickled to worker processes)."""

    seed: int
    parts: dict
    facilities: dict[str, list[int]]
    orgs: dict[str, int]
    source_id: int
    event_type: int
    now: dt.datetime
    base: dict[type, int]
    chunk: int


def _generate(context: _Context, task: tuple[int, list[_Person], list[str]]) -> _Writer:
    """The rows of one chunk of people, from the chunk's own random stream and id blocks."""
    number, people, public_ids = task
    rng = random.Random(f"spis-demo:{context.seed}:{number}")  # noqa: S311 - synthetic data, not security
    size = context.chunk
    first = {m: context.base[m] + number * size * per for m, per in ROWS_PER_PERSON.items()}
    limit = {m: first[m] + size * per for m, per in ROWS_PER_PERSON.items()}
    writer = _Writer(first, limit)
    for person, public_id in zip(people, public_ids, strict=True):
        _write_person(writer, person, public_id, context, rng)
    return writer


def build(
    persons: int = DEFAULT_PERSONS,
    seed: int = 1,
    actor: Any = "system:demo",
    *,
    workers: int | None = None,
    chunk: int = CHUNK,
) -> dict[str, int]:
    """Create the synthetic registry (adds to what is there); returns counts of what was written.

    People are generated in chunks; with more than one worker (default: one per CPU for registries of
    several chunks) the chunks are generated in forked processes while this one inserts the finished ones.
    The result does not depend on the number of workers.
    """
    if persons < 1:
        raise ValueError("--persons must be at least 1")
    rng = random.Random(seed + 7)  # noqa: S311 - synthetic data, not security
    parts = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    now = timezone.now()
    end = now.date() - DAY
    people = simulate(persons, seed, end)
    from django.contrib.contenttypes.models import ContentType

    with transaction.atomic():
        writer = _Writer()
        orgs = _organizations(writer)
        facilities = _facilities(writer, parts, rng)
        source_id = writer.add(
            Source,
            {
                "title": "Synthetic demo registry (invented data)",
                "url": "",
                "document": "spis demo",
                "publisher_id": None,
                "publisher_name": "spis",
                "published_on": now.date(),
                "reliability": "low",
                "confidentiality": "public",
                "recorded_at": now,
            },
        )
        writer.flush()
        context = _Context(
            seed=seed,
            parts=parts,
            facilities=facilities,
            orgs=orgs,
            source_id=source_id,
            event_type=ContentType.objects.get_for_model(Event).pk,
            now=now,
            base={model: _next_free_id(model) for model in ROWS_PER_PERSON},
            chunk=chunk,
        )
        ids = issue_public_ids(persons)
        tasks = [
            (n, people[start : start + chunk], ids[start : start + chunk])
            for n, start in enumerate(range(0, persons, chunk))
        ]
        workers = min(workers or os.cpu_count() or 1, len(tasks))
        counts: dict[str, int] = defaultdict(int)
        with bulk_loading(), secondary_indexes_dropped([Person, Name, Event, Citation, CustodySpell]):
            for done in _chunks(context, tasks, workers):
                done.flush()
                for key, n in done.counts.items():
                    counts[key] += n
        if connection.vendor == "postgresql":
            # Explicit ids bypass PostgreSQL's sequences; move them past what was written.
            from django.core.management.color import no_style

            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), _MODELS):
                    cursor.execute(statement)
        audit.append(
            actor, "demo_build", "registry.person", None, {"persons": persons, "seed": seed, **counts}
        )
        refresh_planner_statistics()
        demo_built.send(sender=build, actor=actor)
    return {"persons": persons, **counts}


def _chunks(context: _Context, tasks: list, workers: int) -> Iterator[_Writer]:
    """Each chunk's rows, in order; generated in `workers` forked processes when there are more than one.

    The children only compute (names, events, custody): they never touch the database connection they
    inherit, and they leave through os._exit, so nothing of it is closed or flushed twice.
    """
    generate = functools.partial(_generate, context)
    if workers <= 1:
        yield from map(generate, tasks)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(generate, tasks)


def _organizations(writer: _Writer) -> dict[str, int]:
    specs = {
        "recognizer": ("Demo Human Rights Centre (synthetic)", "recognizing_body"),
        "minsk_city": ("Minsk City Court (demo)", "court"),
        "regional": ("Regional Court (demo)", "court"),
        "district": ("District Court (demo)", "court"),
    }
    return {
        key: writer.add(
            Organization,
            {"name": name, "name_be": "", "name_ru": "", "kind": kind, "country": "BY", "url": ""},
        )
        for key, (name, kind) in specs.items()
    }


def _facilities(writer: _Writer, parts: dict, rng: random.Random) -> dict[str, list[int]]:
    kinds = {"sizo": [], "colony": [], "prison": [], "ivs": [], "open": []}
    towns = parts["towns"]
    plan = [("sizo", 8), ("colony", 20), ("prison", 3), ("ivs", 6), ("open", 3)]
    number = 0
    for kind, count in plan:
        for i in range(count):
            number += 1
            town = towns[(number * 7) % len(towns)]
            label = {"sizo": "СИЗО", "colony": "ИК", "prison": "Тюрьма", "ivs": "ИВС", "open": "ИУОТ"}[kind]
            name_ru = f"{label} №{i + 1}, {town} (демо)"
            kinds[kind].append(
                writer.add(
                    Facility,
                    {
                        "name": f"{kind.upper()} No. {i + 1}, {town} (demo)",
                        "name_be": "",
                        "name_ru": name_ru,
                        "kind": kind,
                        "region": "",
                        "postal_address": f"{label}-{i + 1}, г. {town} — ДЕМОНСТРАЦИОННЫЙ АДРЕС",
                        "latitude": round(52 + rng.random() * 3.5, 5),
                        "longitude": round(24 + rng.random() * 6.5, 5),
                        "address_verified_on": None,
                        "is_synthetic": True,
                    },
                )
            )
    return kinds


def _write_person(
    writer: _Writer, person: _Person, public_id: str, context: _Context, rng: random.Random
) -> None:
    parts, facilities, orgs = context.parts, context.facilities, context.orgs
    source_id, event_type, now, counts = context.source_id, context.event_type, context.now, writer.counts
    female = rng.random() < 0.15
    given = rng.choice(parts["female_given" if female else "male_given"])
    father = rng.choice(parts["male_given"])
    surname = rng.choice(parts["surnames"])
    be_surname, ru_surname, lat_surname = surname[3:] if female else surname[:3]
    be_patr = _patronymic_be(father[0], female)
    ru_patr = _patronymic_ru(father[1], female)
    be_full = f"{be_surname} {given[0]} {be_patr}"
    ru_full = f"{ru_surname} {given[1]} {ru_patr}"
    lat = f"{given[2]} {lat_surname}"
    roll = rng.random()
    confidentiality = "sealed" if roll < 0.01 else ("restricted" if roll < 0.04 else "public")
    region = rng.choice(parts["regions"])[0]
    birth_year = rng.randint(1950, 2004)
    precision = rng.choice(["day", "day", "year"])
    birth = (
        dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        if precision == "day"
        else dt.date(birth_year, 1, 1)
    )
    person_id = writer.new_id(Person)
    history: list[EventRecord] = []
    # Some people are known only by their Belarusian name (search must find them from any spelling).
    spellings = [(be_full, "Cyrl", "be", "primary", "")]
    if rng.random() < 0.85:
        spellings.append((ru_full, "Cyrl", "ru", "alias", ""))
        spellings.append((lat, "Latn", "be", "transliteration", "national-2023"))
    for text, script, lang, kind, scheme in spellings:
        writer.add(
            Name,
            {
                "person_id": person_id,
                "text": text,
                "script": script,
                "language": lang,
                "kind": kind,
                "scheme": scheme,
                "source_id": source_id,
                "confidentiality": "public",
                "keys": _keys(text),
                "recorded_at": now,
            },
        )
        counts["names"] += 1
    today = now.date()

    def event(kind: str, day: dt.date, **extra: Any) -> None:
        if day > today - DAY:
            return
        recorded = dt.datetime.combine(
            min(day + dt.timedelta(days=rng.randint(0, 20)), today), dt.time(12), tzinfo=dt.UTC
        )
        fields = _EVENT_DEFAULTS | extra
        event_id = writer.new_id(Event)
        # Rows as tuples in _EVENT_COLUMNS order: 656,000 of them at 100,000 persons.
        writer.append(
            Event,
            _EVENT_COLUMNS,
            (
                event_id,
                person_id,
                kind,
                fields["release_kind"],
                day,
                fields["facility_id"],
                fields["case_id"],
                fields["organization_id"],
                fields["sentence_months"],
                fields["regime"],
                fields["confidentiality"],
                min(recorded, now),
                "day",
                "",
                "",
                None,
                False,
                None,
            ),
        )
        history.append(
            EventRecord(
                event_id,
                kind,
                day,
                "day",
                fields["release_kind"],
                fields["facility_id"],
                fields["sentence_months"],
                fields["regime"],
            )
        )
        counts["events"] += 1
        if rng.random() < 0.3:
            citation = (writer.new_id(Citation), source_id, event_type, event_id, "", "public", now)
            writer.append(Citation, _CITATION_COLUMNS, citation)

    recognized_logged = False
    for spell in person.spells:
        article = rng.sample(parts["articles"], k=rng.choice([1, 1, 2, 3]))
        court = orgs[rng.choice(["minsk_city", "regional", "district", "district"])]
        case_id = writer.add(
            Case,
            {
                "number": f"DEMO-{rng.randint(10**8, 10**9 - 1)}",
                "articles": _json([{"code": "CC-BY", "article": a, "part": p} for a, p in article]),
                "court_id": court,
                "court_name": "",
                "judge": "",
                "prosecutor": "",
            },
        )
        start_facility = rng.choice(facilities["sizo"] + facilities["ivs"])
        event("detained", spell.detained, facility_id=start_facility, case_id=case_id)
        event("charged", spell.detained + dt.timedelta(days=rng.randint(1, 10)), case_id=case_id)
        out = spell.released or dt.date.max
        trial = spell.detained + dt.timedelta(days=rng.randint(50, 200))
        if trial < out:
            regime = rng.choice(["general", "general", "strengthened", "strict", "prison"])
            event("convicted", trial, case_id=case_id, organization_id=court)
            event(
                "sentenced",
                trial,
                case_id=case_id,
                sentence_months=spell.term_months,
                regime=regime,
                organization_id=court,
            )
            move = trial + dt.timedelta(days=rng.randint(20, 70))
            if move < out:
                pool = facilities["prison"] if regime == "prison" else facilities["colony"]
                event("transferred", move, facility_id=rng.choice(pool), case_id=case_id)
                again = move + dt.timedelta(days=rng.randint(200, 900))
                if again < out and rng.random() < 0.25:
                    event("transferred", again, facility_id=rng.choice(pool), case_id=case_id)
        if (
            person.recognized_on
            and not recognized_logged
            and person.recognized_on <= (spell.released or today)
        ):
            event(
                "recognized",
                person.recognized_on,
                organization_id=orgs["recognizer"],
                confidentiality="restricted" if rng.random() < 0.02 else "public",
            )
            recognized_logged = True
        if spell.released:
            if spell.release_kind == "died":
                event("died", spell.released)
            else:
                event("released", spell.released, release_kind=spell.release_kind)
                if spell.release_kind in {"expelled", "exchanged"}:
                    event("emigrated", spell.released)
    if person.recognized_on and not recognized_logged:
        event("recognized", person.recognized_on, organization_id=orgs["recognizer"])
    # Custody derived as rebuild_custody derives it, from the events just written, without reading them back.
    custody = derive(effective(history), str(person_id), today, validate=False)
    writer.spells.extend(spell_rows(person_id, custody))
    writer.recognitions.append(custody.first_recognized_on)
    writer.add(
        Person,
        {
            "id": person_id,
            "public_id": public_id,
            "display_name": be_full,
            "sort_name": sort_key(be_full),
            "birth_date": birth,
            "birth_date_precision": precision,
            "gender": "f" if female else "m",
            "region": region,
            "occupation": rng.choice(parts["occupations"]),
            "confidentiality": confidentiality,
            "consent_note": DEMO_NOTE,
            "merged_into_id": None,
            "is_synthetic": True,
            "created_at": now,
            "updated_at": now,
            **dict(zip(DERIVED_FIELDS, derived_values(custody), strict=True)),
        },
    )


@functools.lru_cache(maxsize=200_000)
def _keys(text: str) -> str:
    # Demo names repeat (a few dozen surnames and given names), so each spelling is folded once.
    from spis.names import name_keys

    return " ".join(name_keys(text))


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _patronymic_be(father: str, female: bool) -> str:
    if father.endswith("ў"):
        father = father[:-1] + "в"
    if father.endswith(("й", "ь")):
        return father[:-1] + ("еўна" if female else "евіч")
    stem = father[:-1] if father.endswith("а") else father
    return stem + ("аўна" if female else "авіч")


def _patronymic_ru(father: str, female: bool) -> str:
    if father.endswith(("й", "ь")):
        return father[:-1] + ("евна" if female else "евич")
    if father.endswith("а"):
        return father[:-1] + ("ична" if female else "ич")
    return father + ("овна" if female else "ович")
