"""Split a name into given name, patronymic and surname.

Handles the orders found on real lists:
``Ціханоўскі Сяргей Леанідавіч`` (Belarusian/Russian official: surname, given, patronymic),
``Aliaksandr Ryhoravich LUKASHENKA`` (EU: surname in capitals), ``LUKASHENKA, Aliaksandr`` and
``Оболенский, Евгений Вячеславович`` (comma after surname), ``Mikhail Volkau`` (Western order).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spis.names.clean import clean, words
from spis.names.fold import skeleton
from spis.names.given import load_table, patronymic_stem


@dataclass(frozen=True, slots=True)
class NamePart:
    """One part of a name: the text as written and its skeleton."""

    text: str
    skel: str


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name split into parts. Skeletons are empty when a part is missing."""

    text: str
    given: str
    given_ids: frozenset[str]
    given_initial: bool
    patronymic: str
    patronymic_stem: str
    patronymic_ids: frozenset[str]
    surname: str
    extra: tuple[str, ...]
    # The other plausible reading of an ambiguous two-word name ("Volkau Mikhail" vs "Mikhail Volkau").
    swapped: ParsedName | None = None

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(t for t in (self.surname, self.given, self.patronymic, *self.extra) if t)


def _is_caps(word: str) -> bool:
    # str.isupper: every cased letter is upper case (ignores the apostrophe and hyphen).
    return len(word.strip(".-’")) >= 2 and word.isupper()


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1


def _build(
    text: str, given: str, patronymic: str, surname: list[str], extra: list[str], initial: bool
) -> ParsedName:
    table = load_table()
    g_skel = skeleton(given)
    p_skel = skeleton(patronymic)
    p_stem = patronymic_stem(p_skel) if p_skel else None
    return ParsedName(
        text=text,
        given=g_skel,
        given_ids=table.ids(g_skel),
        given_initial=initial,
        patronymic=p_skel,
        patronymic_stem=p_stem or p_skel,
        patronymic_ids=table.stem_ids(p_stem) if p_stem else frozenset(),
        surname="".join(skeleton(s) for s in surname),
        extra=tuple(s for s in (skeleton(e) for e in extra) if s),
    )


@lru_cache(maxsize=200_000)
def parse_name(text: str) -> ParsedName:
    """Parse a raw name (cleaning it first). Raises ValueError when it has no letters."""
    cleaned = clean(text)
    ws = words(cleaned)
    if not ws:
        raise ValueError("name has no letters")
    table = load_table()
    skels = [skeleton(w) for w in ws]
    if not any(skels):
        raise ValueError("name has no Latin or Cyrillic letters to compare")
    stems = [patronymic_stem(s) for s in skels]
    is_patr = [st is not None and bool(table.stem_ids(st)) for st in stems]
    known = [bool(table.ids(s)) for s in skels]

    # "Surname, Given Patronymic": the comma fixes the surname.
    if "," in cleaned:
        head, _, tail = cleaned.partition(",")
        tail_ws = words(tail)
        head_ws = words(head)
        if head_ws and tail_ws:
            patr = next((w for w in tail_ws[1:] if patronymic_stem(skeleton(w))), "")
            rest = [w for w in tail_ws[1:] if w != patr]
            return _build(cleaned, tail_ws[0], patr, head_ws, rest, _is_initial(tail_ws[0]))

    if len(ws) == 1:
        return _build(cleaned, "", "", ws, [], False)

    # "Ковалёв Алесь П." / "Алесь П. Ковалёв": one initial after a known given name is its patronymic's.
    initials = [w for w in ws if _is_initial(w)]
    if len(initials) == 1 and len(ws) >= 3:
        at = ws.index(initials[0])
        if at > 0 and known[at - 1] and not _is_initial(ws[at - 1]):
            surname = ws[: at - 1] + ws[at + 1 :]
            return _build(cleaned, ws[at - 1], initials[0], surname[-1:], surname[:-1], False)
    # "Ціханоўскі С. Л." / "S. Tikhanovsky": initials are the given name and patronymic.
    if initials and len(initials) < len(ws) and len(initials) <= 2:
        full = [w for w in ws if not _is_initial(w)]
        patr_initial = initials[1] if len(initials) > 1 else ""
        return _build(
            cleaned, initials[0], patr_initial, full[-1:] if len(full) > 1 else full, full[:-1], True
        )

    caps = [_is_caps(w) for w in ws]
    if any(caps) and not all(caps):
        surname = [w for w, c in zip(ws, caps, strict=True) if c]
        others = [w for w, c in zip(ws, caps, strict=True) if not c]
        others_p = [is_patr[i] for i, c in enumerate(caps) if not c]
        patr = next((w for w, p in zip(others, others_p, strict=True) if p and w != others[0]), "")
        rest = [w for w in others[1:] if w != patr]
        return _build(cleaned, others[0], patr, surname, rest, _is_initial(others[0]))

    if len(ws) == 2:
        w0, w1 = ws
        # Known given name first, or surname first? Decide by the table; keep the other reading as an alternative.
        if known[1] and not known[0] or _is_initial(w1) and not _is_initial(w0):
            main = _build(cleaned, w1, "", [w0], [], _is_initial(w1))
            alt = _build(cleaned, w0, "", [w1], [], _is_initial(w0))
        else:
            main = _build(cleaned, w0, "", [w1], [], _is_initial(w0))
            alt = _build(cleaned, w1, "", [w0], [], _is_initial(w1))
        if known[0] and known[1] or not known[0] and not known[1]:
            return _with_swapped(main, alt)
        return main

    # Three or more words: find the patronymic; the given name stands before it.
    n = len(ws)
    if is_patr[-1] and (known[-2] or not is_patr[1]):
        # Ціханоўскі Сяргей Леанідавіч
        return _build(cleaned, ws[-2], ws[-1], ws[:-2], [], _is_initial(ws[-2]))
    for i in range(1, n):
        if is_patr[i]:
            # Аляксандр Рыгоравіч Лукашэнка
            return _build(cleaned, ws[i - 1], ws[i], ws[i + 1 :] + ws[: i - 1], [], _is_initial(ws[i - 1]))
    # No patronymic: given name first if known, else surname first.
    if known[0] or not known[1]:
        return _build(cleaned, ws[0], "", ws[-1:], ws[1:-1], _is_initial(ws[0]))
    return _build(cleaned, ws[1], "", ws[:1], ws[2:], _is_initial(ws[1]))


def _with_swapped(main: ParsedName, alt: ParsedName) -> ParsedName:
    return ParsedName(
        text=main.text,
        given=main.given,
        given_ids=main.given_ids,
        given_initial=main.given_initial,
        patronymic=main.patronymic,
        patronymic_stem=main.patronymic_stem,
        patronymic_ids=main.patronymic_ids,
        surname=main.surname,
        extra=main.extra,
        swapped=alt,
    )
