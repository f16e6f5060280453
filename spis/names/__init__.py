"""Django-free name matching for Belarusian, Russian and Latin spellings of people's names.

Public API (see README.md): :func:`match`, :func:`match_names`, :func:`births_differ`, :func:`match_many`, :func:`search_score`, :func:`name_keys`,
:func:`fold`, :func:`transliterate`, :func:`parse_name`, :func:`clean`, :func:`detect_script`, :func:`detect_language`.
"""

from spis.names.clean import clean
from spis.names.fold import fold, skeleton
from spis.names.match import (
    REVIEW_THRESHOLD,
    SAME_THRESHOLD,
    MatchResult,
    PairMatch,
    birth_parts,
    births_differ,
    match,
    match_many,
    match_names,
    name_keys,
    parse_partial_date,
    parts_differ,
    search_score,
)
from spis.names.parse import ParsedName, parse_name
from spis.names.script import detect_language, detect_script
from spis.names.translit import SCHEMES, transliterate

__all__ = [
    "REVIEW_THRESHOLD",
    "SAME_THRESHOLD",
    "SCHEMES",
    "MatchResult",
    "PairMatch",
    "ParsedName",
    "birth_parts",
    "births_differ",
    "clean",
    "detect_language",
    "detect_script",
    "fold",
    "match",
    "match_many",
    "match_names",
    "name_keys",
    "parse_name",
    "parse_partial_date",
    "parts_differ",
    "search_score",
    "skeleton",
    "transliterate",
]
