"""Two writers of one plan: through spis.registry.actions (small files) or in bulk (large files).

The bulk writer inserts with executemany and explicit ids, as spis/registry/demo.py does, derives the custody
of the people it creates from the events it wrote for them (custody.derive, as rebuild_custody does; a test
holds the two equal), rebuilds custody of the existing people it touched, and appends one audit entry. Both writers take the same
operations from plan.py, so they give the same people, names, events and citations.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from spis.names import name_keys
from spis.registry import actions as registry
from spis.registry import audit
from spis.registry.custody import EventRecord, derive, effective
from spis.registry.dates import DAY
from spis.registry.models import Case, Citation, Event, Facility, Name, Person, Source

from . import actions
from .plan import AddName, NewEvent, NewPerson, UpdatePerson
from .records import EventSpec

Progress = Callable[[int], None]
_MODELS = (Facility, Case, Person, Name, Event, Citation)
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
                found.setdefault(name.strip().lower(), pk)
    return found


class ActionWriter:
    """Row by row through the registry's actions: every fact audited and validated on its own."""

    def __init__(self, actor: Any, source: Source) -> None:
        self.actor, self.source = actor, source
        self.persons: dict[tuple, Person] = {}
        self.events: dict[tuple, Event] = {}
        self.facilities = _facility_lookup()

    def person(self, ref: tuple) -> Person:
        if ref not in self.persons:
            self.persons[ref] = Person.objects.get(pk=ref[1])
        return self.persons[ref]

    def write(self, ops: list[Any]) -> list[int]:
        for op in ops:
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
            elif isinstance(op, UpdatePerson):
                changes = dict(op.changes)
                if "birth_date" in changes:
                    birth = changes.pop("birth_date")
                    changes["birth_date"], changes["birth_date_precision"] = birth.value, birth.precision
                registry.update_person(self.actor, self.person(op.person), **changes)
            elif isinstance(op, NewEvent):
                self._new_event(op)
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
        )
        if op.public_id:
            actions.adopt_public_id(self.actor, person, op.public_id)
        self.persons[op.ref] = person

    def _facility(self, name: str) -> int | None:
        if not name:
            return None
        key = name.strip().lower()
        if key not in self.facilities:
            self.facilities[key] = actions.create_facility(self.actor, name.strip()).pk
        return self.facilities[key]

    def _new_event(self, op: NewEvent) -> None:
        spec = op.spec
        fields: dict[str, Any] = {
            "release_kind": spec.release_kind,
            "facility_id": self._facility(spec.facility),
            "case_id": actions.create_case(self.actor, spec.case).pk if spec.case else None,
            "sentence_months": spec.sentence_months,
            "regime": spec.regime,
            "fine_amount": spec.fine_amount,
            "note": spec.note,
            "confidentiality": spec.confidentiality,
        }
        if op.supersedes is not None:
            old = self.events.get(op.supersedes) or Event.objects.get(pk=op.supersedes[1])
            event = registry.correct_event(
                self.actor, old, sources=[self.source], date=spec.date, type=spec.type, **fields
            )
        else:
            event = registry.record_event(
                self.actor, self.person(op.person), spec.type, spec.date, sources=[self.source], **fields
            )
        self.events[op.ref] = event


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
        self.columns: dict[type, list[str]] = {}
        self.next_id: dict[type, int] = {}
        self.persons: dict[tuple, int] = {}
        self.events: dict[tuple, int] = {}
        self.facilities = _facility_lookup()
        self.touched: set[int] = set()
        self.updates: list[tuple] = []
        self.event_type = ContentType.objects.get_for_model(Event).pk
        self.person_type = ContentType.objects.get_for_model(Person).pk
        self.counts: dict[str, int] = defaultdict(int)
        # New people wait here until the end: their custody is derived from the events written for them
        # (all of which this writer knows), so each row goes in once, complete, instead of being inserted,
        # read back with its events and updated by a rebuild.
        self.pending: dict[int, list[Any]] = {}
        self.histories: dict[int, list[tuple]] = {}

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

    def _add_row(self, model: type, columns: tuple[str, ...], values: tuple) -> int:
        pk = self._id(model)
        if model not in self.columns:
            self.columns[model] = ["id", *columns]
        self.rows[model].append((pk, *values))
        self.counts[model.__name__.lower()] += 1
        return pk

    def _person_id(self, ref: tuple) -> int:
        return self.persons[ref] if ref[0] == "new" else ref[1]

    def write(self, ops: list[Any], progress: Progress | None = None) -> list[int]:
        return self.write_plans([_Ops(ops)], progress)

    def write_plans(self, plans: list[Any], progress: Progress | None = None) -> list[int]:
        """Write each plan's ops, then drop them (plan.ops = []): at 100,000 rows they are ~60 MB that the
        writer's own state would otherwise sit on top of."""
        new_people = [op for plan in plans for op in plan.ops if isinstance(op, NewPerson)]
        issued = iter(registry.issue_public_ids(sum(1 for op in new_people if not op.public_id)))
        adopted = [op.public_id for op in new_people if op.public_id]
        del new_people
        if adopted:
            actions.reserve_up_to(max(adopted, key=lambda p: int(p.rsplit("-", 1)[1])))
        for number, op in enumerate(_consume(plans), 1):
            if isinstance(op, NewPerson):
                self._new_person(op, op.public_id or next(issued))
            elif isinstance(op, AddName):
                self._name(self._person_id(op.person), op.spec)
                self.touched.add(self._person_id(op.person))
            elif isinstance(op, UpdatePerson):
                self._update(op)
            elif isinstance(op, NewEvent):
                self._event(op)
            if number % 20000 == 0:
                # Insert as we go: foreign keys are checked at commit, so the order of tables is free,
                # and memory stays flat however long the file.
                self._insert()
                if progress:
                    progress(number)
        self._flush()
        return sorted(self.touched)

    def _new_person(self, op: NewPerson, public_id: str) -> None:
        birth = op.birth
        pid = self._add(
            Person,
            {
                "public_id": public_id,
                "display_name": op.display_name,
                "birth_date": birth.value if birth else None,
                "birth_date_precision": birth.precision if birth else DAY,
                "gender": op.gender,
                "region": op.region,
                "occupation": op.occupation,
                "confidentiality": op.confidentiality,
                "consent_note": "",
                "merged_into_id": None,
                "is_synthetic": False,
                "created_at": self.now_db,
                "updated_at": self.now_db,
                "status": "at_liberty",
                "recognized": False,
                "first_recognized_on": None,
                "current_facility_id": None,
                "detained_on": None,
                "released_on": None,
                "expected_release_on": None,
                "sentence_months": None,
            },
        )
        self.persons[op.ref] = pid
        self.touched.add(pid)
        self.pending[pid] = list(self.rows[Person].pop())
        self.histories[pid] = []
        for spec in op.names:
            self._name(pid, spec)
        self._cite(self.person_type, pid)

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
                "source_id": self.source.pk,
                "confidentiality": spec.confidentiality,
                "keys": " ".join(name_keys(text)),
                "recorded_at": self.now_db,
            },
        )

    def _update(self, op: UpdatePerson) -> None:
        pid = self._person_id(op.person)
        changes = dict(op.changes)
        if "birth_date" in changes:
            birth = changes.pop("birth_date")
            changes["birth_date"], changes["birth_date_precision"] = birth.value, birth.precision
        row = self.pending.get(pid)
        if row is not None:
            # A person created earlier in this file, not yet inserted: the change goes into the row.
            columns = self.columns[Person]
            for name, value in changes.items():
                row[columns.index(name)] = value
            return
        person = Person.objects.get(pk=pid)
        for name, value in changes.items():
            setattr(person, name, value)
        self.updates.append((person.birth_date, person.birth_date_precision, person.gender, pid))
        self.touched.add(pid)

    def _cite(self, content_type: int, object_id: int) -> None:
        self._add_row(
            Citation,
            _CITATION_COLUMNS,
            (self.source.pk, content_type, object_id, "", "public", self.now_db),
        )

    def _facility(self, name: str) -> int | None:
        if not name:
            return None
        key = name.strip().lower()
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

    def _case(self, spec: EventSpec) -> int | None:
        if not spec.case:
            return None
        case = spec.case
        return self._add(
            Case,
            {
                "number": case.get("number", ""),
                "articles": json.dumps(list(case.get("articles") or []), ensure_ascii=False),
                "court_id": None,
                "court_name": case.get("court_name", ""),
                "judge": case.get("judge", ""),
                "prosecutor": case.get("prosecutor", ""),
            },
        )

    def _event(self, op: NewEvent) -> None:
        spec = op.spec
        pid = self._person_id(op.person)
        supersedes = None
        if op.supersedes is not None:
            supersedes = self.events[op.supersedes] if op.supersedes[0] == "new" else op.supersedes[1]
        facility_id = self._facility(spec.facility)
        date = spec.date
        # A tuple in _EVENT_COLUMNS order, not a dict: half a million events make the difference seconds.
        event_id = self._add_row(
            Event,
            _EVENT_COLUMNS,
            (
                pid,
                spec.type,
                spec.release_kind,
                date.value,
                date.precision,
                facility_id,
                self._case(spec),
                None,
                spec.sentence_months,
                spec.regime,
                spec.fine_amount,
                spec.note,
                spec.confidentiality,
                supersedes,
                False,
                self.now_db,
                self.user_id,
            ),
        )
        self.events[op.ref] = event_id
        self.touched.add(pid)
        history = self.histories.get(pid)
        if history is not None:
            # The record rebuild_custody would read back (actions.record_from_row), without the read.
            # As a tuple (a fifth of an EventRecord's memory); the fields of actions.record_from_row.
            history.append(
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
                    False,
                    self.now,
                )
            )
        self._cite(self.event_type, event_id)

    def _insert(self) -> None:
        for model in _MODELS:
            registry.bulk_insert(model, self.columns.get(model, ()), self.rows.pop(model, []))

    def _derive_new(self) -> None:
        """Custody of the people this batch created, as rebuild_custody derives it, into their rows."""
        self.events.clear()
        if not self.pending:
            return
        columns = self.columns[Person]
        at = {name: columns.index(name) for name in registry.DERIVED_FIELDS}
        on_day = registry.today()
        spells: list[tuple] = []
        recognitions = []
        # Popped as they go and inserted in chunks, so that rows and histories are never held twice.
        for pid in list(self.pending):
            row = self.pending.pop(pid)
            history = [EventRecord(*event) for event in self.histories.pop(pid)]
            custody = derive(effective(history), str(pid), on_day, validate=False)
            spells.extend(registry.spell_rows(pid, custody))
            recognitions.append(custody.first_recognized_on)
            for name, value in zip(registry.DERIVED_FIELDS, registry.derived_values(custody), strict=True):
                row[at[name]] = value
            self.rows[Person].append(tuple(row))
            if len(spells) >= 20000:
                registry.insert_spells(spells, recognitions)
                self._insert()
                spells, recognitions = [], []
        registry.insert_spells(spells, recognitions)

    def _flush(self) -> None:
        self._derive_new()
        self._insert()
        with connection.cursor() as cursor:
            if self.updates:
                table = connection.ops.quote_name(Person._meta.db_table)
                cursor.executemany(
                    f"UPDATE {table} SET birth_date=%s, birth_date_precision=%s, gender=%s WHERE id=%s",  # noqa: S608
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
