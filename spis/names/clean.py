"""Cleaning raw name strings before anything else looks at them.

Real lists (EU Annex I, court lists, Wikidata labels) carry noise: Latin ``i`` typed inside Cyrillic words,
U+0138 (ĸ) instead of ``к``, a missing space between given name and patronymic, control characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Names longer than this are cut before matching: no real name is longer, and it bounds the cost of
# pathological input (a 10,000-character "name" must not slow a batch down).
MAX_NAME_CHARS = 200

# Latin or odd look-alikes typed inside Cyrillic words, mapped to the Cyrillic letter they imitate.
_LOOKALIKE_TO_CYRILLIC = {
    "i": "і",
    "I": "І",
    "ĸ": "к",  # U+0138 LATIN SMALL LETTER KRA, seen in the EU list ("Маĸсім")
    "a": "а",
    "A": "А",
    "e": "е",
    "E": "Е",
    "o": "о",
    "O": "О",
    "p": "р",
    "P": "Р",
    "c": "с",
    "C": "С",
    "x": "х",
    "X": "Х",
    "y": "у",
    "K": "К",
    "k": "к",
    "M": "М",
    "H": "Н",
    "T": "Т",
    "B": "В",
}
_CYRILLIC_TO_LATIN_LOOKALIKE = {
    "а": "a",
    "е": "e",
    "о": "o",
    "р": "p",
    "с": "c",
    "х": "x",
    "у": "y",
    "і": "i",
    "І": "I",
    "А": "A",
    "Е": "E",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Х": "X",
    "К": "K",
    "М": "M",
    "Н": "H",
    "Т": "T",
    "В": "B",
}
# Apostrophe look-alikes; Belarusian uses the apostrophe as a letter (Юр’евіч), so keep one canonical form.
_APOSTROPHES = "'ʼ`´‘’ʹ′"
_APOSTROPHE = "’"
_DASHES = "‐‑‒–—―-"

_WORD_RE = re.compile(r"[^\W\d_]+(?:[’][^\W\d_]+)*", re.UNICODE)
# A lower-case letter followed by an upper-case one inside a word: "АляксандрГенадзевіч" -> two words.
_CAMEL_RE = re.compile(r"(?<=[a-zа-яёіўґ])(?=[A-ZА-ЯЁІЎҐ][a-zа-яёіўґ])")
_SPACE_RE = re.compile(r"\s+")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha() or "\u00c0" <= ch <= "\u024f"


def one_script(word: str) -> str:
    """Make a word that mixes scripts consistent with its majority script (Latin look-alikes in Cyrillic words)."""
    cyr = sum(1 for ch in word if _is_cyrillic(ch))
    lat = sum(1 for ch in word if _is_latin(ch))
    if cyr and lat:
        if cyr >= lat or "ĸ" in word:
            return "".join(_LOOKALIKE_TO_CYRILLIC.get(ch, ch) for ch in word)
        return "".join(_CYRILLIC_TO_LATIN_LOOKALIKE.get(ch, ch) for ch in word)
    if "ĸ" in word and not lat - word.count("ĸ"):
        return word.replace("ĸ", "к")
    return word


_PLAIN_RE = re.compile(r"[A-Za-z\u0400-\u04ff ,.\-’'ʼ`´‘]*")
_HAS_CYR = re.compile(r"[\u0400-\u04ff]")
_HAS_LAT = re.compile(r"[A-Za-z\u00c0-\u024f]")
_PUNCT_TABLE = str.maketrans({**dict.fromkeys(_APOSTROPHES, _APOSTROPHE), **dict.fromkeys(_DASHES, "-")})


def _slow_normalise(text: str) -> str:
    # NFKC folds compatibility forms (full-width letters, ligatures); NFC keeps й and ў composed.
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LM" or ch in ",.-’":
            out.append(ch)
        else:
            # Controls, emoji, digits and other symbols carry no name information.
            out.append(" ")
    text = unicodedata.normalize("NFC", "".join(out))
    # Combining marks that NFC could not attach are dropped.
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "M")


@lru_cache(maxsize=200_000)
def clean(text: str) -> str:
    """Return the name normalised for matching: NFC, no control chars or symbols, one script per word."""
    if not isinstance(text, str):
        raise ValueError(f"name must be a string, got {type(text).__name__}")
    text = text[: MAX_NAME_CHARS * 2].translate(_PUNCT_TABLE)
    # Most names are plain Latin or Cyrillic letters: skip the per-character Unicode pass for them.
    if not _PLAIN_RE.fullmatch(text):
        text = _slow_normalise(text)
    text = _CAMEL_RE.sub(" ", text)
    if "ĸ" in text or _HAS_CYR.search(text) and _HAS_LAT.search(text):
        text = _WORD_RE.sub(lambda m: one_script(m.group(0)), text)
    text = " ".join(text.replace(" ,", ",").replace(" .", ".").split()).strip(" ,.-’")
    return text[:MAX_NAME_CHARS].strip()


def words(text: str) -> list[str]:
    """Split a cleaned name into words (hyphenated surnames stay one word)."""
    return [w for w in re.split(r"[\s,]+", text.replace(".", ". ")) if w.strip(".-’")]
