"""Readers: bytes of a CSV, XLSX, JSON or JSON-lines file -> a table of raw rows with their line numbers.

Readers never guess silently: an unreadable file raises ReadError naming the line and the reason. Any
delimiter (csv.Sniffer), quoted newlines, UTF-8 with or without BOM and CP1251 (charset-normalizer) are read.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from .messages import Message, MessageError, gettext_noop

FORMATS = ("csv", "xlsx", "json", "jsonl")
MAX_COLUMNS = 500


class ReadError(MessageError):
    """A file that cannot be read: the line it fails on and why."""

    def __init__(self, line: int, message: Message) -> None:
        super().__init__(message)
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class RawRow:
    line: int
    values: dict[str, Any]


@dataclass
class Table:
    columns: list[str]
    rows: list[RawRow] = field(default_factory=list)
    encoding: str = ""


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
    """Text and the encoding used: UTF-8 (BOM or not) first, then what charset-normalizer finds (CP1251 …)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "utf_16", "cp1252", "latin_1"]).best()
    if best is None:
        raise ReadError(1, Message(gettext_noop("cannot tell the text encoding (save the file as UTF-8)")))
    return str(best), best.encoding


def read_table(data: bytes, fmt: str | None = None, filename: str = "") -> Table:
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
    try:
        return {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json, "jsonl": _read_jsonl}[fmt](data)
    except ReadError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, OSError, zipfile.BadZipFile, csv.Error) as exc:
        # Third-party parsers raise many kinds of errors on damaged files; all mean "cannot read this". Their
        # reasons are their own English, passed on as they are.
        raise ReadError(0, _unreadable(fmt, str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises arbitrary types on hostile files
        raise ReadError(0, _unreadable(fmt, f"{type(exc).__name__}: {exc}")) from None


def _unreadable(fmt: str, reason: str) -> Message:
    return Message(gettext_noop("cannot read the file as %(format)s: %(reason)s"), format=fmt, reason=reason)


def _clean_header(values: list[Any]) -> list[str]:
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
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


def _rows_from_lists(lists: list[tuple[int, list[Any]]], table: Table) -> Table:
    """First non-empty list is the header; later empty rows are skipped (they carry no data)."""
    start = 0
    while start < len(lists) and not any(_present(v) for v in lists[start][1]):
        start += 1
    if start == len(lists):
        raise ReadError(1, Message(gettext_noop("no header row")))
    header_line, header = lists[start]
    table.columns = _clean_header(header)
    width = len(table.columns)
    for line, values in lists[start + 1 :]:
        if not any(_present(v) for v in values):
            continue
        if len(values) > width and any(_present(v) for v in values[width:]):
            raise ReadError(
                line,
                Message(
                    gettext_noop("%(cells)s cells but the header (line %(line)s) has %(width)s"),
                    cells=len(values),
                    line=header_line,
                    width=width,
                ),
            )
        row = {table.columns[i]: values[i] for i in range(min(width, len(values)))}
        table.rows.append(RawRow(line, row))
    return table


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _dialect(text: str) -> Any:
    """The delimiter the header line uses most; csv.Sniffer when the header names none (one column)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        try:
            return csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
        except csv.Error:
            return csv.excel

    class Dialect(csv.excel):
        delimiter = best

    return Dialect


def _read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    if "\x00" in text:
        raise ReadError(1, Message(gettext_noop("the file has NUL bytes: not a text CSV")))
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    lists: list[tuple[int, list[Any]]] = []
    line = 1
    for values in reader:
        lists.append((line, values))
        # A quoted cell may hold newlines: the next record starts on the reader's current line.
        line = reader.line_num + 1
    table = _rows_from_lists(lists, Table([], encoding=encoding))
    return table


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        lists = [(index, list(values)) for index, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        book.close()
    return _rows_from_lists(lists, Table([], encoding="xlsx"))


def _object_table(objects: list[tuple[int, Any]]) -> Table:
    table = Table([], encoding="utf-8")
    columns: dict[str, None] = {}
    for line, obj in objects:
        if not isinstance(obj, dict):
            raise ReadError(
                line,
                Message(
                    gettext_noop("expected an object with named fields, found %(found)s"),
                    found=type(obj).__name__,
                ),
            )
        if _holds_nul(obj):
            # As a CSV with NUL bytes: no database text field can store the character (PostgreSQL refuses it).
            raise ReadError(
                line, Message(gettext_noop("a field holds a NUL character (\\u0000): not storable text"))
            )
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
    return table


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _read_json(data: bytes) -> Table:
    text, _ = decode(data)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(exc.lineno, _invalid_json(exc)) from None
    if isinstance(parsed, dict) and isinstance(parsed.get("persons"), list):
        parsed = parsed["persons"]
    if not isinstance(parsed, list):
        raise ReadError(1, Message(gettext_noop("expected a JSON list of objects")))
    # JSON has no line per record; number records from 1 so that errors still point somewhere.
    return _object_table(list(enumerate(parsed, 1)))


def _read_jsonl(data: bytes) -> Table:
    text, _ = decode(data)
    objects: list[tuple[int, Any]] = []
    for line, chunk in enumerate(text.splitlines(), 1):
        if not chunk.strip():
            continue
        try:
            objects.append((line, json.loads(chunk)))
        except json.JSONDecodeError as exc:
            raise ReadError(line, _invalid_json(exc)) from None
    if not objects:
        raise ReadError(1, Message(gettext_noop("no records")))
    return _object_table(objects)


def _invalid_json(exc: json.JSONDecodeError) -> Message:
    # The parser's reason ("Expecting value") is its own English, passed on as it is.
    return Message(gettext_noop("not valid JSON: %(reason)s"), reason=exc.msg)
