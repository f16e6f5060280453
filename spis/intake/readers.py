"""Readers: bytes of a CSV, XLSX, JSON or JSON-lines file -> a table of raw rows with their line numbers.

Readers never guess silently: an unreadable file raises ReadError naming the line and the reason. Any
delimiter, quoted newlines, UTF-8 with or without BOM, UTF-16 with or without BOM, and CP1251
(charset-normalizer) are read. A spreadsheet's header row is chosen by the caller, who knows the mapping
(Table.find_header): a title line above the header is skipped, and a row of sub-headings under it is read as
part of the header, with the line numbers kept true to the file. What a workbook shows beside its values
(hidden rows and columns, merged cells: sheets.py) is said on the rows it concerns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import sheets
from .messages import Message, MessageError, gettext_noop

FORMATS = ("csv", "xlsx", "json", "jsonl")
MAX_COLUMNS = 500
# How far down a title may push the header: a list's own title, its date, a blank line, a note to readers.
HEADER_SEARCH_ROWS = 10


class ReadError(MessageError):
    """A file that cannot be read: the line it fails on and why."""

    def __init__(self, line: int, message: Message) -> None:
        super().__init__(message)
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class NoRows(ReadError):
    """A header with no rows under it (the table's `columns` are that header): no list, unless the header is
    that of a change file that lists nothing (records.build_records)."""


@dataclass
class RawRow:
    line: int
    values: dict[str, Any]
    # A line that could not be read (a JSON line that is not valid JSON): a row error, the file goes on.
    error: Message | None = None
    text: str = ""
    # Where on the line the error is (a cell beyond the header: "column 7"), when it is one cell's.
    column: str = ""
    # What the reader saw that the cells do not say (the row is hidden in the workbook, a merged cell's value
    # was applied to it): warnings on the row's record. A tuple, shared empty by the rows that have none.
    notes: tuple[Message, ...] = ()


@dataclass(frozen=True, slots=True)
class Formula:
    """A spreadsheet formula saved without its value (the file was written by a program that does not
    compute formulas); the records refuse it as a cell error rather than read the cell as empty."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    columns: list[str]
    rows: list[RawRow] = field(default_factory=list)
    encoding: str = ""
    # The header's line, and the non-empty lines above it (a title such as "Список … на 01.03.2023"), skipped.
    header_line: int = 1
    skipped: list[int] = field(default_factory=list)
    # The line of the sub-headings under the header ("Статья | Срок" under a merged "Приговор"), if any.
    subheader_line: int = 0
    # A workbook's hidden rows and columns and merged cells (sheets.read_layout); None for a text file.
    layout: sheets.Layout | None = None
    # A spreadsheet's rows as read, until find_header has chosen the header row and built `rows` from them.
    pending: list[tuple[int, list[Any]]] | None = None
    # The worksheet read, when the workbook has others: named in the file's errors ("sheet 'Инструкция': …").
    sheet: str = ""
    # The worksheet read, whether or not the workbook has others (a name may say who may see its rows).
    sheet_name: str = ""
    # What the reader has to say about the file as a whole (the sheets it did not read).
    notes: list[Message] = field(default_factory=list)
    # Rows that name their own fields (JSON objects): `columns` is every key met, and each row's own keys are
    # mapped (a file may give the name as "name" in some objects and "ФИО" in others).
    keyed: bool = False

    def find_header(
        self,
        is_header: Callable[[list[str]], bool],
        resolve: Callable[[list[str]], dict[str, str]] | None = None,
    ) -> None:
        """Build the rows under the header: the first of the first non-empty rows that `is_header` accepts
        (the first non-empty row when none does); nothing to do for JSON, whose fields name themselves.

        With `resolve` (headers -> {header: field} of those the mapping knows): of several rows `is_header`
        accepts, the one that maps the most fields; the row above it read as its headings, or else the row
        below it as its sub-headings, when it is that (sheets.sub_headings); and the notes on merged cells and
        hidden columns name the mapped columns only."""
        if self.pending is None:
            return
        lists, self.pending = self.pending, None
        candidates: list[int] = []
        for index, (_, values) in enumerate(lists):
            if any(_present(v) for v in values):
                candidates.append(index)
                if len(candidates) == HEADER_SEARCH_ROWS:
                    break
        if not candidates:
            raise ReadError(1, Message(gettext_noop("no header row")))
        cleaned = {i: _clean_header(lists[i][1]) for i in candidates}
        accepted = [i for i in candidates if is_header(cleaned[i])]
        start = accepted[0] if accepted else candidates[0]
        if resolve is not None and len(accepted) > 1:
            # A title that names a header word ("Политзаключённые (ФИО)") is no header when a row below it
            # names more of the list's fields: the row that maps the most (the first of equals) is the header.
            start = max(accepted, key=lambda i: (len(resolve(cleaned[i])), -i))
        header, top, first = cleaned[start], start, start + 1
        if resolve is not None:

            def is_header_word(text: str) -> bool:
                return is_header([text])

            def headed(upper: int, lower: int) -> list[str]:
                """Row `lower` read as sub-headings under row `upper` (sheets.sub_headings), if it is that and
                the two name a person; else []."""
                merged = sheets.sub_headings(
                    lists[upper][1], lists[lower][1], lambda text: resolve([text]).get(text), is_header_word
                )
                both = _clean_header(merged) if merged is not None else []
                return both if both and is_header(both) else []

            above = max((i for i in candidates if i < start), default=None)
            below = next((i for i in range(start + 1, len(lists)) if any(map(_present, lists[i][1]))), None)
            # Headings over the header (the name's only in the row below them: "Задержание" over "Дата"), read
            # so when they name more fields than the header alone; else sub-headings under it.
            over = headed(above, start) if above is not None else []
            if over and len(resolve(over)) > len(resolve(header)):
                header, top = over, above
                self.subheader_line = lists[start][0]
            elif below is not None and (under := headed(start, below)):
                header, first = under, below + 1
                self.subheader_line = lists[below][0]
        self.skipped = [lists[i][0] for i in candidates if i < top]
        self.header_line = lists[top][0]
        self.columns = header
        _rows_from_lists(lists, first, self, resolve)


def guess_format(filename: str, data: bytes) -> str:
    name = filename.lower()
    for ext in ("jsonl", "ndjson"):
        if name.endswith("." + ext):
            return "jsonl"
    for ext in ("xlsx", "json", "csv", "tsv", "txt"):
        if name.endswith("." + ext):
            return {"tsv": "csv", "txt": "csv"}.get(ext, ext)
    if data[:2] == b"PK":
        return "xlsx"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"[":
        return "json"
    if head == b"{":
        return "jsonl"
    return "csv"


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (BOM or not), UTF-16 (BOM or not), then what charset-normalizer
    finds (CP1251 …)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    # Before UTF-8: Cyrillic in UTF-16 is bytes below 0x80 and NULs, which UTF-8 would take as its own.
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "utf_16", "cp1252", "latin_1"]).best()
    if best is None:
        raise ReadError(1, Message(gettext_noop("cannot tell the text encoding (save the file as UTF-8)")))
    return str(best), best.encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM ("Unicode text" from some Excel versions): its delimiters, digits and line
    ends are ASCII, whose second (LE) or first (BE) byte is NUL, while no 8-bit encoding has NUL in text."""
    head = data[:4096]
    if len(data) % 2 or len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for nuls, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        # Every line has a delimiter or a digit: at least one character in twenty is ASCII.
        if nuls * 20 >= len(head) // 2 and others == 0:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None


def _nfc(text: str) -> str:
    """`text` in composed form (NFC): "Zoë" typed as e and a combining diaeresis is the one "Zoë", never a second
    name that looks the same and matches no one. Most text is checked without a copy (ASCII, or composed)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _nfc_value(value: Any) -> Any:
    """A JSON value's texts in NFC (the file's \\u escapes are read only by the parser); objects are their own."""
    if isinstance(value, str):
        return _nfc(value)
    if isinstance(value, list):
        return [_nfc_value(v) for v in value]
    return value


# A \\u escape, but of a Cyrillic letter (U+0400–04FF, its combining marks U+0483–0489 aside): an escaped list
# is mostly those, and none of them composes.
_ESCAPE = re.compile(r"\\u(?!04(?!8[3-9])[0-9a-fA-F]{2})([0-9a-fA-F]{4})")


def _escapes_compose(text: str) -> bool:
    """Whether a JSON text escapes a character that NFC would compose with the one before it (a combining mark,
    a Hangul vowel) or replace: only then are its parsed texts normalised one by one (_Objects), which costs."""
    if "\\u" not in text:
        return False
    for code in set(_ESCAPE.findall(text)):
        char = chr(int(code, 16))
        if (
            unicodedata.combining(char)
            or unicodedata.category(char) in ("Mn", "Mc")
            or 0x1161
            <= ord(char)
            <= 0x11C2  # Hangul vowels and final consonants (Unicode 3.12, conjoining jamo)
            or not unicodedata.is_normalized("NFC", char)
        ):
            return True
    return False


def _not_text(data: bytes, fmt: str) -> Message | None:
    """Why a file given as text (CSV, JSON) is not text: a workbook or an archive under a text name."""
    if data[:4] != b"PK\x03\x04":
        return None
    # Refused, not read as XLSX: the batch records the format it was imported as, and an upload that is
    # not what its name says may not be the file the editor meant; renaming it is one step.
    if b"xl/workbook.xml" in data[:65536] or b"[Content_Types].xml" in data[:65536]:
        return Message(
            gettext_noop(
                "this is an XLSX workbook, not a %(format)s file: import it as XLSX (name it .xlsx)"
            ),
            format=fmt.upper(),
        )
    return Message(gettext_noop("this is a ZIP archive, not a %(format)s file"), format=fmt.upper())


def read_table(data: bytes, fmt: str | None = None, filename: str = "") -> Table:
    """The file's rows; a CSV or XLSX table's rows are built by Table.find_header."""
    fmt = fmt or guess_format(filename, data)
    if fmt not in FORMATS:
        raise ReadError(
            0,
            Message(
                gettext_noop("unknown format %(format)s (use one of %(formats)s)"),
                format=repr(fmt),
                formats=FORMATS,
            ),
        )
    if not data.strip():
        raise ReadError(1, Message(gettext_noop("the file is empty")))
    not_text = _not_text(data, fmt) if fmt != "xlsx" else None
    if not_text is not None:
        raise ReadError(1, not_text)
    try:
        return {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json, "jsonl": _read_jsonl}[fmt](data)
    except ReadError:
        raise
    except zipfile.BadZipFile:
        # zipfile's "File is not a zip file" is English and says nothing to whoever saved a list as .xlsx.
        raise ReadError(0, Message(gettext_noop("this is not a readable XLSX workbook"))) from None
    except (ValueError, TypeError, KeyError, IndexError, OSError, csv.Error) as exc:
        # Third-party parsers raise many kinds of errors on damaged files; all mean "cannot read this". Their
        # reasons are their own English, passed on as they are.
        raise ReadError(0, _unreadable(fmt, str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises arbitrary types on hostile files
        raise ReadError(0, _unreadable(fmt, f"{type(exc).__name__}: {exc}")) from None


def _unreadable(fmt: str, reason: str) -> Message:
    return Message(gettext_noop("cannot read the file as %(format)s: %(reason)s"), format=fmt, reason=reason)


def _clean_header(values: list[Any]) -> list[str]:
    # Empty cells after the last header are no columns (a spreadsheet's row runs to its widest row): a value
    # under one is a cell beyond the header, that row's error (_rows_from_lists), not an ignored "column 7".
    end = len(values)
    while end and not _present(values[end - 1]):
        end -= 1
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(values[:end]):
        text = " ".join(str(value if value is not None else "").split()) or f"column {index + 1}"
        if text in seen:
            seen[text] += 1
            text = f"{text} ({seen[text]})"
        else:
            seen[text] = 1
        headers.append(text)
    if len(headers) > MAX_COLUMNS:
        raise ReadError(
            1,
            Message(
                gettext_noop("%(count)s columns; at most %(limit)s"), count=len(headers), limit=MAX_COLUMNS
            ),
        )
    return headers


def _rows_from_lists(
    lists: list[tuple[int, list[Any]]],
    first: int,
    table: Table,
    resolve: Callable[[list[str]], dict[str, str]] | None = None,
) -> Table:
    """The rows from the list at `first` on, under the table's columns; empty rows are skipped (they carry no
    data). A workbook's layout is applied first: a vertically merged cell's value to each of its rows; a
    hidden row is refused, and mapped hidden columns refuse the file (sheets.HIDDEN_ROW)."""
    header_line = table.header_line
    width = len(table.columns)
    notes: dict[int, list[Message]] = {}
    if table.layout:
        mapped = set(resolve(table.columns)) if resolve is not None else set(table.columns)
        wanted = {i for i, column in enumerate(table.columns) if column in mapped}
        notes = _apply_layout(table, table.layout, lists[first:], wanted)
    for line, values in lists[first:]:
        if not any(_present(v) for v in values):
            continue
        row = {table.columns[i]: values[i] for i in range(min(width, len(values)))}
        extra = [i for i in range(width, len(values)) if _present(values[i])]
        if extra:
            refused = _beyond_header(line, row, values, extra, header_line, width)
            refused.notes = tuple(notes.get(line, ()))
            table.rows.append(refused)
            continue
        if table.layout and line in table.layout.hidden_rows:
            table.rows.append(RawRow(line, row, sheets.HIDDEN_ROW, notes=tuple(notes.get(line, ()))))
            continue
        table.rows.append(RawRow(line, row, notes=tuple(notes[line])) if line in notes else RawRow(line, row))
    if not table.rows:
        raise NoRows(
            header_line,
            Message(gettext_noop("no data rows: nothing under the header (line %(line)s)"), line=header_line),
        )
    return table


def _apply_layout(
    table: Table, layout: sheets.Layout, lists: list[tuple[int, list[Any]]], mapped: set[int]
) -> dict[int, list[Message]]:
    """A workbook's layout applied to the rows under its header (`lists`, in place): each vertically merged
    range's value copied from its first row to its empty cells below, as the sheet shows it on every row;
    the notes this gives each line. Mapped hidden columns refuse the file (ReadError). Merged
    ranges in or above the header are the header's (a heading over its sub-headings), not the rows'."""
    notes: dict[int, list[Message]] = {}
    by_line = {line: values for line, values in lists if any(_present(v) for v in values)}
    # A range merged down to the sheet's end (B5:B1048576) is walked to the last row with data only.
    last_line = max(by_line, default=0)
    for first_row, first_column, last_row, last_column, cells in layout.merged:
        top = by_line.get(first_row)
        if top is None or first_column >= len(top) or not _present(top[first_column]):
            continue  # above or in the header, or an empty merged cell: nothing to apply
        # Only rows with cells of their own: a merged cell running past the list's last row is no person.
        lines = [line for line in range(first_row, min(last_row, last_line) + 1) if line in by_line]
        said: list[Message] = []
        if len(lines) > 1:
            for line in lines[1:]:
                values = by_line[line]
                values.extend([None] * (first_column + 1 - len(values)))
                if not _present(values[first_column]):
                    values[first_column] = top[first_column]
            if first_column in mapped:
                said.append(Message(sheets.MERGED_DOWN, cells=cells))
        covered = [table.columns[i] for i in range(first_column + 1, last_column + 1) if i in mapped]
        if covered:
            said.append(
                Message(
                    sheets.MERGED_ACROSS,
                    cells=cells,
                    column=repr(table.columns[first_column]),
                    columns=[repr(c) for c in covered],
                )
            )
        for line in lines if said else ():
            notes.setdefault(line, []).extend(said)
    hidden = [repr(table.columns[i]) for i in sorted(layout.hidden_columns & mapped)]
    if hidden:
        raise ReadError(table.header_line, Message(sheets.HIDDEN_COLUMNS, columns=hidden))
    return notes


def _beyond_header(
    line: int, row: dict[str, Any], values: list[Any], extra: list[int], header_line: int, width: int
) -> RawRow:
    """A row with a value beyond the header's last column: no field takes it, so the row is refused (with
    --partial the others are imported), naming the first such cell; its cells are kept as read."""
    for i in extra:
        key = f"column {i + 1}"
        row[key if key not in row else f"{key} ({i + 1})"] = values[i]
    first = extra[0]
    refusal = Message(
        gettext_noop(
            "a value beyond the last column of the header (line %(line)s, %(width)s columns): "
            "give its column a header, or move the value into a column that has one"
        ),
        line=header_line,
        width=width,
    )
    return RawRow(line, row, refusal, str(values[first]), f"column {first + 1}")


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _dialect(text: str) -> Any:
    """The delimiter found on most of the first records (a title line above the header has none, or one
    stray comma); csv.Sniffer when no record has one (a one-column file).

    Delimiters are counted outside quotes, each candidate's records split by the csv module: a header
    "Прозвішча, імя, імя па бацьку";Дата затрымання;… and quoted cells full of commas is semicolon-separated."""
    sample = text[:65536]
    delimiters = (";", ",", "\t", "|")
    score = {}
    for delimiter in delimiters:
        records = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        # Blank lines are no records; the first ten others are where a header stands (HEADER_SEARCH_ROWS).
        filled = (len(r) for r in records if len(r) > 1 or (r and r[0].strip()))
        cells = list(itertools.islice(filled, HEADER_SEARCH_ROWS))
        score[delimiter] = (sum(n > 1 for n in cells), sum(n - 1 for n in cells))
    best = max(delimiters, key=lambda d: score[d])
    if score[best][0] == 0:
        try:
            return csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
        except csv.Error:
            return csv.excel

    class Dialect(csv.excel):
        delimiter = best

    return Dialect


def _read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    text = _nfc(text)  # every cell composed at once (a combining mark composes with no delimiter or quote)
    if "\x00" in text:
        raise ReadError(1, Message(gettext_noop("the file has NUL bytes: not a text CSV")))
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    lists: list[tuple[int, list[Any]]] = []
    line = 1
    # A cell as long as the file may be: Python's limit (131,072 characters) failed the whole file at "line 0";
    # read, a cell too long for its field is refused on its row, naming the limit, and a comment kept whole.
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text)))
    try:
        for values in reader:
            lists.append((line, values))
            # A quoted cell may hold newlines: the next record starts on the reader's current line.
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(line, _unreadable("csv", str(exc))) from None
    finally:
        csv.field_size_limit(limit)
    return Table([], encoding=encoding, pending=lists)


class Number1904(int):
    """A whole number from a workbook saved in the 1904 date system (old Mac Excel): as a date (a serial in a
    General-format cell) it counts days from 1904-01-01, not 1899-12-30; parsing reads its `epoch`.

    Never equal to the plain number, so that a cache of parsed cells (records._PARSED) does not give one
    the other's date; as text and in JSON it is the number."""

    __slots__ = ()
    epoch = dt.date(1904, 1, 1)

    def __eq__(self, other: object) -> bool:
        return type(other) is Number1904 and int(self) == int(other)

    def __ne__(self, other: object) -> bool:  # int's own __ne__ would be found before object's inverse
        return not self == other

    def __hash__(self) -> int:
        return hash((Number1904, int(self)))


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    formulas: list[tuple[int, int, str]] = []
    try:
        worksheets = book.worksheets
        if not worksheets:
            raise ReadError(1, Message(gettext_noop("the workbook has no worksheet")))
        # The first visible sheet is the list: a hidden one before it is a lookup table or an old copy. (A
        # workbook with none visible, which Excel does not save, is read from its first.)
        sheet = next((s for s in worksheets if s.sheet_state == "visible"), worksheets[0])
        # A read-only sheet reads as far as its declared size (<dimension ref="A1:G3">), which some programs
        # write wrong: the rows and columns beyond it were lost unsaid. Read to the last cell stored.
        sheet.reset_dimensions()
        mac = book.epoch.year == 1904
        lists: list[tuple[int, list[Any]]] = []
        for index, cells in enumerate(sheet.iter_rows(), 1):
            values: list[Any] = []
            for cell in cells:
                if cell.data_type == "f":
                    formulas.append((index, len(values), str(cell.value)))
                    values.append(cell.value)
                else:
                    values.append(_cell_value(cell, mac))
            lists.append((index, values))
        # Each row as wide as the widest, as a sheet of its declared size reads (a trailing empty cell is None).
        width = max((len(values) for _, values in lists), default=0)
        for _, values in lists:
            values.extend([None] * (width - len(values)))
        unread = [repr(s.title) for s in worksheets if s is not sheet and _has_data(s)]
    finally:
        book.close()
    if formulas:
        _cached_values(data, sheet.title, lists, formulas)
    # openpyxl keeps the worksheet's part in the zip (3.1: ReadOnlyWorksheet._worksheet_path); the tests of
    # hidden rows and merged cells fail should it stop doing so.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        layout = sheets.read_layout(archive, sheet._worksheet_path)
    table = Table([], encoding="xlsx", pending=lists, layout=layout or None, sheet_name=sheet.title)
    if unread:
        # Only one sheet is a list; the others are said, so that the documenter can split the workbook.
        table.sheet = sheet.title
        table.notes.append(
            Message(
                gettext_noop(
                    "only the sheet %(sheet)s was read; the workbook's other sheets with data were not: "
                    "%(sheets)s (import each as a file of its own)"
                ),
                sheet=repr(sheet.title),
                sheets=unread,
            )
        )
    return table


def _cell_value(cell: Any, mac: bool) -> Any:
    """A cell as the records read it: a month or year date as the text it shows, a whole number of a 1904
    workbook with its epoch (date-formatted cells openpyxl has already converted with it)."""
    value = cell.value
    if isinstance(value, str):
        return _nfc(value)
    if isinstance(value, dt.datetime):
        return _as_formatted(value, getattr(cell, "number_format", None))
    if mac and isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return Number1904(value)
    return value


def _has_data(sheet: Any) -> bool:
    return any(_present(v) for row in sheet.iter_rows(values_only=True) for v in row)


def _cached_values(
    data: bytes, title: str, lists: list[tuple[int, list[Any]]], formulas: list[tuple[int, int, str]]
) -> None:
    """Put the value a spreadsheet saved with each formula in its place; a formula saved without one (written
    by a program that does not compute formulas) stays a Formula, for the records to refuse."""
    import openpyxl

    wanted: dict[int, list[tuple[int, str]]] = {}
    for row, column, text in formulas:
        wanted.setdefault(row, []).append((column, text))
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        mac = book.epoch.year == 1904
        for index, cells in enumerate(book[title].iter_rows(), 1):
            for column, text in wanted.get(index, ()):
                value = _cell_value(cells[column], mac) if column < len(cells) else None
                lists[index - 1][1][column] = Formula(text) if value is None else value
    finally:
        book.close()


# A number format's parts that are not date codes: quoted text, [$-419] locales and [Red] colours, escapes.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def _as_formatted(value: dt.datetime, number_format: str | None) -> Any:
    """A date cell shown as month and year (mm.yyyy, mmm yyyy) or as a year (yyyy) as the text it shows:
    the precision that was entered; other date cells as they are."""
    codes = _FORMAT_NOISE.sub("", (number_format or "").split(";")[0]).lower()
    if "y" not in codes or "d" in codes or "h" in codes or "s" in codes:
        return value
    if "m" in codes:
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


def _object_table(objects: list[tuple[int, Any]], per_line: bool = False, doubled: bool = False) -> Table:
    """Rows of named fields; with `per_line` (JSON lines) a line that is not an object is a row error, and with
    `doubled` (some object gave a key twice with different values) each such object's row is refused."""
    table = Table([], encoding="utf-8", keyed=True)
    columns: dict[str, None] = {}
    for line, obj in objects:
        if isinstance(obj, RawRow):  # a JSON line that is not valid JSON
            table.rows.append(obj)
            continue
        twice = _doubled_refusal(line, obj) if doubled and isinstance(obj, dict) else None
        if twice is not None:
            columns.update(dict.fromkeys(twice.values))
            table.rows.append(twice)
            continue
        refusal = None
        if not isinstance(obj, dict):
            refusal = Message(
                gettext_noop("expected an object with named fields, found %(found)s"),
                found=type(obj).__name__,
            )
        elif _holds_nul(obj):
            # As a CSV with NUL bytes: no database text field can store the character (PostgreSQL refuses it).
            refusal = Message(gettext_noop("a field holds a NUL character (\\u0000): not storable text"))
        if refusal is not None:
            if not per_line:
                raise ReadError(line, refusal)
            table.rows.append(RawRow(line, {}, refusal, json.dumps(obj, ensure_ascii=False)))
            continue
        columns.update(dict.fromkeys(str(k) for k in obj))
        table.rows.append(RawRow(line, {str(k): v for k, v in obj.items()}))
    table.columns = list(columns)
    if len(table.columns) > MAX_COLUMNS:
        raise ReadError(
            1,
            Message(
                gettext_noop("%(count)s fields; at most %(limit)s"),
                count=len(table.columns),
                limit=MAX_COLUMNS,
            ),
        )
    if per_line and not table.columns:
        # Not one line could be read: that is the file, not its rows.
        first = table.rows[0]
        raise ReadError(first.line, first.error or Message(gettext_noop("no records")))
    return table


_DOUBLED_KEY = gettext_noop(
    "the key %(key)s is given twice in one object, with different values (%(first)s and %(second)s): row "
    "refused; correct one, or remove the other"
)


class _DoubledKeys(dict):
    """A JSON object that gives a key twice with different values (json keeps the last unsaid): the value
    given first, and each repeat, kept for the reader to refuse the row naming both."""

    doubled: list[tuple[str, Any, Any]]


class _Objects:
    """json's object_pairs_hook: each object as a dict, one that repeats a key with another value a
    _DoubledKeys. `seen` says whether any did, so that a file without one is never walked for them."""

    def __init__(self, text: str) -> None:
        self.seen = False
        # A text escaped as \\u… may be decomposed after all (the file's own text is made NFC before parsing).
        self.escaped = _escapes_compose(text)

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if self.escaped:
            pairs = [(_nfc(k), _nfc_value(v)) for k, v in pairs]
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj  # no key twice: almost every object, at the cost of one comparison
        first: dict[str, Any] = {}
        doubled = []
        for key, value in pairs:
            if key not in first:
                first[key] = value
            elif _as_json(value) != _as_json(first[key]):  # as JSON: true is not 1, nor 1 true
                doubled.append((key, first[key], value))
        if not doubled:
            return obj  # the same value twice says it once
        self.seen = True
        found = _DoubledKeys(obj)
        found.doubled = doubled
        return found


def _as_json(value: Any) -> str:
    """A JSON value as a message shows it (`true`, `["a", "b"]`, not Python's True, ['a', 'b'])."""
    return json.dumps(value, ensure_ascii=False)


def _shown(value: Any) -> str:
    """A JSON value as a message shows it, its start when long: enough to find it."""
    text = _as_json(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _doubled_key(value: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first key a JSON object (or an object inside it) gives twice with different values, named by its
    path (`events[2].date`, events counted from 1 as the records name them), with both values."""
    if isinstance(value, _DoubledKeys):
        key, first, second = value.doubled[0]
        return (f"{path}.{key}" if path else key), first, second
    if isinstance(value, dict):
        items: Any = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{n}]", v) for n, v in enumerate(value, 1))
    else:
        return None
    return next(filter(None, (_doubled_key(v, p) for p, v in items)), None)


def _doubled_refusal(line: int, obj: Any) -> RawRow | None:
    """The row refused for a key its object gives twice with different values (json would keep the last)."""
    found = _doubled_key(obj)
    if found is None:
        return None
    key, first, second = found
    message = Message(_DOUBLED_KEY, key=repr(key), first=_shown(first), second=_shown(second))
    values = {str(k): v for k, v in obj.items()} if isinstance(obj, dict) else {}
    return RawRow(line, values, message, _as_json(second), key)


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _read_json(data: bytes) -> Table:
    text = _nfc(decode(data)[0])
    objects = _Objects(text)
    try:
        parsed = json.loads(text, object_pairs_hook=objects)
    except json.JSONDecodeError as exc:
        raise ReadError(exc.lineno, _invalid_json(exc, exc.lineno)) from None
    if isinstance(parsed, _DoubledKeys):  # {"persons": […], "persons": […]}: which list is the file's?
        key, first, second = parsed.doubled[0]
        raise ReadError(1, Message(_DOUBLED_KEY, key=repr(key), first=_shown(first), second=_shown(second)))
    if isinstance(parsed, dict) and isinstance(parsed.get("persons"), list):
        parsed = parsed["persons"]
    if not isinstance(parsed, list):
        raise ReadError(1, Message(gettext_noop("expected a JSON list of objects")))
    # An empty list is a file that lists nobody (`spis export --changed-since` when nothing changed): no rows.
    # JSON has no line per record; number records from 1 so that errors still point somewhere.
    return _object_table(list(enumerate(parsed, 1)), doubled=objects.seen)


def _read_jsonl(data: bytes) -> Table:
    text = _nfc(decode(data)[0])
    objects: list[tuple[int, Any]] = []
    hook = _Objects(text)
    for line, chunk in enumerate(_json_lines(text), 1):
        if not chunk.strip():
            continue
        try:
            objects.append((line, json.loads(chunk, object_pairs_hook=hook)))
        except json.JSONDecodeError as exc:
            # One bad line is that row's error: the other lines are records of their own.
            objects.append((line, RawRow(line, {}, _invalid_json(exc, line), chunk)))
    if not objects:
        raise ReadError(1, Message(gettext_noop("no records")))
    return _object_table(objects, per_line=True, doubled=hook.seen)


def _json_lines(text: str) -> list[str]:
    """The lines of a JSON-lines file, split at line feeds (LF or CR LF) only.

    str.splitlines also splits at U+2028, U+2029, U+0085 and the separators U+001C to U+001E, which JSON
    allows raw inside a string: a record holding one would break in two, and every later line number would
    be off by one."""
    if "\n" not in text and "\r" in text:
        # Old Mac line ends (CR alone): a raw CR is no JSON string's character, so it can only end a line.
        return text.split("\r")
    return [line.removesuffix("\r") for line in text.split("\n")]


# The json module's reasons, in words of our own (translated); one it may add later is passed on as it is.
_JSON_REASONS = {
    "Expecting value": gettext_noop("a value was expected"),
    "Expecting property name enclosed in double quotes": gettext_noop(
        "a field name in double quotes was expected"
    ),
    "Expecting ':' delimiter": gettext_noop("a ':' was expected"),
    "Expecting ',' delimiter": gettext_noop("a ',' was expected"),
    "Unterminated string starting at": gettext_noop("a text in quotes is not closed"),
    "Extra data": gettext_noop("more text after the end of the JSON value"),
    "Invalid control character at": gettext_noop("a control character (such as a line break) inside quotes"),
    "Invalid \\escape": gettext_noop("an invalid backslash escape inside quotes"),
    "Invalid \\uXXXX escape": gettext_noop("an invalid backslash escape inside quotes"),
}


def _invalid_json(exc: json.JSONDecodeError, line: int) -> Message:
    reason: Message | str = exc.msg
    if exc.msg in _JSON_REASONS:
        reason = Message(_JSON_REASONS[exc.msg])
    return Message(
        gettext_noop("not valid JSON at line %(line)s, column %(column)s: %(reason)s"),
        line=line,
        column=exc.colno,
        reason=reason,
    )
