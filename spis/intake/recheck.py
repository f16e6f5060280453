"""Earlier imports read again by today's rules: what they made public that an import today keeps hidden.

Leaks of the import were fixed after registries had been filled by it (docs/intake.md, "Reading
earlier imports again"):
- a list's comment column (`Примечание`, `Комментарий`) became the public note of the row's detention (or, in a
  one-row-per-event list, of the row's event): today it is a restricted source on the person;
- a restricted or sealed row's sources were cited on the person at "public", and on a stored public fact the
  row repeated: today at the row's level;
- a row's correction of a stored event took the row's level, and carried the stored values the row did not
  give (a sealed detention's note, its place) into a public event: today it is at the stored event's level;
- a person the row created, known by restricted or sealed facts alone (no level of the person's own), was
  public (the name and birth year on the public list): today at the most open of those facts' levels;
- a restricted or sealed row's names and person fields (birth day, gender, region, occupation) were recorded
  as the person's, public once the person was: today its names are at its level, and its fields are recorded
  only on a person no more open than it.

All are still in a registry that imported such a list before. Each batch keeps its rows' cells as read
(ImportRow.raw), so the rows are read again here with the batch's mapping, and what today's reading keeps
hidden is looked for among the facts the batch wrote (recorded between the batch's start and its finish, so
that a fact another import or a person wrote is never taken for its). `mend()` then does what today's import
does: the event is corrected to the note without the comment (the old row stays, superseded, as every
correction leaves it; the public sees events in force only), the comment is cited on the person at its level,
the citation is made as strict as the row, and a correction more open than the event it corrects is corrected
again at that event's level (the corrections need no re-reading: they are read from the events). Nothing is
deleted; each change is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, QuerySet

from spis.registry import actions as registry
from spis.registry.audit import AuditEntry
from spis.registry.models import Citation, Event, Name, Person, Source
from spis.registry.models.common import STRICTNESS
from spis.registry.queries import canonical_ids

from .mapping import MappingError, load_mapping
from .messages import Message, gettext_noop
from .models import ImportBatch, ImportRow
from .readers import RawRow, Table
from .records import PersonRecord, SourceSpec, build_records, facts_level, own_level
from .writers import stored_source

OPENED = "opened"  # a correction more open than the event it corrects
COMMENT = "comment"  # a comment published as an event's note
CITATION = "citation"  # a row's source cited more openly than the row
PERSON = "person"  # a person the batch created public from restricted or sealed facts alone
NAME = "name"  # a name only the batch's stricter rows gave, more open than they
FIELD = "field"  # a person's field only the batch's stricter rows gave, on a person more open than they
_FIELDS = ("birth_date", "gender", "region", "occupation")
# Below this length a comment is found only as a note's whole text: "нет" inside another note is no leak.
_WITHIN = 20
_CHUNK = 500


@dataclass(frozen=True)
class Finding:
    """One fact a batch wrote more openly than an import today would. `text` is the comment, the source, or the
    too open correction's note, as stored: staff read it (the command prints it); this module publishes none."""

    kind: str
    batch: int
    line: int
    person: str  # public id
    text: str
    level: str  # as stored
    due: str  # as today's import keeps it
    event: int | None = None
    citation: int | None = None
    person_pk: int = 0
    sources: tuple[SourceSpec, ...] = ()  # the comment as today's import cites it (COMMENT)
    own: str = ""  # the row's own note, which the old import joined the comment to (COMMENT)
    name: int | None = None  # the name (NAME)
    field: str = ""  # the person's field (FIELD), and what a more open row of the batch gave of it ("": none)
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        found = {
            "kind": self.kind,
            "batch": self.batch,
            "line": self.line,
            "person": self.person,
            "text": self.text,
            "level": self.level,
            "due": self.due,
        }
        if self.event is not None:
            found["event"] = self.event
        if self.citation is not None:
            found["citation"] = self.citation
        if self.name is not None:
            found["name"] = self.name
        if self.field:
            found["field"], found["value"] = self.field, self.value
        return found


@dataclass(frozen=True)
class Skipped:
    batch: int
    message: Message


def review(
    batch_ids: Iterable[int] | None = None, mapping: str | None = None
) -> tuple[list[Finding], list[Skipped]]:
    """The findings of each batch that wrote something (every such batch, or those of `batch_ids`), and the
    batches that could not be read again (their mapping file is gone: give it as `mapping`)."""
    batches = ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.COMPLETED, ImportBatch.Status.PARTIAL]
    ).order_by("pk")
    if batch_ids is not None:
        batches = batches.filter(pk__in=list(batch_ids))
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    given = None if mapping is None else load_mapping(mapping)
    # (person, field or "name", value) that a row of any batch read gave at the person's level or more openly:
    # no finding, whichever batch gave it first (a later public list repeated a sealed row's region).
    given_openly: set[tuple[int, str, str]] = set()
    for batch in batches:
        window = _window(batch)
        if window is None:
            skipped.append(Skipped(batch.pk, Message(_UNFINISHED)))
            continue
        findings += _opened(batch, window)
        try:
            the_mapping = _mapping_of(batch, given)
        except MappingError as exc:
            skipped.append(Skipped(batch.pk, exc.message))
            continue
        findings += _batch_findings(batch, the_mapping, window, given_openly)
    findings = [f for f in findings if (f.person_pk, f.field or NAME, _openly_key(f)) not in given_openly]
    return sorted(set(findings), key=_order), skipped


def _openly_key(finding: Finding) -> str:
    return finding.text.casefold() if finding.kind in (NAME, FIELD) else "\0"


def _order(finding: Finding) -> tuple:
    return (finding.batch, finding.line, finding.kind, finding.event or 0, finding.citation or 0)


def _written(window: tuple[dt.datetime, dt.datetime]) -> QuerySet[Event]:
    """The events in force recorded while the batch wrote."""
    return Event.objects.filter(recorded_at__range=window, superseded_by__isnull=True, retracts=False)


def _opened(batch: ImportBatch, window: tuple[dt.datetime, dt.datetime]) -> list[Finding]:
    """The corrections the batch wrote at a level more open than the event each corrects: it carried the
    stored values the file did not give (a sealed event's note, its place) into the open. Read from the
    events alone (no mapping needed): today a correction is at the stored event's level at least."""
    corrections = (
        _written(window)
        .filter(supersedes__isnull=False)
        .exclude(supersedes__confidentiality=F("confidentiality"))
        .values(
            "pk", "person_id", "person__public_id", "confidentiality", "supersedes__confidentiality", "note"
        )
    )
    opened = [c for c in corrections if _looser(c["confidentiality"], c["supersedes__confidentiality"])]
    if not opened:
        return []
    lines: dict[int, int] = {}
    for line, person in (
        ImportRow.objects.filter(batch=batch, person_id__in={c["person_id"] for c in opened})
        .order_by("-line")
        .values_list("line", "person_id")
    ):
        lines[person] = line  # the first row of the person (rows walked from the last)
    return [
        Finding(
            OPENED,
            batch.pk,
            lines.get(c["person_id"], 0),
            c["person__public_id"],
            c["note"],
            c["confidentiality"],
            c["supersedes__confidentiality"],
            event=c["pk"],
            person_pk=c["person_id"],
        )
        for c in opened
    ]


def _mapping_of(batch: ImportBatch, given: Any) -> Any:
    """The mapping the batch was read with: the built-in headers, a shipped mapping, or the file given (a batch
    keeps its mapping's name only, not where its file was). The file given is not put on a batch read with the
    built-in headers or another shipped mapping that is still here: its columns may name fields otherwise."""
    if batch.mapping == "builtin":
        return load_mapping(None)
    if given is not None and given.name == batch.mapping:
        return given
    try:
        return load_mapping(batch.mapping)
    except MappingError:
        if given is None:
            raise MappingError(Message(_MAPPING_UNKNOWN, mapping=repr(batch.mapping))) from None
        return given  # a file renamed since: the one given is taken for it


_MAPPING_UNKNOWN = gettext_noop(
    "imported with the mapping %(mapping)s, a file of which the batch keeps the name only (not where it was): "
    "give the file with --mapping"
)


_UNFINISHED = gettext_noop("the batch has no record of its end in the audit log: its writes cannot be told")


def _window(batch: ImportBatch) -> tuple[dt.datetime, dt.datetime] | None:
    """When the batch wrote: from its start to the audit entry of its end."""
    end = (
        AuditEntry.objects.filter(
            action="intake_batch_finish", object_type=ImportBatch._meta.label_lower, object_id=str(batch.pk)
        )
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    return None if end is None else (batch.created_at, end)


def _table(batch: ImportBatch, rows: list[dict[str, Any]]) -> Table:
    """The batch's rows as the reader gave them: a one-row-per-event list's person kept the cells of each of
    their rows (`lines`), which are rows of the table again."""
    raws: list[RawRow] = []
    columns: dict[str, None] = {}
    for row in rows:
        raw = row["raw"] if isinstance(row["raw"], dict) else {}
        lines = raw.get("lines") if set(raw) == {"lines"} else None
        for number, values in enumerate(lines if isinstance(lines, list) else [raw]):
            if isinstance(values, dict):
                columns.update(dict.fromkeys(values))
                raws.append(RawRow(row["line"] + number, values))
    return Table(list(columns), raws, keyed=batch.format in ("json", "jsonl"))


@dataclass(frozen=True)
class _Comment:
    """A row's comment as today's reading keeps it (`parts`, a long one in several), with what the old import
    made of it: the row's own note (an export's `note` beside the comment, joined with it then) and, in a
    one-row-per-event list, the row's event (type and date) whose note it was."""

    line: int
    parts: tuple[SourceSpec, ...]
    own: str = ""
    event: tuple[str, dt.date, str] | None = None


def _batch_findings(
    batch: ImportBatch,
    the_mapping: Any,
    window: tuple[dt.datetime, dt.datetime],
    given_openly: set[tuple[int, str, str]],
) -> list[Finding]:
    rows = list(
        ImportRow.objects.filter(batch=batch).order_by("line").values("line", "raw", "person_id", "outcome")
    )
    people = {
        r["line"]: r["person_id"] for r in rows if r["person_id"] is not None and r["outcome"] != "error"
    }
    if not people:
        return []
    created = {r["line"] for r in rows if r["outcome"] == ImportRow.Outcome.CREATED}
    table = _table(batch, rows)
    records, _, _ = build_records(table, the_mapping)
    found = _hidden_people(batch, window, records, people, created)
    found += _stricter_rows(batch, window, records, people, {f.person_pk for f in found}, given_openly)
    wanted: dict[int, list[tuple[PersonRecord, SourceSpec]]] = defaultdict(list)
    comments: dict[int, list[_Comment]] = defaultdict(list)
    # The sources a public row of the batch cites on its person: public there by right, whatever another row
    # of the same person (restricted) says of them.
    public: dict[int, set[tuple]] = defaultdict(set)
    for record in records:
        person = people.get(record.line)
        if person is None:
            continue
        # The row's sources as today's import cites them: on the person, and on each event at its level.
        given = [*record.sources, *(s for e in record.events for s in e.sources)]
        for spec in dict.fromkeys(given):
            if spec.confidentiality != "public" and not spec.comment:
                wanted[person].append((record, spec))
            elif spec.confidentiality == "public":
                public[person].add(spec.cited_key())
        found_comments = _comments(record, table, the_mapping)
        if any(c.parts for c in found_comments):
            comments[person] += found_comments
    if not wanted and not comments:
        return found
    everyone = sorted(set(wanted) | set(comments))
    for chunk in _chunks(everyone):
        cluster_of = _clusters(chunk)
        open_keys = {pk: set().union(*(public.get(m, set()) for m in cluster_of[pk])) for pk in chunk}
        found += _findings(
            batch,
            window,
            {pk: wanted[pk] for pk in chunk},
            {pk: comments[pk] for pk in chunk},
            cluster_of,
            open_keys,
        )
    return found


def _hidden_people(
    batch: ImportBatch,
    window: tuple[dt.datetime, dt.datetime],
    records: list[PersonRecord],
    people: dict[int, int],
    created: set[int],
) -> list[Finding]:
    """The people the batch created from restricted or sealed facts alone (and no level of their own) that are
    more open than the most open of those facts, as today's import would create them: by every row of the batch
    of that person (a public row later in the file makes them public today). Not one a public fact has been
    recorded of since on their merge cluster (a later public list, a person), one merged into another since,
    or one whose level a person has set since (published on purpose)."""
    first: dict[int, PersonRecord] = {}
    levels: dict[int, list[str]] = defaultdict(list)
    own: set[int] = set()
    for record in records:
        pk = people.get(record.line)
        if pk is None:
            continue
        if record.line in created:
            first.setdefault(pk, record)
        if record.confidentiality:
            own.add(pk)
        levels[pk].append(facts_level(record) or "public")
    due = {
        pk: min(levels[pk], key=STRICTNESS.__getitem__)
        for pk in first
        if pk not in own and "public" not in levels[pk]
    }
    if not due:
        return []
    cluster_of = _clusters(list(due))
    members = {m: pk for pk, cluster in cluster_of.items() for m in cluster}
    for person in Event.objects.filter(
        person_id__in=list(members), superseded_by__isnull=True, retracts=False, confidentiality="public"
    ).values_list("person_id", flat=True):
        due.pop(members[person], None)
    since = AuditEntry.objects.filter(
        object_type="registry.person", object_id__in=[str(pk) for pk in due], at__gt=window[1]
    ).values_list("object_id", "before", "after")
    for object_id, before, after in since:
        if (before or {}).get("confidentiality") != (after or {}).get("confidentiality"):
            due.pop(int(object_id), None)
    found = []
    for pk, public_id, name, level in Person.objects.filter(
        pk__in=list(due), merged_into__isnull=True
    ).values_list("pk", "public_id", "display_name", "confidentiality"):
        if _looser(level, due[pk]):
            found.append(
                Finding(PERSON, batch.pk, first[pk].line, public_id, name, level, due[pk], person_pk=pk)
            )
    return found


def _stricter_rows(
    batch: ImportBatch,
    window: tuple[dt.datetime, dt.datetime],
    records: list[PersonRecord],
    people: dict[int, int],
    hidden: set[int],
    given_openly: set[tuple[int, str, str]],
) -> list[Finding]:
    """The names and fields of the batch's people that only rows stricter than the person gave (a sealed row's
    birth day, region or second surname on a person a public row of the file made public): today's import gives
    such a name at the row's level and records no such field. Not a person found created too openly (made as
    strict as their facts, their names and fields are at that level), one merged since, a name or field a
    person set since (the audit log tells), or a field a more open row of the batch gave too."""
    rows: dict[int, list[PersonRecord]] = defaultdict(list)
    for record in records:
        pk = people.get(record.line)
        if pk is not None and pk not in hidden:
            rows[pk].append(record)
    if not rows:
        return []
    persons = {p.pk: p for p in Person.objects.filter(pk__in=list(rows), merged_into__isnull=True)}
    names: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    # Only what the batch wrote: names recorded while it wrote, fields of people it created or changed then.
    for pk, person, text, level in Name.objects.filter(
        person_id__in=list(persons), recorded_at__range=window
    ).values_list("pk", "person_id", "text", "confidentiality"):
        names[person].append((pk, text, level))
    written = {pk for pk, person in persons.items() if window[0] <= person.created_at <= window[1]}
    changed: set[tuple[str, str]] = set()
    objects = [("registry.person", pk) for pk in persons] + [
        ("registry.name", name[0]) for found in names.values() for name in found
    ]
    for object_type in ("registry.person", "registry.name"):
        ids = [str(pk) for kind, pk in objects if kind == object_type]
        for start in range(0, len(ids), _CHUNK):
            entries = AuditEntry.objects.filter(
                object_type=object_type, object_id__in=ids[start : start + _CHUNK], at__gte=window[0]
            ).values_list("object_id", "at", "before", "after")
            for object_id, at, before, after in entries:
                for key in set(before or {}) | set(after or {}):
                    if (before or {}).get(key) != (after or {}).get(key):
                        if at > window[1]:
                            changed.add((f"{object_type}:{object_id}", key))  # set since, by a person
                        elif object_type == "registry.person":
                            changed.add((f"batch:{object_id}", key))  # written by the batch
    found = []
    for pk, person in persons.items():
        at = STRICTNESS[person.confidentiality]
        for record in rows[pk]:
            if STRICTNESS[own_level(record)] <= at:
                given_openly.update(
                    (pk, NAME, spec.text.casefold())
                    for spec in record.names
                    if STRICTNESS[spec.confidentiality] <= at
                )
                given_openly.update(
                    (pk, field, value.casefold())
                    for field in _FIELDS
                    if (value := _record_field(record, field))
                )
        given: dict[str, tuple[str, int]] = {}  # a name's text -> the most open level a row gave it, its line
        for record in rows[pk]:
            level = own_level(record)
            for spec in record.names:
                due = max(spec.confidentiality, level, key=STRICTNESS.__getitem__)
                key = spec.text.casefold()
                if key not in given or STRICTNESS[due] < STRICTNESS[given[key][0]]:
                    given[key] = (due, record.line)
        published = (f"registry.person:{pk}", "confidentiality") in changed  # a person set the level since
        for name_pk, text, level in [] if published else names[pk]:
            due, line = given.get(text.casefold(), ("public", 0))
            # Seen more openly than its row: the name, and the person (a name under a restricted person is seen
            # by those who see the person).
            seen = level if STRICTNESS[level] > STRICTNESS[person.confidentiality] else person.confidentiality
            if _looser(seen, due) and (f"registry.name:{name_pk}", "confidentiality") not in changed:
                found.append(
                    Finding(
                        NAME, batch.pk, line, person.public_id, text, level, due, person_pk=pk, name=name_pk
                    )
                )
        for field in _FIELDS:
            stored = _field_text(person, field)
            if not stored or (f"registry.person:{pk}", field) in changed:
                continue
            if pk not in written and (f"batch:{pk}", field) not in changed:
                continue  # not the batch's doing (another import, a person, before it)
            at = STRICTNESS[person.confidentiality]
            opener = [r for r in rows[pk] if STRICTNESS[own_level(r)] <= at and _record_field(r, field)]
            stricter = [
                r for r in rows[pk] if STRICTNESS[own_level(r)] > at and _record_field(r, field) == stored
            ]
            if stricter and stored not in [_record_field(r, field) for r in opener]:
                value = _record_field(opener[0], field) if opener else ""
                found.append(
                    Finding(
                        FIELD,
                        batch.pk,
                        stricter[0].line,
                        person.public_id,
                        stored,
                        person.confidentiality,
                        own_level(stricter[0]),
                        person_pk=pk,
                        field=field,
                        value=value,
                    )
                )
    return found


def _field_text(person: Person, field: str) -> str:
    if field == "birth_date":
        return str(person.birth_date_display) if person.birth_date else ""
    return str(getattr(person, field) or "")


def _record_field(record: PersonRecord, field: str) -> str:
    if field == "birth_date":
        return str(record.birth) if record.birth else ""
    return str(getattr(record, field) or "")


def _comments(record: PersonRecord, table: Table, the_mapping: Any) -> list[_Comment]:
    """The record's comments, each with its row. A row of one person has one comment (in parts when long); a
    person of a one-row-per-event list has one on each of their rows, each row read again alone to know whose
    event's note it was (the person's comments are one list on the record, and a comment given on two rows is
    cited once). Every row of such a person is kept, with a comment or without: its event's note is its own."""
    lines = record.raw.get("lines") if isinstance(record.raw, dict) else None
    parts = tuple(s for s in record.sources if s.comment)
    if not parts:
        return []  # (a staff export read back has no comment: none of its rows is read again)
    if not isinstance(lines, list):
        return [_Comment(record.line, parts)]
    found = []
    for number, values in enumerate(lines):
        if not isinstance(values, dict):
            continue
        line = record.line + number
        one, _, _ = build_records(
            Table(list(table.columns), [RawRow(line, values)], keyed=table.keyed), the_mapping
        )
        for alone in one:
            # A row without a comment is kept too: its event's note is its own (_findings).
            parts = tuple(s for s in alone.sources if s.comment)
            event = alone.events[0] if alone.events else None
            found.append(
                _Comment(
                    line,
                    parts,
                    event.note if event else "",
                    (event.type, event.date.value, event.date.precision) if event else None,
                )
            )
    return found


def _clusters(people: list[int]) -> dict[int, list[int]]:
    """Each person's merge cluster (the record a person was merged into, and all merged into that), by the
    person: a batch matched the record that is now a member of another."""
    roots = canonical_ids(people)
    members = registry.clusters(sorted(set(roots.values())))
    return {pk: members[root] for pk, root in roots.items()}


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _findings(
    batch: ImportBatch,
    window: tuple[dt.datetime, dt.datetime],
    wanted: dict[int, list[tuple[PersonRecord, SourceSpec]]],
    comments: dict[int, list[_Comment]],
    cluster_of: dict[int, list[int]],
    open_keys: dict[int, set[tuple]],
) -> list[Finding]:
    everyone = sorted({m for ids in cluster_of.values() for m in ids})
    public_ids = dict(Person.objects.filter(pk__in=everyone).values_list("pk", "public_id"))
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in (
        _written(window)
        .filter(person_id__in=everyone)
        .exclude(note="")
        .values("pk", "person_id", "note", "confidentiality", "type", "date", "date_precision")
    ):
        events[event["person_id"]].append(event)
    person_type, event_type = (ContentType.objects.get_for_model(m) for m in (Person, Event))
    citations: dict[int, list[dict[str, Any]]] = defaultdict(list)
    # The citations the batch made on the people and on their events (a row that repeats a stored fact cites
    # its sources on that fact).
    cited = list(
        Citation.objects.filter(content_type=person_type, object_id__in=everyone, recorded_at__range=window)
        .values("pk", "content_type_id", "object_id", "confidentiality", "source_id")
        .union(
            Citation.objects.filter(
                content_type=event_type,
                object_id__in=Event.objects.filter(person_id__in=everyone).values("pk"),
                recorded_at__range=window,
            ).values("pk", "content_type_id", "object_id", "confidentiality", "source_id"),
            all=True,
        )
    )
    on_events = [c["object_id"] for c in cited if c["content_type_id"] == event_type.pk]
    owner, event_level = {}, {}
    for pk, person, level in Event.objects.filter(pk__in=on_events).values_list(
        "pk", "person_id", "confidentiality"
    ):
        owner[pk], event_level[pk] = person, level
    # The sources apart: joined, SQLite walked every source and looked up the citations of each (2 s for 500
    # people of a registry with 4,000 sources).
    sources = {
        pk: (title, url)
        for pk, title, url in Source.objects.filter(pk__in={c["source_id"] for c in cited}).values_list(
            "pk", "title", "url"
        )
    }
    person_ids = set(everyone)
    for citation in cited:
        citation["source__title"], citation["source__url"] = sources[citation["source_id"]]
        on_event = citation["content_type_id"] == event_type.pk
        citation["event"] = citation["object_id"] if on_event else None
        holder = owner.get(citation["object_id"]) if on_event else citation["object_id"]
        if holder in person_ids:
            citations[holder].append(citation)
    found: list[Finding] = []
    seen: set[int] = set()
    for pk in wanted.keys() | comments.keys():
        cluster = cluster_of[pk]
        for record, spec in wanted.get(pk, ()):
            if spec.cited_key() in open_keys[pk]:
                continue  # a public row of the batch cites it on the person too
            for citation in (c for m in cluster for c in citations[m] if c["pk"] not in seen):
                same = (
                    citation["source__url"] == spec.url
                    if spec.url
                    else citation["source__title"] == spec.title
                )
                # On an event, only where the event is as open as the citation: a restricted event's public
                # citation is seen with the event alone.
                seen_as = citation["confidentiality"]
                if citation["event"] is not None:
                    seen_as = max(seen_as, event_level[citation["event"]], key=lambda x: STRICTNESS.get(x, 0))
                if same and _looser(seen_as, spec.confidentiality):
                    seen.add(citation["pk"])
                    found.append(
                        Finding(
                            CITATION,
                            batch.pk,
                            record.line,
                            public_ids[pk],
                            " ".join(dict.fromkeys(filter(None, (spec.title, spec.url)))),
                            citation["confidentiality"],
                            spec.confidentiality,
                            event=citation["event"],
                            citation=citation["pk"],
                            person_pk=pk,
                        )
                    )
        mine = comments.get(pk, [])
        # The events the batch's rows of one event gave (type and date): such an event's note is its row's
        # (its own note and its comment), never another row's comment that happens to read the same.
        rows_of: dict[tuple, list[_Comment]] = defaultdict(list)
        for comment in mine:
            if comment.event is not None:
                rows_of[comment.event].append(comment)
        for comment in (c for c in mine if c.parts):
            pieces = _pieces(list(comment.parts))
            for event in (e for m in cluster for e in events[m]):
                key = (event["type"], event["date"], event["date_precision"])
                if comment.event is not None and key in rows_of and comment not in rows_of[key]:
                    continue
                if _span(event["note"], pieces, comment.own) and _looser(
                    event["confidentiality"], comment.parts[0].confidentiality
                ):
                    found.append(
                        Finding(
                            COMMENT,
                            batch.pk,
                            comment.line,
                            public_ids[pk],
                            " ".join(pieces),
                            event["confidentiality"],
                            comment.parts[0].confidentiality,
                            event=event["pk"],
                            person_pk=pk,
                            sources=comment.parts,
                            own=comment.own,
                        )
                    )
    return found


def _looser(stored: str, due: str) -> bool:
    return STRICTNESS.get(stored, 0) < STRICTNESS.get(due, 1)


def _pieces(parts: list[SourceSpec]) -> list[str]:
    """The comment's text, in the pieces a long one is kept in (each source's title without its "(1/3) ")."""
    if len(parts) == 1:
        return [" ".join(parts[0].title.split())]
    return [" ".join(p.title.partition(") ")[2].split()) for p in parts]


def _span(note: str, pieces: list[str], own: str = "") -> tuple[int, int] | None:
    """Where in the note (its spacing folded) the comment is: the note whole, joined to the row's own note as
    the old import joined two columns of one field ("own; comment"), or each piece of it in order (a long
    comment was cut at a space, or inside a word); None when it is not there. A short comment counts only so
    ("нет" inside another note is no leak)."""
    folded, own = " ".join(note.split()), " ".join(own.split())
    if len(pieces) == 1 and len(pieces[0]) < _WITHIN:
        text = pieces[0]
        if folded == text:
            return 0, len(folded)
        if own and folded == f"{own}; {text}":
            return len(own) + 2, len(folded)
        if own and folded == f"{text}; {own}":
            return 0, len(text)
        return None
    start = end = folded.find(pieces[0])
    if start < 0:
        return None
    for piece in pieces:
        at = folded.find(piece, end)
        if at < 0:
            return None
        end = at + len(piece)
    return start, end


def _without(note: str, pieces: list[str], own: str = "") -> str:
    """The note with the comment taken out (nothing left when it was the whole note)."""
    folded = " ".join(note.split())
    span = _span(note, pieces, own)
    if span is None:
        return folded
    rest = folded[: span[0]] + " " + folded[span[1] :]
    return " ".join(rest.split()).strip(" ;,.-—|")


@transaction.atomic
def mend(actor: Any, findings: Iterable[Finding]) -> dict[str, int]:
    """Make each finding as today's import would have written it; returns how many events were corrected,
    comments cited, citations made stricter, corrections closed and people made as strict as their facts."""
    done = {
        "events_corrected": 0,
        "comments_cited": 0,
        "citations_restricted": 0,
        "corrections_closed": 0,
        "people_restricted": 0,
        "names_restricted": 0,
        "fields_cleared": 0,
    }
    with registry.custody_deferred():
        for finding in findings:
            if finding.kind == COMMENT and finding.event is not None:
                corrected, cited = _mend_comment(actor, finding)
                done["events_corrected"] += corrected
                done["comments_cited"] += cited
            elif finding.kind == OPENED and finding.event is not None:
                done["corrections_closed"] += _close(actor, finding)
            elif finding.kind == PERSON:
                person = Person.objects.get(pk=finding.person_pk)
                if person.merged_into_id is None and _looser(person.confidentiality, finding.due):
                    registry.update_person(actor, person, confidentiality=finding.due)
                    done["people_restricted"] += 1
            elif finding.kind == NAME and finding.name is not None:
                done["names_restricted"] += _mend_name(actor, finding)
            elif finding.kind == FIELD:
                person = Person.objects.get(pk=finding.person_pk)
                if _field_text(person, finding.field) == finding.text:
                    empty = None if finding.field == "birth_date" else ""
                    registry.update_person(actor, person, **{finding.field: finding.value or empty})
                    done["fields_cleared"] += 1
            elif finding.kind == CITATION and finding.citation is not None:
                citation = Citation.objects.get(pk=finding.citation)
                if _looser(citation.confidentiality, finding.due):
                    registry.set_citation_level(actor, citation, finding.due)
                    done["citations_restricted"] += 1
    return done


def _mend_name(actor: Any, finding: Finding) -> int:
    """The name at its row's level. A public person's display name, which every public list shows, becomes
    another public name of theirs first; with none, the name is left as it is (a person must give one)."""
    name = Name.objects.select_related("person").get(pk=finding.name)
    if not _looser(name.confidentiality, finding.due):
        return 0
    person = name.person
    if person.confidentiality == "public" and person.display_name == name.text:
        others = person.names.filter(confidentiality="public").exclude(pk=name.pk).exclude(text=name.text)
        other = others.order_by("pk").values_list("text", flat=True).first()
        if other is None:
            return 0
        registry.update_person(actor, person, display_name=other)
        name.person.refresh_from_db()
    registry.set_name_level(actor, name, finding.due)
    return 1


def _close(actor: Any, finding: Finding) -> int:
    """The correction corrected again, at the level of the event it corrected (as today's import writes it)."""
    event = Event.objects.select_related("person").get(pk=finding.event)
    while (later := Event.objects.select_related("person").filter(supersedes=event).first()) is not None:
        event = later  # corrected since (its comment taken out of the note): the correction in force
    if event.retracts or not _looser(event.confidentiality, finding.due):
        return 0
    _correct(actor, event, confidentiality=finding.due)
    return 1


def _correct(actor: Any, event: Event, **changes: Any) -> None:
    """`event` corrected with `changes`, citing what it cited, on the record its person is part of now (a
    record merged since into another takes no events; an import today records them there)."""
    change = registry.correction(event, **changes)
    corrected = registry.record_events(actor, registry.canonical(event.person), [change])[0]
    for citation in event.citations.select_related("source"):
        registry.cite(actor, citation.source, corrected, citation.locator, citation.confidentiality)


def _mend_comment(actor: Any, finding: Finding) -> tuple[int, int]:
    """The event corrected to its note without the comment (unless that is done), and the comment cited on
    the person where it is not: (events corrected, citations made)."""
    event = Event.objects.select_related("person").get(pk=finding.event)
    corrected_already = Event.objects.filter(supersedes=event).exists()
    # The comment is cited on the record the person is part of now, as the correction is made there.
    person = registry.canonical(Person.objects.get(pk=finding.person_pk))
    if not corrected_already:
        _correct(actor, event, note=_without(event.note, _pieces(list(finding.sources)), finding.own))
    cited = set(
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(Person), object_id__in=registry.cluster_ids(person)
        ).values_list("source__title", flat=True)
    )
    count = 0
    for spec in finding.sources:
        if spec.title in cited:
            continue
        registry.cite(actor, stored_source(actor, spec), person, "", spec.confidentiality)
        count += 1
    return int(not corrected_already), count
