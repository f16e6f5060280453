"""Find likely duplicate records for the review queue: blocking on name keys, then spis.names.match.

Comparing every pair of 100,000 people is 5 billion pairs; blocking keeps only pairs that share a cheap key:
- surname skeleton + given-name id (table row, else skeleton) + birth year (records without a birth date
  are compared with every year of their surname + given block);
- given-name id + exact birth date, and surname skeleton + exact birth date, for spelling variants that
  the skeletons do not fold together (a changed surname, a given name missing from the table).
Each surviving pair of clusters is scored with match() over all their names and birth dates; pairs at or
above REVIEW_THRESHOLD go to the queue with the best names and the matcher's explanation.
Clusters, not records, are compared: a merged record's names count for its canonical person, and clusters
judged different are never paired again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from spis.names import REVIEW_THRESHOLD, SAME_THRESHOLD, match, parse_name
from spis.names.parse import ParsedName

from . import audit
from .dates import format_partial
from .models import DuplicateCandidate, Judgement, Name, Person, Verdict

# A block bigger than this is a key too common to discriminate (a namesake wave); its pairs are skipped and
# counted in the report, so a reviewer knows where the queue is blind.
MAX_BLOCK = 400


@dataclass
class Pair:
    left_id: int
    right_id: int
    score: float
    explanation: str
    left_name: str
    right_name: str
    left_public_id: str = ""
    right_public_id: str = ""

    @property
    def same(self) -> bool:
        return self.score >= SAME_THRESHOLD


@dataclass
class Report:
    persons: int = 0
    clusters: int = 0
    names: int = 0
    compared: int = 0
    oversized_blocks: int = 0
    pairs: list[Pair] = field(default_factory=list)
    stored_new: int = 0
    stored_updated: int = 0

    def as_dict(self, limit: int | None = None) -> dict[str, Any]:
        shown = self.pairs if limit is None else self.pairs[:limit]
        return {
            "persons": self.persons,
            "clusters": self.clusters,
            "names": self.names,
            "pairs_compared": self.compared,
            "oversized_blocks_skipped": self.oversized_blocks,
            "candidates": len(self.pairs),
            "likely_same": sum(1 for p in self.pairs if p.same),
            "stored_new": self.stored_new,
            "stored_updated": self.stored_updated,
            "review_threshold": REVIEW_THRESHOLD,
            "same_threshold": SAME_THRESHOLD,
            "pairs": [
                {
                    "left": p.left_public_id,
                    "right": p.right_public_id,
                    "score": p.score,
                    "same": p.same,
                    "left_name": p.left_name,
                    "right_name": p.right_name,
                    "explanation": p.explanation,
                }
                for p in shown
            ],
        }


@dataclass
class _Cluster:
    root: int
    birth: str
    year: int | None
    day: dt.date | None
    names: list[str] = field(default_factory=list)


def _parsed(text: str) -> ParsedName | None:
    try:
        return parse_name(text)
    except ValueError:
        return None


def _given_keys(p: ParsedName) -> list[str]:
    return sorted(p.given_ids) or ([p.given] if p.given else [])


def _load() -> tuple[dict[int, _Cluster], int, int]:
    """Clusters keyed by root id, with every member's names; the root's birth date, else a member's."""
    rows = list(Person.objects.values_list("pk", "merged_into_id", "birth_date", "birth_date_precision"))
    parent = {pk: merged for pk, merged, _b, _p in rows if merged}

    def root(pk: int) -> int:
        hops = 0
        while pk in parent and hops < 100:
            pk, hops = parent[pk], hops + 1
        return pk

    roots = {pk: root(pk) for pk, *_ in rows}
    clusters: dict[int, _Cluster] = {}
    # Roots first, so a cluster takes the canonical record's birth date when it has one.
    for pk, _merged, birth, precision in sorted(rows, key=lambda r: r[1] is not None):
        r = roots[pk]
        current = clusters.get(r)
        if current is None or (not current.birth and birth):
            clusters[r] = _Cluster(
                r,
                format_partial(birth, precision),
                birth.year if birth else None,
                birth if birth and precision == "day" else None,
                current.names if current else [],
            )
    names = 0
    for person_id, text in Name.objects.values_list("person_id", "text").iterator(chunk_size=20000):
        clusters[roots[person_id]].names.append(text)
        names += 1
    return clusters, len(rows), names


def _blocks(clusters: dict[int, _Cluster]) -> Iterator[list[int]]:
    by_name_year: dict[tuple, set[int]] = defaultdict(set)
    no_year: dict[tuple, set[int]] = defaultdict(set)
    by_day: dict[tuple, set[int]] = defaultdict(set)
    for c in clusters.values():
        for text in set(c.names):
            parsed = _parsed(text)
            if parsed is None:
                continue
            for p in (parsed, parsed.swapped) if parsed.swapped else (parsed,):
                for g in _given_keys(p):
                    if c.year is None:
                        no_year[(p.surname, g)].add(c.root)
                    else:
                        by_name_year[(p.surname, g, c.year)].add(c.root)
                    if c.day is not None:
                        by_day[("g", g, c.day)].add(c.root)
                if c.day is not None and p.surname:
                    by_day[("s", p.surname, c.day)].add(c.root)
    yield from (sorted(members) for members in by_name_year.values())
    yield from (sorted(members) for members in by_day.values())
    if no_year:
        years: dict[tuple, set[int]] = defaultdict(set)
        for (surname, g, _year), members in by_name_year.items():
            years[(surname, g)] |= members
        for key, members in no_year.items():
            yield sorted(members | years.get(key, set()))


def _blocked_pairs() -> set[tuple[int, int]]:
    """Root pairs judged different (in force), as (low, high)."""
    from .actions import canonical

    out = set()
    for judgement in Judgement.objects.filter(verdict=Verdict.DIFFERENT, undone_at=None).select_related(
        "left", "right"
    ):
        a, b = canonical(judgement.left).pk, canonical(judgement.right).pk
        out.add((min(a, b), max(a, b)))
    return out


def _detail(text: str) -> int:
    parsed = _parsed(text)
    return 0 if parsed is None else bool(parsed.given) + bool(parsed.patronymic)


def _score(a: _Cluster, b: _Cluster) -> tuple[float, str, str, str]:
    """Best match over the two clusters' names, among the most detailed comparable pairs.

    A Latin alias without patronymic must not outvote two full names whose patronymics differ, so when
    both clusters have names with a patronymic only those pairs count.
    """
    best = (-1.0, "", "", "")
    best_detail = -1
    for na in dict.fromkeys(a.names):
        for nb in dict.fromkeys(b.names):
            detail = min(_detail(na), _detail(nb))
            if detail < best_detail:
                continue
            try:
                result = match(na, nb, a.birth or None, b.birth or None)
            except ValueError:
                continue
            if detail > best_detail or result.score > best[0]:
                best, best_detail = (result.score, result.explanation, na, nb), detail
    return best


def find(threshold: float = REVIEW_THRESHOLD) -> Report:
    """Candidate pairs of clusters scoring at least `threshold`, best first."""
    clusters, persons, names = _load()
    report = Report(persons=persons, clusters=len(clusters), names=names)
    blocked = _blocked_pairs()
    seen: set[tuple[int, int]] = set()
    for members in _blocks(clusters):
        if len(members) < 2:
            continue
        if len(members) > MAX_BLOCK:
            report.oversized_blocks += 1
            continue
        for a, b in itertools.combinations(members, 2):
            if (a, b) in seen or (a, b) in blocked:
                continue
            seen.add((a, b))
            score, why, na, nb = _score(clusters[a], clusters[b])
            if score >= threshold:
                report.pairs.append(Pair(a, b, score, why, na, nb))
    report.compared = len(seen)
    report.pairs.sort(key=lambda p: (-p.score, p.left_id, p.right_id))
    ids = {i for p in report.pairs for i in (p.left_id, p.right_id)}
    public = dict(Person.objects.filter(pk__in=ids).values_list("pk", "public_id")) if ids else {}
    for p in report.pairs:
        p.left_public_id, p.right_public_id = public[p.left_id], public[p.right_id]
    return report


@transaction.atomic
def store(actor: Any, report: Report, limit: int | None = None) -> Report:
    """Put the pairs in the review queue: new pairs open; open pairs re-scored; judged pairs left alone."""
    now = timezone.now()
    pairs = report.pairs if limit is None else report.pairs[:limit]
    existing = {
        (left, right): (pk, status)
        for pk, left, right, status in DuplicateCandidate.objects.values_list(
            "pk", "left_id", "right_id", "status"
        )
    }
    new, updates = [], []
    for p in pairs:
        found = existing.get((p.left_id, p.right_id))
        if found is None:
            new.append(
                DuplicateCandidate(
                    left_id=p.left_id,
                    right_id=p.right_id,
                    score=p.score,
                    explanation=p.explanation,
                    left_name=p.left_name[:300],
                    right_name=p.right_name[:300],
                    found_at=now,
                )
            )
        elif found[1] in (DuplicateCandidate.Status.OPEN, DuplicateCandidate.Status.SETTLED):
            updates.append(
                DuplicateCandidate(
                    pk=found[0],
                    score=p.score,
                    explanation=p.explanation,
                    left_name=p.left_name[:300],
                    right_name=p.right_name[:300],
                    status=DuplicateCandidate.Status.OPEN,
                    found_at=now,
                )
            )
    DuplicateCandidate.objects.bulk_create(new, batch_size=2000)
    DuplicateCandidate.objects.bulk_update(
        updates, ["score", "explanation", "left_name", "right_name", "status", "found_at"], batch_size=2000
    )
    report.stored_new, report.stored_updated = len(new), len(updates)
    audit.append(
        actor,
        "dedupe",
        "registry.duplicatecandidate",
        None,
        {"found": len(report.pairs), "new": len(new), "updated": len(updates)},
    )
    return report


def run(
    actor: Any = "system:dedupe",
    *,
    save: bool = True,
    limit: int | None = None,
    threshold: float = REVIEW_THRESHOLD,
) -> Report:
    """Find candidate pairs and (unless save=False) store them in the review queue."""
    report = find(threshold)
    if save:
        store(actor, report, limit)
    return report
