"""Every write to the registry. Views, the API, importers and commands call these; none calls .save().

Each action validates the whole resulting history before writing, rebuilds derived custody spells and
name keys in the same transaction, and appends to the audit log, so derived data can never drift.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import audit, ledger
from .bulk import bulk_insert
from .custody import Custody, EventRecord, InvalidHistory, derive, effective, gettext_noop
from .dates import DAY, PartialDate
from .models import (
    Citation,
    CustodySpell,
    Event,
    EventType,
    Name,
    Person,
    PublicIdCounter,
    Source,
)
from .models.common import STRICTNESS
from .models.people import WITHHELD_DISPLAY_NAME
from .queries import canonical_ids

PERSON_FIELDS = [
    "display_name",
    "birth_date",
    "birth_date_precision",
    "gender",
    "region",
    "occupation",
    "confidentiality",
    "consent_note",
]
EVENT_FIELDS = [
    "type",
    "release_kind",
    "date",
    "date_precision",
    "facility_id",
    "case_id",
    "organization_id",
    "sentence_months",
    "regime",
    "fine_amount",
    "note",
    "confidentiality",
]


def _snapshot(obj: Any, fields: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def today() -> dt.date:
    return timezone.now().date()


# The largest number a public id may have: PublicIdCounter.last holds it on every database (a positive integer
# field: 2**31 - 1 on PostgreSQL), ten digits.
LAST_PUBLIC_ID_NUMBER = 2_147_483_647
# The largest a file may give (an import adopts it, and the counter moves up to it): the rest stay to issue.
LAST_GIVEN_PUBLIC_ID_NUMBER = 1_999_999_999


def written_public_id(number: int) -> str:
    """A public id as the registry writes it: the prefix and the number in six digits at least (BY-000123)."""
    return f"{settings.SPIS_PUBLIC_ID_PREFIX}-{number:06d}"


def issue_public_ids(count: int) -> list[str]:
    """Reserve `count` new public ids; a reserved number is never issued again, even if unused."""
    prefix = settings.SPIS_PUBLIC_ID_PREFIX
    with transaction.atomic():
        counter, _ = PublicIdCounter.objects.select_for_update().get_or_create(prefix=prefix)
        first = counter.last + 1
        if first + count - 1 > LAST_PUBLIC_ID_NUMBER:
            raise ValueError(
                f"public ids: {count} more would pass the last one, {written_public_id(LAST_PUBLIC_ID_NUMBER)}"
            )
        PublicIdCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
    return [written_public_id(number) for number in range(first, first + count)]


def _as_partial(value: Any, what: str) -> PartialDate | None:
    if value is None or value == "":
        return None
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate(value, DAY)
    try:
        return PartialDate.parse(str(value))
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


def _detect_script(text: str) -> str:
    for char in text:
        if "\u0400" <= char <= "\u04ff":
            return Name.Script.CYRILLIC
        if char.isalpha() and char.isascii():
            return Name.Script.LATIN
    return Name.Script.OTHER


def _keys_text(text: str) -> str:
    from spis.names import name_keys

    return " ".join(name_keys(text))


@transaction.atomic
def create_person(
    actor: Any,
    display_name: str,
    *,
    names: Iterable[dict[str, Any]] = (),
    birth_date: Any = None,
    source: Source | None = None,
    **fields: Any,
) -> Person:
    """Create a person with a new public id and a primary name (plus any other spellings)."""
    display_name = (display_name or "").strip()
    if not display_name:
        raise ValueError("display_name: a person needs a name")
    unknown = set(fields) - set(PERSON_FIELDS) - {"is_synthetic"}
    if unknown:
        raise ValueError(f"unknown person fields: {', '.join(sorted(unknown))}")
    birth = _as_partial(birth_date, "birth_date")
    if birth and birth.value > today():
        raise ValueError(f"birth_date: {birth} is in the future")
    (public_id,) = issue_public_ids(1)
    person = Person.objects.create(
        public_id=public_id,
        display_name=display_name,
        birth_date=birth.value if birth else None,
        birth_date_precision=birth.precision if birth else DAY,
        **fields,
    )
    audit.append(
        actor, "create_person", person, None, {"public_id": public_id, **_snapshot(person, PERSON_FIELDS)}
    )
    all_names = list(names) or [{"text": display_name, "kind": Name.Kind.PRIMARY}]
    for spec in all_names:
        _add_name(actor, person, source=spec.pop("source", source), **spec)
    if person.shows_a_withheld_name():
        raise ValueError(f"display_name: {WITHHELD_DISPLAY_NAME}")
    if source is not None:
        _cite(actor, source, person)
    return person


@transaction.atomic
def update_person(actor: Any, person: Person, **changes: Any) -> Person:
    """Change descriptive fields; the old values stay in the audit log and the history table."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {', '.join(sorted(unknown))}")
    if "birth_date" in changes and not isinstance(changes["birth_date"], dt.date | type(None)):
        birth = _as_partial(changes.pop("birth_date"), "birth_date")
        changes["birth_date"] = birth.value if birth else None
        changes.setdefault("birth_date_precision", birth.precision if birth else DAY)
    before = _snapshot(person, PERSON_FIELDS)
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean(exclude=["merged_into", "current_facility"])
    person.save()
    audit.append(actor, "update_person", person, before, _snapshot(person, PERSON_FIELDS))
    return person


@transaction.atomic
def add_name(actor: Any, person: Person, text: str, **spec: Any) -> Name:
    """Add a spelling of a person's name (kind, script, language, scheme, source, confidentiality)."""
    name = _add_name(actor, person, text, **spec)
    if name.confidentiality != "public" and person.shows_a_withheld_name():
        raise ValueError(f"confidentiality: {WITHHELD_DISPLAY_NAME}")
    _touch(person.pk)
    return name


def _add_name(
    actor: Any,
    person: Person,
    text: str,
    *,
    kind: str = Name.Kind.ALIAS,
    script: str = "",
    language: str = "",
    scheme: str = "",
    source: Source | None = None,
    confidentiality: str = "public",
) -> Name:
    text = " ".join((text or "").split())
    if not text:
        raise ValueError("name: empty")
    if len(text) > 300:
        raise ValueError(f"name: {len(text)} characters, at most 300")
    name = Name.objects.create(
        person=person,
        text=text,
        kind=kind,
        script=script or _detect_script(text),
        language=language,
        scheme=scheme,
        source=source,
        confidentiality=confidentiality,
        keys=_keys_text(text),
    )
    audit.append(actor, "add_name", name, None, {"person": person.public_id, "text": text, "kind": kind})
    return name


def event_record(event: Event) -> EventRecord:
    return EventRecord(
        id=event.pk or 0,
        type=event.type,
        date=event.date,
        precision=event.date_precision,
        release_kind=event.release_kind,
        facility_id=event.facility_id,
        sentence_months=event.sentence_months,
        regime=event.regime,
        supersedes_id=event.supersedes_id,
        retracts=event.retracts,
        recorded_at=event.recorded_at,
    )


RECORD_FIELDS = (
    "id",
    "person_id",
    "type",
    "date",
    "date_precision",
    "release_kind",
    "facility_id",
    "sentence_months",
    "regime",
    "supersedes_id",
    "retracts",
    "recorded_at",
)


def record_from_row(row: tuple) -> EventRecord:
    """An event row in RECORD_FIELDS order (with the person id second) as derive() reads it."""
    return EventRecord(row[0], *row[2:])


def cluster_ids(person: Person) -> list[int]:
    """The person and everyone merged into them (merges are links, so a cluster is a tree)."""
    return clusters([person.pk])[person.pk]


def clusters(roots: Sequence[int]) -> dict[int, list[int]]:
    """{root: [root, everyone merged into it, at any depth]} for many people with one query per level."""
    children = _merged_below(list(roots))
    return {root: _cluster(root, children) for root in roots}


def _cluster(root: int, children: dict[int, list[int]]) -> list[int]:
    """`root` and everyone below it in `children` ({person: [records merged into it]}), at any depth."""
    ids, stack = [root], [root]
    while stack:
        below = children.get(stack.pop(), [])
        ids.extend(below)
        stack.extend(below)
    return ids


def _merged_below(roots: list[int]) -> dict[int, list[int]]:
    """The records merged into each of `roots`, level by level: {person: [records merged into it]}.

    Unordered on purpose: with the model's ordering (display name), SQLite walks the name index through
    every person instead of looking up the few merged ones.
    """
    children: dict[int, list[int]] = defaultdict(list)
    frontier = list(roots)
    while frontier:
        found = []
        for start in range(0, len(frontier), 5000):
            rows = Person.objects.filter(merged_into__in=frontier[start : start + 5000]).order_by()
            for child, parent in rows.values_list("pk", "merged_into_id"):
                children[parent].append(child)
                found.append(child)
        frontier = found
    return children


def canonical(person: Person) -> Person:
    while person.merged_into_id:
        person = person.merged_into
    return person


def _validate(person: Person, records: list[EventRecord]) -> Custody:
    return derive(effective(records), person.public_id, today())


@transaction.atomic
def record_event(
    actor: Any,
    person: Person,
    type: str,
    date: Any,
    *,
    sources: Iterable[Source] = (),
    supersedes: Event | None = None,
    retracts: bool = False,
    **fields: Any,
) -> Event:
    """Add an event after checking that the person's whole history stays possible."""
    item = {"type": type, "date": date, "supersedes": supersedes, "retracts": retracts, **fields}
    return record_events(actor, person, [item], sources=sources)[0]


@transaction.atomic
def record_events(
    actor: Any, person: Person, items: Sequence[dict[str, Any]], *, sources: Iterable[Source] = ()
) -> list[Event]:
    """Add several events of one person (each a dict of record_event's arguments), the history checked once
    with all of them: a verdict's date corrected supersedes its conviction and its sentence, and either alone
    would leave a history the registry refuses (a sentence dated before its conviction)."""
    events = [_unsaved_event(actor, person, **item) for item in items]
    existing = [record_from_row(row) for row in event_rows(cluster_ids(person))]
    # Unsaved events have no id yet; derive() tells them apart (and names one in its refusal) by -1, -2, …
    added = [event_record(event)._replace(id=-number) for number, event in enumerate(events, 1)]
    _validate(person, [*existing, *added])
    sources = list(sources)
    for event in events:
        event.save()
        for source in sources:
            _cite(actor, source, event)
        audit.append(
            actor,
            "record_event",
            event,
            None,
            {
                "person": person.public_id,
                **_snapshot(event, EVENT_FIELDS),
                "supersedes": event.supersedes_id,
                "retracts": event.retracts,
            },
        )
    deferred = _DEFERRED_CUSTODY.get()
    if deferred is None:
        rebuild_custody([person.pk])
    else:
        deferred.add(person.pk)
    return events


def _unsaved_event(
    actor: Any,
    person: Person,
    *,
    type: str,
    date: Any,
    supersedes: Event | None = None,
    retracts: bool = False,
    **fields: Any,
) -> Event:
    if person.merged_into_id:
        target = canonical(person)
        raise InvalidHistory(
            person.public_id,
            type,
            gettext_noop("merged into %(target)s; record events there"),
            {"target": target.public_id},
        )
    if type not in EventType.values:
        raise ValueError(f"type: {type!r} is not an event type ({', '.join(EventType.values)})")
    partial = _as_partial(date, "date")
    if partial is None:
        raise ValueError("date: an event needs a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    unknown = set(fields) - set(EVENT_FIELDS) - {"facility", "case", "organization", "recorded_at"}
    if unknown:
        raise ValueError(f"unknown event fields: {', '.join(sorted(unknown))}")
    if type == EventType.RELEASED and not fields.get("release_kind"):
        raise InvalidHistory(
            person.public_id,
            f"new released event on {partial}",
            gettext_noop("a release needs its kind (end of term, pardon, …)"),
        )
    return Event(
        person=person,
        type=type,
        date=partial.value,
        date_precision=partial.precision,
        supersedes=supersedes,
        retracts=retracts,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )


# The people whose custody record_event leaves to the end of custody_deferred(); None outside it.
_DEFERRED_CUSTODY: ContextVar[set[int] | None] = ContextVar("spis_deferred_custody", default=None)


@contextmanager
def custody_deferred() -> Iterator[None]:
    """Record many events, then derive each person's custody once: inside, record_event still validates
    every event against the person's whole history, but leaves the spells to one rebuild_custody of the
    people it touched when the block ends without an error. Use it inside the transaction of the writes
    (the spells are then committed with them); nothing between the writes may read the spells. Nested
    blocks leave the rebuild to the outermost one."""
    if _DEFERRED_CUSTODY.get() is not None:
        yield
        return
    people: set[int] = set()
    token = _DEFERRED_CUSTODY.set(people)
    try:
        yield
    finally:
        _DEFERRED_CUSTODY.reset(token)
    # A person whose row was rolled back (an import with --partial) is simply not found.
    rebuild_custody(people)


def correction(event: Event, **changes: Any) -> dict[str, Any]:
    """A correction of `event` as record_events takes it: the stored event's fields with `changes` over them,
    superseding it (the old row stays as it was)."""
    values = _snapshot(event, EVENT_FIELDS)
    if "date" in changes:
        partial = _as_partial(changes.pop("date"), "date")
        if partial is None:
            raise ValueError("date: an event needs a date")
        values["date"], values["date_precision"] = partial.value, partial.precision
    values.update(changes)
    date = PartialDate(values.pop("date"), values.pop("date_precision"))
    return {**values, "date": date, "supersedes": event}


def correct_event(actor: Any, event: Event, *, sources: Iterable[Source] = (), **changes: Any) -> Event:
    """A correction is a new event that supersedes the old one; the old row stays as it was."""
    return record_events(actor, event.person, [correction(event, **changes)], sources=sources)[0]


def retract_event(actor: Any, event: Event, note: str, *, sources: Iterable[Source] = ()) -> Event:
    """Withdraw an event that was wrong; the retraction is itself a cited, audited event."""
    return record_event(
        actor,
        event.person,
        event.type,
        PartialDate(event.date, event.date_precision),
        sources=sources,
        supersedes=event,
        retracts=True,
        note=note,
        release_kind=event.release_kind,
    )


@transaction.atomic
def cite(
    actor: Any, source: Source, target: Any, locator: str = "", confidentiality: str = "public"
) -> Citation:
    """Cite `source` on a stored fact. A person's sources show with them, so the change feeds see it as a
    change to its person (their `updated_at`, a marker of the clocks)."""
    citation = _cite(actor, source, target, locator, confidentiality)
    person_id = target.pk if isinstance(target, Person) else getattr(target, "person_id", None)
    if person_id is not None:
        _touch(person_id)
    return citation


@transaction.atomic
def set_citation_level(actor: Any, citation: Citation, level: str) -> Citation:
    """A citation made visible to another level (kept in its history; audited). Its person's clocks move: a
    citation made stricter leaves the public export and the change feed at once."""
    if level not in STRICTNESS:
        raise ValueError(f"confidentiality: unknown level {level!r}")
    before = citation.confidentiality
    citation.confidentiality = level
    citation.save(update_fields=["confidentiality"])
    audit.append(actor, "citation_level", citation, {"confidentiality": before}, {"confidentiality": level})
    target = citation.target
    person_id = target.pk if isinstance(target, Person) else getattr(target, "person_id", None)
    if person_id is not None:
        _touch(person_id)
    return citation


@transaction.atomic
def set_name_level(actor: Any, name: Name, level: str) -> Name:
    """A name's level changed (a name a list gave only at a stricter level, published by an older import); a
    public person's display name must stay one the public may read."""
    person = name.person
    before = {"confidentiality": name.confidentiality}
    name.confidentiality = level
    if person.shows_a_withheld_name(editing=name):
        raise ValueError(f"confidentiality: {WITHHELD_DISPLAY_NAME}")
    name.full_clean()
    name.save(update_fields=["confidentiality"])
    audit.append(actor, "update_name", name, before, {"confidentiality": level})
    _touch(person.pk)
    return name


NAME_FIELDS = ("text", "kind", "script", "language", "scheme", "source", "confidentiality")
CITATION_FIELDS = ("source", "locator", "confidentiality")


@transaction.atomic
def update_name(actor: Any, name: Name, **changes: Any) -> Name:
    """A name edited in place (the admin's name inline): its keys rebuilt, audited, its person's clocks moved.
    A public person's display name must stay one the public may read."""
    unknown = set(changes) - set(NAME_FIELDS)
    if unknown:
        raise ValueError(f"unknown name fields: {', '.join(sorted(unknown))}")
    if "text" in changes:
        text = " ".join((changes["text"] or "").split())
        if not text:
            raise ValueError("name: empty")
        changes["text"] = text
    before = {field: _plain(getattr(name, field)) for field in changes}
    for field, value in changes.items():
        setattr(name, field, value)
    if "text" in changes:
        name.keys = _keys_text(name.text)
    if name.person.shows_a_withheld_name(editing=name):
        raise ValueError(f"confidentiality: {WITHHELD_DISPLAY_NAME}")
    name.full_clean()
    name.save()
    audit.append(
        actor, "update_name", name, before, {field: _plain(getattr(name, field)) for field in changes}
    )
    _touch(name.person_id)
    return name


@transaction.atomic
def update_citation(actor: Any, citation: Citation, **changes: Any) -> Citation:
    """A citation edited in place (its source, place or level; the admin's citation inlines): audited, and its
    person's clocks move, as set_citation_level's do."""
    unknown = set(changes) - set(CITATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown citation fields: {', '.join(sorted(unknown))}")
    if "confidentiality" in changes and changes["confidentiality"] not in STRICTNESS:
        raise ValueError(f"confidentiality: unknown level {changes['confidentiality']!r}")
    before = {field: _plain(getattr(citation, field)) for field in changes}
    for field, value in changes.items():
        setattr(citation, field, value)
    citation.save()
    after = {field: _plain(getattr(citation, field)) for field in changes}
    audit.append(actor, "update_citation", citation, before, after)
    target = citation.target
    person_id = target.pk if isinstance(target, Person) else getattr(target, "person_id", None)
    if person_id is not None:
        _touch(person_id)
    return citation


def _plain(value: Any) -> Any:
    """A field's value as the audit log keeps it: a related row by its id."""
    return value.pk if hasattr(value, "_meta") else value


def _touch(person_id: int) -> None:
    """A change to the person that writes no column of theirs (a name, a citation): their `updated_at` moves,
    the change feed of those who see every level and the marker of the clocks (spis/access/changes.py)."""
    Person.objects.filter(pk=person_id).update(updated_at=timezone.now())


def _cite(
    actor: Any, source: Source, target: Any, locator: str = "", confidentiality: str = "public"
) -> Citation:
    """The citation and its audit entry: for a fact being created (its person or event is new already)."""
    citation = Citation.objects.create(
        source=source,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        locator=locator,
        confidentiality=confidentiality,
    )
    audit.append(
        actor,
        "cite",
        citation,
        None,
        {"source": source.pk, "target": f"{target._meta.label_lower}:{target.pk}"},
    )
    return citation


@transaction.atomic
def create_source(actor: Any, title: str, **fields: Any) -> Source:
    if not (title or "").strip():
        raise ValueError("title: a source needs a title")
    source = Source.objects.create(title=title.strip(), **fields)
    audit.append(actor, "create_source", source, None, {"title": source.title, "url": source.url})
    return source


def event_rows(person_ids: Sequence[int] | None = None) -> list[tuple]:
    """Events as plain rows for custody.derive(); all events when `person_ids` is None."""
    qs = Event.objects.all() if person_ids is None else Event.objects.filter(person_id__in=person_ids)
    return list(qs.values_list(*RECORD_FIELDS))


def rebuild_custody(person_ids: Iterable[int] | None = None, *, chunk: int = 20000) -> int:
    """THE function that derives spells, status and the count ledger from events; `None` rebuilds everything.

    Merged records contribute their events to the person they were merged into, so a duplicate is
    counted once and an unmerge restores both histories; a merged record carries no recognition date of its
    own (its recognition counts under the canonical person).
    """
    with transaction.atomic():
        if person_ids is None:
            roots = list(Person.objects.filter(merged_into=None).order_by().values_list("pk", flat=True))
            children: dict[int, list[int]] = defaultdict(list)
            for child, parent in (
                Person.objects.exclude(merged_into=None).order_by().values_list("pk", "merged_into_id")
            ):
                children[parent].append(child)
        else:
            # Only the clusters of the people asked for: an edit of one person reads a few rows, not every merge.
            roots = sorted(set(canonical_ids(person_ids).values()))
            children = _merged_below(roots)
        on_day = today()
        return _rebuild(roots, children, on_day, chunk)


def _rebuild(roots: list[int], children: dict[int, list[int]], on_day: dt.date, chunk: int) -> int:
    """Derive each root's custody and rewrite only the people whose stored spells or columns differ.

    Unchanged people keep their rows (and spell ids); changed ones have their ledger contribution taken out,
    their spells replaced and their columns updated, so a full rebuild of an intact registry only reads.
    """
    done = 0
    for start in range(0, len(roots), chunk):
        batch = roots[start : start + chunk]
        members = {node: root for root in batch for node in _cluster(root, children)}
        ids = list(members)
        by_root: dict[int, list[EventRecord]] = defaultdict(list)
        for row in _rows(Event, RECORD_FIELDS[:-1], "person_id", ids):
            by_root[members[row[1]]].append(record_from_row(row))
        stored_spells: dict[int, list[tuple]] = defaultdict(list)
        for row in _rows(CustodySpell, _SPELL_COLUMNS, "person_id", ids, order=("person_id", "start")):
            stored_spells[row[0]].append(row)
        stored = {row[0]: row[1:] for row in _rows(Person, ("id", *DERIVED_FIELDS), "id", ids)}
        spells: list[tuple] = []
        updates = []
        for root in batch:
            custody = derive(effective(by_root.get(root, [])), str(root), on_day, validate=False)
            rows, values = spell_rows(root, custody), derived_values(custody)
            if rows != stored_spells.get(root, []) or values != stored.get(root):
                spells.extend(rows)
                updates.append((*values, root))
        # A merged record keeps no spells and no recognition date of its own.
        merged = [
            m for m in ids if members[m] != m and (stored_spells.get(m) or stored[m][_FIRST_RECOGNIZED])
        ]
        changed = [row[-1] for row in updates] + merged
        # Their old contribution to the ledger comes out, from the rows just read, before they are rewritten.
        old = _spell_changes(row for pid in changed for row in stored_spells.get(pid, ()))
        ledger.recognition_changes((stored[pid][_FIRST_RECOGNIZED] for pid in changed), old)
        ledger.apply(Counter({key: -n for key, n in old.items()}))
        _delete_spells(changed)
        insert_spells(spells, (row[_FIRST_RECOGNIZED] for row in updates))
        _update_derived(updates, merged)
        done += len(batch)
    return done


def _rows(
    model: type, fields: Sequence[str], key: str, ids: list[int], order: Sequence[str] = ()
) -> list[tuple]:
    """Columns `fields` of `model`'s rows whose column `key` is in `ids`, on the raw cursor.

    For 20,000-id batches of a rebuild at 100,000 persons: Django's IN lookup prepares every id in Python and
    its rows go through per-value converters; here the ids travel as one parameter (a JSON array on SQLite,
    an array on PostgreSQL). Values come typed all the same: psycopg returns dates and booleans, and Django
    registers SQLite converters for declared `date` and `bool` columns.
    """
    from .queries import id_values

    quote = connection.ops.quote_name
    values, params = id_values(ids)
    sql = f"SELECT {', '.join(map(quote, fields))} FROM {quote(model._meta.db_table)} WHERE {quote(key)} IN ({values})"  # noqa: S608
    if order:
        sql += f" ORDER BY {', '.join(map(quote, order))}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def known_by(known_on: dt.date) -> dt.datetime:
    """The moment "as known on" a day means: the end of that day (UTC); later records do not count."""
    return dt.datetime.combine(known_on, dt.time.max, tzinfo=dt.UTC)


def custody_as_known_on(known_on: dt.date) -> Iterator[tuple[int, Custody]]:
    """Every canonical person's custody as the registry knew it at the end of `known_on` (UTC).

    The one replay behind "as known on" figures (stats, compliance): events recorded later, and corrections
    recorded later, do not apply; merged records count under the person they were merged into.
    """
    cutoff = known_by(known_on)
    root_of = dict(Person.objects.values_list("pk", "merged_into_id"))

    def root(pk: int) -> int:
        while root_of.get(pk):
            pk = root_of[pk]
        return pk

    histories: dict[int, list[EventRecord]] = defaultdict(list)
    for row in event_rows():
        histories[root(row[1])].append(record_from_row(row))
    for pk, records in histories.items():
        # The replay's own "today" is far in the future: validation is off, dates are as recorded.
        yield pk, derive(effective(records, cutoff), str(pk), dt.date.max, validate=False)


# Person columns derived from events, in the order derived_values() gives them.
DERIVED_FIELDS = (
    "status",
    "recognized",
    "first_recognized_on",
    "current_facility_id",
    "detained_on",
    "released_on",
    "expected_release_on",
    "sentence_months",
)


def derived_values(custody: Custody) -> tuple:
    """A person's derived columns (DERIVED_FIELDS) from their derived custody."""
    return tuple(getattr(custody, name) for name in DERIVED_FIELDS)


def spell_rows(person_id: int, custody: Custody) -> list[tuple]:
    """A person's spells as rows in _SPELL_COLUMNS order (rebuilds, bulk imports and the demo write these)."""
    first = custody.first_recognized_on
    return [
        (person_id, s.start, s.end, s.facility_id, s.recognized, s.end_reason, s.custody_start, first)
        for s in custody.spells
    ]


_FIRST_RECOGNIZED = DERIVED_FIELDS.index("first_recognized_on")
_SPELL_COLUMNS = (
    "person_id",
    "start",
    "end",
    "facility_id",
    "recognized",
    "end_reason",
    "custody_start",
    "person_first_recognized_on",
)


def _delete_spells(person_ids: list[int]) -> None:
    for start in range(0, len(person_ids), 5000):
        CustodySpell.objects.filter(person_id__in=person_ids[start : start + 5000]).delete()


def insert_spells(rows: list[tuple], first_recognitions: Iterable[dt.date | None] = ()) -> None:
    """Store spells (rows in _SPELL_COLUMNS order) and add them, with the first recognitions of the people
    they were derived for, to the count ledger."""
    bulk_insert(CustodySpell, _SPELL_COLUMNS, rows)
    ledger.apply(ledger.recognition_changes(first_recognitions, _spell_changes(rows)))


def _spell_changes(rows: Iterable[tuple]) -> ledger.Changes:
    """The ledger changes of spell rows given in _SPELL_COLUMNS order (ledger.SPELL_FIELDS without the person)."""
    return ledger.spell_changes(row[1:3] + row[4:] for row in rows)


def refresh_planner_statistics() -> None:
    """ANALYZE after a bulk load: without table statistics SQLite sorts whole tables for a page of 50.

    On SQLite from a sample of each index (analysis_limit): the planner needs proportions, not exact counts.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")


def _update_derived(updates: list[tuple], merged: Sequence[int] = ()) -> None:
    # One executemany instead of per-row .save(): a full rebuild at 100,000 persons must stay in seconds.
    table = Person._meta.db_table
    sql = f"UPDATE {table} SET {', '.join(f'{name}=%s' for name in DERIVED_FIELDS)} WHERE id=%s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, updates)
        # A merged record's recognition counts under its canonical person (ledger.RECOGNIZED), not its own.
        cursor.executemany(f"UPDATE {table} SET first_recognized_on=NULL WHERE id=%s", [(m,) for m in merged])  # noqa: S608
