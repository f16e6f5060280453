"""Pairwise name matching: one calibrated score in [0, 1] with a documented threshold.

Surname: similarity of skeletons. Given name: the equivalence table, else skeleton similarity. Patronymic: the
equivalence of its stem, ignored when one side has none. Birth dates, when both are known, confirm or separate.
Thresholds were set on the real-name fixtures in tests/names/fixtures (see spis/names/README.md).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel, Levenshtein

from spis.names.clean import clean, words
from spis.names.fold import fold, skeleton
from spis.names.parse import ParsedName, parse_name

# A pair scoring at or above SAME_THRESHOLD is the same person; between REVIEW_THRESHOLD and SAME_THRESHOLD a
# documenter should look at it (the duplicate review queue); below REVIEW_THRESHOLD it is different people.
SAME_THRESHOLD = 0.80
REVIEW_THRESHOLD = 0.60

# Below these part similarities the parts name different things; the score is capped under REVIEW_THRESHOLD.
_SURNAME_FLOOR = 0.78
_GIVEN_FLOOR = 0.70
_PATRONYMIC_FLOOR = 0.70
_CAP = 0.45
_BARE_SURNAME = 0.7
_INITIAL_CAP = 0.75
# Two given names that are both in the table but in different rows (Аляксандр vs Аляксандра, Алена vs Алеся)
# are different names however similar they look.
_KNOWN_DIFFERENT = 0.5
# A surname that is another with an ending added (Коваль/Ковалёв, Новик/Новиков, Петров/Петровский) or letters
# put in (Петров/Петраков) is another surname, however close its letters: a pair of them is for review at most,
# and an agreeing birth date (+0.10) does not make it the same person.
_OTHER_SURNAME_CAP = 0.65
# Letters Belarusian puts between vowels where Russian has none (Лявонаў/Леонов, Лявончык/Леончик): a run of
# them inside a surname is a spelling, not another surname.
_SPELLING_RUN = frozenset("aiuv")
# Two known birth dates that disagree cap the score here, well below REVIEW_THRESHOLD: namesakes, not duplicates.
DIFFERENT_BIRTH_CAP = 0.25

_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")
_DMY_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


@dataclass(slots=True)
class MatchResult:
    """Outcome of comparing two names: score in [0, 1], the decision, and a short human-readable reason.

    Not frozen: frozen dataclasses cost several microseconds per instance, which shows at 50,000 pairs/s.
    """

    score: float
    same: bool
    explanation: str


def parse_partial_date(value: str | None) -> tuple[int, ...] | None:
    """Parse 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' (or 'D.M.YYYY' as printed on EU lists) into (year[, month[, day]])."""
    if value is None or not value.strip():
        return None
    m = _DATE_RE.match(value)
    if m:
        parts = tuple(int(p) for p in m.groups() if p is not None)
    else:
        m = _DMY_RE.match(value)
        if not m:
            raise ValueError(f"birth date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        parts = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if len(parts) > 1 and not 1 <= parts[1] <= 12 or len(parts) > 2 and not 1 <= parts[2] <= 31:
        raise ValueError(f"birth date {value!r} has an impossible month or day")
    return parts


@lru_cache(maxsize=100_000)
def _date(value: str | None) -> tuple[int, ...] | None:
    return parse_partial_date(value)


def birth_parts(value: str | None) -> tuple[int, ...] | None:
    """A birth date as match() compares it: (year[, month[, day]]), None when not given (cached).

    Raises ValueError for a malformed birth date, as match() does.
    """
    return _date(value) if value else None


def parts_differ(a: tuple[int, ...] | None, b: tuple[int, ...] | None) -> bool:
    """Both birth dates known (see birth_parts) and different at the coarser precision."""
    if a is None or b is None:
        return False
    n = min(len(a), len(b))
    return a[:n] != b[:n]


def births_differ(birth_a: str | None, birth_b: str | None) -> bool:
    """True when both birth dates are known and disagree: match() then scores at most DIFFERENT_BIRTH_CAP,
    whatever the names, so a caller looking for pairs above REVIEW_THRESHOLD may skip the names.

    Raises ValueError for a malformed birth date, as match() does.
    """
    return parts_differ(birth_parts(birth_a), birth_parts(birth_b))


# "0.00" .. "1.00": formatting floats is a visible share of the per-pair cost.
_PCT = [f"{i / 100:.2f}" for i in range(101)]


def _pct(x: float) -> str:
    return _PCT[int(x * 100 + 0.5)]


def _sim(a: str, b: str) -> float:
    """Indel similarity (as rapidfuzz's normalized_similarity, called through the cheaper distance entry point)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return 1.0 - Indel.distance(a, b) / (len(a) + len(b))


@lru_cache(maxsize=100_000)
def _other_surname(a: str, b: str) -> bool:
    """Whether two surname skeletons are two surnames rather than two spellings of one: one is the other with a
    run of two letters or more put in, at its end (an ending added: -ов, -ский, -ич) or, with a consonant among
    them, inside (Петров/Петраков).

    Spellings fold to one skeleton (see fold.py), or differ by single letters (Лявусік/Леусик, Машадзеў/Машадиев),
    by a glide between vowels (Лявонаў/Леонов), or by an ending for another (Сінтэтычны/Синтетический: -ны for
    -ский); an ending added or a syllable put in makes another surname.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(long_) - len(short) < 2 or not short:
        return False
    for op in Levenshtein.opcodes(short, long_):
        if op.tag != "insert":
            continue
        run = long_[op.dest_start : op.dest_end]
        if long_[: op.dest_start] + long_[op.dest_end :] != short:
            return False  # more than one run put in: other differences, which the similarity weighs
        return op.dest_end == len(long_) or not set(run) <= _SPELLING_RUN
    return False


def _given_sim(a: ParsedName, b: ParsedName) -> tuple[float, str]:
    if not a.given or not b.given:
        return 0.0, "given missing"
    if a.given == b.given or a.given_ids & b.given_ids:
        return 1.0, "given equivalent"
    if a.given_initial or b.given_initial:
        ok = a.given[0] == b.given[0]
        return (0.9, "initial agrees") if ok else (0.0, "initial differs")
    sim = _sim(a.given, b.given)
    if a.given_ids and b.given_ids:
        return sim * _KNOWN_DIFFERENT, "given names differ"
    return sim, "given " + _pct(sim)


def _patronymic_sim(a: ParsedName, b: ParsedName) -> tuple[float | None, str]:
    if not a.patronymic or not b.patronymic:
        return None, ""
    if len(a.patronymic) == 1 or len(b.patronymic) == 1:
        ok = a.patronymic[0] == b.patronymic[0]
        return (1.0, ", patronymic initial agrees") if ok else (0.0, ", patronymic initial differs")
    if a.patronymic_stem == b.patronymic_stem or a.patronymic_ids & b.patronymic_ids:
        return 1.0, ", patronymic equivalent"
    sim = _sim(a.patronymic_stem, b.patronymic_stem)
    if a.patronymic_ids and b.patronymic_ids:
        return sim * _KNOWN_DIFFERENT, ", patronymics differ"
    return sim, ", patronymic " + _pct(sim)


def _score_parsed(a: ParsedName, b: ParsedName) -> tuple[float, str]:
    sur = _sim(a.surname, b.surname)
    given, g_why = _given_sim(a, b)
    patr, p_why = _patronymic_sim(a, b)
    # Weights: the surname carries most identity; the patronymic, when both sides have it, is a strong check.
    score = 0.55 * sur + 0.45 * given if patr is None else 0.45 * sur + 0.30 * given + 0.25 * patr
    if not a.given or not b.given:
        # A bare surname cannot confirm a person: at best it sends the pair to review.
        score = _BARE_SURNAME * sur
    elif sur < _SURNAME_FLOOR or given < _GIVEN_FLOOR or patr is not None and patr < _PATRONYMIC_FLOOR:
        score = min(score, _CAP * (sur + given) / 2 + 0.1)
    elif _other_surname(a.surname, b.surname):
        return min(score, _OTHER_SURNAME_CAP), "surname " + _pct(sur) + " (another surname), " + g_why + p_why
    elif a.given_initial or b.given_initial:
        # An initial agrees with many names: review at most, unless a birth date confirms (see match()).
        score = min(score, _INITIAL_CAP)
    return score, "surname " + _pct(sur) + ", " + g_why + p_why


@lru_cache(maxsize=200_000)
def _score_names(a: str, b: str) -> tuple[float, str]:
    pa = parse_name(a)
    pb = parse_name(b)
    best = _score_parsed(pa, pb)
    if pa.swapped is None and pb.swapped is None:
        return best
    # An ambiguous two-word name may be "Surname Given" as well as "Given Surname": take the better reading.
    for xa in (pa, pa.swapped):
        for xb in (pb, pb.swapped):
            if xa is None or xb is None or (xa is pa and xb is pb):
                continue
            cand = _score_parsed(xa, xb)
            if cand[0] > best[0]:
                best = cand
    return best


def match(a: str, b: str, birth_a: str | None = None, birth_b: str | None = None) -> MatchResult:
    """Compare two names (any script, any order) and optional partial birth dates.

    Raises ValueError for a name without letters or a malformed birth date.
    """
    score, why = _score_names(a, b)
    da, db = birth_parts(birth_a), birth_parts(birth_b)
    if parts_differ(da, db):
        score = min(score, DIFFERENT_BIRTH_CAP)
        why += ", birth dates differ"
    elif da is not None and db is not None:
        # Agreement at the coarser precision confirms; it does not rescue names that differ.
        score = min(1.0, score + 0.1) if score >= REVIEW_THRESHOLD else score
        why += ", birth dates agree"
    score = round(max(0.0, min(1.0, score)), 4)
    return MatchResult(score=score, same=score >= SAME_THRESHOLD, explanation=why)


def match_many(
    pairs: Iterable[tuple[str, str] | tuple[str, str, str | None, str | None]],
) -> list[MatchResult]:
    """Match many pairs; per-name parsing is cached, so repeated names cost almost nothing."""
    out: list[MatchResult] = []
    append = out.append
    for pair in pairs:
        if len(pair) == 2:
            append(match(pair[0], pair[1]))
        else:
            append(match(pair[0], pair[1], pair[2], pair[3]))
    return out


@dataclass(slots=True)
class PairMatch:
    """One pair of two people's names as match() scored it: name_a is one of the first person's names."""

    score: float
    name_a: str
    name_b: str
    explanation: str


def match_names(
    names_a: Iterable[str], names_b: Iterable[str], birth_a: str | None = None, birth_b: str | None = None
) -> tuple[PairMatch | None, PairMatch | None]:
    """The best pair of two people's names (the first best, in the order given), and the best pair set aside
    when it scores higher than that one (else None).

    A name without a patronymic (a Latin alias, "Pavel Kazlou") must not outvote two full names whose
    patronymics differ (Козлов Павел Юрьевич is not Козлов Павел Викторович): when both people have a name with
    a patronymic, only the pairs of such names count. The pair set aside lets a caller say a refused match that
    was close. Pairs that cannot be compared (no letters, a malformed birth date) are skipped; (None, None)
    when none can.
    """
    a, b = list(dict.fromkeys(names_a)), list(dict.fromkeys(names_b))
    full_a, full_b = [n for n in a if _has_patronymic(n)], [n for n in b if _has_patronymic(n)]
    counted: PairMatch | None = None
    aside: PairMatch | None = None
    for name_a in a:
        for name_b in b:
            try:
                result = match(name_a, name_b, birth_a, birth_b)
            except ValueError:
                continue
            pair = PairMatch(result.score, name_a, name_b, result.explanation)
            if full_a and full_b and (name_a not in full_a or name_b not in full_b):
                if aside is None or pair.score > aside.score:
                    aside = pair
            elif counted is None or pair.score > counted.score:
                counted = pair
    if aside is not None and counted is not None and aside.score <= counted.score:
        aside = None
    return counted, aside


@lru_cache(maxsize=200_000)
def _has_patronymic(name: str) -> bool:
    try:
        return bool(parse_name(name).patronymic)
    except ValueError:
        return False


def _token_sim(q: str, cand: ParsedName) -> float:
    """Best similarity of one query word (skeleton) to any part of a candidate name."""
    best = 0.0
    table_ids = _given_ids(q)
    for part in cand.tokens:
        s = _sim(q, part)
        if s > best:
            best = s
    if table_ids and cand.given_ids & table_ids:
        best = 1.0
    if table_ids and cand.patronymic_ids & _stem_ids(q):
        best = max(best, 0.95)
    return best


@lru_cache(maxsize=100_000)
def _given_ids(skel: str) -> frozenset[str]:
    from spis.names.given import load_table

    return load_table().ids(skel)


@lru_cache(maxsize=100_000)
def _stem_ids(skel: str) -> frozenset[str]:
    from spis.names.given import load_table, name_stem

    return load_table().stem_ids(name_stem(skel))


def search_score(query: str, candidate_name: str) -> float:
    """Rank a search hit in [0, 1]: every query word must find a close part in the candidate.

    A surname alone ("Tikhanovsky") scores as high against "Ціханоўскі Сяргей Леанідавіч" as the full name would.
    Returns 0.0 for a query or candidate without letters.
    """
    try:
        cand = parse_name(candidate_name)
    except ValueError:
        return 0.0
    q_words = [w for w in (skeleton(x) for x in words(clean(query))) if w]
    if not q_words:
        return 0.0
    score = sum(_token_sim(q, cand) for q in q_words) / len(q_words)
    if len(q_words) >= 2:
        with contextlib.suppress(ValueError):
            score = max(score, _score_names(query, candidate_name)[0])
    return round(min(1.0, score), 4)


def name_keys(text: str) -> list[str]:
    """Search keys to store with a name (for trigram search); fold the query with :func:`fold` to match them.

    Keys: the folded full name in written order; surname; surname + given name; surname + canonical given name
    (so Алесь Бяляцкі and Александр Беляцкий share a key). Empty list for a name without letters.
    """
    return list(_name_keys(text))


@lru_cache(maxsize=100_000)
def _name_keys(text: str) -> tuple[str, ...]:
    # Cached as a tuple: callers get a fresh list they may change without corrupting the cache.
    from spis.names.given import load_table

    try:
        p = parse_name(text)
    except ValueError:
        return ()
    keys = [fold(clean(text))]
    if p.surname:
        keys.append(p.surname)
        if p.given:
            keys.append(f"{p.surname} {p.given}")
            canon = load_table().canonical
            for gid in sorted(p.given_ids):
                keys.append(f"{p.surname} {canon[gid]}")
    return tuple(dict.fromkeys(k for k in keys if k))
