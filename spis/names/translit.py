"""Transliteration of Belarusian and Russian Cyrillic names into Latin, for display and stored Name rows.

Schemes (each table names its standard):

* ``be-national``: Belarusian national system, Instruction on transliteration of Belarusian geographical names
  into Latin letters (2007; endorsed by UN GEGN resolution IX/7) - diacritics, х = ch.
* ``be-national-kh``: the same with х = kh (assumption: spelling seen in post-2023 official documents; verify
  against the current Instruction before relying on it).
* ``be-passport``: the romanisation printed in Belarusian passports and copied by the EU sanctions list
  (Aliaksandr, Siarhei, Uladzimiravich): я = ia (ya initially), ў = u, х = kh, й = i.
* ``be-bgn``: BGN/PCGN 1979 romanisation of Belarusian, without the optional apostrophes and diaereses.
* ``ru-passport``: ICAO Doc 9303 table used in Russian passports since 2014 (я = ia, ю = iu, й = i, ъ = ie).
* ``ru-bgn``: BGN/PCGN 1947 romanisation of Russian, without the optional apostrophes and diaereses.
"""

from __future__ import annotations

from functools import lru_cache

from spis.names.script import detect_language

SCHEMES = ("be-national", "be-national-kh", "be-passport", "be-bgn", "ru-passport", "ru-bgn")
DEFAULT_SCHEME = {"be": "be-national", "ru": "ru-passport"}

_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "і": "i", "и": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "э": "e", "ў": "u", "ь": "", "ъ": "",
    "’": "", "ґ": "g",
}  # fmt: skip
# Iotated vowels: (at word start or after a vowel, ь, ъ, ’, й, ў; after a consonant).
_IOTATED_PASSPORT_BE = {"е": ("ye", "ie"), "ё": ("yo", "io"), "ю": ("yu", "iu"), "я": ("ya", "ia")}
_IOTATED_BGN = {"е": ("ye", "e"), "ё": ("yo", "io"), "ю": ("yu", "yu"), "я": ("ya", "ya")}
_IOTATED_NATIONAL = {"е": ("je", "ie"), "ё": ("jo", "io"), "ю": ("ju", "iu"), "я": ("ja", "ia")}
_IOTATED_RU_PASSPORT = {"е": ("e", "e"), "ё": ("e", "e"), "ю": ("iu", "iu"), "я": ("ia", "ia")}

_TABLES: dict[str, tuple[dict[str, str], dict[str, tuple[str, str]]]] = {
    "be-passport": ({**_COMMON, "г": "h", "й": "i"}, _IOTATED_PASSPORT_BE),
    "be-bgn": ({**_COMMON, "г": "h", "й": "y", "ў": "w"}, _IOTATED_BGN),
    "be-national": (
        {**_COMMON, "г": "h", "й": "j", "ж": "ž", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "ў": "ŭ"},
        _IOTATED_NATIONAL,
    ),
    "be-national-kh": (
        {**_COMMON, "г": "h", "й": "j", "ж": "ž", "х": "kh", "ц": "c", "ч": "č", "ш": "š", "ў": "ŭ"},
        _IOTATED_NATIONAL,
    ),
    "ru-passport": ({**_COMMON, "й": "i", "ъ": "ie"}, _IOTATED_RU_PASSPORT),
    "ru-bgn": ({**_COMMON, "й": "y"}, _IOTATED_BGN),
}
# Belarusian national system: a soft sign after these consonants becomes an acute on the consonant (зь = ź).
_NATIONAL_SOFT = {"з": "ź", "л": "ĺ", "н": "ń", "с": "ś", "ц": "ć"}
_SOFTENERS = frozenset("ьъ’'йўаеёиіоуыэюя")


def _translit_word(word: str, scheme: str) -> str:
    table, iotated = _TABLES[scheme]
    lower = word.lower()
    out: list[str] = []
    for i, ch in enumerate(lower):
        prev = lower[i - 1] if i else ""
        nxt = lower[i + 1] if i + 1 < len(lower) else ""
        if ch in iotated:
            initial, after_consonant = iotated[ch]
            piece = initial if not prev or prev in _SOFTENERS else after_consonant
        elif scheme.startswith("be-national") and ch in _NATIONAL_SOFT and nxt == "ь":
            piece = _NATIONAL_SOFT[ch]
        else:
            piece = table.get(ch, ch)
        if word[i].isupper() and piece:
            # Keep the capitalisation pattern: ЛУКАШЭНКА -> LUKASHENKA, Лукашэнка -> Lukashenka.
            piece = piece.upper() if (word.isupper() and len(word) > 1) else piece[0].upper() + piece[1:]
        out.append(piece)
    return "".join(out)


@lru_cache(maxsize=100_000)
def transliterate(text: str, scheme: str | None = None) -> str:
    """Romanise a Cyrillic name; Latin text passes through. ``scheme`` defaults by detected language."""
    if scheme is None:
        lang = detect_language(text)
        scheme = DEFAULT_SCHEME.get(lang, "ru-passport" if lang != "be" else "be-national")
    if scheme not in _TABLES:
        raise ValueError(f"unknown transliteration scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")
    out: list[str] = []
    word: list[str] = []
    for ch in text + " ":
        if ch.isalpha() or ch in "’'":
            word.append(ch)
            continue
        if word:
            out.append(_translit_word("".join(word), scheme))
            word = []
        out.append(ch)
    return "".join(out)[:-1]
