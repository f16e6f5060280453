"""Every write to the registry. Views, the API, importers and commands call these; none calls .save().

Each action validates the whole resulting history before writing, rebuilds derived custody spells and
name keys in the same transaction, and appends to the audit log, so derived data can never drift.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import audit
from .custody import Custody, EventRecord, InvalidHistory, derive, effective
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


def issue_public_ids(count: int) -> list[str]:
    """Reserve `count` new public ids; a reserved number is never issued again, even if unused."""
    prefix = settings.SPIS_PUBLIC_ID_PREFIX
    with transaction.atomic():
        counter, _ = PublicIdCounter.objects.select_for_update().get_or_create(prefix=prefix)
        first = counter.last + 1
        PublicIdCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
    return [f"{prefix}-{number:06d}" for number in range(first, first + count)]


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
        add_name(actor, person, source=spec.pop("source", source), **spec)
    if source is not None:
        cite(actor, source, person)
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
def add_name(
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


_RECORD_FIELDS = (
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
    (pk, _person, kind, date, precision, release_kind, facility, months, regime, supersedes, retracts, at) = (
        row
    )
    return EventRecord(
        pk, kind, date, precision, release_kind, facility, months, regime, supersedes, retracts, at
    )


def cluster_ids(person: Person) -> list[int]:
    """The person and everyone merged into them (merges are links, so a cluster is a tree)."""
    ids, frontier = [person.pk], [person.pk]
    while frontier:
        frontier = list(Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


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
    if person.merged_into_id:
        target = canonical(person)
        raise InvalidHistory(person.public_id, type, f"merged into {target.public_id}; record events there")
    if type not in EventType.values:
        raise ValueError(f"type: {type!r} is not an event type ({', '.join(EventType.values)})")
    partial = _as_partial(date, "date")
    if partial is None:
        raise ValueError("date: an event needs a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    unknown = set(fields) - set(EVENT_FIELDS) - {"facility", "case", "organization", "recorded_at"}
    if unknown:
        raise ValueError(f"unknown event fields: {', '.join(sorted(unknown))}")
    if type == EventType.RELEASED and not fields.get("release_kind"):
        raise InvalidHistory(person.public_id, f"new released event on {partial}", "a release needs its kind")
    event = Event(
        person=person,
        type=type,
        date=partial.value,
        date_precision=partial.precision,
        supersedes=supersedes,
        retracts=retracts,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    existing = [record_from_row(row) for row in event_rows(cluster_ids(person))]
    _validate(person, [*existing, event_record(event)])
    event.save()
    for source in sources:
        cite(actor, source, event)
    audit.append(
        actor,
        "record_event",
        event,
        None,
        {
            "person": person.public_id,
            **_snapshot(event, EVENT_FIELDS),
            "supersedes": supersedes.pk if supersedes else None,
            "retracts": retracts,
        },
    )
    rebuild_custody([person.pk])
    return event


def correct_event(actor: Any, event: Event, *, sources: Iterable[Source] = (), **changes: Any) -> Event:
    """A correction is a new event that supersedes the old one; the old row stays as it was."""
    values = _snapshot(event, EVENT_FIELDS)
    if "date" in changes:
        partial = _as_partial(changes.pop("date"), "date")
        if partial is None:
            raise ValueError("date: an event needs a date")
        values["date"], values["date_precision"] = partial.value, partial.precision
    values.update(changes)
    kind = values.pop("type")
    date = PartialDate(values.pop("date"), values.pop("date_precision"))
    return record_event(actor, event.person, kind, date, sources=sources, supersedes=event, **values)


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
    return list(qs.values_list(*_RECORD_FIELDS))


def rebuild_custody(person_ids: Iterable[int] | None = None, *, chunk: int = 20000) -> int:
    """THE function that derives spells and status from events; `None` rebuilds the whole registry.

    Merged records contribute their events to the person they were merged into, so a duplicate is
    counted once and an unmerge restores both histories.
    """
    with transaction.atomic():
        if person_ids is None:
            roots = list(Person.objects.filter(merged_into=None).values_list("pk", flat=True))
        else:
            roots = sorted({canonical(p).pk for p in Person.objects.filter(pk__in=list(person_ids))})
        parent = dict(Person.objects.exclude(merged_into=None).values_list("pk", "merged_into_id"))
        children: dict[int, list[int]] = defaultdict(list)
        for child, par in parent.items():
            children[par].append(child)
        on_day = today()
        done = 0
        if person_ids is None:
            CustodySpell.objects.all().delete()
        for start in range(0, len(roots), chunk):
            batch = roots[start : start + chunk]
            members: dict[int, int] = {}
            for root in batch:
                stack = [root]
                while stack:
                    node = stack.pop()
                    members[node] = root
                    stack.extend(children.get(node, ()))
            by_root: dict[int, list[EventRecord]] = defaultdict(list)
            for row in event_rows(list(members)):
                by_root[members[row[1]]].append(record_from_row(row))
            spells: list[tuple] = []
            updates = []
            for root in batch:
                custody = derive(effective(by_root.get(root, [])), str(root), on_day, validate=False)
                spells.extend(
                    (
                        root,
                        s.start,
                        s.end,
                        s.facility_id,
                        s.recognized,
                        s.end_reason,
                        s.custody_start,
                        custody.first_recognized_on,
                    )
                    for s in custody.spells
                )
                updates.append(
                    (
                        custody.status,
                        custody.recognized,
                        custody.first_recognized_on,
                        custody.current_facility_id,
                        custody.detained_on,
                        custody.released_on,
                        custody.expected_release_on,
                        custody.sentence_months,
                        root,
                    )
                )
            if person_ids is not None:
                _delete_spells(list(members))
            insert_spells(spells)
            _update_derived(updates)
            done += len(batch)
        return done


def custody_as_known_on(known_on: dt.date) -> Iterator[tuple[int, Custody]]:
    """Every canonical person's custody as the registry knew it at the end of `known_on` (UTC).

    The one replay behind "as known on" figures (stats, compliance): events recorded later, and corrections
    recorded later, do not apply; merged records count under the person they were merged into.
    """
    cutoff = dt.datetime.combine(known_on, dt.time.max, tzinfo=dt.UTC)
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


def bulk_insert(model: type, columns: Sequence[str], rows: list[tuple]) -> None:
    """Raw executemany in chunks, for bulk loads (demo, imports, spell rebuilds); callers write the audit entry.

    Django's bulk_create spends most of its time building SQL for 100,000s of rows.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - our own table and columns
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])


def insert_spells(rows: list[tuple]) -> None:
    bulk_insert(CustodySpell, _SPELL_COLUMNS, rows)


def refresh_planner_statistics() -> None:
    """ANALYZE after a bulk load: without table statistics SQLite sorts whole tables for a page of 50."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _update_derived(updates: list[tuple]) -> None:
    # One executemany instead of per-row .save(): a full rebuild at 100,000 persons must stay in seconds.
    table = Person._meta.db_table
    sql = (
        f"UPDATE {table} SET status=%s, recognized=%s, first_recognized_on=%s, current_facility_id=%s, "  # noqa: S608
        "detained_on=%s, released_on=%s, expected_release_on=%s, sentence_months=%s WHERE id=%s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, updates)
