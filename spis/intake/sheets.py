"""A spreadsheet's layout beyond its cells' values: a header over two rows.

Lists are laid out for people to read, and what a person sees is not what a cell-by-cell reader sees: a
heading merged over its sub-columns ("Приговор" over "Статья | Срок"). The readers (readers.py) use what is
found here so that none of it is lost or read silently as something else. Plain Python: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# A cell that reads as a number or a date (1970, 12.03.2021, 2021-03-12) is data, never a heading.
_NUMBER_OR_DATE = re.compile(r"[\d\s.,:/\\–-]+")


# ---- a header over two rows -----------------------------------------------------------------------------


def sub_headings(
    header: list[Any],
    below: list[Any],
    field_of: Callable[[str], str | None],
    names_a_person: Callable[[str], bool],
) -> list[str] | None:
    """The header's headings with the row below it read as their sub-headings, or None when that row is not
    sub-headings (it is data, as it is unless every one of its cells is a heading under its place).

    A cell of the row below is a sub-heading when it maps to a field alone ("Статья", "Срок") or joined with
    the heading above it, or to its left when that heading is merged over several columns ("Суд" over "Дата |
    Судья": "Суд: Дата"). It is data when it is a number or a date, maps to nothing, stands under a name
    heading without naming a part of the name (a person, or a word such as "Статус" typed into the name
    column), or stands under a heading of one column and maps to another field (a status "освобождён" under
    "Статус" is a value, though it is a header word too). A column with no sub-heading keeps its heading above
    (or the heading merged over it)."""
    top = [_heading(v) for v in header]
    sub = [_heading(v) for v in below]
    width = max(_width(top), _width(sub))
    if not any(sub):
        return None
    top += [""] * (width - len(top))
    merged: list[str] = []
    parent: int | None = None
    for index in range(width):
        if top[index]:
            parent = index
        text = sub[index] if index < len(sub) else ""
        above = top[parent] if parent is not None else ""
        if not text:
            merged.append(above)
            continue
        if not isinstance(below[index], str) or _NUMBER_OR_DATE.fullmatch(text):
            return None
        own = field_of(text)
        joined = f"{above}: {text}" if above else ""
        field_name = own or (field_of(joined) if joined else None)
        if field_name is None:
            return None
        if above and names_a_person(above) and not names_a_person(text):
            return None
        if parent is not None and _spans_one(top, parent, width):
            heading_field = field_of(above)
            if heading_field is not None and heading_field != field_name:
                return None
        # The sub-heading alone when it maps alone, so that its field is its own ("Срок" is the sentence
        # under "Приговор"); joined with its heading when only that maps ("Суд: Дата").
        merged.append(text if own else joined)
    return merged


def _heading(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _width(headings: list[str]) -> int:
    end = len(headings)
    while end and not headings[end - 1]:
        end -= 1
    return end


def _spans_one(top: list[str], index: int, width: int) -> bool:
    """Whether the heading at `index` stands over its own column only (the next column has a heading)."""
    return index + 1 >= width or bool(top[index + 1])
