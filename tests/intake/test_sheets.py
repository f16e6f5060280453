"""A spreadsheet's layout: a header over two rows, rows and columns hidden in a workbook, merged cells. Each is
read as a person reading the sheet reads it, and said on the rows it concerns."""

import io
import zipfile

import openpyxl
import pytest

from spis.intake import importer
from spis.intake.mapping import Mapping
from spis.intake.readers import read_table
from spis.intake.sheets import read_layout, sub_headings
from spis.registry.models import Case, Event, Person

HIDDEN = (
    "hidden in the workbook (filtered out or hidden): row refused, as a list may hide a row to keep it out; "
    "show it in the workbook (clear the filter) if it belongs to the list"
)


def _import(data: bytes, name: str, **options):
    return importer.run_import(data, file_name=name, mapping=None, **options)


def _sheet(rows, merged=(), hidden_rows=(), hidden_columns=()) -> bytes:
    """A workbook of one sheet, laid out as a documenter leaves a list: merged cells, rows filtered out."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    for line in hidden_rows:
        sheet.row_dimensions[line].hidden = True
    for letter in hidden_columns:
        sheet.column_dimensions[letter].hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows) -> bytes:
    return "\r\n".join(";".join(cell or "" for cell in row) for row in rows).encode()


def _notes(result, line):
    [plan] = [p for p in result.plans if p.record.line == line]
    return [str(message) for message in plan.messages]


def _person(name):
    return Person.objects.get(names__text=name)


# ---- a header over two rows -----------------------------------------------------------------------------

# "Приговор" merged over three sub-columns; the columns without sub-headings keep their heading.
_TWO_ROW_HEADER = [
    ["ФИО", "Дата рождения", "Дата задержания", "Приговор", None, None, "Место заключения"],
    [None, None, None, "Дата", "Статья", "Срок", None],
]
_DEFENDANTS = [
    ["Сидоров Сидор", "1970", "12.03.2021", "15.09.2021", "342 ч.1", "3 года колонии общего режима", "ИК-15"],
    ["Петров Пётр", "1971", "13.03.2021", "16.09.2021", "361-1", "2 года колонии общего режима", "ИК-2"],
]


@pytest.mark.parametrize("name", ["list.csv", "list.xlsx"])
def test_a_row_of_sub_headings_under_a_merged_heading_is_part_of_the_header(db, name):
    rows = [*_TWO_ROW_HEADER, *_DEFENDANTS]
    if name.endswith(".csv"):
        data = _csv(rows)
    else:  # as Excel lays it out: the heading merged across, the others merged down over both lines
        data = _sheet(rows, merged=["D1:F1", "A1:A2", "B1:B2", "C1:C2", "G1:G2"])
    result = _import(data, name)
    assert result.status == "completed" and result.created == 2, result.errors
    assert not result.ignored_columns
    # The lines are the file's own; the first row says where the header is.
    assert [plan.record.line for plan in result.plans] == [3, 4]
    assert _notes(result, 3)[0] == "the header is lines 1 and 2 (sub-headings under headings)"
    person = _person("Сидоров Сидор")
    sentenced = person.events.get(type="sentenced")
    # "Срок" is the sentence, "Статья" the articles, "Приговор: Дата" the verdict date.
    assert (str(sentenced.date), sentenced.sentence_months, sentenced.regime) == ("2021-09-15", 36, "general")
    assert [a["article"] for a in sentenced.case.articles] == ["342"]
    assert person.events.get(type="transferred").facility.name == "ИК-15"


def test_a_date_and_a_judge_under_a_court_heading_are_the_verdict_date_and_the_judge(db):
    rows = [
        ["ФИО", "Дата задержания", "Суд", None, "Статус"],
        [None, None, "Дата", "Судья", None],
        ["Сидоров Сидор", "12.03.2021", "15.09.2021", "Иванова И.И.", "в заключении"],
    ]
    result = _import(_sheet(rows, merged=["C1:D1"]), "list.xlsx")
    assert result.created == 1, result.errors
    convicted = _person("Сидоров Сидор").events.get(type="convicted")
    assert str(convicted.date) == "2021-09-15" and convicted.case.judge == "Иванова И.И."


def test_a_two_row_header_below_a_title_keeps_the_lines_of_the_file(db):
    rows = [["Список политзаключённых на 01.03.2023"], [], *_TWO_ROW_HEADER, *_DEFENDANTS]
    result = _import(_csv(rows), "list.csv")
    assert result.created == 2, result.errors
    assert [plan.record.line for plan in result.plans] == [5, 6]
    assert _notes(result, 5)[0] == (
        "the header is lines 3 and 4 (sub-headings under headings); the lines above it were skipped (1)"
    )


def test_a_first_row_of_data_is_never_read_as_sub_headings(db):
    # The first person of a list with the same header words as a sub-heading row would have.
    rows = [
        ["ФИО", "Дата рождения", "Дата задержания", "Статус"],
        ["Сидоров Сидор", "1970", "12.03.2021", "задержан"],
    ]
    result = _import(_csv(rows), "list.csv")
    assert result.created == 1 and result.plans[0].record.line == 2, result.errors
    assert not any("header" in note for note in _notes(result, 2))


def _field_of(text):
    return Mapping().resolve([text])[0].get(text)


def _names_a_person(text):
    return _field_of(text) in {"name", "surname", "given_name", "patronymic", "name_be", "name_ru", "name_en"}


@pytest.mark.parametrize(
    ("below", "why"),
    [
        (["Сидоров Сидор", "", "", ""], "a person in the name column"),
        (["Статус", "", "", ""], "a header word in the name column that names no part of a name"),
        (["", "", "", "освобождён"], "a status word under the one-column 'Статус' is its value"),
        (["", "1970", "", ""], "a number"),
        (["", "", "12.03.2021", ""], "a date"),
        (["", "", "Часть", ""], "a word that is no heading, alone or under 'Приговор'"),
    ],
)
def test_a_row_that_is_not_all_headings_in_their_places_is_data(below, why):
    header = ["ФИО", "Приговор", "", "Статус"]
    assert sub_headings(header, below, _field_of, _names_a_person) is None, why


def test_a_name_heading_over_the_parts_of_a_name_is_read_as_them():
    header = ["ФИО", "", "", "Дата рождения"]
    below = ["Фамилия", "Имя", "Отчество", ""]
    merged = sub_headings(header, below, _field_of, _names_a_person)
    assert merged == ["Фамилия", "Имя", "Отчество", "Дата рождения"]


def test_a_sub_heading_that_maps_alone_keeps_its_own_field_and_one_that_does_not_is_read_with_its_heading():
    header = ["ФИО", "Суд", "", "Приговор", ""]
    below = ["", "Дата", "Судья", "Статья", "Срок"]
    merged = sub_headings(header, below, _field_of, _names_a_person)
    assert merged == ["ФИО", "Суд: Дата", "Судья", "Статья", "Срок"]
    fields = Mapping().resolve(merged)[0]
    assert [fields[h] for h in merged] == ["name", "verdict_on", "judge", "articles", "sentence"]


def test_a_mapping_file_may_name_a_heading_and_its_sub_heading_joined():
    mapping = Mapping(variants={"detained_on": ["Арест: Дата"]})

    def field_of(text):
        return mapping.resolve([text])[0].get(text)

    merged = sub_headings(["ФИО", "Арест", ""], ["", "Дата", "Место"], field_of, _names_a_person)
    assert merged is None  # "Место" under "Арест" is no heading this mapping knows: the row is data
    merged = sub_headings(["ФИО", "Арест"], ["", "Дата"], field_of, _names_a_person)
    assert merged == ["ФИО", "Арест: Дата"] and field_of("Арест: Дата") == "detained_on"


# ---- hidden rows and columns ----------------------------------------------------------------------------

_LIST = [
    ["ФИО", "Дата задержания", "Статус"],
    ["Сидоров Сидор", "12.03.2021", "в заключении"],
    ["Петров Пётр", "13.03.2021", "освобождён 01.02.2023"],
    ["Иванов Иван", "14.03.2021", "в заключении"],
]


def test_a_row_hidden_in_the_workbook_is_refused_and_said(db):
    # A list may hide a person to keep them out (the family asked so): hidden, never imported as the others.
    result = _import(_sheet(_LIST, hidden_rows=[3]), "list.xlsx")
    assert result.status == "failed" and Person.objects.count() == 0
    assert [(e["line"], e["message"]) for e in result.errors] == [(3, HIDDEN)]
    kept = _import(_sheet(_LIST, hidden_rows=[3]), "list.xlsx", partial=True)
    assert kept.created == 2 and not Person.objects.filter(names__text="Петров Пётр").exists()


def test_a_hidden_column_the_mapping_reads_refuses_the_file_and_an_unread_one_does_not(db):
    rows = [[*row, f"примечание {i}"] for i, row in enumerate(_LIST)]
    rows[0][3] = "Служебное"  # a column no mapping reads
    result = _import(_sheet(rows, hidden_columns=["B", "D"]), "list.xlsx")
    assert result.status == "failed" and Person.objects.count() == 0
    said = (
        "columns hidden in the workbook: 'Дата задержания': the file is refused, as a list may hide a column to "
        "keep it out; show them in the workbook if they belong to the list, or delete them"
    )
    assert [e["message"] for e in result.errors] == [said]
    assert _import(_sheet(rows, hidden_columns=["D"]), "list.xlsx").created == 3


# ---- merged cells ---------------------------------------------------------------------------------------


def _trial():
    """A court-watch table: the verdict date and the court merged over the three defendants of one trial."""
    return [
        ["ФИО", "Дата задержания", "Дата приговора", "Суд", "Приговор"],
        [
            "Сидоров Сидор",
            "12.03.2021",
            "01.06.2021",
            "Минский городской суд",
            "2 года колонии общего режима",
        ],
        ["Петров Пётр", "13.03.2021", "02.06.2021", "Минский городской суд", "3 года колонии общего режима"],
        ["Иванов Иван", "14.03.2021", "03.06.2021", "Минский городской суд", "4 года колонии общего режима"],
        ["Фёдоров Фёдор", "15.03.2021", "15.09.2021", "Минский областной суд", "5 лет колонии общего режима"],
        ["Егоров Егор", "16.03.2021", None, None, "5 лет колонии общего режима"],
        ["Борисов Борис", "17.03.2021", None, None, "6 лет колонии общего режима"],
    ]


def test_a_vertically_merged_cell_applies_to_each_of_its_rows(db):
    result = _import(_sheet(_trial(), merged=["C5:C7", "D5:D7"]), "court.xlsx")
    assert result.status == "completed" and result.created == 6, result.errors
    for name in ("Фёдоров Фёдор", "Егоров Егор", "Борисов Борис"):
        convicted = _person(name).events.get(type="convicted")
        assert str(convicted.date) == "2021-09-15" and convicted.case.court_name == "Минский областной суд"
    for line in (5, 6, 7):
        notes = _notes(result, line)
        assert "C5:C7 is one merged cell: its value was applied to each of its rows" in notes
        assert "D5:D7 is one merged cell: its value was applied to each of its rows" in notes
    assert not any("merged" in note for note in _notes(result, 4))


def test_a_merged_cell_past_the_last_row_of_the_list_makes_no_person(db):
    rows = [*_trial()[:5], ["Егоров Егор", "16.03.2021", None, None, "5 лет колонии общего режима"]]
    result = _import(_sheet(rows, merged=["C5:C9"]), "court.xlsx")
    assert result.created == 5, result.errors
    assert [plan.record.line for plan in result.plans] == [2, 3, 4, 5, 6]
    assert str(_person("Егоров Егор").events.get(type="convicted").date) == "2021-09-15"


def test_a_cell_merged_across_columns_is_read_in_its_first_column_and_said(db):
    rows = [
        ["ФИО", "Дата задержания", "Статус", "Дата освобождения"],
        ["Сидоров Сидор", "12.03.2021", "в заключении", None],
        ["Петров Пётр", "13.03.2021", None, None],
    ]
    rows[2][2] = "в заключении"  # shown across the release date's column too
    result = _import(_sheet(rows, merged=["C3:D3"]), "list.xlsx")
    assert result.created == 2, result.errors
    said = "C3:D3 is one merged cell: its value was read under 'Статус' only, not under 'Дата освобождения'"
    assert said in _notes(result, 3)
    assert not any("merged" in note for note in _notes(result, 2))


def test_merged_cells_in_the_header_are_not_applied_to_the_rows(db):
    # A title merged across, the name heading merged down over a sub-heading row: neither is a row's value.
    rows = [
        ["Список на 01.03.2023", None, None],
        ["ФИО", "Суд", None],
        [None, "Дата", "Судья"],
        ["Сидоров Сидор", "15.09.2021", None],
    ]
    result = _import(_sheet(rows, merged=["A1:C1", "A2:A3", "B2:C2"]), "list.xlsx")
    assert result.created == 1, result.errors
    assert not any("merged" in note for note in _notes(result, 4))
    assert result.plans[0].record.raw == {"ФИО": "Сидоров Сидор", "Суд: Дата": "15.09.2021", "Судья": None}


# ---- reading the layout ---------------------------------------------------------------------------------


def _part(xml: str) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    return zipfile.ZipFile(out)


def test_the_layout_is_read_from_the_sheets_xml_whatever_its_prefix_and_without_row_numbers():
    # Rows may leave out `r` (the row after the one before); some writers prefix the namespace ("x:").
    xml = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:cols><x:col min="2" max="3" hidden="true"/><x:col min="5" max="5"/></x:cols>'
        '<x:sheetData><x:row r="1"/><x:row hidden="1"/><x:row/><x:row r="7" hidden="true"/></x:sheetData>'
        '<x:mergeCells><x:mergeCell ref="C5:C7"/><x:mergeCell ref="A1:B1"/></x:mergeCells></x:worksheet>'
    )
    layout = read_layout(_part(xml), "xl/worksheets/sheet1.xml")
    assert layout.hidden_rows == {2, 7} and layout.hidden_columns == {1, 2}
    assert layout.merged == [(5, 2, 7, 2, "C5:C7"), (1, 0, 1, 1, "A1:B1")]


def test_a_sheet_without_hidden_rows_or_merged_cells_has_no_layout():
    data = _sheet(_LIST)
    assert read_table(data, "xlsx").layout is None
    assert read_table(_sheet(_LIST, hidden_rows=[3]), "xlsx").layout.hidden_rows == {3}


def test_a_title_naming_a_header_word_is_not_taken_for_the_header(db):
    # "(ФИО)" in the title mapped to the name: the title became a header of one column, every row refused.
    data = "Политзаключённые (ФИО)\nФИО;Дата задержания;Статус\nИванов Иван;12.03.2021;в заключении\n"
    result = _import(data.encode(), "title.csv")
    assert result.created == 1 and not result.errors, result.errors
    assert str(Event.objects.get(type="detained").date) == "2021-03-12"


def test_headings_over_a_header_whose_name_is_in_the_second_row_are_read(db):
    data = (
        ";Задержание;Приговор;;Суд;\n"
        "ФИО;Дата;Статья;Срок;Дата;Судья\n"
        "Иванов Иван Иванович;12.03.2021;342 ч.1;3 года колонии общего режима;01.06.2021;Петров П.П.\n"
    )
    result = _import(data.encode(), "above.csv")
    assert result.created == 1 and not result.errors, result.errors
    assert not result.ignored_columns
    dates = dict(Event.objects.values_list("type", "date"))
    assert str(dates["detained"]) == "2021-03-12" and str(dates["convicted"]) == "2021-06-01"
    assert Case.objects.get().judge == "Петров П.П."
