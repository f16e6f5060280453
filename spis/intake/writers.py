"""Two writers of one plan: through spis.registry.actions (small files) or in bulk (large files).

The bulk writer inserts with explicit ids, as spis/registry/demo.py does. It inserts the people it creates
first, complete with the custody derived from every event it writes for them (custody.derive, as
rebuild_custody does; a test holds the two equal), then their names, events, cases and citations; a batch
that at least doubles the registry does so without secondary indexes (registry.bulk). It then rebuilds
custody of the existing people it touched and appends one audit entry. Both writers take the same operations
from plan.py, so they give the same people, names, events and citations.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from spis.names import name_keys
from spis.names.collate import sort_key
from spis.registry import actions as registry
from spis.registry import audit
from spis.registry.bulk import secondary_indexes_dropped
from spis.registry.custody import EventRecord, derive, effective
from spis.registry.dates import DAY
from spis.registry.models import (
    Case,
    Citation,
    CustodySpell,
    Event,
    Facility,
    Name,
    Organization,
    Person,
    Source,
)
from spis.registry.queries import in_ids

from . import actions
from .messages import gettext_noop
from .parsing import facility_key
from .plan import AddName, CiteSources, KeepMergedIds, NewEvent, NewPerson, UpdatePerson, progress_due
from .records import EventSpec, OrganizationSpec, SourceSpec, organisation_key

Progress = Callable[[int], None]
# In the order they are inserted: an organisation before the cases and events that name it.
_MODELS = (Organization, Facility, Case, Person, Name, Event, Citation)
# Tables a large batch fills without their secondary indexes (rebuilt once at the end).
_INDEXED = (Case, Person, Name, Event, Citation, CustodySpell)
# SQLite's page cache meanwhile (KiB): a quarter of registry.bulk's, since the import holds every row's
# record and plan in memory too (the benchmark's 1 GB bound at 100,000 rows).
BULK_CACHE_KIB = 65536
# The event row the writer builds: the registry's editable event fields, framed by who, what it corrects and when.
_EVENT_COLUMNS = (
    "person_id",
    *registry.EVENT_FIELDS,
    "supersedes_id",
    "retracts",
    "recorded_at",
    "recorded_by_id",
)
_CITATION_COLUMNS = ("source_id", "content_type_id", "object_id", "locator", "confidentiality", "recorded_at")


def _facility_lookup() -> dict[str, int]:
    found: dict[str, int] = {}
    for pk, *names in Facility.objects.values_list("pk", "name", "name_be", "name_ru").order_by("pk"):
        for name in names:
            if name:
                found.setdefault(facility_key(name), pk)
    return found


def _person_columns(changes: dict[str, Any]) -> dict[str, Any]:
    """A plan's person changes as Person columns: a partial birth date is two (value, precision)."""
    columns = dict(changes)
    if "birth_date" in columns:
        birth = columns.pop("birth_date")
        columns["birth_date"], columns["birth_date_precision"] = birth.value, birth.precision
    return columns


def _reserve_given_ids(plans: list[Any]) -> None:
    """Reserve the public ids the file gives (people it restores, records merged into them) before any is issued
    to someone the file creates without one: issued first, BY-000001 went to a new person and the row that gave
    it as a merged record's then failed on the unique id."""
    given = [
        public_id
        for plan in plans
        for op in plan.ops
        for public_id in (
            (op.public_id,)
            if isinstance(op, NewPerson)
            else op.public_ids
            if isinstance(op, KeepMergedIds)
            else ()
        )
        if public_id
    ]
    if given:
        actions.reserve_up_to(given)


# A row that refers to a person or event an earlier row of the file wrote, when that row was refused.
_NOT_WRITTEN = gettext_noop(
    "an earlier row of this file that this row builds on was not imported: import it first"
)


def stored_source(actor: Any, spec: SourceSpec) -> Source:
    """The stored source a spec names: the one with its link (or, without a link, its title, document and
    publisher) at its level, else a new one."""
    qs = Source.objects.filter(confidentiality=spec.source_confidentiality)
    if spec.url:
        qs = qs.filter(url=spec.url)
    else:
        qs = qs.filter(url="", title=spec.title, document=spec.document, publisher_name=spec.publisher)
    return qs.order_by("pk").first() or registry.create_source(
        actor,
        spec.title,
        url=spec.url,
        document=spec.document,
        publisher_name=spec.publisher,
        published_on=spec.published_on,
        reliability=spec.reliability,
        confidentiality=spec.source_confidentiality,
    )


class _CitedSources:
    """The sources a file cites besides the import's own (records.SourceSpec), as stored sources: the one with
    the same link (or, without a link, the same title, document and publisher) at the same level, else a new
    one. A public export read back into another registry so cites what the first one cited."""

    def __init__(self, actor: Any, own: Source) -> None:
        self.actor, self.own = actor, own
        self.found: dict[tuple, Source] = {}

    def _source(self, spec: SourceSpec) -> Source:
        key = spec.source_key()
        if key not in self.found:
            self.found[key] = stored_source(self.actor, spec)
        return self.found[key]

    def citations(self, specs: tuple[SourceSpec, ...]) -> list[tuple[Source, str, str]]:
        """(source, locator, level) for each citation to make, once each; the import's own source is cited
        on every fact already."""
        found: dict[tuple, tuple[Source, str, str]] = {}
        for spec in specs:
            source = self._source(spec)
            if source.pk == self.own.pk and not spec.locator and spec.confidentiality == "public":
                continue
            found.setdefault(
                (source.pk, spec.locator, spec.confidentiality), (source, spec.locator, spec.confidentiality)
            )
        return list(found.values())


def named_organisations(plans: list[Any]) -> dict[str, OrganizationSpec]:
    """The organisations the plans' events name (as who acted, or as a case's court), by each of their names."""
    named: dict[str, OrganizationSpec] = {}
    for plan in plans:
        for op in plan.ops:
            if isinstance(op, NewEvent):
                for spec in (op.spec.organization, (op.spec.case or {}).get("court")):
                    for key in spec.keys() if spec is not None and spec.pk is None else ():
                        # A CSV names one by its name alone, as who acted (of no kind) and as a case's
                        # court (a court): the first that says what it is.
                        if key not in named or (named[key].kind == "other" and spec.kind != "other"):
                            named[key] = spec
    return named


class _Organisations:
    """The organisations a file names (records.OrganizationSpec) as stored ones: the stored organisation with
    one of its names in any script (the first made, when two share one), else a new one (`create`, which
    returns its id). A case's court given as printed text is linked to the organisation of that name, stored or
    named by the file (`named`: a CSV export names the court of a conviction as its organisation, perhaps on
    a later line than the detention in the same case), and stays text otherwise: a list's court column is not
    enough to make an organisation of."""

    def __init__(
        self, create: Callable[[OrganizationSpec], int], named: dict[str, OrganizationSpec] | None = None
    ) -> None:
        self.create = create
        self.named = {} if named is None else named
        self.by_key: dict[str, int] | None = None
        self.names: dict[int, str] = {}

    def _known(self) -> dict[str, int]:
        # Read at the first organisation or court the file names: most lists name none.
        if self.by_key is None:
            self.by_key = {}
            stored = Organization.objects.values_list("pk", "name", "name_be", "name_ru").order_by("pk")
            for pk, *names in stored:
                self._add(self.by_key, pk, names)
        return self.by_key

    def _add(self, known: dict[str, int], pk: int, names: list[str]) -> None:
        self.names[pk] = names[0]
        for name in names:
            if name:
                known.setdefault(organisation_key(name), pk)

    def expect(self, plans: list[Any]) -> None:
        """Before the first row: the organisations the file names, which a court given as text may be."""
        self.named.update(named_organisations(plans))

    def find(self, name: str) -> int | None:
        """The organisation of this name, stored or named by the file; None if there is none."""
        if not name:
            return None
        key = organisation_key(name)
        found = self._known().get(key)
        if found is None and key in self.named:
            found = self.resolve(self.named[key])
        return found

    def resolve(self, spec: OrganizationSpec) -> int:
        """The stored organisation this is (by its id, or one of its names), else a new one."""
        known = self._known()
        if spec.pk is not None and spec.pk in self.names:
            return spec.pk
        for name in (spec.name, spec.name_be, spec.name_ru):
            if name and organisation_key(name) in known:
                return known[organisation_key(name)]
        # Made as the file says it is wherever it names it (a court on a later line than the one first read).
        fuller = self.named.get(organisation_key(spec.name))
        if fuller is not None and spec.kind == "other" and fuller.kind != "other":
            spec = fuller
        pk = self.create(spec)
        self._add(known, pk, [spec.name, spec.name_be, spec.name_ru])
        return pk

    def court(self, case: dict[str, Any]) -> tuple[int | None, str]:
        """A case's court as Case stores it: the linked organisation, and the court as printed when it says
        something the organisation's name does not (a court printed in another script)."""
        printed = case.get("court_name", "")
        if "court" in case:  # the file says which organisation, or (None) that the case is linked to none
            pk = None if case["court"] is None else self.resolve(case["court"])
        else:
            pk = self.find(printed)
        if pk is not None and printed == self.names[pk]:
            printed = ""
        return pk, printed


class ActionWriter:
    """Row by row through the registry's actions: every fact audited and validated on its own."""

    def __init__(self, actor: Any, source: Source) -> None:
        self.actor, self.source = actor, source
        self.persons: dict[tuple, Person] = {}
        self.events: dict[tuple, Event] = {}
        self.cited = _CitedSources(actor, source)
        self.facilities = _facility_lookup()
        self.named: dict[str, OrganizationSpec] = {}
        self.organisations = self._organisations()
        self.last_case = _LastCase()

    def _organisations(self) -> _Organisations:
        return _Organisations(lambda spec: actions.create_organization(self.actor, spec).pk, self.named)

    def expect(self, plans: list[Any]) -> None:
        """Before the first row: the organisations the file names (_Organisations.expect), and the public ids it
        gives reserved (_reserve_given_ids)."""
        self.organisations.expect(plans)
        _reserve_given_ids(plans)

    def person(self, ref: tuple) -> Person:
        if ref not in self.persons:
            if ref[0] == "new":
                raise ValueError(_NOT_WRITTEN)
            self.persons[ref] = Person.objects.get(pk=ref[1])
        return self.persons[ref]

    def mark(self) -> tuple[int, int]:
        """Where the writer's memory stands before a row (see forget)."""
        return len(self.persons), len(self.events)

    def forget(self, mark: tuple[int, int]) -> None:
        """After a row's savepoint was rolled back (a partial import skips it): forget the people, events,
        sources and case it wrote, which no longer exist, so that no later row refers to them."""
        for memory, size in zip((self.persons, self.events), mark, strict=True):
            for key in list(memory)[size:]:
                del memory[key]
        self.cited.found.clear()
        self.organisations = self._organisations()
        self.last_case = _LastCase()

    def write(self, ops: list[Any]) -> list[int]:
        events: list[NewEvent] = []  # one person's events in a row, written together (_new_events)
        for op in ops:
            if isinstance(op, NewEvent):
                if events and (events[-1].person != op.person or op.supersedes in {e.ref for e in events}):
                    self._new_events(events)
                    events = []
                events.append(op)
                continue
            if events:
                self._new_events(events)
                events = []
            if isinstance(op, NewPerson):
                self._new_person(op)
            elif isinstance(op, AddName):
                s = op.spec
                registry.add_name(
                    self.actor,
                    self.person(op.person),
                    s.text,
                    kind=s.kind,
                    script=s.script,
                    language=s.language,
                    scheme=s.scheme,
                    source=self.source,
                    confidentiality=s.confidentiality,
                )
            elif (
                isinstance(op, UpdatePerson) and op.changes
            ):  # (emptied: a row below made the person more open)
                registry.update_person(self.actor, self.person(op.person), **_person_columns(op.changes))
            elif isinstance(op, CiteSources):
                target = self.person(op.person) if op.target is None else self._stored_event(op.target)
                self._cite(target, op.sources)
            elif isinstance(op, KeepMergedIds):
                actions.keep_merged_ids(self.actor, self.person(op.person).pk, op.public_ids)
        if events:
            self._new_events(events)
        return [p.pk for p in self.persons.values()]

    def _new_person(self, op: NewPerson) -> None:
        names = [
            {
                "text": n.text,
                "kind": n.kind,
                "script": n.script,
                "language": n.language,
                "scheme": n.scheme,
                "confidentiality": n.confidentiality,
            }
            for n in op.names
        ]
        person = registry.create_person(
            self.actor,
            op.display_name,
            names=names,
            birth_date=op.birth,
            source=self.source,
            gender=op.gender,
            region=op.region,
            occupation=op.occupation,
            confidentiality=op.confidentiality,
            is_synthetic=op.synthetic,
            consent_note=op.consent_note,
        )
        if op.public_id:
            actions.adopt_public_id(self.actor, person, op.public_id)
        self._cite(person, op.sources)
        self.persons[op.ref] = person

    def _stored_event(self, ref: tuple) -> Event:
        if ref in self.events:
            return self.events[ref]
        if ref[0] == "new":
            raise ValueError(_NOT_WRITTEN)
        return Event.objects.get(pk=ref[1])

    def _cite(self, target: Person | Event, sources: tuple[SourceSpec, ...]) -> None:
        for source, locator, level in self.cited.citations(sources):
            registry.cite(self.actor, source, target, locator, level)

    def _facility(self, name: str) -> int | None:
        if not name:
            return None
        key = facility_key(name)
        if key not in self.facilities:
            self.facilities[key] = actions.create_facility(self.actor, name.strip()).pk
        return self.facilities[key]

    def _case(self, person: tuple, spec: Any) -> int | None:
        if not spec.case:
            return None
        known = self.last_case.get(person, spec.case)
        if known is not None:
            return known
        court, printed = self.organisations.court(spec.case)
        case = actions.create_case(self.actor, {**spec.case, "court_name": printed}, court_id=court)
        return self.last_case.put(person, spec.case, case.pk)

    def _new_events(self, ops: list[NewEvent]) -> None:
        """One person's new events and corrections, checked together (registry.record_events): a row that
        corrects a verdict's date supersedes its conviction and its sentence at once."""
        items = []
        for op in ops:
            spec = op.spec
            item: dict[str, Any] = {
                "type": spec.type,
                "date": spec.date,
                "release_kind": spec.release_kind,
                "facility_id": self._facility(spec.facility),
                "case_id": self._case(op.person, spec),
                "sentence_months": spec.sentence_months,
                "regime": spec.regime,
                "fine_amount": spec.fine_amount,
                "note": spec.note,
                "confidentiality": spec.confidentiality,
            }
            if spec.organization is not None:
                item["organization_id"] = self.organisations.resolve(spec.organization)
            if op.supersedes is not None:
                # The stored event's other fields (a recognising organisation) stay, as in correct_event.
                old = self._stored_event(op.supersedes)
                item = registry.correction(old, **item, retracts=op.retracts)
            items.append(item)
        person = self.person(ops[0].person)
        events = registry.record_events(self.actor, person, items, sources=[self.source])
        for op, event in zip(ops, events, strict=True):
            self.events[op.ref] = event
            self._cite(event, op.spec.sources)


class _LastCase:
    """The case of a person's previous event: a row's conviction and sentence are one criminal case.

    A file row gives its verdict as two events (convicted, sentenced) that carry the same case; both writers
    give consecutive events of one person with the same case details one Case row, not one each. Only the
    case just written is remembered (a person's events come one after the other), so the memory does not
    grow with the file.
    """

    def __init__(self) -> None:
        self.key: tuple = ()
        self.pk: int | None = None

    def get(self, person: tuple, case: dict[str, Any]) -> int | None:
        return self.pk if self.key == (person, case) else None

    def put(self, person: tuple, case: dict[str, Any], pk: int) -> int:
        self.key, self.pk = (person, case), pk
        return pk


class _Ops:
    """A bare op list dressed as a plan, for BulkWriter.write."""

    def __init__(self, ops: list[Any]) -> None:
        self.ops = ops


def _consume(plans: list[Any]) -> Any:
    for plan in plans:
        ops, plan.ops = plan.ops, []
        yield from ops


class BulkWriter:
    """executemany with explicit ids; custody rebuilt once; one audit entry for the whole batch."""

    def __init__(self, actor: Any, source: Source) -> None:
        self.actor, self.source = actor, source
        self.now = timezone.now()
        # Adapted once: 600,000 rows carry the same timestamp.
        self.now_db = connection.ops.adapt_datetimefield_value(self.now)
        self.user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        self.rows: dict[type, list[tuple]] = defaultdict(list)
        self.columns: dict[type, list[str]] = {
            Event: ["id", *_EVENT_COLUMNS],
            Citation: ["id", *_CITATION_COLUMNS],
        }
        self.source_id = source.pk
        self.cited = _CitedSources(actor, source)
        self.next_id: dict[type, int] = {}
        self.persons: dict[tuple, int] = {}
        # Event ids are given in the order of the ops (first pass) and met in that order again (second pass):
        # the first id and a count suffice, and the ids of events a later op refers to (supersedes, cites) are kept.
        self.first_event = 0
        self.events_written = 0
        self.referred: set[tuple] = set()
        self.events: dict[tuple, int] = {}
        # A correction keeps the recognising organisation of the event it supersedes, which no file gives (as
        # registry.correction does for the row-by-row writer): by stored event id, then by new event ref.
        self.organisations: dict[Any, int] = {}
        # The organisations the file names, inserted with the batch's rows (_MODELS).
        self.orgs = _Organisations(self._new_organisation)
        self.facilities = _facility_lookup()
        self.touched: set[int] = set()
        self.updates: list[tuple] = []
        self.consents: list[tuple[str, int]] = []
        self.event_type = ContentType.objects.get_for_model(Event).pk
        self.person_type = ContentType.objects.get_for_model(Person).pk
        self.counts: dict[str, int] = defaultdict(int)
        # Case articles as JSON by the list they were parsed into: rows citing the same articles share the list.
        self.articles_json: dict[int, tuple[list, str]] = {}
        self.last_case = _LastCase()

    def _id(self, model: type) -> int:
        if model not in self.next_id:
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self.next_id[model] = last + 1
        value = self.next_id[model]
        self.next_id[model] += 1
        return value

    def _add(self, model: type, values: dict[str, Any]) -> int:
        # Every call site of a model builds its dict in one order, so the values line up with the columns.
        pk = self._id(model)
        if model not in self.columns:
            self.columns[model] = ["id", *values]
        self.rows[model].append((pk, *values.values()))
        self.counts[model.__name__.lower()] += 1
        return pk

    def _person_id(self, ref: tuple) -> int:
        return self.persons[ref] if ref[0] == "new" else ref[1]

    def write(self, ops: list[Any], progress: Progress | None = None) -> list[int]:
        return self.write_plans([_Ops(ops)], progress)

    def write_plans(self, plans: list[Any], progress: Progress | None = None) -> list[int]:
        """Write each plan's ops, then drop them (plan.ops = []): at 100,000 rows they are ~60 MB that the
        writer's own state would otherwise sit on top of."""
        new_people = []
        stored: list[int] = []
        merged: list[tuple[int, tuple[str, ...]]] = []
        total = sum(len(plan.ops) for plan in plans)  # the ops written, as the progress counts them
        for plan in plans:
            for op in plan.ops:
                if isinstance(op, NewPerson):
                    new_people.append(op)
                elif isinstance(op, NewEvent) and op.supersedes is not None:
                    if op.supersedes[0] == "new":
                        self.referred.add(op.supersedes)
                    else:
                        stored.append(op.supersedes[1])
                elif isinstance(op, CiteSources) and op.target is not None and op.target[0] == "new":
                    self.referred.add(op.target)  # its id is kept for the citation
        self._stored_organisations(stored)
        self.orgs.expect(plans)
        _reserve_given_ids(plans)
        issued = iter(registry.issue_public_ids(sum(1 for op in new_people if not op.public_id)))
        # A batch that at least doubles the registry loads without secondary indexes and builds them once at
        # the end (registry.bulk); a small batch into a large registry keeps them (rebuilding costs more).
        large = bool(new_people) and len(new_people) >= Person.objects.count()
        del new_people
        with secondary_indexes_dropped(_INDEXED, cache_kib=BULK_CACHE_KIB) if large else nullcontext():
            # New people go in first, complete: every child row then finds its person at once, where a
            # person inserted after its rows would have SQLite look up each deferred foreign key again.
            self._new_people(plans, issued)
            for number, op in enumerate(_consume(plans), 1):
                if isinstance(op, NewPerson):
                    self._names_of_new_person(op)
                elif isinstance(op, AddName):
                    self._name(self._person_id(op.person), op.spec)
                    self.touched.add(self._person_id(op.person))
                elif isinstance(op, UpdatePerson):
                    if op.person[0] != "new":  # a new person's changes went into its row
                        self._update(op)
                elif isinstance(op, NewEvent):
                    self._event(op)
                elif isinstance(op, CiteSources):
                    self._cite_sources(op)
                elif isinstance(op, KeepMergedIds):
                    merged.append((self._person_id(op.person), op.public_ids))
                if number % 20000 == 0:
                    # Insert as we go, so that memory stays flat however long the file.
                    self._insert()
                if progress and progress_due(number, total):
                    progress(number)
            self._insert()
        if self.events_written and self.first_event + self.events_written != self.next_id[Event]:
            raise RuntimeError("bulk writer: the second pass met other events than the first")  # a bug
        self.events.clear()
        self._flush()
        # A few (records merged before an export), after _flush: on PostgreSQL the sequences it resets give
        # their ids, and the writer's own count of ids starts again from the table.
        for person_id, public_ids in merged:
            actions.keep_merged_ids(self.actor, person_id, public_ids)
        self.next_id.pop(Person, None)
        return sorted(self.touched)

    def _stored_organisations(self, events: list[int]) -> None:
        if events:
            found = Event.objects.filter(pk__in=in_ids(events), organization__isnull=False)
            self.organisations.update(found.values_list("pk", "organization_id"))

    def _new_people(self, plans: list[Any], issued: Iterator[str]) -> None:
        """Insert the people this batch creates, with the custody derived from every event it writes for them
        (as rebuild_custody derives it; a test holds the two equal), and their spells.

        Ids are given here in the order of the ops, as the second pass would meet them: people, events and
        facilities (the second pass finds them in self.persons, self.first_event and self.facilities).
        """
        rows: dict[int, list[Any]] = {}
        histories: dict[int, list[tuple]] = {}
        for plan in plans:
            for op in plan.ops:
                if isinstance(op, NewPerson):
                    pid = self._id(Person)
                    self.persons[op.ref] = pid
                    self.touched.add(pid)
                    rows[pid] = self._person_row(op, op.public_id or next(issued))
                    histories[pid] = []
                elif isinstance(op, UpdatePerson) and op.person[0] == "new":
                    self._update_row(rows[self.persons[op.person]], op.changes)
                elif isinstance(op, NewEvent):
                    self._history(op, histories)
        self._insert_model(Facility)
        if not rows:
            return
        columns = self.columns[Person]
        at = {name: columns.index(name) for name in registry.DERIVED_FIELDS}
        on_day = registry.today()
        spells: list[tuple] = []
        recognitions = []
        # Popped as they go and inserted in chunks, so that rows and histories are never held twice.
        for pid in list(rows):
            row = rows.pop(pid)
            history = [EventRecord(*event) for event in histories.pop(pid)]
            custody = derive(effective(history), str(pid), on_day, validate=False)
            spells.extend(registry.spell_rows(pid, custody))
            recognitions.append(custody.first_recognized_on)
            for name, value in zip(registry.DERIVED_FIELDS, registry.derived_values(custody), strict=True):
                row[at[name]] = value
            self.rows[Person].append(tuple(row))
            if len(spells) >= 20000:
                self._insert_model(Person)
                registry.insert_spells(spells, recognitions)
                spells, recognitions = [], []
        self._insert_model(Person)
        registry.insert_spells(spells, recognitions)

    def _person_row(self, op: NewPerson, public_id: str) -> list[Any]:
        birth = op.birth
        values = {
            "public_id": public_id,
            "display_name": op.display_name,
            "sort_name": sort_key(op.display_name),  # as Person.save derives it
            "birth_date": birth.value if birth else None,
            "birth_date_precision": birth.precision if birth else DAY,
            "gender": op.gender,
            "region": op.region,
            "occupation": op.occupation,
            "confidentiality": op.confidentiality,
            "consent_note": op.consent_note,
            "merged_into_id": None,
            "is_synthetic": op.synthetic,
            "created_at": self.now_db,
            "updated_at": self.now_db,
            # Derived from the person's events once they are all known (_new_people).
            "status": "at_liberty",
            "recognized": False,
            "first_recognized_on": None,
            "current_facility_id": None,
            "detained_on": None,
            "released_on": None,
            "expected_release_on": None,
            "sentence_months": None,
        }
        if Person not in self.columns:
            self.columns[Person] = ["id", *values]
        self.counts["person"] += 1
        return [self.persons[op.ref], *values.values()]

    def _update_row(self, row: list[Any], changes: dict[str, Any]) -> None:
        """A change to a person created earlier in this file goes into its row, before it is inserted."""
        columns = self.columns[Person]
        for name, value in _person_columns(changes).items():
            row[columns.index(name)] = value
        if "display_name" in changes:  # plans change no name today; the key must follow if one ever does
            row[columns.index("sort_name")] = sort_key(changes["display_name"])

    def _history(self, op: NewEvent, histories: dict[int, list[tuple]]) -> None:
        """Give the event its id (and its facility one) and, for a new person, add it to their history."""
        spec = op.spec
        event_id = self._id(Event)
        self.first_event = self.first_event or event_id
        if op.ref in self.referred:
            self.events[op.ref] = event_id
        facility_id = self._facility(spec.facility)
        if op.person[0] != "new":
            return
        supersedes = None
        if op.supersedes is not None:
            supersedes = self.events[op.supersedes] if op.supersedes[0] == "new" else op.supersedes[1]
        # The record rebuild_custody would read back (actions.record_from_row), without the read.
        # As a tuple (a fifth of an EventRecord's memory); the fields of actions.record_from_row.
        histories[self.persons[op.person]].append(
            (
                event_id,
                spec.type,
                spec.date.value,
                spec.date.precision,
                spec.release_kind,
                facility_id,
                spec.sentence_months,
                spec.regime,
                supersedes,
                op.retracts,
                self.now,
            )
        )

    def _names_of_new_person(self, op: NewPerson) -> None:
        pid = self.persons[op.ref]
        for spec in op.names:
            self._name(pid, spec)
        self._cite(self.person_type, pid)
        if op.sources:
            self._cite_also(self.person_type, pid, op.sources)

    def _name(self, person_id: int, spec: Any) -> None:
        text = " ".join(spec.text.split())
        self._add(
            Name,
            {
                "person_id": person_id,
                "text": text,
                "script": spec.script or registry._detect_script(text),
                "language": spec.language,
                "kind": spec.kind,
                "scheme": spec.scheme,
                "source_id": self.source_id,
                "confidentiality": spec.confidentiality,
                "keys": " ".join(name_keys(text)),
                "recorded_at": self.now_db,
            },
        )

    def _update(self, op: UpdatePerson) -> None:
        if not op.changes:
            return  # emptied: a row below made the person more open than the row that gave them
        pid = self._person_id(op.person)
        changes = _person_columns(op.changes)
        if "consent_note" in changes:  # one filled in where none was (plan._consent_note): its own op
            self.consents.append((changes.pop("consent_note"), pid))
            self.touched.add(pid)
        if not changes:
            return
        person = Person.objects.get(pk=pid)
        for name, value in changes.items():
            setattr(person, name, value)
        self.updates.append(
            (
                person.birth_date,
                person.birth_date_precision,
                person.gender,
                person.region,
                person.occupation,
                pid,
            )
        )
        self.touched.add(pid)

    def _cite(
        self, content_type: int, object_id: int, source: int = 0, locator: str = "", level: str = "public"
    ) -> None:
        # One per event and person (600,000 at 100,000 rows): appended directly, in _CITATION_COLUMNS order.
        self.rows[Citation].append(
            (
                self._id(Citation),
                source or self.source_id,
                content_type,
                object_id,
                locator,
                level,
                self.now_db,
            )
        )
        self.counts["citation"] += 1

    def _cite_sources(self, op: CiteSources) -> None:
        pid = self._person_id(op.person)
        if op.target is None:
            self._cite_also(self.person_type, pid, op.sources)
        else:
            event = self.events[op.target] if op.target[0] == "new" else op.target[1]
            self._cite_also(self.event_type, event, op.sources)
        self.touched.add(pid)

    def _cite_also(self, content_type: int, object_id: int, sources: tuple[SourceSpec, ...]) -> None:
        """The sources the file gives for a fact, besides the import's."""
        for source, locator, level in self.cited.citations(sources):
            self._cite(content_type, object_id, source.pk, locator, level)

    def _facility(self, name: str) -> int | None:
        if not name:
            return None
        key = facility_key(name)
        if key not in self.facilities:
            fields = actions.facility_fields(name.strip())
            self.facilities[key] = self._add(
                Facility,
                {
                    **fields,
                    "region": "",
                    "postal_address": "",
                    "latitude": None,
                    "longitude": None,
                    "address_verified_on": None,
                    "is_synthetic": False,
                },
            )
        return self.facilities[key]

    def _new_organisation(self, spec: OrganizationSpec) -> int:
        return self._add(Organization, spec.model_fields())

    def _case(self, person: tuple, spec: EventSpec) -> int | None:
        if not spec.case:
            return None
        case = spec.case
        known = self.last_case.get(person, case)
        if known is not None:
            return known
        articles = case.get("articles") or []
        cached = self.articles_json.get(id(articles))
        if not articles:
            cached = (articles, "[]")
        elif cached is None or cached[0] is not articles:
            # Kept with its list, so that the id cannot pass to another list while it is cached.
            text = json.dumps(list(articles), ensure_ascii=False)
            cached = self.articles_json[id(articles)] = (articles, text)
        court, printed = self.orgs.court(case)
        pk = self._add(
            Case,
            {
                "number": case.get("number", ""),
                "articles": cached[1],
                "court_id": court,
                "court_name": printed,
                "judge": case.get("judge", ""),
                "prosecutor": case.get("prosecutor", ""),
            },
        )
        return self.last_case.put(person, case, pk)

    def _event(self, op: NewEvent) -> None:
        spec = op.spec
        pid = self._person_id(op.person)
        supersedes = organisation = None
        if op.supersedes is not None:
            new = op.supersedes[0] == "new"
            supersedes = self.events[op.supersedes] if new else op.supersedes[1]
            organisation = self.organisations.get(op.supersedes if new else supersedes)
        if spec.organization is not None:
            organisation = self.orgs.resolve(spec.organization)
        date = spec.date
        event_id = self.first_event + self.events_written
        self.events_written += 1
        if organisation is not None and op.ref in self.referred:
            self.organisations[op.ref] = organisation
        # A tuple in _EVENT_COLUMNS order, not a dict: half a million events make the difference seconds.
        self.rows[Event].append(
            (
                event_id,
                pid,
                spec.type,
                spec.release_kind,
                date.value,
                date.precision,
                self._facility(spec.facility),
                self._case(op.person, spec),
                organisation,
                spec.sentence_months,
                spec.regime,
                spec.fine_amount,
                spec.note,
                spec.confidentiality,
                supersedes,
                op.retracts,
                self.now_db,
                self.user_id,
            )
        )
        self.counts["event"] += 1
        self.touched.add(pid)
        self._cite(self.event_type, event_id)
        if spec.sources:
            self._cite_also(self.event_type, event_id, spec.sources)

    def _insert_model(self, model: type) -> None:
        registry.bulk_insert(model, self.columns.get(model, ()), self.rows.pop(model, []))

    def _insert(self) -> None:
        for model in _MODELS:
            self._insert_model(model)

    def _flush(self) -> None:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Person._meta.db_table)
            if self.consents:
                cursor.executemany(f"UPDATE {table} SET consent_note=%s WHERE id=%s", self.consents)  # noqa: S608
            if self.updates:
                cursor.executemany(
                    f"UPDATE {table} SET birth_date=%s, birth_date_precision=%s, gender=%s, region=%s, "  # noqa: S608
                    "occupation=%s WHERE id=%s",
                    self.updates,
                )
            touched = sorted(self.touched - set(self.persons.values()))
            for start in range(0, len(touched), 5000):
                # Existing people who got new facts show up in the change feed (`--changed-since`).
                Person.objects.filter(pk__in=touched[start : start + 5000]).update(updated_at=self.now)
            if connection.vendor == "postgresql":
                from django.core.management.color import no_style

                for statement in connection.ops.sequence_reset_sql(no_style(), list(_MODELS)):
                    cursor.execute(statement)
        # People who existed before the batch: their custody from all their events (and merged records').
        existing = sorted(self.touched - set(self.persons.values()))
        for start in range(0, len(existing), 5000):
            registry.rebuild_custody(existing[start : start + 5000])
        audit.append(
            self.actor,
            "intake_bulk_write",
            self.source,
            None,
            {"source": self.source.pk, **dict(sorted(self.counts.items()))},
        )
