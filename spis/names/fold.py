"""Fold a name word, in any script, into a phonetic skeleton shared by its Belarusian, Russian and Latin spellings.

The skeleton is a lower-case string over a reduced alphabet. It deliberately forgets the differences that separate
spellings of one name rather than names:

* scripts and romanisation schemes (BGN/PCGN, passport/ICAO, Belarusian national, Łacinka, Polish, German, English);
* Belarusian vs Russian sound correspondences: akanie (а/о, я/е unstressed), tsekanie (ц/т), dzekanie (дз/д),
  ў/в (Паўлавіч/Павлович, -аў/-ов), і/и/ы, soft sign and apostrophe;
* г/h/g and х/kh/h/ch (Belarusian г is [ɣ], Russian г is [g]; Latin lists write both as h or g);
* doubled letters, the iotation glide (ia/ya/ja/я), -скі/-ский/-ski/-skiy.

Reduced alphabet: vowels ``a`` (а о е э ё я), ``i`` (і и ы й), ``u`` (у ю); consonants as in English, with
``h`` for г/х, ``t`` for т/ц, ``d`` for д/дз, ``c`` for ч, ``x`` for ш, ``j`` for ж.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Step 1, Cyrillic to a working Latin (BGN/PCGN-like, but j for й and iotation so that glides are explicit).
_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "jo", "ж": "zh", "з": "z",
    "і": "i", "и": "i", "ї": "ji", "є": "je", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "w", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja", "’": "",
    # Serbian/Macedonian letters seen on sanctions lists (Богољуб КАРИЋ).
    "ђ": "dj", "ћ": "ch", "џ": "dzh", "љ": "lj", "њ": "nj", "ј": "j", "ѓ": "g", "ќ": "k", "ѕ": "dz",
}  # fmt: skip

# Step 2, Latin letters with diacritics (Łacinka, Polish, Czech/Serbian, German) to their working-Latin value.
_LAT = {
    "ł": "l", "ŭ": "w", "ć": "ts", "ś": "s", "ź": "z", "ń": "n", "ż": "zh", "ž": "zh", "š": "sh", "č": "ch",
    "ą": "o", "ę": "e", "ó": "o", "ü": "iu", "ö": "e", "ä": "e", "ß": "s", "đ": "dj", "ĺ": "l", "ŕ": "r",
}  # fmt: skip

# Markers of Polish, Łacinka or German spelling, in which "ch" is х (kh), not ч.
_CH_IS_KH = re.compile(r"[włŭćśźńżąęóöüä]|sz|cz|rz|sch")

# Step 3, multi-letter sequences of the working Latin to placeholders (upper case = already folded).
_SEQUENCES: list[tuple[str, str]] = [
    ("shch", "SC"), ("szcz", "SC"), ("tsch", "C"), ("tsj", "C"), ("dzh", "DZ"), ("dsh", "DZ"),
    ("sch", "S"), ("kh", "H"), ("sh", "S"), ("sz", "S"), ("zh", "Z"), ("rz", "Z"), ("cz", "C"),
    ("tch", "C"), ("ch", "C"), ("ts", "T"), ("tz", "T"), ("dz", "D"), ("ds", "D"), ("ph", "F"), ("th", "T"),
    ("qu", "KV"), ("x", "KS"),
]  # fmt: skip

# Step 4, single letters to the reduced alphabet.
_SINGLE = str.maketrans({
    "a": "a", "o": "a", "e": "a",  # akanie: unstressed о/е are written а/я in Belarusian
    "i": "i", "y": "i",
    "u": "u",
    "g": "h", "h": "h", "H": "h",  # г is h in Belarusian romanisation, g in Russian; х is kh/h/ch
    "t": "t", "T": "t", "c": "t",  # tsekanie: Belarusian ц where Russian has т (Цімафей/Тимофей); Łacinka c = ц
    "d": "d", "D": "d",  # dzekanie: дз where Russian has д (Вадзім/Вадим)
    "w": "v", "v": "v", "f": "f", "F": "f",
    "C": "c", "S": "x", "Z": "j", "K": "k", "q": "k",  # x = ш, j = ж (no j is left after the glide rules)
})  # fmt: skip

_VOWELS = "aeiouy"
_GLIDE_BEFORE_VOWEL = re.compile(r"i(?=[aeou])|[yj](?=[aeiou])")
_GLIDE_ALONE = re.compile(r"[yj]")
_U_AFTER_VOWEL = re.compile(r"(?<=[aeo])u")
_DOUBLE = re.compile(r"(.)\1+")
_NON_ALPHA = re.compile(r"[^a-z]")


def _strip_marks(text: str) -> str:
    """Remove diacritics that are not in the explicit tables (é, í, ý ...)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


_TO_WORKING = str.maketrans({**_CYR, **_LAT})


@lru_cache(maxsize=400_000)
def working_latin(word: str) -> str:
    """Lower-case working romanisation of one word (before phonetic folding)."""
    lower = word.lower()
    latin = lower.translate(_TO_WORKING)
    if word.isascii():
        # Dutch "tsj" (Anatolevitsj) is ч; resolve it before the glide rules read its j. Only in Latin input:
        # a Cyrillic ц before я/ё/ю also yields "tsj" in the working Latin.
        latin = latin.replace("tsj", "ch")
    if "ch" in latin and _CH_IS_KH.search(lower):
        latin = latin.replace("sch", "S").replace("ch", "kh")
    if latin.isascii():
        return latin
    return _strip_marks(latin)


@lru_cache(maxsize=400_000)
def skeleton(word: str) -> str:
    """Phonetic skeleton of one word; see the module docstring. Empty for a word without letters."""
    text = working_latin(word)
    text = _NON_ALPHA.sub("", text)
    if not text:
        return ""
    # Iotation: ya/ia/ja/я after a consonant only softens it; Russian е and Belarusian я then agree.
    text = _GLIDE_BEFORE_VOWEL.sub("", text)
    # ў written as u after a vowel (Paulavich, Kazakou) is the Russian в (Павлович, Казаков).
    text = _U_AFTER_VOWEL.sub("w", text)
    text = _GLIDE_ALONE.sub("i", text)
    # Longest sequences first, so that plain str.replace reproduces a leftmost-longest tokenisation.
    for seq, repl in _SEQUENCES:
        if seq in text:
            text = text.replace(seq, repl)
    text = text.translate(_SINGLE)
    text = _NON_ALPHA.sub("", text)
    return _DOUBLE.sub(r"\1", text)


def fold(text: str) -> str:
    """Skeleton of every word of ``text``, space-separated (the search key form of free text)."""
    return " ".join(s for s in (skeleton(w) for w in re.split(r"[\s,.\-]+", text)) if s)
