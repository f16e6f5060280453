"""THE search function: a query in any script or scheme finds people by their stored name keys.

The query is folded to the same phonetic skeleton as the stored keys (spis.names), so Tikhanovsky,
Тихановский and Ціханоўскі all become `tihanavski`. Candidates come from indexes on registry_name.keys
(created by migration 0002): on SQLite an FTS5 word index (whole words, then word prefixes; words under
three letters are prefixes) and an FTS5 `tokenize='trigram'` index (substrings, then misspellings: each
word must keep one of its halves); on PostgreSQL LIKE and word_similarity on a pg_trgm GIN index. The
trigram tier is asked only when the word index finds no good match. Candidates are re-ranked with
spis.names.search_score. What a user may find (visibility) is decided above, in spis.access.queries.search(),
which the site, the API and `spis search` call, and handed to ranked() as `visible`, so that the people a user
may not see count for nothing in it; the admin and the importer rank with search_person_ids()."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from rapidfuzz import fuzz

from spis.names import fold, search_score
from spis.registry.models import Name
from spis.registry.queries import canonical_ids

# Longer input is cut, not refused: a pasted paragraph still searches by its first words.
MAX_QUERY_CHARS = 200
MAX_WORDS = 6
# Rows scored per tier; scoring is the cost that matters (~50 µs a name), the index lookups are cheap.
MIN_CANDIDATES = 60
# A misspelling-tier candidate must score at least this to be shown; word-index hits always are.
FUZZY_FLOOR = 0.75
# A word-index hit this good means the query was spelt as stored: the trigram tiers are not asked.
GOOD_SCORE = 0.9
_FTS_READY: set[str] = set()


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
        "SELECT count(*) FROM sqlite_master WHERE name IN ('registry_name_fts', 'registry_name_words', "
        "'registry_name_fts_ai', 'registry_name_fts_ad', 'registry_name_fts_au')"
    )
    if cursor.fetchone()[0] < 5:
        rebuild_index()
    alias = connection.alias
    if connection.in_atomic_block:
        # Ready once committed: triggers made inside a transaction that is rolled back (a dry run, an import
        # that fails, after a migration dropped them) are gone again, and the names this process wrote later
        # would not be found by search or the import's matching.
        transaction.on_commit(lambda: _FTS_READY.add(alias))
    else:
        _FTS_READY.add(alias)


@contextmanager
def bulk_loading() -> Iterator[None]:
    """For bulk inserts of names (demo, large imports): index once at the end instead of row by row.

    On SQLite the per-row triggers cost ~10× the insert itself; dropping them inside the caller's
    transaction and rebuilding both FTS tables afterwards gives the same index. A rollback restores the
    triggers with everything else (SQLite DDL is transactional). PostgreSQL's GIN index needs nothing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    from importlib import import_module

    migration = import_module("spis.registry.migrations.0002_review_and_search")
    with connection.cursor() as cursor:
        _ensure_sqlite_index(cursor)
        for statement in migration.SQLITE_BACKWARD[:3]:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_FORWARD:
            cursor.execute(statement)


def rebuild_index() -> None:
    """Create (if needed) and refill the search index from registry_name.keys."""
    from importlib import import_module

    migration = import_module("spis.registry.migrations.0002_review_and_search")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The triggers dropped first (CREATE TRIGGER IF NOT EXISTS would keep an outdated one), the tables
            # made where missing and refilled ('rebuild'), as bulk_loading does. Not dropped: a virtual table
            # dropped and made again inside a transaction that is then rolled back leaves SQLite's FTS5 unable
            # to open the next savepoint ("constraint failed").
            for statement in [*migration.SQLITE_BACKWARD[:3], *migration.SQLITE_FORWARD]:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            for statement in migration.POSTGRES_FORWARD:
                cursor.execute(statement)


def _fts_ids(cursor: Any, expression: str, cap: int, table: str = "registry_name_fts") -> list[int]:
    cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s LIMIT %s", [expression, cap])  # noqa: S608
    return [row[0] for row in cursor.fetchall()]


def _halves(word: str) -> list[str]:
    """Two overlapping halves of a word: one misspelt letter leaves at least one of them intact."""
    if len(word) <= 3:
        return [word]
    if len(word) < 6:
        return [word[:3], word[-3:]]
    if len(word) < 8:
        return [word[:4], word[-4:]]
    mid = len(word) // 2
    return [word[: mid + 1], word[mid - 1 :]]


def _sqlite_exact(long_words: list[str], short_words: list[str], cap: int) -> list[int]:
    """Whole words, then word prefixes (Tsikhanouski finds Tsikhanouskaya), from the word index."""
    with connection.cursor() as cursor:
        _ensure_sqlite_index(cursor)
        short = [f"{w}*" for w in short_words]
        found = _fts_ids(cursor, " AND ".join([*long_words, *short]), cap, "registry_name_words")
        if len(found) < cap and long_words:
            seen = set(found)
            more = _fts_ids(
                cursor, " AND ".join([f"{w}*" for w in long_words] + short), cap, "registry_name_words"
            )
            found.extend(i for i in more if i not in seen)
    return found[:cap]


def _sqlite_fuzzy(long_words: list[str], cap: int) -> list[int]:
    """Substrings and misspellings (words are a-z only, so quoting is safe).

    Words the word index knows are taken as spelt right and narrow the candidates cheaply; every other word
    must keep one of its halves (one misspelt letter leaves one intact). Only when no word is known does the
    trigram index answer, since a half such as "avic" (every patronymic) is too common to look up alone.
    """
    with connection.cursor() as cursor:
        _ensure_sqlite_index(cursor)
        known = [w for w in long_words if _fts_ids(cursor, w, 1, "registry_name_words")]
        unknown = [w for w in long_words if w not in known]
        if known and unknown:
            ids = _fts_ids(cursor, " AND ".join(known), 20 * cap, "registry_name_words")
            rows = Name.objects.filter(pk__in=ids).values_list("pk", "keys")
            return [pk for pk, keys in rows if all(any(h in keys for h in _halves(w)) for w in unknown)][
                : 3 * cap
            ]
        found = (
            _fts_ids(cursor, " AND ".join(f'"{w}"' for w in long_words), cap) if len(long_words) == 1 else []
        )
        if len(found) < cap:
            seen = set(found)
            halves = " AND ".join("(" + " OR ".join(f'"{h}"' for h in _halves(w)) + ")" for w in long_words)
            found.extend(i for i in _fts_ids(cursor, halves, cap) if i not in seen)
        if not found and len(long_words) > 1:
            # A word may be wrong beyond repair: any half of any word; the score decides.
            found = _fts_ids(cursor, " OR ".join(f'"{h}"' for w in long_words for h in _halves(w)), cap)
    return found


def _postgres_exact(long_words: list[str], short_words: list[str], cap: int) -> list[int]:
    # LIKE '%w%' uses the GIN gin_trgm_ops index on keys; short words must start a key word.
    clauses = ["keys LIKE %s"] * len(long_words) + ["(keys LIKE %s OR keys LIKE %s)"] * len(short_words)
    params: list[Any] = [f"%{w}%" for w in long_words]
    for w in short_words:
        params += [f"{w}%", f"% {w}%"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM registry_name WHERE {' AND '.join(clauses)} LIMIT %s", [*params, cap])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _postgres_fuzzy(long_words: list[str], cap: int) -> list[int]:
    phrase = " ".join(long_words)
    with connection.cursor() as cursor:
        # word_similarity's <% operator is served by the same GIN index.
        cursor.execute(
            "SELECT id FROM registry_name WHERE %s <%% keys ORDER BY word_similarity(%s, keys) DESC LIMIT %s",
            [phrase, phrase, cap],
        )
        return [row[0] for row in cursor.fetchall()]


def _exact(words: list[str], cap: int) -> list[int]:
    long_words = [w for w in words if len(w) >= 3]
    # Under three letters there are no trigrams: a short word must start a word of the name.
    short_words = [w for w in words if len(w) < 3]
    if connection.vendor == "postgresql":
        return _postgres_exact(long_words, short_words, cap)
    return _sqlite_exact(long_words, short_words, cap)


def _fuzzy(words: list[str], cap: int) -> list[int]:
    long_words = [w for w in words if len(w) >= 3]
    if not long_words:
        return []
    if connection.vendor == "postgresql":
        return _postgres_fuzzy(long_words, cap)
    return _sqlite_fuzzy(long_words, cap)


def _score_rows(
    ids: list[int], levels: list[str] | None, text: str, floor: float, best: dict[int, tuple[float, str]]
) -> bool:
    """Score candidate names into `best` (person id -> (score, name)); True if any came from a merged record."""
    rows = Name.objects.filter(pk__in=ids)
    if levels is not None:
        rows = rows.filter(confidentiality__in=levels)
    scores: dict[str, float] = {}
    merged = False
    for person_id, merged_into, name in rows.values_list("person_id", "person__merged_into_id", "text"):
        if name not in scores:
            scores[name] = search_score(text, name)
        score = scores[name]
        if score < floor:
            continue
        # A merged record's names count for the person it was merged into (resolved by the caller).
        key = merged_into or person_id
        merged = merged or merged_into is not None
        current = best.get(key)
        if current is None or score > current[0] or score == current[0] and _closer(text, name, current[1]):
            best[key] = (score, name)
    return merged


def ranked(
    query: str, limit: int, levels: list[str] | None, visible: Callable[[list[int]], set[int]] | None = None
) -> list[tuple[int, float, str]]:
    """(canonical person id, score, best name) best first; `levels` limits which names may match, `visible`
    (given canonical ids, those the reader may see) which people. The people a reader may not see are left
    out before the word index's matches decide whether the trigram tier is asked: else a hidden person's
    exact name would skip it, and a search with no result where a near spelling finds some would tell that
    the hidden person exists."""
    words = query_words(query)
    if not words or limit <= 0:
        return []
    cap = max(MIN_CANDIDATES, 2 * limit)
    text = _clean_query(query)
    best: dict[int, tuple[float, str]] = {}
    merged = _score_rows(_exact(words, cap), levels, text, 0.0, best)
    if visible is not None:
        best, merged = _seen(_to_canonical(best) if merged else best, visible), False
    # The trigram tiers cost the most: ask them only when the word index found too few good matches.
    good = sum(1 for score, _name in best.values() if score >= GOOD_SCORE)
    fuzzy = good < limit and (not best or max(score for score, _ in best.values()) < GOOD_SCORE)
    if fuzzy:
        merged |= _score_rows(_fuzzy(words, cap), levels, text, FUZZY_FLOOR, best)
    if merged:
        best = _to_canonical(best)
    if visible is not None and fuzzy:
        best = _seen(best, visible)  # the trigram tier's people (the word index's were seen above)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))
    return [(pid, score, name) for pid, (score, name) in ranked]


def _seen(best: dict[int, tuple[float, str]], visible: Callable[[list[int]], set[int]]) -> dict[int, Any]:
    """The canonical people of `best` the reader may see."""
    shown = visible(list(best)) if best else set()
    return {pid: value for pid, value in best.items() if pid in shown}


def _closer(query: str, name: str, other: str) -> bool:
    """Among equally good names, show the one written most like the query (its script and scheme)."""
    q = query.casefold()
    return bool(fuzz.partial_ratio(q, name.casefold()) > fuzz.partial_ratio(q, other.casefold()))


def _to_canonical(best: dict[int, tuple[float, str]]) -> dict[int, tuple[float, str]]:
    """Each hit under its canonical person (merge chains followed to the root), the best score kept."""
    roots = canonical_ids(best)
    out: dict[int, tuple[float, str]] = {}
    for pid, value in best.items():
        root = roots.get(pid, pid)
        if value[0] > out.get(root, (-1.0, ""))[0]:
            out[root] = value
    return out


def name_ids_with_word_prefix(prefix: str, cap: int) -> list[int]:
    """Ids of names with a key word that starts with `prefix` (folded letters), from the same indexes as the
    search: the importer's look-up of a surname's first letters, which fold apart across scripts."""
    prefix = "".join(ch for ch in prefix if "a" <= ch <= "z")
    if not prefix:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # LIKE with a pattern of three or more letters is served by the pg_trgm GIN index on keys.
            cursor.execute(
                "SELECT id FROM registry_name WHERE keys LIKE %s OR keys LIKE %s LIMIT %s",
                [f"{prefix}%", f"% {prefix}%", cap],
            )
            return [row[0] for row in cursor.fetchall()]
        _ensure_sqlite_index(cursor)
        return _fts_ids(cursor, f'"{prefix}"*', cap, "registry_name_words")


def search_person_ids(query: str, limit: int = 50) -> list[int]:
    """Ranked canonical person ids for a query, without visibility filtering (callers filter through policy)."""
    return [pid for pid, _score, _name in ranked(query, limit, None)[:limit]]
