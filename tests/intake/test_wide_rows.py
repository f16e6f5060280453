"""A row of one person (the wide shape) and the columns it cannot or must read: found by a user test."""

import pytest

from spis.intake.mapping import load_mapping
from spis.intake.readers import read_table
from spis.intake.records import build_records

from .helpers import run


def _read(text: str):
    found, ignored, file_problems = build_records(
        read_table(text.encode(), filename="list.csv"), load_mapping(None)
    )
    assert not file_problems, [str(p.message) for p in file_problems]
    return found, ignored


def test_a_rows_event_confidentiality_applies_to_each_of_its_events():
    [sealed, public], ignored = _read(
        "ФИО;Дата задержания;Дата приговора;event_confidentiality\n"
        "Закрыты Глеб;15.03.2021;01.09.2021;Sealed\n"
        "Адкрыты Ян;16.03.2021;;\n"
    )
    assert not ignored and not sealed.problems
    assert [(e.type, e.confidentiality) for e in sealed.events] == [
        ("detained", "sealed"),
        ("convicted", "sealed"),
    ]
    assert [e.confidentiality for e in public.events] == ["public"]


def test_an_unknown_event_level_refuses_the_row_never_public():
    [record], _ = _read("ФИО;Дата задержания;event_confidentiality\nЗакрыты Глеб;15.03.2021;бла\n")
    [problem] = record.problems
    assert (problem.column, problem.value) == ("event_confidentiality", "бла")


@pytest.mark.django_db
def test_a_sealed_event_of_a_wide_row_stays_out_of_the_public_export():
    from spis.intake.export import export

    data = "ФИО;Дата задержания;event_confidentiality;Примечание\nАдкрыты Глеб;15.03.2021;sealed;ЗапячатанаяНота\n"
    result = run("leak.csv", data.encode(), mapping=None)
    assert result.created == 1, result.errors
    public = b"".join(export("csv", public=True)).decode()
    staff = b"".join(export("csv", public=False)).decode()
    assert "ЗапячатанаяНота" in staff and "ЗапячатанаяНота" not in public
    assert "2021-03-15" not in public


def test_one_events_columns_in_a_row_of_one_person_are_listed_as_ignored_and_said():
    [record], ignored = _read("ФИО;Дата приговора;Приговор;Режим\nАдкрыты Ян;01.09.2021;3 года;общий\n")
    assert ignored == ["Режим"]
    assert any("'Режим'" in str(w) and "one row per event" in str(w) for w in record.warnings)


@pytest.mark.parametrize("court", ["01.06.2021", "2021-06-01"])
def test_a_date_under_a_merged_court_heading_is_refused_not_stored_as_the_court(court):
    # "Суд" merged over a column without a sub-heading and "Судья": the verdict date was stored as the court.
    [record], _ = _read(f"ФИО;Дата задержания;Суд;\n;;;Судья\nИванов Иван;12.03.2021;{court};Петров П.П.\n")
    [problem] = record.problems
    assert (problem.column, problem.value) == ("Суд", court)
    assert "a date where a name is expected" in str(problem.message)


def test_a_date_cell_of_a_workbook_is_no_judges_name():
    import datetime as dt
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["ФИО", "Дата задержания", "Судья"])
    book.active.append(["Иванов Иван", dt.datetime(2021, 3, 12), dt.datetime(2021, 6, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    found, _, _ = build_records(read_table(buffer.getvalue(), filename="l.xlsx"), load_mapping(None))
    # The value shown is the date the cell holds, not "2021-06-01 00:00:00".
    assert [(p.column, p.value) for p in found[0].problems] == [("Судья", "2021-06-01")]


def test_a_row_of_one_persons_facts_beside_event_type_are_listed_as_ignored_and_said():
    [record], ignored = _read(
        "ФИО;event_type;event_date;Дата задержания;Статус\nАдкрыты Ян;detained;2021-03-15;16.03.2021;в заключении\n"
    )
    assert ignored == ["Дата задержания", "Статус"]
    assert any("'Дата задержания', 'Статус'" in str(w) for w in record.warnings)
    assert [(e.type, str(e.date)) for e in record.events] == [("detained", "2021-03-15")]


def test_facts_beside_a_list_of_events_are_listed_as_ignored_and_their_level_applies():
    import json

    data = [
        {
            "display_name": "Тэставы Тэст",
            "events": [{"type": "detained", "date": "2021-03-01"}],
            "detained_on": "2021-03-05",
            "facility": "ИК-1",
            "event_confidentiality": "sealed",
        }
    ]
    found, ignored, _ = build_records(
        read_table(json.dumps(data, ensure_ascii=False).encode(), filename="l.json"), load_mapping(None)
    )
    assert ignored == ["detained_on", "facility"]
    assert any("beside a list of events" in str(w) for w in found[0].warnings)
    # The level beside the list is the events' at least: never published for want of a place to read it.
    assert [(e.type, str(e.date), e.confidentiality) for e in found[0].events] == [
        ("detained", "2021-03-01", "sealed")
    ]


def test_a_level_beside_the_events_never_lowers_an_events_own():
    import json

    data = [
        {
            "display_name": "Тэставы Тэст",
            "event_confidentiality": "restricted",
            "events": [
                {"type": "detained", "date": "2021-03-01", "confidentiality": "sealed"},
                {"type": "released", "date": "2022-03-01", "release_kind": "pardon"},
            ],
        }
    ]
    [record], _, _ = build_records(
        read_table(json.dumps(data, ensure_ascii=False).encode(), filename="l.json"), load_mapping(None)
    )
    assert [e.confidentiality for e in record.events] == ["sealed", "restricted"]
