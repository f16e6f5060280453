"""Readers: bytes of a file -> rows with their true line numbers, or a reason the file cannot be read."""

import datetime as dt
import io
import json

import openpyxl
import pytest

from spis.intake.messages import Message
from spis.intake.parsing import parse_date
from spis.intake.readers import Formula, Number1904, ReadError, read_table


def _rows(table):
    table.find_header(lambda headers: True)
    return [(r.line, r.values) for r in table.rows]


def _workbook(*rows, formats=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_formula_saved_without_its_value_is_kept_as_a_formula():
    # openpyxl, like many tools that write XLSX, saves a formula without computing its value.
    data = _workbook(
        ["ФИО", "Дата задержания", "Примечание"], ["Васильев", "=DATE(2021,3,12)", '=HYPERLINK("x","y")']
    )
    [(line, values)] = _rows(read_table(data, "xlsx"))
    assert line == 2
    assert values["Дата задержания"] == Formula("=DATE(2021,3,12)")
    assert values["Примечание"] == Formula('=HYPERLINK("x","y")')


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [
        ("mm.yyyy", "2021-03"),
        ("mmmm yyyy", "2021-03"),
        ("[$-419]mmm yyyy;@", "2021-03"),
        ("yyyy", "2021"),
        ("dd.mm.yyyy", dt.datetime(2021, 3, 1)),
        ("yyyy-mm-dd h:mm:ss", dt.datetime(2021, 3, 1)),
    ],
)
def test_an_xlsx_date_cell_keeps_the_precision_its_format_shows(number_format, expected):
    data = _workbook(
        ["ФИО", "Дата задержания"], ["Борисов", dt.datetime(2021, 3, 1)], formats={"B2": number_format}
    )
    [(_, values)] = _rows(read_table(data, "xlsx"))
    assert values["Дата задержания"] == expected


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_it_reads_utf16_without_a_bom(encoding):
    data = "ФИО;Дата рождения\r\nЕгоров Егор;1980\r\n".encode(encoding)
    assert _rows(read_table(data, filename="list.csv")) == [
        (2, {"ФИО": "Егоров Егор", "Дата рождения": "1980"})
    ]


def test_it_names_an_xlsx_workbook_given_a_csv_name():
    data = _workbook(["ФИО"], ["Егоров Егор"])
    with pytest.raises(ReadError) as refused:
        read_table(data, filename="list.csv")
    assert "XLSX workbook" in str(refused.value)


def test_a_header_without_rows_is_no_list():
    table = read_table("ФИО;Дата рождения;Дата задержания\r\n".encode(), filename="list.csv")
    with pytest.raises(ReadError, match="no data rows"):
        table.find_header(lambda headers: True)


def test_the_header_may_stand_below_a_title_and_lines_stay_true():
    text = "Список политзаключённых на 01.03.2023\n\nФИО;Дата рождения\nСидоров Сидор;1970\n"
    table = read_table(text.encode(), filename="list.csv")
    table.find_header(lambda headers: "ФИО" in headers)
    assert table.columns == ["ФИО", "Дата рождения"]
    assert [(r.line, r.values["ФИО"]) for r in table.rows] == [(4, "Сидоров Сидор")]
    assert table.skipped == [1] and table.header_line == 3


def test_a_broken_json_file_names_line_column_and_a_reason_in_our_words():
    with pytest.raises(ReadError) as refused:
        read_table(b'[\n  {"name": "A"},\n  {name: "B"}\n]', "json")
    message = refused.value.message
    assert refused.value.line == 3
    assert message.params["line"] == 3 and message.params["column"] == 4
    # A template of ours (translated where it is shown), not the json module's English.
    assert isinstance(message.params["reason"], Message)
    assert str(message) == "not valid JSON at line 3, column 4: a field name in double quotes was expected"


def test_one_bad_json_line_is_that_rows_error_and_the_other_lines_are_read():
    data = b'{"name": "A"}\n{"name": "B",\n{"name": "C"}\n'
    table = read_table(data, "jsonl")
    assert [(r.line, r.values, r.error is None) for r in table.rows] == [
        (1, {"name": "A"}, True),
        (2, {}, False),
        (3, {"name": "C"}, True),
    ]
    assert "line 2, column" in str(table.rows[1].error)


def test_a_json_lines_file_with_no_readable_line_is_refused():
    with pytest.raises(ReadError):
        read_table(json.dumps({"x": 1}).encode()[:-1] + b"\n", "jsonl")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_json_line_holding_a_unicode_line_separator_is_one_record(separator, newline):
    # JSON allows these raw inside a string; str.splitlines would cut the record in two at them.
    lines = [
        {"name": "Алесь Адамовіч", "note": f"першы радок{separator}другі радок"},
        {"name": "Вера Вераніка"},
    ]
    data = newline.join(json.dumps(obj, ensure_ascii=False) for obj in lines).encode() + newline.encode()
    table = read_table(data, "jsonl")
    assert [(r.line, r.values, r.error) for r in table.rows] == [(1, lines[0], None), (2, lines[1], None)]


def test_a_raw_control_separator_in_a_json_line_is_that_lines_error_and_later_lines_keep_their_numbers():
    # U+001C..U+001E may not stand raw in a JSON string: one error on its own line, not two lines' worth.
    data = '{"name": "Алесь\x1eАдамовіч"}\n{"name": "Вера Вераніка"}\n'.encode()
    table = read_table(data, "jsonl")
    assert [(r.line, r.error is None) for r in table.rows] == [(1, False), (2, True)]


def test_the_delimiter_is_counted_outside_quotes():
    # Commas inside the quoted header and cells outnumber the semicolons that separate the cells.
    text = (
        '"Прозвішча, імя, імя па бацьку";Дата затрымання;Артыкулы;Статус;Заўвага\r\n'
        '"Ўзорная, Святлана, Міхайлаўна";05.03.2022;"342 ч.2, 130, 361-1, 361-4";за кратамі;"гл. ліст, с. 2, п. 3"\r\n'
    )
    table = read_table(text.encode("cp1251"), filename="list.csv")
    table.find_header(lambda headers: True)
    assert table.columns[:2] == ["Прозвішча, імя, імя па бацьку", "Дата затрымання"]
    [row] = table.rows
    assert row.values["Артыкулы"] == "342 ч.2, 130, 361-1, 361-4"
    assert row.values["Заўвага"] == "гл. ліст, с. 2, п. 3"


def test_a_1904_workbooks_number_is_never_taken_for_the_same_number_of_another_workbook():
    # records caches parsed cells by value: 42805 of a 1900 workbook and of a 1904 one are two dates.
    assert Number1904(42805) != 42805 and hash(Number1904(42805)) != hash(42805)
    assert str(Number1904(42805)) == "42805" and json.dumps(Number1904(42805)) == "42805"
    assert str(parse_date(Number1904(42805))) == "2021-03-12"
    assert str(parse_date(42805)) == "2017-03-11"


def test_a_cell_longer_than_pythons_csv_limit_is_read():
    # "line 0: cannot read the file as csv: field larger than field limit (131072)": the whole file refused.
    import csv

    data = ("ФИО;Комментарий\nДлинный Ян;" + "а" * 200_000 + "\nКороткий Ян;\n").encode()
    limit = csv.field_size_limit()
    table = read_table(data, "csv", "huge.csv")
    rows = [values for _, values in table.pending]
    assert len(rows[1][1]) == 200_000 and rows[2] == ["Короткий Ян", ""]
    assert csv.field_size_limit() == limit  # the process's limit as it was


def test_a_workbook_whose_declared_size_is_wrong_is_read_to_its_last_cell():
    # Some programs write <dimension ref="A1:B2"/> for a larger sheet: openpyxl's read-only mode stopped there,
    # and the rows and columns beyond were lost unsaid.
    import re
    import zipfile

    book = openpyxl.Workbook()
    for row in (
        ["ФИО", "Дата задержания", "Статус"],
        ["Иванов Иван", "12.03.2021", "в СИЗО"],
        ["Петров Пётр", "", ""],
    ):
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B2"/>', data)
                assert count == 1
            target.writestr(item, data)
    table = read_table(out.getvalue(), "xlsx")
    assert [values for _, values in table.pending][-1][0] == "Петров Пётр"
    assert [values for _, values in table.pending][1] == ["Иванов Иван", "12.03.2021", "в СИЗО"]


def test_a_json_object_giving_a_key_twice_with_different_values_is_that_rows_refusal():
    # /tmp repro of a user test: json kept the last date unsaid.
    data = (
        '[{"name": "Орлов Антон", "detained_on": "2021-05-01", "detained_on": "2022-06-01"}, {"name": "Б В"}]'
    )
    table = read_table(data.encode(), "json")
    refused, kept = table.rows
    assert str(refused.error) == (
        "the key 'detained_on' is given twice in one object, with different values (\"2021-05-01\" and "
        '"2022-06-01"): row refused; correct one, or remove the other'
    )
    assert refused.column == "detained_on" and kept.error is None


def test_a_key_given_twice_in_an_event_is_named_by_its_path_and_values_are_shown_as_json():
    data = (
        b'{"name": "A B", "events": [{"type": "detained"}, {"type": "charged", "date": true, "date": 1}]}\n'
    )
    [refused] = read_table(data, "jsonl").rows
    assert refused.column == "events[2].date"
    assert refused.error.params["first"] == "true" and refused.error.params["second"] == "1"


def test_a_key_given_twice_with_the_same_value_says_it_once():
    table = read_table(
        b'[{"name": "A B", "region": "Minsk", "region": "Minsk", "names": ["a"], "names": ["a"]}]', "json"
    )
    assert [(r.error, r.values["region"]) for r in table.rows] == [(None, "Minsk")]


_NFD = "Zoe\u0308 N\u0303andu\u0301"  # "Zoë Ñandú" decomposed, as some Mac programs save text
_NFC = "Zo\u00eb \u00d1and\u00fa"


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (f"name;region\n{_NFD};x\n".encode(), "csv"),
        (json.dumps([{"name": _NFD, "names": [_NFD]}], ensure_ascii=False).encode(), "json"),
        (json.dumps([{"name": _NFD, "names": [_NFD]}]).encode(), "json"),  # as \\u escapes
        (json.dumps({"name": _NFD, "names": [_NFD]}).encode() + b"\n", "jsonl"),
        (_workbook(["name", "region"], [_NFD, "x"]), "xlsx"),
    ],
    ids=["csv", "json", "json-escaped", "jsonl", "xlsx"],
)
def test_every_text_is_read_composed(data, fmt):
    table = read_table(data, fmt)
    table.find_header(lambda headers: True)
    values = table.rows[0].values
    assert values["name"] == _NFC
    assert values.get("names", [_NFC]) == [_NFC]
