"""Reads of registry data as a given user may see them: every one goes through the visibility policy.

Above the registry (DESIGN.md: access -> registry): the registry ranks and stores, this module decides what a
user is shown. The site, the API, the outreach letters and `spis search` call these.
"""

from __future__ import annotations

import hashlib
import operator
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from spis.access import policy
from spis.registry.actions import DERIVED_FIELDS, derived_values
from spis.registry.generation import registry_version
from spis.registry.models import Facility, Person
from spis.registry.models.people import DATE_PRECISIONS
from spis.registry.queries import canonical_ids, in_ids, keyed_values
from spis.registry.search import ranked as rank_names

_PUBLIC_ID = re.compile(r"^[A-Za-z]{2,8}-\d{1,10}$")  # registry.actions.LAST_PUBLIC_ID_NUMBER


@dataclass
class Hit:
    person: Person
    name: str
    score: float


def get_person_for(user: Any, public_id: str) -> Person:
    """The person with this public id if the user may see them; 404 otherwise (never 403: no existence leak).

    A merged record resolves to the person it was merged into (callers redirect).
    """
    person = (
        Person.objects.filter(public_id=public_id).select_related("merged_into", "current_facility").first()
    )
    if person is None:
        raise Http404("No such person")
    while person.merged_into_id:
        person = person.merged_into
    if not policy.can_see_person(user, person):
        raise Http404("No such person")
    return person


def _by_public_id(user: Any, query: str) -> Person | None:
    """The person a public id (BY-000123) names, following merges, if the user may see them."""
    stripped = (query or "").strip()
    if not _PUBLIC_ID.match(stripped):
        return None
    try:
        # get_person_for follows merges: a duplicate's old public id finds the canonical person.
        return get_person_for(user, stripped.upper())
    except Http404:
        return None


def _ranked_for(
    user: Any, query: str, limit: int, loaded: dict[int, Person] | None = None
) -> tuple[int, Person | None, list[tuple[int, float, str]]]:
    """What both searches start from: the bounded limit, the person a public id names (if any and visible),
    and the ranked names the user may see, a few more than asked for (some people may be hidden). With
    `loaded`, the people the ranking may see are loaded into it as they are checked (search() shows them)."""
    limit = max(0, min(int(limit), 500))

    def visible(ids: list[int]) -> set[int]:
        people = policy.persons(user).filter(pk__in=in_ids(ids))
        if loaded is None:
            return set(people.values_list("pk", flat=True))
        loaded.update((p.pk, p) for p in people)
        return {pk for pk in ids if pk in loaded}

    return limit, _by_public_id(user, query), rank_names(query, limit + 20, policy.levels_for(user), visible)


def search_visible_ids(user: Any, query: str, limit: int = 50) -> list[int]:
    """The ids of `search(user, query, limit)`'s people, in its order, without loading them (list pages)."""
    limit, direct, ranked = _ranked_for(user, query, limit)
    found = [direct.pk] if direct is not None else []
    found += [pid for pid, _, _ in ranked if pid not in found]  # the people the user may see (_ranked_for)
    return found[:limit]


def search(user: Any, query: str, limit: int = 50) -> list[Hit]:
    """People the user may see whose names (those the user may see) match the query, best first.

    A public id (BY-000123) finds that person directly.
    """
    visible: dict[int, Person] = {}  # the people the ranking saw, loaded as it checked them
    limit, direct, ranked = _ranked_for(user, query, limit, visible)
    hits = [Hit(direct, direct.display_name, 1.0)] if direct is not None else []
    seen = {h.person.pk for h in hits}
    for pid, score, name in ranked:
        person = visible.get(pid)
        if person is None or pid in seen:
            continue
        hits.append(Hit(person, name, round(score, 4)))
    return hits[:limit]


# --- derived columns as a reader may see them ------------------------------------------------------------
#
# Person.status, recognized, first_recognized_on, current_facility, detained_on, released_on,
# expected_release_on and sentence_months are derived from ALL of a person's events, restricted and sealed
# ones included (counts need them). Shown per person they would reveal a restricted recognition, detention or
# sentence, so what a reader is shown per person is what the events THEY may see derive. A page of people
# (as_seen) is derived again whole, for the precisions of its dates, which are not stored. Filters and orders
# derive only the few people with an in-force event a reader may not see (the demo: ~1.5%), found through the
# partial index of events that are not public (policy.hidden_event_types); everyone else keeps their stored
# columns.

_CUSTODY = frozenset({"detained", "released", "died"})
# Which event types, hidden, can change each derived column (read off custody.derive: a detention, release
# or death opens or closes custody; a sentence sets the term; a transfer the facility; charges, convictions
# and emigrations change no column).
_AFFECTS = {
    "status": _CUSTODY,
    "detained_on": _CUSTODY,
    "released_on": _CUSTODY,
    "expected_release_on": _CUSTODY | {"sentenced"},
    "current_facility_id": _CUSTODY | {"transferred"},
    "sentence_months": frozenset({"sentenced"}),
    "recognized": frozenset({"recognized", "recognition_withdrawn"}),
    "first_recognized_on": frozenset({"recognized"}),
}


def as_seen(user: Any, people: Sequence[Person]) -> Sequence[Person]:
    """`people` (loaded for display) with their derived attributes replaced, where they differ, by what the
    events the user may see derive, and with how much of each derived date is known (`detained_on_precision`
    …, DATE_PRECISIONS: the precision of the event it was read from), so that a date entered as "2021" shows
    as "2021" (Person.detained_on_display …) and the API gives the precision beside it. For display only:
    such an instance must never be saved (views and the API never save; writes go through registry.actions,
    which read the stored rows).

    Every person of the page is derived again from the events the user may see (for everyone, since the
    precisions are not stored): their merge clusters and their events, one query each (a merge cluster
    deeper than one record a query more), and one for the facilities of those the user sees elsewhere than
    stored. For someone with no event the user may not see, that derives the stored columns.
    """
    if not people:
        return people
    seen = policy.custody_as_seen(user, [person.pk for person in people])
    changed = []
    for person in people:
        custody = seen.get(person.pk)
        if custody is None:
            continue
        for name in DATE_PRECISIONS:
            setattr(person, f"{name}_precision", getattr(custody, f"{name}_precision"))
        values = derived_values(custody)
        if values != tuple(getattr(person, name) for name in DERIVED_FIELDS):
            changed.append((person, values))
    facility_at = DERIVED_FIELDS.index("current_facility_id")
    wanted = [values[facility_at] for _, values in changed if values[facility_at]]
    facilities = Facility.objects.in_bulk(wanted) if wanted else {}
    for person, values in changed:
        for name, value in zip(DERIVED_FIELDS, values, strict=True):
            if name == "current_facility_id":
                person.current_facility = facilities.get(value) if value else None
            else:
                setattr(person, name, value)
    return people


_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "gte": operator.ge,
    "gt": operator.gt,
    "lte": operator.le,
    "lt": operator.lt,
    "in": lambda value, wanted: value in wanted,
    "year": lambda value, wanted: value.year == wanted,
}


def _matches(values: tuple, lookups: dict[str, Any]) -> bool:
    row = dict(zip(DERIVED_FIELDS, values, strict=True))
    for lookup, wanted in lookups.items():
        name, _, test = lookup.partition("__")
        value = row[name]
        if test in ("", "exact"):
            if value != wanted:
                return False
        elif test == "isnull":
            if (value is None) != wanted:
                return False
        elif value is None or not _TESTS[test](value, wanted):
            return False
    return True


def filter_as_seen(user: Any, qs: QuerySet[Person], **lookups: Any) -> QuerySet[Person]:
    """`qs.filter(**lookups)` on derived columns (DERIVED_FIELDS, with exact, gt(e), lt(e), in, year, isnull), as the
    user may see them: people with a hidden event that can change a filtered column are taken out of the plain
    filter and put back if what the events the user may see derive matches (one query on the index of
    events that are not public; a derivation for those few people only)."""
    fields = {lookup.partition("__")[0] for lookup in lookups}
    unknown = {name for name in fields if name not in _AFFECTS}
    tests = {lookup.partition("__")[2] for lookup in lookups} - {"", "exact", "isnull", *_TESTS}
    if unknown or tests:
        raise ValueError(f"not a derived column or lookup: {', '.join(sorted(unknown | tests))}")
    seen = _derived_as_seen(user, fields)
    if not seen:
        return qs.filter(**lookups)
    matching = [pk for pk, values in seen.items() if _matches(values, lookups)]
    return qs.filter((Q(**lookups) & ~Q(pk__in=in_ids(list(seen)))) | Q(pk__in=in_ids(matching)))


def held_at(
    user: Any, facility_ids: Sequence[int] | None = None, people: QuerySet[Person] | None = None
) -> QuerySet[Person]:
    """The people the user may see (of `people`, if given) in custody at a facility (of `facility_ids`, if
    given), both as the events the user may see derive them.

    As everywhere else a reader is shown derived facts: a person moved by a restricted transfer is where the
    visible events put them, on the person page, facility pages, the facility filter and counts alike, so no
    two views disagree about them (a view that left them out would reveal that a hidden event exists).
    """
    people = policy.persons(user) if people is None else people
    where = {"current_facility_id__isnull": False}
    if facility_ids is not None:
        where = {"current_facility_id__in": list(facility_ids)}
    return filter_as_seen(user, people, status=Person.Status.IN_CUSTODY, **where)


def held_counts(user: Any) -> Counter[int]:
    """{facility id: how many of the people the user may see are held there}, as held_at places them."""
    seen = _derived_as_seen(user, {"status", "current_facility_id"})
    people = policy.persons(user)
    stored = people.filter(status=Person.Status.IN_CUSTODY, current_facility_id__isnull=False)
    counts = Counter(
        dict(
            stored.exclude(pk__in=in_ids(list(seen)))
            .order_by()
            .values_list("current_facility_id")
            .annotate(n=Count("pk"))
        )
    )
    if seen:
        status, facility = DERIVED_FIELDS.index("status"), DERIVED_FIELDS.index("current_facility_id")
        for pk in people.filter(pk__in=in_ids(list(seen))).values_list("pk", flat=True):
            if seen[pk][status] == Person.Status.IN_CUSTODY and seen[pk][facility]:
                counts[seen[pk][facility]] += 1
    return counts


def seen_values(user: Any, field: str) -> dict[int, Any]:
    """{canonical id: a derived column's value as the events the user may see derive it} for the people with
    an in-force event the user may not see that can change that column (DERIVED_FIELDS); everyone else's
    stored value is what the user may see. Empty for those who see every level."""
    at = DERIVED_FIELDS.index(field)
    return {pk: values[at] for pk, values in _derived_as_seen(user, {field}).items()}


def _derived_as_seen(user: Any, fields: set[str]) -> dict[int, tuple]:
    """{canonical id: DERIVED_FIELDS values as the events the user may see derive them} for the people with an
    in-force event the user may not see that can change one of `fields`; empty for those who see every level.
    One query on the partial index of events that are not public (their types are checked here rather than in
    SQL, so that the database reads that index instead of the one on `type`), a derivation for those few."""
    if policy.sees_every_level(user):
        return {}
    types = set().union(*(_AFFECTS[name] for name in fields))
    people = {pk for pk, kind in policy.hidden_event_types(user) if kind in types}
    return _values_as_seen(user, people) if people else {}


def order_as_seen(user: Any, qs: QuerySet[Person], ordering: str) -> QuerySet[Person] | SeenOrder:
    """The ids of `qs` ordered by one column (`"detained_on"`, `"-sentence_months"`, Django's notation), then by
    id, with empty values last; a derived column (DERIVED_FIELDS) as the user may see it. Sliceable and
    countable, for a Paginator.

    The stored column counts hidden events, so sorting by it would place a person by a restricted detention
    date or sentence even where the page shows neither. The few people whose visible events derive another
    value are taken out of the database's order and put back where their visible value falls (SeenOrder).
    """
    field = ordering.removeprefix("-")
    descending = ordering.startswith("-")
    column = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    ids = qs.order_by(column, "pk").values_list("pk", flat=True)
    if field not in _AFFECTS:
        return ids
    seen = seen_values(user, field)
    if not seen:
        return ids
    stored = qs.filter(pk__in=in_ids(list(seen))).values_list("pk", field)
    moved = {pk: seen[pk] for pk, value in stored if value != seen[pk]}
    if not moved:
        return ids
    return SeenOrder(qs, field, descending, moved)


class SeenOrder:
    """The ids of `people` ordered by `field` (descending if asked), empty values last, then by id, where
    `moved` ({id: the value the reader may see}, people of `people`) replaces the stored value of a few. A
    slice is one query: the others' ids and stored values, and the moved pairs as one parameter
    (registry.queries.keyed_values), sorted together by the database, which costs about what sorting the
    stored column alone does, whatever the page.
    """

    def __init__(self, people: QuerySet[Person], field: str, descending: bool, moved: dict[int, Any]) -> None:
        self._people, self._field, self._descending, self._moved = people, field, descending, moved
        self._length: int | None = None

    def __len__(self) -> int:
        if self._length is None:
            self._length = self._people.count()
        return self._length

    def __getitem__(self, index: slice) -> list[int]:
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("SeenOrder slices have no step")
        if stop <= start:
            return []
        kind = Person._meta.get_field(self._field).db_type(connection)
        moved_sql, moved_params = keyed_values(self._moved, kind)
        rest = (
            self._people.exclude(pk__in=in_ids(list(self._moved))).order_by().values_list("pk", self._field)
        )
        rest_sql, rest_params = rest.query.sql_with_params()
        direction = "DESC" if self._descending else "ASC"
        sql = (
            f"SELECT merged.id FROM ({moved_sql} UNION ALL {rest_sql}) merged "  # noqa: S608 - fixed SQL
            f"ORDER BY merged.value IS NULL, merged.value {direction}, merged.id LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*moved_params, *rest_params, stop - start, start])
            return [pk for (pk,) in cursor.fetchall()]


# As stats.memo: an hour bounds how long a write made outside actions.py could go unseen.
_SEEN_TIMEOUT = 3600


def _values_as_seen(user: Any, people: set[int]) -> dict[int, tuple]:
    """{canonical id: DERIVED_FIELDS values from the events the user may see} for the canonical people of
    `people`. Memoised on the registry's version, the user's levels and these people: deriving the few
    hundred people with a restricted recognition (a `recognized` filter) costs tens of milliseconds."""
    digest = hashlib.sha256(",".join(map(str, sorted(people))).encode()).hexdigest()[:32]
    key = f"spis-access:seen:{registry_version()}:{','.join(policy.levels_for(user))}:{digest}"
    found = cache.get(key)
    if found is None:
        roots = sorted(set(canonical_ids(people).values()))
        found = {pk: derived_values(custody) for pk, custody in policy.custody_as_seen(user, roots).items()}
        cache.set(key, found, _SEEN_TIMEOUT)
    return found


def _hidden_everywhere(user: Any) -> list[tuple[int, str]]:
    """(canonical person, event type) of every in-force event the user may not see (policy.hidden_event_types,
    merged records' events under the person they were merged into), for roots_with_hidden. Memoised on the
    registry's version and the user's levels: a campaign's pages and briefs ask again until the next write."""
    key = f"spis-access:hidden:{registry_version()}:{','.join(policy.levels_for(user))}"
    found = cache.get(key)
    if found is None:
        pairs = policy.hidden_event_types(user)
        roots = canonical_ids({pk for pk, _ in pairs})
        found = sorted({(roots.get(pk, pk), kind) for pk, kind in pairs})
        cache.set(key, found, _SEEN_TIMEOUT)
    return found


def roots_with_hidden(user: Any, types: frozenset[str]) -> set[int]:
    """Canonical people with an in-force event of one of `types` that the user may not see (merged records'
    events under the person they were merged into), whoever they are: what an aggregate over the whole
    registry derives again to count as the user may see (stats.breakdowns). Empty for those who see every
    level; memoised with _hidden_everywhere."""
    if policy.sees_every_level(user):
        return set()
    return {root for root, kind in _hidden_everywhere(user) if kind in types}
