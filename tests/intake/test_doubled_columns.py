"""Two columns that name one field (a second "Статья", "Артыкул" beside "Статья"): read together, never
dropped as an ignored column, and a row whose two columns disagree is refused naming both."""

import json

import pytest

from spis.intake.mapping import load_mapping
from spis.intake.readers import read_table
from spis.intake.records import build_records

from .helpers import registry_counts, run


def _read(text: str, name: str = "list.csv"):
    table = read_table(text.encode(), filename=name)
    found, ignored, file_problems = build_records(table, load_mapping(None))
    assert not file_problems, [str(p.message) for p in file_problems]
    return found, ignored


def _articles(record) -> list[str]:
    [case] = {id(e.case): e.case for e in record.events if e.case}.values()
    return [f"{a['article']}" + (f" ч.{a['part']}" if a.get("part") else "") for a in case["articles"]]


def test_a_second_articles_column_adds_its_articles_instead_of_being_ignored():
    [record], ignored = _read(
        "ФИО;Дата задержания;Статья;Статья;Дата приговора\nИванов Иван;12.03.2021;342 ч.1;361-1;01.09.2021\n"
    )
    assert not ignored and not record.problems
    assert _articles(record) == ["342 ч.1", "361-1"]
    assert any("'Статья', 'Статья (2)'" in str(w) for w in record.warnings)


def test_a_synonym_column_fills_the_field_when_the_first_is_empty():
    found, ignored = _read(
        "ФИО;Дата задержания;Задержан\nПервый Павел;;12.03.2021\nВторой Пётр;14.04.2021;\n"
        "Третий Иван;15.05.2021;15.05.2021\n"
    )
    assert not ignored
    assert [[(e.type, str(e.date)) for e in r.events] for r in found] == [
        [("detained", "2021-03-12")],
        [("detained", "2021-04-14")],
        [("detained", "2021-05-15")],
    ]
    assert not any(r.problems for r in found)


def test_two_different_values_for_one_fact_refuse_the_row_naming_both_columns():
    [record], _ = _read("ФИО;Дата задержания;Задержан\nПервый Павел;12.03.2021;13.03.2021\n")
    [problem] = record.problems
    assert (problem.line, problem.column, problem.value) == (2, "Дата задержания", "12.03.2021")
    assert "'Дата задержания'" in str(problem.message) and "'Задержан'" in str(problem.message)
    assert "'13.03.2021'" in str(problem.message)
    assert not record.events


def test_a_value_from_the_second_column_is_refused_under_that_columns_name():
    [record], _ = _read("ФИО;Дата задержания;Задержан\nПервый Павел;;31.02.2021\n")
    [problem] = record.problems
    assert (problem.column, problem.value) == ("Задержан", "31.02.2021")


def test_two_name_columns_give_two_names_of_one_person():
    [record], _ = _read("ФИО;ФИО;Дата задержания\nКовалёв Алесь;Kavalioŭ Aleś;12.03.2021\n")
    assert [n.text for n in record.names] == ["Ковалёв Алесь", "Kavalioŭ Aleś"]
    assert record.display_name == "Ковалёв Алесь" and not record.problems


def test_json_objects_with_two_keys_for_one_field_are_read_alike():
    data = [{"name": "Иванов Иван", "ФИО": "Іваноў Іван", "Дата задержания": "12.03.2021"}]
    [record], ignored = _read(json.dumps(data, ensure_ascii=False), "list.json")
    assert not ignored
    assert [n.text for n in record.names] == ["Иванов Иван", "Іваноў Іван"]


@pytest.mark.django_db
def test_an_all_or_nothing_import_with_disagreeing_columns_changes_nothing():
    data = (
        "ФИО;Дата задержания;Задержан\nПервый Павел;12.03.2021;12.03.2021\nВторой Пётр;12.03.2021;13.03.2021\n"
    ).encode()
    before = registry_counts()
    result = run("doubled.csv", data, mapping=None)
    # The refused batch is audited; the registry itself is as it was.
    assert result.status == "failed" and result.created == 0
    assert registry_counts() == {**before, "AuditEntry": registry_counts()["AuditEntry"]}
    [error] = result.errors
    assert (error["line"], error["column"]) == (3, "Дата задержания")
    partial = run("doubled.csv", data, mapping=None, partial=True)
    assert partial.created == 1 and not partial.ignored_columns


def test_one_date_written_two_ways_in_two_columns_is_one_value():
    [record], _ = _read("ФИО;Дата задержания;Задержан\nПервый Павел;13.03.2021;2021-03-13\n")
    assert not record.problems
    assert [(e.type, str(e.date)) for e in record.events] == [("detained", "2021-03-13")]


def test_a_title_column_and_a_link_column_name_one_source():
    [record], _ = _read(
        "ФИО;Дата задержания;Источник;Ссылка\nПервый Павел;13.03.2021;Наша Ніва;https://nn.by/a/1\n"
    )
    assert [(s.title, s.url) for s in record.sources] == [("Наша Ніва", "https://nn.by/a/1")]


def test_an_articles_part_in_a_second_column_is_the_part_of_the_first():
    [record], _ = _read("ФИО;Дата задержания;Статья;Статья\nПервый Павел;13.03.2021;342;ч.2\n")
    assert not record.problems and _articles(record) == ["342 ч.2"]


def test_a_title_column_and_a_link_column_of_the_persons_sources_name_one_source():
    [record], _ = _read(
        "ФИО;Дата задержания;person_sources;person_sources\nПервый Павел;13.03.2021;Наша Ніва;https://nn.by/a/1\n"
    )
    assert ("Наша Ніва", "https://nn.by/a/1") in [(s.title, s.url) for s in record.sources]
