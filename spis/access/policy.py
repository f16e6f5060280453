"""THE visibility policy: the only code that decides what a user may see.

Levels: public (everyone), restricted (researchers and above), sealed (admins, and editors granted that
person). Every view, API endpoint, search, statistic, export and feed reads people, names, events, sources
and citations through these functions. Field rules: below researcher, a birth date shows as its year only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from spis.registry.actions import RECORD_FIELDS, clusters, known_by, record_from_row
from spis.registry.custody import Custody, derive, effective
from spis.registry.dates import format_partial
from spis.registry.models import Citation, Event, Facility, GrantedPerson, Name, Person, Source
from spis.registry.queries import id_values, in_ids

from .roles import ADMIN, EDITOR, RESEARCHER, at_least, role_of

PUBLIC, RESTRICTED, SEALED = "public", "restricted", "sealed"


def levels_for(user: Any) -> list[str]:
    if at_least(user, ADMIN):
        return [PUBLIC, RESTRICTED, SEALED]
    if at_least(user, RESEARCHER):
        return [PUBLIC, RESTRICTED]
    return [PUBLIC]


def persons(user: Any, *, include_merged: bool = False) -> QuerySet[Person]:
    """People the user may see (canonical records only unless asked)."""
    qs = Person.objects.all() if include_merged else Person.objects.filter(merged_into=None)
    allowed = Q(confidentiality__in=levels_for(user))
    if role_of(user) == EDITOR:
        allowed |= Q(confidentiality=SEALED, grants__user=user)
    return qs.filter(allowed)


def of_person_seen(user: Any, *, granted: bool = True) -> Exists:
    """The condition that a row's person (its `person_id`: an event's) is one the user may see: a public event
    of a sealed person is still about a sealed person. EXISTS per row, not IN (every visible person): the
    database then walks the rows by their own index, in order, and stops at a page or a limit. Without
    `granted`, by level alone (a memo shared by the users of one level must not hold an editor's grants)."""
    people = (
        persons(user)
        if granted
        else Person.objects.filter(merged_into=None, confidentiality__in=levels_for(user))
    )
    return Exists(people.filter(pk=OuterRef("person_id")))


def merged_seen(user: Any) -> dict[int, str]:
    """{merged record's id: the public id of the person it was merged into, at any depth} for every record
    merged into a person the user may see. A merged record is part of that person, shown under them at their
    level, whatever its own (a cluster is shown at its root's level: registry/merge.py keeps the most guarded
    record the root), as `get_person_for` and the person's page show it; its events each at their own level.

    Two queries whatever the registry's size: the merges (the few merged records, read by the index led by
    merged_into), then which of their roots the user may see."""
    # `IS NOT NULL` (not exclude(None)'s `NOT … IS NULL`): SQLite then searches the index rather than scan it.
    merged = Person.objects.filter(merged_into__isnull=False).order_by()
    parent = dict(merged.values_list("pk", "merged_into_id"))
    if not parent:
        return {}

    def root(pk: int) -> int:
        while (up := parent.get(pk)) is not None:
            pk = up
        return pk

    root_of = {pk: root(pk) for pk in parent}
    roots = persons(user).filter(pk__in=in_ids(sorted(set(root_of.values()))))
    shown = dict(roots.order_by().values_list("pk", "public_id"))
    return {pk: shown[up] for pk, up in root_of.items() if up in shown}


def of_cluster_seen(user: Any, merged: dict[int, str]) -> Q:
    """`of_person_seen`, and the rows of the records merged into a person the user may see (`merged`, as
    `merged_seen` gives them): what a person's page shows of their merge cluster, for a list of many people."""
    seen = Q(of_person_seen(user))
    return seen | Q(person_id__in=in_ids(sorted(merged))) if merged else seen


def hidden_persons(user: Any) -> QuerySet[Person]:
    """People the user may not see, merged records included: what an import by this user must leave alone.

    The complement of `persons`, written directly: at a level the user does not read, less the sealed records
    an editor was granted. (NOT IN every visible person reads the whole table twice: 0.25 → 0.11 s at
    100,000 people.)"""
    hidden = Person.objects.exclude(confidentiality__in=levels_for(user))
    if role_of(user) == EDITOR:
        granted = GrantedPerson.objects.filter(user=user).values("person_id")
        hidden = hidden.exclude(Q(confidentiality=SEALED) & Q(pk__in=granted))
    return hidden


def can_see_person(user: Any, person: Person) -> bool:
    if person.confidentiality in levels_for(user):
        return True
    if person.confidentiality == SEALED and role_of(user) == EDITOR:
        return person.grants.filter(user=user).exists()
    return False


def names(user: Any, qs: QuerySet[Name] | None = None) -> QuerySet[Name]:
    qs = Name.objects.all() if qs is None else qs
    return qs.filter(confidentiality__in=levels_for(user))


def events(user: Any, qs: QuerySet[Event] | None = None) -> QuerySet[Event]:
    """Events in force (not superseded) at a level the user may see."""
    qs = Event.objects.all() if qs is None else qs
    return qs.filter(confidentiality__in=levels_for(user), superseded_by__isnull=True, retracts=False)


def hidden_events(user: Any, qs: QuerySet[Event] | None = None, *, in_force: bool = True) -> QuerySet[Event]:
    """Events (in force, unless asked for all) at a level the user may not see: a person with one has stored
    derived columns (status, recognition, facility, dates: derived from all their events) and custody spells
    that may say more than the user may know."""
    qs = Event.objects.all() if qs is None else qs
    # Public events are visible to everyone: the first exclude states it in the words of the partial index on
    # events that are not public (registry Event.Meta), which the database then reads instead of every event.
    qs = qs.exclude(confidentiality=PUBLIC).exclude(confidentiality__in=levels_for(user))
    return qs.filter(superseded_by__isnull=True, retracts=False) if in_force else qs


# Every in-force event the user may not see (hidden_events in one statement), optionally only those of the
# merge clusters of some canonical people, each reported under its root. `NOT ("confidentiality" = 'public')`
# is the partial index's own condition (registry Event.Meta), so the database reads that index: the few events
# that are not public, never every event. WITH RECURSIVE walks merges at any depth (SQLite and PostgreSQL).
_HIDDEN_SQL = """
SELECT {root}, e.type FROM {event} e
WHERE NOT (e."confidentiality" = 'public') AND e."confidentiality" NOT IN ({levels}) AND NOT e.retracts
  AND NOT EXISTS (SELECT 1 FROM {event} c WHERE c.supersedes_id = e.id) {clusters}
"""
_CLUSTERS_SQL = """
WITH RECURSIVE asked(id) AS ({ids}),
cluster(id, root) AS (
  SELECT id, id FROM asked
  UNION ALL SELECT p.id, cluster.root FROM {person} p JOIN cluster ON p.merged_into_id = cluster.id
)
"""


def hidden_event_types(user: Any, roots: Sequence[int] | None = None) -> list[tuple[int, str]]:
    """(person id, event type) of each event in force that the user may not see (`hidden_events`, read in one
    statement for list pages); with `roots` (canonical people), only their clusters' events, under the root."""
    if sees_every_level(user) or roots is not None and not roots:
        return []
    levels = levels_for(user)
    parts = {"event": Event._meta.db_table, "levels": ", ".join(["%s"] * len(levels))}
    params: list[Any] = []
    sql = _HIDDEN_SQL.format(root="e.person_id", clusters="", **parts)
    if roots is not None:
        ids_sql, params = id_values(list(roots))
        head = _CLUSTERS_SQL.format(ids=ids_sql, person=Person._meta.db_table)
        # IN (SELECT …) rather than a join: SQLite then reads the events of those people by the person index.
        root = "(SELECT cluster.root FROM cluster WHERE cluster.id = e.person_id)"
        within = "AND e.person_id IN (SELECT id FROM cluster)"
        sql = head + _HIDDEN_SQL.format(root=root, clusters=within, **parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *levels])
        return [(pk, kind) for pk, kind in cursor.fetchall()]


def custody_as_seen(
    user: Any, person_ids: Iterable[int], *, known_on: dt.date | None = None
) -> dict[int, Custody]:
    """Each canonical person's custody derived only from the events the user may see (in force now, or as
    known at the end of `known_on`): what a page may say about them, where the stored columns count every
    event. Merged records' events count under the person they were merged into, as in rebuild_custody."""
    members = clusters(list(person_ids))
    if not members:
        return {}
    root_of = {member: root for root, ids in members.items() for member in ids}
    rows = (
        Event.objects.filter(person_id__in=in_ids(list(root_of)))
        .order_by()
        .values_list(*RECORD_FIELDS, "confidentiality")
    )
    levels = set(levels_for(user))
    histories: dict[int, list] = {root: [] for root in members}
    level_of: dict[int, str] = {}
    for row in rows:
        histories[root_of[row[1]]].append(record_from_row(row[:-1]))
        level_of[row[0]] = row[-1]
    cutoff = None if known_on is None else known_by(known_on)
    seen = {}
    for root, records in histories.items():
        # In force first (a hidden correction still retires what it corrects), then what the user may see.
        shown = [e for e in effective(records, cutoff) if level_of[e.id] in levels]
        seen[root] = derive(shown, str(root), dt.date.max, validate=False)
    return seen


def sees_every_level(user: Any) -> bool:
    """Whether no event can be hidden from the user (stored derived columns are then what they may see)."""
    return {PUBLIC, RESTRICTED, SEALED} <= set(levels_for(user))


def facilities(user: Any) -> QuerySet[Facility]:
    """The places of detention a user may know of: those kept with an address (the letter writers' directory)
    and those an event the user may see names, of a person the user may see. A place named only on restricted
    or sealed events (a list's free text: a safe house, a street address) is none of the public's: its name
    alone tells of the event."""
    if sees_every_level(user):
        return Facility.objects.all()
    people = persons(user, include_merged=True).filter(pk=OuterRef("person_id"))
    named = events(user).filter(facility=OuterRef("pk")).filter(Exists(people))
    return Facility.objects.filter(~Q(postal_address="") | Exists(named))


def sources(user: Any, qs: QuerySet[Source] | None = None) -> QuerySet[Source]:
    qs = Source.objects.all() if qs is None else qs
    return qs.filter(confidentiality__in=levels_for(user))


def citations(user: Any, qs: QuerySet[Citation] | None = None) -> QuerySet[Citation]:
    qs = Citation.objects.all() if qs is None else qs
    levels = levels_for(user)
    return qs.filter(confidentiality__in=levels, source__confidentiality__in=levels)


def birth_date_for(user: Any, person: Person) -> str:
    """Full partial date for researchers and above; the year alone for everyone else."""
    return birth_date_shown(user, person.birth_date, person.birth_date_precision)


def shows_birth_day(user: Any) -> bool:
    """Whether the user sees birth dates in full (researchers and above); everyone else sees the year."""
    return at_least(user, RESEARCHER)


def birth_date_shown(user: Any, birth_date: dt.date | None, precision: str) -> str:
    """birth_date_for, from the stored columns (for readers of plain rows, as the export is)."""
    if birth_date is None:
        return ""
    if shows_birth_day(user):
        return format_partial(birth_date, precision)
    return f"{birth_date.year:04d}"


def may_write(user: Any) -> bool:
    return at_least(user, EDITOR)
