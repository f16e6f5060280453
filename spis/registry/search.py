"""THE search function: a query in any script or scheme finds people by their stored name keys.

First version: candidates by substring on keys, ranked with spis.names.search_score. The trigram index
(SQLite FTS5, PostgreSQL pg_trgm) replaces the candidate step; the signature stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spis.access import policy
from spis.names import name_keys, search_score
from spis.registry.models import Name, Person


@dataclass
class Hit:
    person: Person
    name: str
    score: float


def search_person_ids(query: str, limit: int = 50) -> list[int]:
    """Ranked person ids for a query, without visibility filtering (callers filter through policy)."""
    keys = name_keys(query)
    if not keys:
        return []
    candidates: dict[int, tuple[float, str]] = {}
    qs = Name.objects.filter(person__merged_into=None)
    for key in keys[:1]:
        for person_id, text in qs.filter(keys__icontains=key).values_list("person_id", "text")[:5000]:
            score = search_score(query, text)
            if score > candidates.get(person_id, (0.0, ""))[0]:
                candidates[person_id] = (score, text)
    ranked = sorted(candidates.items(), key=lambda item: (-item[1][0], item[0]))
    return [pid for pid, _ in ranked[:limit]]


def search(user: Any, query: str, limit: int = 50) -> list[Hit]:
    """People the user may see whose names match the query, best first."""
    ids = search_person_ids(query, limit * 3)
    visible = {p.pk: p for p in policy.persons(user).filter(pk__in=ids)}
    hits = []
    for pid in ids:
        person = visible.get(pid)
        if person is None:
            continue
        names = policy.names(user, person.names.all())
        best = max(((search_score(query, n.text), n.text) for n in names), default=(0.0, person.display_name))
        hits.append(Hit(person, best[1], round(best[0], 4)))
    return hits[:limit]
