"""Reads of registry data as a given user may see them: every one goes through the visibility policy.

Above the registry (DESIGN.md: access -> registry): the registry ranks and stores, this module decides what a
user is shown. The site, the API, the outreach letters and `spis search` call these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from spis.access import policy
from spis.registry.models import Person
from spis.registry.queries import in_ids
from spis.registry.search import ranked as rank_names

_PUBLIC_ID = re.compile(r"^[A-Za-z]{2,8}-\d{1,9}$")


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


def _ranked_for(user: Any, query: str, limit: int) -> tuple[int, Person | None, list[tuple[int, float, str]]]:
    """What both searches start from: the bounded limit, the person a public id names (if any and visible),
    and the ranked names the user may see, a few more than asked for (some people may be hidden)."""
    limit = max(0, min(int(limit), 500))
    return limit, _by_public_id(user, query), rank_names(query, limit + 20, policy.levels_for(user))


def search_visible_ids(user: Any, query: str, limit: int = 50) -> list[int]:
    """The ids of `search(user, query, limit)`'s people, in its order, without loading them (list pages)."""
    limit, direct, ranked = _ranked_for(user, query, limit)
    found = [direct.pk] if direct is not None else []
    ids = [pid for pid, _, _ in ranked]
    visible = set(policy.persons(user).filter(pk__in=in_ids(ids)).values_list("pk", flat=True))
    found += [pid for pid in ids if pid in visible and pid not in found]
    return found[:limit]


def search(user: Any, query: str, limit: int = 50) -> list[Hit]:
    """People the user may see whose names (those the user may see) match the query, best first.

    A public id (BY-000123) finds that person directly.
    """
    limit, direct, ranked = _ranked_for(user, query, limit)
    hits = [Hit(direct, direct.display_name, 1.0)] if direct is not None else []
    visible = {p.pk: p for p in policy.persons(user).filter(pk__in=in_ids([pid for pid, _, _ in ranked]))}
    seen = {h.person.pk for h in hits}
    for pid, score, name in ranked:
        person = visible.get(pid)
        if person is None or pid in seen:
            continue
        hits.append(Hit(person, name, round(score, 4)))
    return hits[:limit]
