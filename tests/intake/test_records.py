"""Raw rows -> person records: every refused cell is a problem naming line, column, value and reason."""

import json

import pytest

from spis.intake import records
from spis.intake.mapping import load_mapping
from spis.intake.readers import read_table
from spis.intake.records import build_records
from spis.registry.models import Name, Organization


def _records(text: str, name: str = "list.csv", mapping=None):
    table = read_table(text.encode(), filename=name)
    found, _, file_problems = build_records(table, load_mapping(mapping))
    assert not file_problems, [str(p.message) for p in file_problems]
    return found


def _json(objects) -> list:
    return _records(json.dumps(objects, ensure_ascii=False), "list.json")


def _problems(record):
    return [(p.line, p.column, p.value, str(p.message)) for p in record.problems]


def test_the_name_kinds_and_scripts_are_the_registrys():
    assert set(Name.Kind.values) == records.NAME_KINDS
    assert set(Name.Script.values) == records.SCRIPTS
    assert Name._meta.get_field("text").max_length == records.NAME_LENGTH
    assert set(Organization.Kind.values) == records.ORGANIZATION_KINDS


def test_a_confidentiality_level_is_read_in_any_case():
    [record] = _json(
        [
            {
                "display_name": "Кайдаш Кай",
                "names": [
                    {"text": "Кайдаш Кай", "kind": "primary"},
                    {"text": "Девичья Кая", "confidentiality": "Restricted"},
                ],
                "events": [{"type": "detained", "date": "2021-03-02", "confidentiality": "SEALED"}],
            }
        ]
    )
    assert [n.confidentiality for n in record.names] == ["public", "restricted"]
    assert record.events[0].confidentiality == "sealed" and not record.problems


def test_an_unknown_confidentiality_level_is_refused_never_public():
    [nested] = _json(
        [
            {
                "display_name": "Кайдаш Кай",
                "names": [{"text": "Кайдаш Кай"}, {"text": "Kaidash Kai", "confidentiality": "secret"}],
                "events": [{"type": "detained", "date": "2021-03-02", "confidentiality": "private"}],
            }
        ]
    )
    assert "Kaidash Kai" not in [n.text for n in nested.names] and not nested.events
    assert [(p.column, p.value) for p in nested.problems] == [
        ("names", "secret"),
        ("events[1].confidentiality", "private"),
    ]
    [long] = _records(
        "public_id,display_name,names,event_type,event_date,event_confidentiality\n"
        ",Кайдаш Кай,Кайдаш Кай,detained,2021-03-02,Sealed\n"
        ",Кайдаш Кай,Кайдаш Кай,detained,2021-04-02,confidential\n"
    )
    assert [e.confidentiality for e in long.events] == ["sealed"]
    assert _problems(long) == [
        (
            3,
            "event_confidentiality",
            "confidential",
            "unknown level 'confidential' (public, restricted, sealed; публично, ограничено, закрыто; публічна, "
            "абмежавана, закрыта)",
        )
    ]


def test_a_name_that_is_not_text_is_refused_and_a_list_of_names_is_several_names():
    number, listed, thing = _json(
        [{"name": 12345}, {"name": ["Чернов Черн", "Chernov"]}, {"name": {"text": "Чернов Черн"}}]
    )
    assert not number.names and _problems(number) == [
        (1, "name", "12345", "a name must be text, found a number")
    ]
    assert [n.text for n in listed.names] == ["Чернов Черн", "Chernov"] and not listed.problems
    assert listed.display_name == "Чернов Черн"
    # An object is read only as names keyed by language ({"ru": …, "be": …}); any other key is refused.
    assert not thing.names and "keys are language codes (be, ru, en …), found 'text'" in str(
        thing.problems[0].message
    )


@pytest.mark.parametrize(
    ("header", "limit"),
    [
        ("Регион", 100),
        ("Род занятий", 200),
        ("Место заключения", 300),
        ("Судья", 200),
        ("Суд", 300),
        ("Номер дела", 100),
    ],
)
def test_a_value_longer_than_its_field_is_refused_not_cut(header, limit):
    long = "Х" * (limit + 1)
    [record] = _records(f"ФИО;Дата задержания;{header}\nХарламов Харлам;12.03.2021;{long}\n")
    assert _problems(record) == [
        (2, header, "Х" * 40 + "…", f"{limit + 1} characters; at most {limit} fit here")
    ]
    assert long not in json.dumps([e.facility for e in record.events] + [record.region, record.occupation])


def test_a_name_longer_than_the_registry_keeps_is_refused_with_its_column_and_start():
    [record] = _records("ФИО;Дата рождения\nЦветков " + "Ц" * 100_000 + ";1980\n")
    assert not record.names
    assert _problems(record) == [
        (2, "ФИО", "Цветков " + "Ц" * 32 + "…", "100008 characters; at most 300 fit here")
    ]


def test_a_nested_name_with_an_unknown_kind_script_or_language_is_refused():
    [record] = _json(
        [
            {
                "display_name": "Кайдаш Кай",
                "names": [
                    {"text": "Кайдаш Кай", "kind": "primary", "script": "cyrl", "language": "ru"},
                    {"text": "Kaidash Kai", "kind": "nickname"},
                    {"text": "Кайдаш К.", "script": "Cyrillic"},
                    {"text": "Kajdaš Kaj", "language": "xx-" + "-".join(["subtag"] * 6)},
                ],
                "events": [],
            }
        ]
    )
    assert [(n.text, n.kind, n.script) for n in record.names] == [("Кайдаш Кай", "primary", "Cyrl")]
    assert [(p.column, p.value) for p in record.problems] == [
        ("names", "nickname"),
        ("names", "Cyrillic"),
        ("names", "xx-" + "-".join(["subtag"] * 6)),  # 44 characters: more than a tag of 35
    ]


def test_nested_articles_are_taken_as_the_structure_given():
    articles = [{"code": "CC-BY", "article": "342", "part": "1"}, {"code": "AC-BY", "article": "24.23"}]
    [record] = _json(
        [
            {
                "display_name": "Аксёнова Анна",
                "events": [{"type": "detained", "date": "2021-03", "articles": articles}],
            }
        ]
    )
    assert record.events[0].case["articles"] == articles


def test_the_parts_of_one_article_become_the_cases_articles_and_an_unplaced_part_is_a_problem():
    [parts, stray] = _records(
        "ФИО;Дата приговора;Статьи\n"
        "Тэставы Янка;15.09.2021;ст. 342 ч. 1 и 2 УК\n"
        "Тэставы Пятро;15.09.2021;342 ч.1, 2 эпизода\n"
    )
    assert parts.events[0].case["articles"] == [
        {"code": "CC-BY", "article": "342", "part": "1"},
        {"code": "CC-BY", "article": "342", "part": "2"},
    ]
    assert _problems(stray) == [
        (
            3,
            "Статьи",
            "342 ч.1, 2 эпизода",
            "'2 эпизода': no article number (expected e.g. 342 ч.1, 361-1, 24.23 КоАП)",
        )
    ]


def test_the_header_is_found_below_a_title_and_the_skipped_lines_are_said():
    [record] = _records(
        "Список политзаключённых на 01.03.2023\n\nФИО;Дата рождения;Дата задержания\nСидоров Сидор;1970;12.03.2021\n"
    )
    assert record.line == 4 and record.display_name == "Сидоров Сидор" and not record.problems
    assert [str(w) for w in record.warnings] == [
        "the header row is line 3; the lines above it were skipped (1)"
    ]


def test_a_header_without_rows_is_a_file_problem():
    table = read_table("ФИО;Дата рождения\n".encode(), filename="list.csv")
    found, _, problems = build_records(table, load_mapping(None))
    assert not found and [str(p.message) for p in problems] == [
        "no data rows: nothing under the header (line 1)"
    ]


def test_an_xlsx_formula_without_a_value_is_a_cell_problem():
    from .test_readers import _workbook

    data = _workbook(
        ["ФИО", "Дата задержания", "Примечание"],
        ["Васильев Василий", "=DATE(2021,3,12)", '=HYPERLINK("x","y")'],
    )
    [record] = build_records(read_table(data, "xlsx"), load_mapping(None))[0]
    assert [(p.line, p.column, p.value) for p in record.problems] == [
        (2, "Дата задержания", "=DATE(2021,3,12)"),
        (2, "Примечание", '=HYPERLINK("x","y")'),
    ]
    assert str(record.problems[0].message).startswith("a formula without a value: =DATE(2021,3,12)")


def test_a_number_in_an_xlsx_birth_date_cell_is_no_1900_date():
    from .test_readers import _workbook

    data = _workbook(["ФИО", "Год рождения"], ["Алексеев Алексей", 85], ["Борисов Борис", 1985])
    first, second = build_records(read_table(data, "xlsx"), load_mapping(None))[0]
    assert first.birth is None and first.problems[0].column == "Год рождения"
    assert str(second.birth) == "1985"


def test_a_name_in_three_columns_is_one_name_surname_first():
    [split, given_only] = _records(
        "Фамилия;Имя;Отчество;Год рождения\nКовальчук;Андрей;Сергеевич;1985\n;Мария;;1990\n"
    )
    assert [n.text for n in split.names] == [
        "Ковальчук Андрей Сергеевич"
    ] and split.display_name == split.names[0].text
    assert [n.text for n in given_only.names] == ["Мария"]
    [belarusian] = _records("Прозвішча,Імя,Імя па бацьку\nКавальчук,Андрэй,Сяргеевіч\n")
    assert [(n.text, n.language) for n in belarusian.names] == [("Кавальчук Андрэй Сяргеевіч", "be")]
    # A list whose one name column is "Имя" has full names in it, as before.
    [whole] = _records("Имя;Год рождения\nКовальчук Андрей Сергеевич;1985\n", mapping="viasna")
    assert [n.text for n in whole.names] == ["Ковальчук Андрей Сергеевич"]


@pytest.mark.parametrize(
    ("header", "field_name"),
    [
        ("Статья УК РБ", "articles"),
        ("Артыкул КК", "articles"),
        ("Место отбывания наказания", "facility"),
        ("Мера наказания", "sentence"),
        ("Дата суда", "verdict_on"),
        ("ФИО подсудимого", "name"),
        ("Задержание", "detained_on"),
        ("Комментарии", "note"),
        ("Примечания", "note"),
        ("Дата смерти", "died_on"),
        ("verdict_on", "verdict_on"),  # a field's own name, as a JSON file writes it
    ],
)
def test_the_headers_lists_use_are_known(header, field_name):
    from spis.intake.mapping import Mapping

    mapped, ignored, doubles = Mapping().resolve([header])
    assert mapped == {header: field_name} and not ignored and not doubles


def test_a_date_of_death_is_a_death_not_a_release_or_nothing():
    header = "ФИО;Дата задержания;Статус;Дата освобождения;Дата смерти\n"
    [own_column, as_release, both] = _records(
        header
        + "Первый Павел;12.03.2021;умер в колонии;;14.12.2022\n"
        + "Второй Пётр;12.03.2021;умер в колонии;14.12.2022;\n"
        + "Третий Иван;12.03.2021;освобожден;01.06.2022;14.12.2022\n"
    )
    assert [(e.type, str(e.date)) for e in own_column.events] == [
        ("detained", "2021-03-12"),
        ("died", "2022-12-14"),
    ]
    assert not own_column.warnings and own_column.events[-1].column == "Дата смерти"
    assert [(e.type, str(e.date)) for e in as_release.events][1:] == [("died", "2022-12-14")]
    assert [(e.type, str(e.date)) for e in both.events][1:] == [
        ("released", "2022-06-01"),
        ("died", "2022-12-14"),
    ]


def test_a_death_in_a_colony_on_the_release_date_is_a_death_not_a_release():
    # "скончался в колонии" was read as still held, and its date made a release of kind "other".
    [record] = _records(
        "ФИО;Дата задержания;Дата освобождения;Статус\nТэставы Янка;01.02.2021;12.03.2023;скончался в колонии\n"
    )
    assert [(e.type, str(e.date)) for e in record.events] == [
        ("detained", "2021-02-01"),
        ("died", "2023-03-12"),
    ]


def test_a_date_in_the_status_cell_dates_the_release_or_the_death():
    # "освобожден 12.05.2023" said "status says released or died, but no date is given" and kept the person held.
    released, pardoned, died = _records(
        "ФИО,Дата задержания,Статус\n"
        "Кравец Олег,01.02.2021,освобожден 12.05.2023\n"
        'Лобач Ирина,01.02.2021,"вызвалена 3 сакавіка 2023 г., па памілаванні"\n'
        "Осадчий Вадим,01.02.2021,умер в заключении 10.10.2022\n"
    )
    assert [
        (e.type, str(e.date), e.release_kind) for e in released.events + pardoned.events + died.events
    ] == [
        ("detained", "2021-02-01", ""),
        ("released", "2023-05-12", "other"),
        ("detained", "2021-02-01", ""),
        ("released", "2023-03-03", "pardon"),
        ("detained", "2021-02-01", ""),
        ("died", "2022-10-10", ""),
    ]
    assert not (released.warnings or pardoned.warnings or died.warnings)


def test_a_status_that_contradicts_the_release_date_refuses_the_row_naming_both_columns():
    held, sizo, other_date, same_date, finer = _records(
        "ФИО,Дата задержания,Статус,Дата освобождения\n"
        "Витковский Виктор,01.02.2021,в СИЗО,01.02.2023\n"
        "Пашкевич Роман,01.02.2021,знаходзіцца ў СІЗА,01.02.2023\n"
        "Громыко Леонид,01.02.2021,освобожден 12.05.2023,01.02.2023\n"
        "Адамович Андрей,01.02.2021,освобождён 01.02.2023,01.02.2023\n"
        "Бельский Борис,01.02.2021,освобождён в 2023 г.,01.02.2023\n"
    )
    # Before: each was recorded as released on 01.02.2023, kind "other", without a word.
    assert _problems(held) == [
        (
            2,
            "Статус",
            "в СИЗО",
            "the columns 'Статус' and 'Дата освобождения' disagree: 'в СИЗО' says the person is held, "
            "'Дата освобождения' gives 2023-02-01: row refused; correct one of them (leave the date empty while "
            "the person is held)",
        )
    ]
    assert sizo.problems and sizo.problems[0].column == "Статус"
    assert _problems(other_date) == [
        (
            4,
            "Статус",
            "освобожден 12.05.2023",
            "the columns 'Статус' and 'Дата освобождения' disagree: 'освобожден 12.05.2023' gives 2023-05-12, "
            "'Дата освобождения' gives 2023-02-01: row refused; correct one of them",
        )
    ]
    for record in (same_date, finer):
        assert not record.problems
        assert [(e.type, str(e.date)) for e in record.events][-1] == ("released", "2023-02-01")


@pytest.mark.parametrize("word", ["в розыске", "перевод на химию"])
def test_a_status_that_records_nothing_says_so_on_the_row(word):
    [record] = _records(f"ФИО,Дата задержания,Статус\nЖигалко Пётр,01.02.2021,{word}\n")
    assert [e.type for e in record.events] == ["detained"]
    assert [str(w) for w in record.warnings] == [
        f"status '{word}' is not recorded: the registry has no event for it (record what happened, with its date)"
    ]


def test_leaving_the_country_in_the_status_is_said_on_the_row_not_lost():
    # "освобожден, уехал из Беларуси" gave a release and nothing else: the leaving was dropped without a word.
    [left, expelled] = _records(
        "ФИО;Дата задержания;Дата освобождения;Статус\n"
        "Тэставы Янка;01.02.2021;12.03.2023;освобожден, уехал из Беларуси\n"
        "Другі Пятро;01.02.2021;12.03.2023;освобождён и выслан за границу\n"
    )
    assert [(e.type, e.release_kind) for e in left.events] == [("detained", ""), ("released", "other")]
    assert [str(w) for w in left.warnings] == [
        "status 'освобожден, уехал из Беларуси' says the person left the country, but gives no date: "
        "leaving not recorded"
    ]
    # An expulsion with its release date records the leaving: nothing is said.
    assert [e.type for e in expelled.events] == [
        "detained",
        "released",
        "emigrated",
    ] and not expelled.warnings


def test_a_line_below_the_list_is_named_by_what_it_holds():
    found = _records("№;ФИО;Год рождения\n1;Романюк Тарас;1980\nИтого: 1 человек;;\n;;1975\n")
    total, unnamed = found[1], found[2]
    [(_, column, _, message)] = _problems(total)
    assert column == "ФИО" and message.startswith(
        "missing name: the row holds only 'Итого: 1 человек' (under №)"
    )
    assert _problems(unnamed)[0][3] == "missing name: a person needs a name"


def test_json_true_or_false_where_text_is_read_is_refused_not_stored_as_true():
    # A user's test file: the occupation was stored as 'True', the id as 'True', and a status false ignored.
    found = _json(
        [
            {"name": "Уткина Ева Львовна", "detained_on": "2021-01-01", "occupation": True},
            {"name": "Уткин Яков Львович", "detained_on": "2021-01-01", "id": True},
            {"name": "Уткин Марк Львович", "detained_on": "2021-01-01", "status": False},
        ]
    )
    assert [_problems(r) for r in found] == [
        [(1, "occupation", "true", "expected text, found true or false")],
        [(2, "id", "true", "expected text, found true or false")],
        [(3, "status", "false", "expected text, found true or false")],
    ]


def test_a_json_number_is_an_ids_text_but_no_region():
    first, second = _json(
        [
            {"name": "Уткин Лев Львович", "detained_on": "2021-01-01", "id": 200, "region": 5},
            {"name": "Уткин Ян Львович", "detained_on": "2021-01-01", "id": 201},
        ]
    )
    assert _problems(first) == [(1, "region", "5", "expected text, found a number")]
    assert second.external_id == "201" and not second.problems


def test_a_json_list_is_shown_as_json_in_a_problem():
    [record] = _json([{"name": "Уткин Петр Львович", "region": ["Минск", "Гомель"]}])
    assert _problems(record) == [(1, "region", '["Минск", "Гомель"]', "expected text, found a list")]


@pytest.mark.parametrize(
    ("name", "word"),
    [("Козлов0083 Павел Юрийович", "Козлов0083"), ("3Петров Иван", "3Петров"), ("12345", "12345")],
)
def test_a_name_with_a_word_of_letters_and_digits_or_of_digits_alone_is_refused(name, word):
    [record] = _records(f"ФИО;Дата задержания\n{name};01.01.2021\n")
    assert [(p.column, p.message.params["word"]) for p in record.problems] == [("ФИО", repr(word))]
    assert "a name holds no digits" in str(record.problems[0].message)


@pytest.mark.parametrize("name", ["Мороз Анна, г.р.: 1985", "Мороз Анна, 1985г.р.", "Мороз Анна 1985 г.р."])
def test_a_year_beside_a_name_is_no_digit_in_it(name):
    [record] = _records(f"ФИО;Дата задержания\n{name};01.01.2021\n")
    assert not record.problems


def test_a_comments_line_breaks_are_kept_and_its_lines_spaced_as_a_cells():
    [record] = _records('ФИО;Комментарий\nЛукин Иван;"семья просит\r\n\r\nне   публиковать "\n')
    assert [s.title for s in record.sources if s.comment] == ["семья просит\n\nне публиковать"]


@pytest.mark.parametrize(
    ("months", "read"),
    [
        ("36", 36),
        ("36.0", 36),
        ("0", 0),
        ("2.5", None),
        ("-1", None),
        ("1e400", None),
        ("1e3", None),
        ("1_200", None),
    ],
)
def test_a_term_in_months_is_read_whole_or_refused(months, read):
    """`2.5` was read as 2 months (int(float(…))): a value lost in silence; `-1` and `inf` crashed the write."""
    data = f"name,event_type,event_date,sentence_months,regime\nИванов Иван,sentenced,2021-01-01,{months},general\n"
    [record] = _records(data, "list.csv")
    if read is None:
        [problem] = record.problems
        assert problem.column == "sentence_months" and "is not a term in whole months (0 to 1200)" in str(
            problem.message
        )
    else:
        assert [e.sentence_months for e in record.events] == [read]
