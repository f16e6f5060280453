"""When what a reader may see of a person last changed: the clock of the change feeds and of the API's
`updated_at`.

`Person.updated_at` moves with any write to a person (a restricted event's import, an internal consent note,
the day of a birth date the public sees as a year), so publishing it, or listing people by it, told a reader
*when* something they may not see changed. Here each reader level below "every level" gets its own clock:
`SeenChange` keeps, per person, a digest of what that level may see (the person's fields as shown, the names
and events in force of their merge cluster at that level) and the moment the digest last changed.

`refresh()` brings the rows up to date and is called by every reader of these clocks (the change feed, the
API's people, the public export's `--changed-since`). It costs one query when the registry has not changed
since the last refresh (`registry_version`); otherwise one SQL pass that compares every person's markers
(`updated_at` as stored, `merged_into`, their newest event, name and name-edit ids) with those last digested,
and a digest of the people whose markers moved and of their clusters' canonical people. A clock moves only
when its digest changes, and then to the time of the refresh that saw it: a hidden write makes its person a
candidate, but their digest at a level that cannot see it comes out the same.

A person a level saw and no longer sees (made restricted or sealed, merged into another) keeps the moment
their digest emptied: the feeds list them as withdrawn (`withdrawn_since`), so that a mirror takes them down.
A person the level never saw keeps no moment and is never listed.

What a digest covers: the fields a level is shown of the person, their names (edited in place in the admin:
each edit leaves a history row, a marker) and their cluster's events in force, by id (an event is never
edited; a correction is a new event), the citations of the person and of those events that the level may
read, with their sources and locators (a new or edited citation moves its person's `updated_at`), and the
rows those events and citations show: their facilities, cases, organisations and sources as stored (an edit
in place of one of those moves the `updated_at` of everyone it shows with: registry.shown). A source's
`document` (a file name, an archive id) is left out: no level below those who see every level is shown it.
Not covered: anything the calendar alone changes (a term ending).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from spis.registry.actions import clusters
from spis.registry.generation import registry_version
from spis.registry.models import Case, Event, Facility, Name, Organization, Person, Source
from spis.registry.queries import canonical_ids, citations_about, in_ids

from . import policy
from .models import SeenChange, SeenWatermark
from .roles import RESEARCHER, StandIn

log = logging.getLogger(__name__)

LEVELS = (policy.PUBLIC, policy.RESTRICTED)
# The people whose record a level is shown at all (an editor granted a sealed person reads it at the
# restricted level: policy.events gives editors public and restricted events).
_SHOWN = {
    policy.PUBLIC: {policy.PUBLIC},
    policy.RESTRICTED: {policy.PUBLIC, policy.RESTRICTED, policy.SEALED},
}
_PERSON = (
    "public_id",
    "display_name",
    "birth_date",
    "birth_date_precision",
    "gender",
    "region",
    "occupation",
)
_NAME = ("id", "text", "script", "language", "kind", "scheme")
# People digested per query and level: few queries for a whole registry (five at 100,000 people), each
# chunk's names and event ids held in memory at once.
CHUNK = 20_000


_READER = {policy.PUBLIC: None, policy.RESTRICTED: StandIn(RESEARCHER)}


def level_of(user: Any) -> str | None:
    """The level whose clock `user` reads; None for those who see every level (they read `updated_at`)."""
    if policy.sees_every_level(user):
        return None
    return policy.RESTRICTED if policy.RESTRICTED in policy.levels_for(user) else policy.PUBLIC


def refresh() -> bool:
    """Bring every person's clocks up to date with the registry; whether they are. A writer holding the
    database past the busy timeout (a long import on SQLite) leaves them as they were, to be brought up at the
    next read."""
    version = registry_version()
    if SeenWatermark.objects.filter(pk=1, version=version).exists():
        return True
    try:
        with transaction.atomic():
            # Refreshes queue here (a row lock on PostgreSQL, the write lock on SQLite); the first does the work.
            mark = SeenWatermark.objects.select_for_update().filter(pk=1).first()
            version = registry_version()
            if mark is not None and mark.version == version:
                return True
            _refresh()
            SeenWatermark.objects.update_or_create(pk=1, defaults={"version": version})
    except OperationalError:
        log.warning("change clocks not refreshed: the database is busy", exc_info=True)
        return False
    return True


def _refresh() -> None:
    first = not SeenChange.objects.exists()
    markers = _stale()
    if not markers:
        return
    stale = list(markers)
    # The first refresh of a registry dates what it finds by the writes that made it (every person is stale).
    written = dict(Person.objects.order_by().values_list("pk", "updated_at")) if first else {}
    # A merged record's change (a merge or its undoing, an event recorded on it) may change what the canonical
    # person of its cluster, then or now, shows.
    before = SeenChange.objects.filter(pk__in=in_ids(stale), merged_into__isnull=False).values_list(
        "merged_into", flat=True
    )
    roots = canonical_ids([*stale, *before])
    members = clusters(sorted(set(roots.values())))
    now = timezone.now()
    for chunk, digests in _digested(stale, members):
        old = {row.pk: row for row in SeenChange.objects.filter(pk__in=in_ids(chunk))}
        rows = []
        for pk in chunk:
            row = old.get(pk)
            fresh = row is None
            row = SeenChange(person_id=pk) if row is None else row
            if pk in markers:
                (
                    row.merged_into,
                    row.updated_mark,
                    row.last_event_id,
                    row.last_name_id,
                    row.last_name_edit_id,
                ) = markers[pk]
            when = written[pk] if first else now
            for level in LEVELS:
                digest = digests[level].get(pk, "")
                if fresh or getattr(row, f"{level}_digest") != digest:
                    # A person the level saw and no longer sees (made restricted or sealed, merged into
                    # another) keeps the moment: the feed lists them as withdrawn (withdrawn_since). One the
                    # level never saw keeps none, so no feed names them.
                    seen = not fresh and getattr(row, f"{level}_digest")
                    setattr(row, f"{level}_digest", digest)
                    setattr(row, f"{level}_changed_at", when if digest or seen else None)
            rows.append(row)
        # Written anew rather than updated: one INSERT per 500 rows instead of bulk_update's CASE per field.
        SeenChange.objects.filter(pk__in=in_ids(list(old))).delete()
        SeenChange.objects.bulk_create(rows, batch_size=500)


def redigest() -> None:
    """Compute every stored digest again without moving a clock: after a release changed what a digest
    covers (citations, 2026-11-30). Else the next write to a person, even one no level below admin can see,
    would find a digest that differs by the new coverage alone and move their clocks: a hidden write told."""
    stored = list(SeenChange.objects.order_by("pk").values_list("pk", flat=True))
    if not stored:
        return
    roots = canonical_ids(stored)
    members = clusters(sorted(set(roots.values())))
    for chunk, digests in _digested(stored, members):
        rows = list(SeenChange.objects.filter(pk__in=in_ids(chunk)))
        for row in rows:
            for level in LEVELS:
                setattr(row, f"{level}_digest", digests[level].get(row.pk, ""))
        SeenChange.objects.bulk_update(rows, [f"{level}_digest" for level in LEVELS], batch_size=500)


# The people whose markers differ from those their clocks were last digested with, or who have no clocks, with
# their markers as SeenChange keeps them: the newest event, name and name edit of everyone by one pass over each
# table's person index, compared in SQL.
_STALE_SQL = """
SELECT p.id, p.merged_into_id, CAST(p.updated_at AS TEXT), COALESCE(e.m, 0), COALESCE(n.m, 0), COALESCE(h.m, 0)
FROM {person} p
LEFT JOIN {seen} s ON s.person_id = p.id
LEFT JOIN (SELECT person_id, MAX(id) AS m FROM {event} GROUP BY person_id) e ON e.person_id = p.id
LEFT JOIN (SELECT person_id, MAX(id) AS m FROM {name} GROUP BY person_id) n ON n.person_id = p.id
LEFT JOIN (SELECT person_id, MAX(history_id) AS m FROM {edit} GROUP BY person_id) h ON h.person_id = p.id
WHERE s.person_id IS NULL OR s.updated_mark <> CAST(p.updated_at AS TEXT)
   OR COALESCE(s.merged_into, 0) <> COALESCE(p.merged_into_id, 0)
   OR s.last_event_id <> COALESCE(e.m, 0) OR s.last_name_id <> COALESCE(n.m, 0)
   OR s.last_name_edit_id <> COALESCE(h.m, 0)
"""


def _stale() -> dict[int, tuple]:
    """{person id: (merged_into, updated_at as stored text, newest event id, newest name id, newest name
    edit)} of the people whose markers moved: the rows whose change may change what someone sees of them (a
    person's own fields move updated_at; an event is never edited; a name edited in place adds a history row).
    """
    tables = {
        key: connection.ops.quote_name(model._meta.db_table)
        for key, model in (
            ("person", Person),
            ("seen", SeenChange),
            ("event", Event),
            ("name", Name),
            ("edit", Name.history.model),
        )
    }
    with connection.cursor() as cursor:
        cursor.execute(_STALE_SQL.format(**tables))
        return {pk: tuple(markers) for pk, *markers in cursor.fetchall()}


def _digested(people: list[int], members: dict[int, list[int]]) -> Iterator[tuple[list[int], dict]]:
    """`people` and their clusters' canonical people (`members`) in chunks, each with the digests of its
    canonical people at every level."""
    for chunk in _chunks(sorted(set(people) | set(members)), CHUNK):
        canonical = [pk for pk in chunk if pk in members]
        rows = _Rows()  # read once for both levels
        yield chunk, {level: _digests(level, canonical, members, rows) for level in LEVELS}


class _Rows:
    """The facilities, cases, organisations and sources that show with a chunk's events and citations, as
    stored (every column a reader below every level is shown), read once per chunk, each with a short digest
    (a case's with its court's, a source's with its publisher's)."""

    COLUMNS: dict[type, tuple[str, ...]] = {
        Facility: ("name", "name_be", "name_ru", "kind", "region", "postal_address", "latitude", "longitude"),
        Case: ("number", "articles", "court_id", "court_name", "judge", "prosecutor"),
        Organization: ("name", "name_be", "name_ru", "kind", "country", "url"),
        Source: ("title", "url", "publisher_id", "publisher_name", "published_on", "reliability"),
    }
    # The column of a case or source naming the organisation that shows with it (its court, its publisher).
    _ORGANISATION = {Case: 2, Source: 2}

    def __init__(self) -> None:
        self.rows: dict[type, dict[int, tuple]] = {model: {} for model in self.COLUMNS}
        self.digests: dict[type, dict[int, str]] = {}

    def load(self, model: type, ids: Iterable[int | None]) -> None:
        known = self.rows[model]
        missing = sorted({pk for pk in ids if pk is not None and pk not in known})
        if missing:
            for pk, *values in model.objects.filter(pk__in=in_ids(missing)).values_list(
                "pk", *self.COLUMNS[model]
            ):
                known[pk] = tuple(values)

    def load_for(self, events: list[tuple], sources: list[int]) -> None:
        """Read the rows `events` ((id, facility, case, organisation)) and the citations of `sources` show."""
        self.load(Facility, (e[1] for e in events))
        self.load(Case, (e[2] for e in events))
        self.load(Source, sources)
        courts = (self.rows[Case][e[2]][2] for e in events if e[2] is not None)
        publishers = (row[2] for row in self.rows[Source].values())
        self.load(Organization, [*(e[3] for e in events), *courts, *publishers])

    def digested(self, model: type) -> dict[int, str]:
        """{pk: a short digest of the row as stored} of every row of `model` read (organisations first)."""
        digests = self.digests.setdefault(model, {})
        at = self._ORGANISATION.get(model)
        organisations = self.digested(Organization) if at is not None else {}
        for pk, values in self.rows[model].items():
            if pk not in digests:
                shown = values if at is None else (*values, organisations.get(values[at], ""))
                digests[pk] = hashlib.blake2b(repr(shown).encode(), digest_size=8).hexdigest()
        return digests


def _chunks(items: Sequence[int], size: int) -> Iterable[list[int]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _digests(level: str, roots: list[int], members: dict[int, list[int]], rows: _Rows) -> dict[int, str]:
    """{canonical id: digest of what `level` may see of them} for those of `roots` that level is shown."""
    reader = _READER[level]
    people = Person.objects.filter(pk__in=in_ids(roots), confidentiality__in=_SHOWN[level]).values_list(
        "pk", *_PERSON
    )
    shown: dict[int, list[Any]] = {}
    for pk, *fields in people:
        birth, precision = fields[2], fields[3]
        fields[2:4] = [policy.birth_date_shown(reader, birth, precision)]
        shown[pk] = [fields, [], [], []]
    root_of = {member: root for root in shown for member in members.get(root, [root])}
    ids = list(root_of)
    for person_id, *name in (
        policy.names(reader, Name.objects.filter(person_id__in=in_ids(ids)))
        .order_by("id")
        .values_list("person_id", *_NAME)
    ):
        shown[root_of[person_id]][1].append(name)
    # Events by id (an event is never edited: a correction is a new event that supersedes it), with the
    # facility, case and organisation they show.
    for person_id, *event in (
        policy.events(reader, Event.objects.filter(person_id__in=in_ids(ids)))
        .order_by()
        .values_list("person_id", "id", "facility_id", "case_id", "organization_id")
    ):
        shown[root_of[person_id]][2].append(tuple(event))
    # Sources show with a person and their events (the site, the open data): the citations a level may read,
    # of the person's cluster and of the events shown, by id, with their source and their place in it (the
    # locator, published with them: edited in place, actions.update_citation; actions.cite and it move the
    # person's updated_at, a marker).
    event_of = {event[0]: root for root, what in shown.items() for event in what[2]}
    for model, owners in ((Person, root_of), (Event, event_of)):  # events not shown are skipped below
        found = citations_about(model, in_ids(ids))
        for object_id, *citation in (
            policy.citations(reader, found).order_by().values_list("object_id", "id", "source_id", "locator")
        ):
            if object_id in owners:
                shown[owners[object_id]][3].append(tuple(citation))
    rows.load_for(
        list(chain.from_iterable(what[2] for what in shown.values())),
        [c[1] for what in shown.values() for c in what[3]],
    )
    facility, case, organisation, source = (
        rows.digested(model) for model in (Facility, Case, Organization, Source)
    )
    for what in shown.values():
        # The events by id, the citations by id with their source and locator (a citation edited in place may
        # cite another source: one the person cites elsewhere leaves the set of rows shown as it was), and the
        # rows they show as stored (digests of them, as a set: an event is never edited, so which one shows
        # which row changes only with the ids).
        events, citations = what[2], what[3]
        shows = {facility[f] for _, f, _, _ in events if f is not None}
        shows.update(case[c] for _, _, c, _ in events if c is not None)
        shows.update(organisation[o] for *_, o in events if o is not None)
        shows.update(source[cited] for _, cited, _ in citations)
        what[2] = sorted(e[0] for e in events)
        what[3] = sorted(citations)
        what.append(sorted(shows))
    return {
        pk: hashlib.blake2b(repr(what).encode(), digest_size=16).hexdigest() for pk, what in shown.items()
    }


# ---------------------------------------------------------------- reading the clocks


def changed_since(user: Any, qs: QuerySet[Person], since: dt.datetime) -> QuerySet[Person]:
    """`qs` (people the user may see) limited to those whose record as the user may see it changed at or
    after `since`, oldest change first (ties by public id: the API's cursor pages on it), each with
    `seen_updated_at`. Call refresh() first."""
    level = level_of(user)
    if level is None:
        return (
            qs.filter(updated_at__gte=since)
            .annotate(seen_updated_at=F("updated_at"))
            .order_by("updated_at", "public_id")
        )
    # Led by the clock's index (the few people changed since), not by a join from every visible person.
    changed = SeenChange.objects.filter(**{f"{level}_changed_at__gte": since}).values("person_id")
    clock = F(f"seen_change__{level}_changed_at")
    return qs.filter(pk__in=changed).annotate(seen_updated_at=clock).order_by("seen_updated_at", "public_id")


def withdrawn_since(user: Any, since: dt.datetime) -> QuerySet[Person]:
    """The people the user's level saw and no longer sees (made restricted or sealed, merged into another),
    withdrawn at or after `since`, oldest first (ties by public id), each with `withdrawn_at`: a mirror of the feed must take them
    down. None for those who see every level. Call refresh() first."""
    level = level_of(user) or policy.PUBLIC
    # Led by the clock's index (the few people whose clock moved since), as changed_since; each checked on its
    # own (a NOT IN over every visible person, or a join from them, cost 20-150 ms a request).
    moved = SeenChange.objects.filter(**{f"{level}_changed_at__gte": since, f"{level}_digest": ""})
    visible = Exists(policy.persons(user).filter(pk=OuterRef("pk")))
    withdrawn = (
        Person.objects.filter(pk__in=moved.values("person_id"))
        .filter(~visible)
        .annotate(withdrawn_at=F(f"seen_change__{level}_changed_at"))
        .order_by("withdrawn_at", "public_id")
    )
    return withdrawn.none() if level_of(user) is None else withdrawn


def stamp(user: Any, people: Sequence[Person]) -> Sequence[Person]:
    """`people` (loaded for display) with `updated_at` set to when what the user may see of them last changed.
    Display instances only, as access.queries.as_seen's: never saved. Refreshes the clocks."""
    level = level_of(user)
    if level is None or not people:
        return people
    clocks: dict[int, dt.datetime | None] = {}
    if not all(hasattr(person, "seen_updated_at") for person in people):  # read by changed_since already
        refresh()
        clocks = dict(
            SeenChange.objects.filter(pk__in=[p.pk for p in people]).values_list("pk", f"{level}_changed_at")
        )
    for person in people:
        seen = getattr(person, "seen_updated_at", None) or clocks.get(person.pk)
        # Not dated yet (the database was busy at the refresh): the creation, which tells nothing hidden.
        person.updated_at = seen or person.created_at
    return people
