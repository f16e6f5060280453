"""THE search function: a query in any script or scheme finds people by their stored name keys.

The query is folded to the same phonetic skeleton as the stored keys (spis.names), so Tikhanovsky,
Тихановский and Ціханоўскі all become `tihanavski`. Candidates come from a trigram index on
registry_name.keys (SQLite FTS5 `tokenize='trigram'`, PostgreSQL pg_trgm; created by migration 0002) in
tiers, stopping once there are enough: whole words, then substrings, then trigram overlap for misspellings.
Words under three letters cannot use a trigram index and fall back to a prefix match. Candidates are
re-ranked with spis.names.search_score. The site, the API, the admin and `spis search` all call search().
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.http import Http404
from rapidfuzz import fuzz
from django.db.models import Q

from spis.access import policy
from spis.names import fold, search_score
from spis.registry.models import Name, Person
from spis.registry.queries import get_person_for

# Longer input is cut, not refused: a pasted paragraph still searches by its first words.
MAX_QUERY_CHARS = 200
MAX_WORDS = 6
# Rows scored per tier; scoring is the cost that matters (~50 µs a name), the index lookups are cheap.
MIN_CANDIDATES = 150
# A misspelling-tier candidate must score at least this to be shown; whole-word and substring hits always are.
FUZZY_FLOOR = 0.75
_PUBLIC_ID = re.compile(r"^[A-Za-z]{2,8}-\d{1,9}$")
_FTS_READY: set[str] = set()


@dataclass
class Hit:
    person: Person
    name: str
    score: float


def query_words(query: str) -> list[str]:
    """The query as skeleton words (a-z only), longest first; empty for a query without letters."""
    text = "".join(
        ch if unicodedata.category(ch)[0] != "C" else " " for ch in (query or "")[:MAX_QUERY_CHARS]
    )
    words = list(dict.fromkeys(fold(text).split()))
    return sorted(words, key=len, reverse=True)[:MAX_WORDS]


def _clean_query(query: str) -> str:
    # search_score re-parses the raw query; give it the same cut, control-free text the keys were built from.
    cut = (query or "")[:MAX_QUERY_CHARS]
    return " ".join("".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in cut).split())


# Candidate retrieval, one implementation per database. Each returns name ids in tier order.


def _ensure_sqlite_index(cursor: Any) -> None:
    """Re-create the FTS5 table and triggers if missing (SQLite drops triggers when Django rebuilds a table)."""
    if connection.alias in _FTS_READY:
        return
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE name IN "
        "('registry_name_fts', 'registry_name_fts_ai', 'registry_name_fts_ad', 'registry_name_fts_au')"
    )
    if cursor.fetchone()[0] < 4:
        rebuild_index()
    _FTS_READY.add(connection.alias)


def rebuild_index() -> None:
    """Create (if needed) and refill the search index from registry_name.keys."""
    from importlib import import_module

    migration = import_module("spis.registry.migrations.0002_review_and_search")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in migration.SQLITE_FORWARD:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            for statement in migration.POSTGRES_FORWARD:
                cursor.execute(statement)


def _fts_ids(cursor: Any, expression: str, cap: int) -> list[int]:
    cursor.execute("SELECT rowid FROM registry_name_fts WHERE registry_name_fts MATCH %s LIMIT %s", [expression, cap])
    return [row[0] for row in cursor.fetchall()]


def _halves(word: str) -> list[str]:
    """Two overlapping halves of a word: one misspelt letter leaves at least one of them intact."""
    if len(word) < 6:
        return [word]
    mid = len(word) // 2
    return [word[: mid + 1], word[mid - 1 :]] if len(word) >= 8 else [word[:4], word[-4:]]


def _sqlite_candidates(long_words: list[str], cap: int, want: int) -> tuple[list[int], list[int]]:
    """(exact-or-substring ids, misspelling ids) from FTS5; words are a-z only, so quoting is safe."""
    with connection.cursor() as cursor:
        _ensure_sqlite_index(cursor)
        # Tier 1: whole words. Keys are space-separated skeletons and every word of a name recurs inside
        # the key string, so " w " (spaces round it) finds whole-word matches; tier 2 then any substring.
        found = _fts_ids(cursor, " AND ".join(f'" {w} "' for w in long_words), cap)
        if len(found) < cap:
            seen = set(found)
            more = _fts_ids(cursor, " AND ".join(f'"{w}"' for w in long_words), cap)
            found.extend(i for i in more if i not in seen)
        fuzzy: list[int] = []
        if len(found) < want:
            # Tier 3, misspellings: every word must keep one of its halves (one wrong letter per word).
            seen = set(found)
            halves = [" OR ".join(f'"{h}"' for h in _halves(w)) for w in long_words]
            expression = " AND ".join(f"({h})" for h in halves)
            fuzzy = [i for i in _fts_ids(cursor, expression, cap) if i not in seen]
            if not found and not fuzzy and len(long_words) > 1:
                # Tier 4: a word may be wrong beyond repair; any half of any word, scored strictly later.
                expression = " OR ".join(f"({h})" for h in halves)
                fuzzy = _fts_ids(cursor, expression, cap)
    return found[:cap], fuzzy


def _postgres_candidates(long_words: list[str], cap: int, want: int) -> tuple[list[int], list[int]]:
    # ILIKE '%w%' and word_similarity (<%) both use the GIN gin_trgm_ops index on keys.
    where = " AND ".join(["keys LIKE %s"] * len(long_words))
    params: list[Any] = [f"%{w}%" for w in long_words]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM registry_name WHERE {where} LIMIT %s", [*params, cap])  # noqa: S608
        found = [row[0] for row in cursor.fetchall()]
        fuzzy: list[int] = []
        if len(found) < want:
            phrase = " ".join(long_words)
            cursor.execute(
                "SELECT id FROM registry_name WHERE %s <%% keys ORDER BY word_similarity(%s, keys) DESC LIMIT %s",
                [phrase, phrase, cap],
            )
            seen = set(found)
            fuzzy = [row[0] for row in cursor.fetchall() if row[0] not in seen]
    return found, fuzzy


def _prefix_candidates(short_words: list[str], cap: int) -> list[int]:
    # Under three letters there are no trigrams: match the start of any key word instead (a scan, stopped at cap).
    qs = Name.objects.all()
    for word in short_words:
        qs = qs.filter(Q(keys__startswith=word) | Q(keys__contains=f" {word}"))
    return list(qs.order_by().values_list("pk", flat=True)[:cap])


def _candidates(words: list[str], cap: int, want: int) -> tuple[list[int], list[int]]:
    long_words = [w for w in words if len(w) >= 3]
    short_words = [w for w in words if len(w) < 3]
    if not long_words:
        return _prefix_candidates(short_words, cap), []
    if connection.vendor == "sqlite":
        found, fuzzy = _sqlite_candidates(long_words, cap, want)
    elif connection.vendor == "postgresql":
        found, fuzzy = _postgres_candidates(long_words, cap, want)
    else:  # pragma: no cover - spis supports SQLite and PostgreSQL only
        found = list(Name.objects.filter(keys__contains=long_words[0]).values_list("pk", flat=True)[:cap])
        fuzzy = []
    if short_words:
        # "Tsikhanouski S": the long word retrieves, the short one must start a word of the same name.
        keep = _short_filter(short_words, found + fuzzy)
        found, fuzzy = [i for i in found if i in keep], [i for i in fuzzy if i in keep]
    return found, fuzzy


def _short_filter(short_words: list[str], ids: list[int]) -> set[int]:
    keys = Name.objects.filter(pk__in=ids).values_list("pk", "keys")
    return {pk for pk, k in keys if all(re.search(rf"(^| ){w}", k) for w in short_words)}


def _ranked(query: str, limit: int, levels: list[str] | None) -> list[tuple[int, float, str]]:
    """(canonical person id, score, best name) best first; `levels` limits which names may match."""
    words = query_words(query)
    if not words or limit <= 0:
        return []
    cap = max(MIN_CANDIDATES, 3 * limit)
    found, fuzzy = _candidates(words, cap, limit)
    if not found and not fuzzy:
        return []
    rows = Name.objects.filter(pk__in=found + fuzzy)
    if levels is not None:
        rows = rows.filter(confidentiality__in=levels)
    fuzzy_ids = set(fuzzy)
    text = _clean_query(query)
    scores: dict[str, float] = {}
    best: dict[int, tuple[float, str]] = {}
    merged = False
    values = rows.values_list("pk", "person_id", "person__merged_into_id", "text")
    for pk, person_id, merged_into, name in values:
        if name not in scores:
            scores[name] = search_score(text, name)
        score = scores[name]
        if pk in fuzzy_ids and score < FUZZY_FLOOR:
            continue
        # A merged record's names count for the person it was merged into (resolved below).
        key = merged_into or person_id
        merged = merged or merged_into is not None
        current = best.get(key)
        if current is None or score > current[0] or score == current[0] and _closer(text, name, current[1]):
            best[key] = (score, name)
    if merged:
        best = _to_canonical(best)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))
    return [(pid, score, name) for pid, (score, name) in ranked]


def _closer(query: str, name: str, other: str) -> bool:
    """Among equally good names, show the one written most like the query (its script and scheme)."""
    q = query.casefold()
    return bool(fuzz.partial_ratio(q, name.casefold()) > fuzz.partial_ratio(q, other.casefold()))


def _to_canonical(best: dict[int, tuple[float, str]]) -> dict[int, tuple[float, str]]:
    """Follow merge chains longer than one link (A merged into B merged into C) up to the root."""
    parents = dict(Person.objects.filter(pk__in=list(best)).values_list("pk", "merged_into_id"))
    out: dict[int, tuple[float, str]] = {}
    for pid, value in best.items():
        root, hops = pid, 0
        while parents.get(root) and hops < 50:
            root = parents[root]
            hops += 1
            if root not in parents:
                parents.update(Person.objects.filter(pk=root).values_list("pk", "merged_into_id"))
        if value[0] > out.get(root, (-1.0, ""))[0]:
            out[root] = value
    return out


def search_person_ids(query: str, limit: int = 50) -> list[int]:
    """Ranked canonical person ids for a query, without visibility filtering (callers filter through policy)."""
    return [pid for pid, _score, _name in _ranked(query, limit, None)[:limit]]


def search(user: Any, query: str, limit: int = 50) -> list[Hit]:
    """People the user may see whose names (those the user may see) match the query, best first.

    A public id (BY-000123) finds that person directly.
    """
    limit = max(0, min(int(limit), 500))
    levels = policy.levels_for(user)
    hits: list[Hit] = []
    stripped = (query or "").strip()
    if _PUBLIC_ID.match(stripped):
        try:
            # get_person_for follows merges: a duplicate's old public id finds the canonical person.
            person = get_person_for(user, stripped.upper())
        except Http404:
            person = None
        if person is not None:
            hits.append(Hit(person, person.display_name, 1.0))
    ranked = _ranked(query, limit * 2, levels)
    visible = {p.pk: p for p in policy.persons(user).filter(pk__in=[pid for pid, _, _ in ranked])}
    seen = {h.person.pk for h in hits}
    for pid, score, name in ranked:
        person = visible.get(pid)
        if person is None or pid in seen:
            continue
        hits.append(Hit(person, name, round(score, 4)))
    return hits[:limit]
