"""Script and language detection for a (cleaned) name."""

from __future__ import annotations

from typing import Literal

Script = Literal["Cyrl", "Latn", "mixed", "none"]

# Letters that exist in one orthography only. э and ы exist in both Belarusian and Russian, so they say nothing.
_BE_ONLY = frozenset("іўІЎ’")
_RU_ONLY = frozenset("иъщИЪЩ")
_UK_ONLY = frozenset("їєґЇЄҐ")
_SR_ONLY = frozenset("ђћџљњјЂЋЏЉЊЈ")
# Łacinka / Polish letters in Latin-script names.
_PL_LATIN = frozenset("łśźżćńąęŁŚŹŻĆŃĄĘ")
_BE_LACINKA = frozenset("ŭŬ")


def detect_script(text: str) -> Script:
    """Say whether the letters of ``text`` are Cyrillic, Latin, both, or neither."""
    cyr = lat = False
    for ch in text:
        if not ch.isalpha():
            continue
        if "\u0400" <= ch <= "\u04ff":
            cyr = True
        elif ch.isascii() or "\u00c0" <= ch <= "\u024f":
            lat = True
    if cyr and lat:
        return "mixed"
    if cyr:
        return "Cyrl"
    if lat:
        return "Latn"
    return "none"


def detect_language(text: str) -> str:
    """Guess the orthography of a name: 'be', 'ru', 'uk', 'sr', 'pl', 'en' (any other Latin), or '' if unknown."""
    chars = set(text)
    if chars & _BE_ONLY:
        return "be"
    if chars & _UK_ONLY:
        return "uk"
    if chars & _SR_ONLY:
        return "sr"
    if chars & _RU_ONLY or "ё" in chars and not chars & _BE_ONLY:
        return "ru"
    script = detect_script(text)
    if script in ("Cyrl", "mixed"):
        # Neither marker letter: Russian and Belarusian spell such a name alike; Russian is the more common on lists.
        return "ru"
    if script == "Latn":
        if chars & _BE_LACINKA:
            return "be"
        if chars & _PL_LATIN or "sz" in text.lower() or "cz" in text.lower():
            return "pl"
        return "en"
    return ""
