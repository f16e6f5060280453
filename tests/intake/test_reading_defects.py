"""Files that used to be read wrong, end to end: refused with a reason where they cannot be read, never
imported as something else."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from spis.intake import importer
from spis.intake.mapping import MappingError, load_mapping
from spis.registry.models import Name, Person


def _import(data: bytes, name: str, **options):
    return importer.run_import(data, file_name=name, mapping=None, **options)


def test_one_bad_json_line_fails_only_its_row_and_the_good_rows_are_kept(db):
    data = '{"name": "Ульянов Ульян"}\n{"name": "Broken", \n{"name": "Фёдоров Фёдор"}\n'.encode()
    result = _import(data, "broken.jsonl", partial=True)
    assert result.status == "partial" and result.created == 2
    [error] = result.errors
    assert error["line"] == 2 and "not valid JSON at line 2, column" in error["message"]
    assert set(Name.objects.values_list("text", flat=True)) == {"Ульянов Ульян", "Фёдоров Фёдор"}


def test_a_header_only_file_fails_with_no_data_rows(db):
    result = _import("ФИО;Дата рождения;Дата задержания\n".encode(), "list.csv")
    assert result.status == "failed" and "no data rows" in result.errors[0]["message"]


def test_a_list_with_a_title_above_its_header_imports(db):
    data = "Список политзаключённых на 01.03.2023\n\nФИО;Дата рождения;Дата задержания\nСидоров Сидор;1970;12.03.2021\n"
    result = _import(data.encode(), "list.csv")
    assert result.status == "completed" and result.created == 1 and not result.ignored_columns
    assert result.plans[0].record.line == 4


def test_a_suspended_sentence_leaves_no_one_in_custody(db):
    data = "ФИО;Дата рождения;Дата задержания;Дата приговора;Приговор;Статус;Дата освобождения\nУсловный Ус;1980;12.03.2021;15.09.2021;3 года условно;освобожден;15.09.2021\n"
    result = _import(data.encode(), "list.csv")
    assert result.created == 1, result.errors
    person = Person.objects.get()
    sentenced = person.events.get(type="sentenced")
    assert (sentenced.regime, sentenced.sentence_months, sentenced.note) == ("other", 36, "3 года условно")
    assert person.status != "in_custody"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("- name\n- ФИО\n", "expected keys"),
        ('columns:\n  name: ФИО\nsource: "Viasna"\n', "key 'source'"),
        ("columns:\n  name: [ФИО]\noptions: [1]\n", "key 'options'"),
        ("columns:\n  name: [{a: 1}]\n", "key 'columns.name'"),
    ],
)
def test_a_mapping_of_the_wrong_shape_is_a_mapping_error(tmp_path, text, said):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as refused:
        load_mapping(path)
    assert "bad.yaml" in str(refused.value) and said in str(refused.value)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("colums:\n  name: [ФИО]\n", "unknown key 'colums' (known: name, source, options, columns)"),
        ("columns: []\n", "key 'columns' must map fields to lists of headers"),
        ("", "key 'columns' must map fields to lists of headers"),  # an empty file
        ("columns:\n  name: []\n", "key 'columns.name' must be a header or a list of headers"),
        ("columns:\n  name: [ФИО]\nvalues:\n  status: {сидит: in_custody}\n", "value maps are not supported"),
        (
            "columns:\n  name: [ФИО]\noptions:\n  listed_as_recognised: true\n",
            "unknown key 'options.listed_as_recognised' (known: listed_as_recognized)",
        ),
        ('columns:\n  name: [ФИО]\noptions:\n  listed_as_recognized: "no"\n', "must be true or false"),
        ("name: [a, b]\ncolumns:\n  name: [ФИО]\n", "key 'name' must be a text"),
        (f"name: {'x' * 101}\ncolumns:\n  name: [ФИО]\n", "key 'name' is longer than 100 characters"),
    ],
)
def test_a_mapping_the_import_would_misread_is_refused_naming_the_key(tmp_path, text, said):
    # Each was accepted: the misspelt key or option dropped, "no" read as true, the name stored as "['a', 'b']".
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as refused:
        load_mapping(path)
    assert str(refused.value).startswith("mapping bad.yaml: ") and said in str(refused.value)


def test_a_header_listed_under_two_fields_refuses_the_mapping(tmp_path):
    # The later field took it unseen: a birth date read as a detention.
    path = tmp_path / "two.yaml"
    path.write_text("columns:\n  birth_date: [Born]\n  detained_on: [born, Arrested]\n", encoding="utf-8")
    with pytest.raises(MappingError, match="two.yaml: 'born' is listed under birth_date and detained_on"):
        load_mapping(path)


def test_a_mapping_not_in_utf8_or_a_directory_is_a_mapping_error(tmp_path):
    path = tmp_path / "cp1251.yaml"
    path.write_bytes("columns:\n  name: [ФИО]\n".encode("cp1251"))
    with pytest.raises(MappingError, match="cp1251.yaml: is not UTF-8"):
        load_mapping(path)
    with pytest.raises(MappingError, match="is a directory"):
        load_mapping(tmp_path)


def _workbook(*rows, styled: str = "") -> bytes:
    return _book({"Лист1": rows}, styled=styled)


def _book(sheets: dict, hidden: tuple = (), styled: str = "", epoch_1904: bool = False) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    if epoch_1904:  # as old Mac Excel saves a workbook (date1904)
        book.epoch = CALENDAR_MAC_1904
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
        if styled:  # a cell with a format and no value: the sheet runs wider than its header
            sheet[styled].number_format = "dd.mm.yyyy"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_HEADER = ["ФИО", "Дата рождения", "Дата задержания", "Статус"]
_STRAY_ROWS = [
    ["Сидоров Сидор", "1970", "12.03.2021", "в заключении"],
    ["Петров Пётр", "1971", "13.03.2021", "в заключении", "см. письмо"],
    ["Иванов Иван", "1972", "14.03.2021", "в заключении"],
]


@pytest.mark.parametrize("name", ["list.csv", "list.xlsx"])
def test_a_cell_beyond_the_header_is_its_rows_error_and_partial_keeps_the_others(db, name):
    if name.endswith(".csv"):
        data = "\r\n".join(";".join(row) for row in [_HEADER, *_STRAY_ROWS]).encode()
    else:
        data = _workbook(_HEADER, *_STRAY_ROWS)
    result = _import(data, name, partial=True)
    assert result.status == "partial" and result.created == 2, result.errors
    [error] = result.errors
    assert (error["line"], error["column"], error["value"]) == (3, "column 5", "см. письмо")
    assert "beyond the last column of the header (line 1, 4 columns)" in error["message"]
    assert not result.ignored_columns
    # The refused row keeps every cell it had, the stray one too.
    [row] = result.plans[1:2]
    assert row.record.raw["column 5"] == "см. письмо" and row.record.raw["ФИО"] == "Петров Пётр"


@pytest.mark.parametrize("name", ["list.csv", "list.xlsx"])
def test_an_empty_column_beyond_the_header_is_harmless(db, name):
    rows = [row[:4] for row in _STRAY_ROWS]
    if name.endswith(".csv"):
        data = "\r\n".join(";".join([*row, "", ""]) for row in [_HEADER, *rows]).encode()
    else:
        data = _workbook(_HEADER, *rows, styled="G3")
    result = _import(data, name)
    assert result.status == "completed" and result.created == 3, result.errors
    assert not result.ignored_columns


_LIST = [["ФИО", "Дата задержания"], ["Сидоров Сидор", "12.03.2021"], ["Петров Пётр", "13.03.2021"]]
# A lookup table of places: its "Name" column would read as people's names.
_LOOKUP = [["Name", "Region"], ["ИК-15", "Могилёвская"], ["СИЗО-1", "Минская"]]


def test_a_workbook_is_read_from_its_first_visible_sheet_and_its_other_sheets_are_named(db):
    data = _book({"Справочник": _LOOKUP, "Список": _LIST, "Пустой": []}, hidden=("Справочник",))
    result = _import(data, "list.xlsx")
    assert result.status == "completed" and result.created == 2, result.errors
    assert set(Name.objects.values_list("text", flat=True)) == {"Сидоров Сидор", "Петров Пётр"}
    # The empty sheet is nothing lost; the lookup table is named, once, for the documenter to split off.
    assert [note["message"] for note in result.notes()] == [
        "only the sheet 'Список' was read; the workbook's other sheets with data were not: 'Справочник' "
        "(import each as a file of its own)"
    ]


def test_an_instruction_sheet_first_is_refused_naming_the_sheet_read_and_the_others(db):
    instructions = [
        ["Как заполнять"],
        ["Заполните лист «Список»: одна строка на человека."],
        ["Даты пишите как 12.03.2021."],
    ]
    result = _import(_book({"Инструкция": instructions, "Список": _LIST}), "list.xlsx")
    assert result.status == "failed"
    assert [error["message"] for error in result.errors] == [
        "sheet 'Инструкция': no name column (expected e.g. 'ФИО', 'Імя', 'Name')",
        "only the sheet 'Инструкция' was read; the workbook's other sheets with data were not: 'Список' "
        "(import each as a file of its own)",
    ]


@pytest.mark.parametrize(("epoch_1904", "detained"), [(True, "2021-03-12"), (False, "2017-03-11")])
def test_a_serial_number_in_a_date_column_counts_from_the_workbooks_epoch(db, epoch_1904, detained):
    # 42805 in a General-format cell: 2021-03-12 counted from 1904-01-01, 2017-03-11 from 1899-12-30. A date
    # cell and a bare year are read as they were before.
    rows = [
        ["ФИО", "Дата рождения", "Дата задержания", "Дата приговора"],
        ["Сидоров Сидор", 1970, 42805, None],
    ]
    data = _book({"Список": rows}, epoch_1904=epoch_1904)
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["Список"]["D2"] = dt.datetime(2021, 9, 15)  # a date cell: converted by openpyxl with the epoch
    book["Список"]["D2"].number_format = "dd.mm.yyyy"
    out = io.BytesIO()
    book.save(out)
    result = _import(out.getvalue(), "list.xlsx")
    assert result.created == 1, result.errors
    person = Person.objects.get()
    assert str(person.events.get(type="detained").date) == detained
    assert str(person.events.get(type="convicted").date) == "2021-09-15"
    assert person.birth_date_display == "1970"


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_objects_naming_one_field_by_different_keys_are_each_read_by_their_own(db, fmt):
    # Merged from several sources: the name is "name" in some objects, "ФИО" or "person" in others.
    objects = [
        {"name": "Сидоров Сидор", "detained_on": "12.03.2021"},
        {"ФИО": "Петров Пётр", "Дата задержания": "13.03.2021"},
        {"person": "Иванов Иван", "detained_on": "14.03.2021"},
    ]
    if fmt == "json":
        data = json.dumps(objects, ensure_ascii=False).encode()
    else:
        data = "\n".join(json.dumps(obj, ensure_ascii=False) for obj in objects).encode()
    result = _import(data, f"merged.{fmt}")
    assert result.status == "completed" and result.created == 3, result.errors
    assert not result.ignored_columns
    assert set(Person.objects.values_list("events__date", flat=True)) == {
        dt.date(2021, 3, day) for day in (12, 13, 14)
    }


def test_a_json_object_giving_one_field_twice_keeps_both_values(db):
    # Once the second key was listed as ignored and its name lost; now both are the person's names.
    objects = [{"name": "Сидоров Сидор", "ФИО": "Сидоров С."}, {"ФИО": "Петров Пётр"}]
    result = _import(json.dumps(objects, ensure_ascii=False).encode(), "twice.json")
    assert result.created == 2, result.errors
    assert result.ignored_columns == []
    assert set(Name.objects.values_list("text", flat=True)) == {"Сидоров Сидор", "Сидоров С.", "Петров Пётр"}
