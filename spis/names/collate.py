"""Sort keys for names: the order a Belarusian or Russian reader expects, as a plain ASCII string.

Code-point order puts Belarusian і (U+0456), ё (U+0451) and ў (U+045E) outside а–я, so a list sorted by the
name itself reads "Іванова … Арлоў … Ўзорная … Ёсіпава". `sort_key(name)` maps each letter to one ASCII
character whose byte order is the alphabet's, so any byte-wise comparison (SQLite BINARY, PostgreSQL "C",
Python's `sorted`) orders names as a reader does, with no ICU on the machine.

The merged Cyrillic alphabet (each language's own order is kept; a letter a language lacks slots in between):

    а б в г ґ д е ё є ж з и і ї й к л м н о п р с т у ў ф х ц ч ш щ ъ ы ь э ю я

Belarusian (а б в г д е ё ж з і й к … у ў ф … ш ы ь э ю я), Russian (… з и й … ш щ ъ ы ь э ю я) and Ukrainian
(… г ґ д е є ж з и і ї й …) alphabets as their academies print them. і is a letter of its own after и, not
equal to it: that is the Ukrainian order, which has both, and it keeps a Belarusian list (no и) and a
Russian list (no і) in their own order. ё is a letter after е, as both Belarusian and Russian print
the alphabet. дж and дз are two letters each, as in Belarusian dictionaries.

Then, level one only (no tie-breaking levels: callers break ties by primary key):
* case is ignored; apostrophes (’ ' ʼ), hyphens and other punctuation are ignored, so Мар’я sorts as Маря
  and Сідарэнка-Ляховіч as Сідарэнкаляховіч;
* words are compared one by one (a space sorts before every letter): Іван Ан before Іванаў;
* Latin letters come after all Cyrillic ones, a–z with diacritics dropped (Łacinka Ł as L, š as s);
* digits after Latin letters; letters of other scripts last, in code-point order;
* Latin look-alikes typed inside a Cyrillic word count as the Cyrillic letter (clean.one_script).

The key is opaque (not meant to be read) and at most KEY_LENGTH characters. Changing the order here changes
every stored key: ship a migration that recomputes them (see spis/registry/migrations/0012_person_sort_name.py).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from spis.names.clean import one_script

# The stored column's length; a longer key is cut (names that agree on 300 letters are tied).
KEY_LENGTH = 300

CYRILLIC = "абвгґдеёєжзиіїйклмнопрстуўфхцчшщъыьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"
# Word separator: below every letter, above the end of a key (a prefix sorts first).
SEPARATOR = " "
# A letter of another script: this marker (above every letter code) and six hex digits of its code point.
OTHER = "~"
# A name with no letter or digit at all: after every name that has one ("~" and hex digits never meet "~~").
NOTHING = OTHER * 2

# One ASCII character per letter, in alphabet order, from "0" (0x30) upwards: 75 codes end at "z" (0x7A).
_CODE = {letter: chr(0x30 + i) for i, letter in enumerate(CYRILLIC + LATIN + DIGITS)}

# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN_BASE = {
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l",
    "æ": "ae", "œ": "oe", "þ": "th", "ß": "ss", "ĸ": "k",
}  # fmt: skip


@lru_cache(maxsize=4096)
def _code(ch: str) -> str:
    """The key characters of one (case-folded, NFKC) character that is not a plain letter of the alphabet."""
    base = _LATIN_BASE.get(ch)
    if base is not None:
        return "".join(_CODE[b] for b in base)
    category = unicodedata.category(ch)
    if category == "Nd":
        return _CODE[str(unicodedata.digit(ch))]
    if category[0] != "L" or category == "Lm":
        # Punctuation, hyphens, symbols, marks, and the modifier letters that serve as apostrophes
        # (ʼ U+02BC, ʹ U+02B9; ’ and ' are punctuation): ignored.
        return ""
    # A letter with a diacritic the alphabet does not have (é, ŭ, ѓ): its base letter.
    first = unicodedata.normalize("NFD", ch)[0]
    if first in _CODE:
        return _CODE[first]
    return f"{OTHER}{ord(first):06x}"


def _word(word: str) -> str:
    return "".join(_CODE.get(ch) or _code(ch) for ch in one_script(word))


# Names in one script, of the alphabet's letters, apostrophes and hyphens only (nearly every name): keyed by
# one str.translate, no per-word script check. Anything else goes through _word (equal results: tested).
_PLAIN = re.compile(rf"[{CYRILLIC}’'ʼ\- ]*|[{LATIN}’'ʼ\- ]*")
_PLAIN_TABLE = str.maketrans({**_CODE, "’": None, "'": None, "ʼ": None, "-": None})


@lru_cache(maxsize=200_000)
def sort_key(text: str) -> str:
    """The ASCII key that orders `text` among names as a Belarusian or Russian reader expects (see module doc)."""
    # NFKC composes й, ё, ў, ї typed as base letter + mark, and folds full-width and ligature forms;
    # casefold rather than lower, so that ß matches ss and Turkish İ loses its dot.
    folded = unicodedata.normalize("NFKC", text).casefold().replace(",", " ")
    key = _plain_key(folded) if _PLAIN.fullmatch(folded) else _key(folded)
    return key[:KEY_LENGTH] if key else NOTHING


def _plain_key(folded: str) -> str:
    return SEPARATOR.join(folded.translate(_PLAIN_TABLE).split())


def _key(folded: str) -> str:
    words = (_word(word) for word in folded.split())
    return SEPARATOR.join(word for word in words if word)
