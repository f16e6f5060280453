"""A spreadsheet's layout beyond its cells' values: a header over two rows, rows and columns hidden in a
workbook, merged cells.

Lists are laid out for people to read, and what a person sees is not what a cell-by-cell reader sees: a
heading merged over its sub-columns ("Приговор" over "Статья | Срок"), a court or date merged over every
defendant of one trial (openpyxl gives the value in the first row only), rows a documenter filtered out. The
readers (readers.py) use what is found here so that none of it is lost or read silently as something else.
Plain Python: no Django.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from .messages import Message, gettext_noop

# A list may hide a row or a column to keep it out of what is shared (a person whose family asked so): what
# is hidden is never imported as the rows around it are, and the list's maker decides.
HIDDEN_ROW = Message(
    gettext_noop(
        "hidden in the workbook (filtered out or hidden): row refused, as a list may hide a row to keep it out; "
        "show it in the workbook (clear the filter) if it belongs to the list"
    )
)
MERGED_DOWN = gettext_noop("%(cells)s is one merged cell: its value was applied to each of its rows")
MERGED_ACROSS = gettext_noop(
    "%(cells)s is one merged cell: its value was read under %(column)s only, not under %(columns)s"
)
HIDDEN_COLUMNS = gettext_noop(
    "columns hidden in the workbook: %(columns)s: the file is refused, as a list may hide a column to keep it "
    "out; show them in the workbook if they belong to the list, or delete them"
)

# A cell that reads as a number or a date (1970, 12.03.2021, 2021-03-12) is data, never a heading.
_NUMBER_OR_DATE = re.compile(r"[\d\s.,:/\\–-]+")
# Attributes that say a row or column is hidden, and merged ranges: a sheet without these words has neither,
# and its XML is not parsed a second time.
_MARKERS = (b"hidden", b"mergeCell")
_CHUNK = 1 << 20


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


# ---- a workbook's hidden rows and columns, merged cells -------------------------------------------------


@dataclass
class Layout:
    """What a worksheet's XML says beside its values. Rows are the file's line numbers (from 1), columns
    count from 0 (A is 0), as the readers' lists of cells do."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    # (first row, first column, last row, last column, the range as written: "C5:C7")
    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.hidden_rows or self.hidden_columns or self.merged)


def read_layout(archive: zipfile.ZipFile, part: str) -> Layout:
    """The hidden rows, hidden columns and merged ranges of the worksheet stored at `part`.

    openpyxl's read-only mode, which keeps a 100,000-row workbook cheap, gives neither row and column
    dimensions nor merged cells, so the sheet's XML is read here once more, streaming: expat's start-element
    events only, no tree kept (iterparse would build and clear one element per cell, at about twice the cost).
    A sheet whose XML does not mention either (most lists) is only scanned for the words, a small fraction of
    what openpyxl takes to read its cells."""
    # Imported here, as readers.py imports openpyxl: loading it costs a CSV import some 25 MB it never uses.
    from openpyxl.utils.cell import range_boundaries

    layout = Layout()
    if not _mentions(archive, part, _MARKERS):
        return layout
    row = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row
        tag = name[name.rfind("}") + 1 :]  # "{namespace}row" whatever prefix the file gives it ("x:row")
        if tag == "row":
            # `r` may be left out: the row after the one before (ECMA-376 Part 1, 18.3.1.73).
            row = int(attrs["r"]) if "r" in attrs else row + 1
            if _true(attrs.get("hidden")):
                layout.hidden_rows.add(row)
        elif tag == "col" and _true(attrs.get("hidden")):
            layout.hidden_columns.update(range(int(attrs["min"]) - 1, int(attrs.get("max", attrs["min"]))))
        elif tag == "mergeCell" and "ref" in attrs:
            bounds = range_boundaries(attrs["ref"])
            # A whole row or column merged ("A:A") has open bounds: no list does that, and nothing is read
            # from it.
            if None not in bounds:
                first_column, first_row, last_column, last_row = (int(b or 0) for b in bounds)
                layout.merged.append((first_row, first_column - 1, last_row, last_column - 1, attrs["ref"]))

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    with archive.open(part) as stream:
        parser.ParseFile(stream)
    return layout


def _mentions(archive: zipfile.ZipFile, part: str, words: tuple[bytes, ...]) -> bool:
    """Whether the part's text holds any of the words, read in chunks (a word may straddle two)."""
    keep = max(len(w) for w in words) - 1
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            if any(w in text for w in words):
                return True
            tail = text[-keep:]
    return False


def _true(value: str | None) -> bool:
    return value in ("1", "true")
