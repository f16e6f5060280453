"""Lists a user test found imported wrong: a JSON list of two shapes, a comment column published, totals and
headings read as people, placeholder names matched to each other, a column of details read as a date."""

import datetime as dt
import json

import pytest

from spis.intake.mapping import load_mapping
from spis.intake.messages import render
from spis.intake.readers import read_table
from spis.intake.records import build_records
from spis.registry.models import Event, Name, Person, Source

from .helpers import run
from .test_export import _empty_registry


def _read(text: str, name: str = "list.csv"):
    found, ignored, file_problems = build_records(
        read_table(text.encode(), filename=name), load_mapping(None)
    )
    assert not file_problems, [str(p.message) for p in file_problems]
    return found, ignored


def _json(objects: list) -> tuple:
    return _read(json.dumps(objects, ensure_ascii=False), "partner.json")


def test_an_object_with_events_leaves_the_facts_of_the_others_read():
    # partner.json: one object of six lists its events; the other five were imported without theirs.
    found, ignored = _json(
        [
            {"name": "Шапошник Андрей", "detained_on": "2021-11-03", "articles": ["342 ч.1"],
             "verdict_on": "15.04.2022", "sentence": "4 года ИК усиленного режима", "id": 1001},
            {"name": "Тихонов Роман", "detained_on": "2021-05-01", "id": 1004,
             "events": [{"type": "detained", "date": "2021-05-01"},
                        {"type": "released", "date": "2021-05-15", "release_kind": "end_of_term"}]},
            {"ФИО": "Ярмолович Наталья", "Дата задержания": "2022-03-05", "Статус": "освобождена",
             "Дата освобождения": "2022-09-05", "id": "1002"},
        ]
    )  # fmt: skip
    shaposhnik, tikhonov, yarmolovich = found
    assert [e.type for e in shaposhnik.events] == ["detained", "convicted", "sentenced"]
    assert [e.type for e in tikhonov.events] == ["detained", "released"]
    assert [(e.type, str(e.date)) for e in yarmolovich.events] == [
        ("detained", "2022-03-05"),
        ("released", "2022-09-05"),
    ]
    # The note on keys beside a list of events is the object's that has both, and names only its keys.
    beside = [str(w) for w in tikhonov.warnings if "beside a list of events" in str(w)]
    assert beside == [
        "the keys 'detained_on' are not read beside a list of events (each event gives its own): ignored here"
    ]
    assert not any("beside a list of events" in str(w) for w in shaposhnik.warnings + yarmolovich.warnings)
    # A key the rows of one person read is no ignored column of the file.
    assert "detained_on" not in ignored


def test_a_json_list_of_two_shapes_imports_each_persons_facts(db):
    objects = [
        {"name": "Мазур Виталий", "detained_on": "2021-05-03", "id": 1005},
        {"name": "Тихонов Роман", "events": [{"type": "detained", "date": "2021-05-01"}], "id": 1004},
    ]
    result = run("partner.json", json.dumps(objects, ensure_ascii=False).encode(), mapping=None)
    assert result.created == 2, result.errors
    mazur = Name.objects.get(text="Мазур Виталий").person
    assert list(mazur.events.values_list("type", "date")) == [("detained", dt.date(2021, 5, 3))]
    assert Person.objects.get(names__text="Тихонов Роман").events.count() == 1


COMMENT = "семья просит не звонить; жена Алла, тел. +375 29 555 11 22, адрес: Минск, ул. Садовая 5-12"


def test_a_lists_comment_is_no_public_note_but_a_restricted_source_said_on_the_row():
    [record], _ = _read(f'ФИО,Дата задержания,Примечание\nЮрченко Богдан,12.03.2021,"{COMMENT}"\n')
    assert not record.problems
    [detained] = record.events
    assert detained.note == "" and detained.confidentiality == "public"
    [comment] = [s for s in record.sources if s.title == COMMENT]
    assert (comment.url, comment.source_confidentiality, comment.confidentiality) == (
        "",
        "restricted",
        "restricted",
    )
    assert any("the comment under 'Примечание' is not published" in str(w) for w in record.warnings)


def test_a_comment_of_a_sealed_row_stays_sealed():
    [record], _ = _read(
        "ФИО;Дата задержания;event_confidentiality;Комментарий\nАдкрыты Глеб;15.03.2021;sealed;Нота\n"
    )
    [comment] = [s for s in record.sources if s.title == "Нота"]
    assert (comment.source_confidentiality, comment.confidentiality) == ("sealed", "sealed")


def test_a_comment_reaches_no_public_export_and_comes_back_from_a_staff_one(db):
    from spis.intake.export import export

    data = f'ФИО,Дата задержания,Примечание\nЮрченко Богдан,12.03.2021,"{COMMENT}"\n'
    result = run("comment_leak.csv", data.encode(), mapping=None)
    assert result.created == 1, result.errors
    objects = [{"name": "Мазур Виталий", "detained_on": "2021-05-03", "comment": "Передача 01.06"}]
    result = run("partner.json", json.dumps(objects, ensure_ascii=False).encode(), mapping=None)
    assert result.created == 1, result.errors
    for fmt in ("csv", "json", "ftm"):
        public = b"".join(export(fmt, public=True)).decode()
        assert "Алла" not in public and "Передача" not in public and "2021-03-12" in public
    staff = b"".join(export("csv", public=False)).decode()
    assert "Алла" in staff
    # Read back from the staff export, the comment is restricted again (person_sources_restricted).
    found, _ = _read(staff.lstrip("\ufeff"), "staff.csv")
    [yurchenko] = [r for r in found if r.display_name == "Юрченко Богдан"]
    [comment] = [s for s in yurchenko.sources if s.title == COMMENT]
    assert comment.source_confidentiality == "restricted"


def test_a_comment_longer_than_a_source_keeps_is_kept_whole_in_numbered_parts():
    """A source's title holds 500 characters: a longer comment is kept whole in parts, each a restricted
    source, and the row's facts are imported (refusing them for a comment, or cutting it, would lose them)."""
    text = " ".join(f"слова{n:04d}" for n in range(300))  # 3,299 characters
    [record], _ = _read(f"ФИО;Дата задержания;Примечание\nЮрченко Богдан;12.03.2021;{text}\n")
    assert not record.problems and [e.type for e in record.events] == ["detained"]
    parts = [s.title for s in record.sources if s.title.startswith("(")]
    assert len(parts) == 7 and all(len(p) <= 500 for p in parts)
    assert parts[0].startswith("(1/7) слова0000") and parts[-1].startswith("(7/7) ")
    assert " ".join(p.split(") ", 1)[1] for p in parts) == text
    assert {s.source_confidentiality for s in record.sources if s.title in parts} == {"restricted"}
    assert any("kept whole in 7 restricted sources" in str(w) for w in record.warnings)


def _refusals(record) -> list[tuple]:
    return [(p.line, p.column, p.value, str(p.message)) for p in record.problems]


def test_a_total_or_a_footnote_in_the_name_column_is_refused_naming_line_and_sign():
    found, _ = _read(
        "№;ФИО;Дата задержания;Статья\n1;Кузьмич Антон;12.03.2021;342\n2;Рудь Марина;13.03.2021;342\n"
        ";Всего по Гомельской области: 2;;\n;;;\n;Итого: 57;;\n;Источник: Правозащитный центр «Весна»;;\n"
        ";Всего по Минской области;3;\n"
    )
    kuzmich, rud, region, total, source, by_count = found
    assert not kuzmich.problems and not rud.problems
    [(line, column, value, message)] = _refusals(region)
    assert (line, column, value) == (4, "ФИО", "Всего по Гомельской области: 2")
    assert "reads as a total, a heading or a note of the list ('Всего')" in message
    assert "row refused" in message
    assert _refusals(total)[0][:2] == (6, "ФИО") and "('Итого')" in _refusals(total)[0][3]
    assert "('Источник')" in _refusals(source)[0][3]
    # A total's count beside it is no fact of a person.
    assert _refusals(by_count)[0][:2] == (8, "ФИО")


def test_a_heading_over_a_block_is_refused_and_a_repeated_header_skipped_and_said():
    found, _ = _read(
        "Минская область\nФИО,Дата задержания,Статья\nПавлюк Игнат,12.03.2021,342\nРогач Нина,13.03.2021,342\n\n"
        "Гомельская область\nФИО,Дата задержания,Статья\nСак Юлия,14.03.2021,342\n"
        "Задержанные в 2023 году\nТитов Глеб,15.03.2021,342\n"
    )
    assert [r.line for r in found] == [3, 4, 6, 8, 9, 10]
    heading, sak, detained_in, titov = found[2:]
    assert _refusals(heading)[0][:3] == (6, "ФИО", "Гомельская область")
    assert "('область')" in _refusals(heading)[0][3]
    assert "('задержанные')" in _refusals(detained_in)[0][3]
    # Line 7 repeats the header: no person, no error, said on the row after it.
    assert not sak.problems and not titov.problems
    assert (
        "line 7 repeats the header row (a list in blocks, each under its own header): skipped, no person"
        in [str(w) for w in sak.warnings]
    )


def test_a_person_whose_row_gives_only_a_name_is_still_a_person():
    found, _ = _read(
        "№;ФИО;Дата задержания\n1;Областная Мария;\n2;Итоговый Ян;\n3;Район Глеб;12.03.2021\n"
        "4;Годзевич Алесь;\n5;Кузьмич Антон Сергеевич;\n"
    )
    assert [r.problems for r in found] == [[], [], [], [], []]


def test_a_placeholder_is_no_name_and_its_row_is_refused_at_its_column():
    found, _ = _read(
        "ФИО,Дата задержания\nАнонимно (по просьбе семьи),19.03.2021\nИмя скрыто,20.03.2021\n???,21.03.2021\n"
        "Аноним,01.01.2023\nUnknown,02.02.2023\nАнонимова Анна,03.03.2023\nСкрытов Иван,04.03.2023\n"
    )
    *placeholders, anonymova, skrytov = found
    for record in placeholders:
        [(line, column, value, message)] = _refusals(record)
        assert column == "ФИО" and value == record.names[0].text
        assert "a person without a name cannot be listed" in message and "row refused" in message
    assert [r.line for r in placeholders] == [2, 3, 4, 5, 6]
    assert not anonymova.problems and not skrytov.problems


def test_a_placeholder_is_never_matched_to_an_earlier_one(db):
    first = run(
        "names_messy.csv", "ФИО,Дата задержания\nИмя скрыто,20.03.2021\n".encode(), mapping=None, partial=True
    )
    assert first.created == 0 and len(first.errors) == 1
    data = "ФИО,Дата рождения,Дата задержания\nИмя скрыто,1990,12.03.2021\nАноним,,01.01.2023\n"
    second = run("anon.csv", data.encode(), mapping=None, partial=True)
    assert (second.created, second.updated, len(second.errors)) == (0, 0, 2)
    assert not Person.objects.exists()


def test_two_people_in_one_cell_are_refused_and_a_description_after_a_dash_is_said():
    found, _ = _read(
        'ФИО,Дата задержания\n"Лукин Иван, Лукина Ольга",17.03.2021\n'
        'Игнатович Андрей Петрович – студент БГУ,18.03.2021\n"Смирнов, Алексей",19.03.2021\n'
        'Петрашевич-Соколова Елена,20.03.2021\n"Смирнов Алексей, студент БГУ",21.03.2021\n'
    )
    two, described, comma, hyphen, comma_described = found
    [(line, column, value, message)] = _refusals(two)
    assert (line, column, value) == (2, "ФИО", "Лукин Иван, Лукина Ольга")
    assert "names two people ('Лукин Иван' and 'Лукина Ольга')" in message
    assert not described.problems
    # The name alone is the person's (matched and shown so); the description is said, and stays in the row.
    assert described.display_name == "Игнатович Андрей Петрович"
    assert [n.text for n in described.names] == ["Игнатович Андрей Петрович"]
    assert any("'студент БГУ' after the name, read as no part of it" in str(w) for w in described.warnings)
    for record in (comma, hyphen, comma_described):
        assert not record.problems
    assert not any("after the name" in str(w) for w in hyphen.warnings)


def test_a_column_of_details_is_no_second_date_and_the_criminal_case_number_is_read(db):
    from spis.intake.mapping import load_mapping as mapping_of

    columns = mapping_of(None).resolve(
        [
            "ФИО",
            "Дата задержания",
            "Задержание (подробности)",
            "Уголовное дело №",
            "Дата задержания (первичного)",
            "Arrest date (details)",
        ]
    )
    assert columns.mapped == {
        "ФИО": "name",
        "Дата задержания": "detained_on",
        "Задержание (подробности)": "note",
        "Уголовное дело №": "case_number",
    }
    assert columns.doubles == {"Дата задержания (первичного)": "detained_on", "Arrest date (details)": "note"}
    for header in ("№ уголовного дела", "Нумар крымінальнай справы", "Criminal case No."):
        assert mapping_of(None).resolve([header]).mapped == {header: "case_number"}
    data = (
        "ФИО;Дата задержания;Задержание (подробности);Уголовное дело №;Дата приговора\n"
        "Ермаков Денис;12.03.2021;задержан на работе;№ 21123000456;01.09.2021\n"
    )
    result = run("wide.csv", data.encode(), mapping=None)
    assert result.created == 1, result.errors
    person = Name.objects.get(text="Ермаков Денис").person
    assert person.events.get(type="convicted").case.number == "№ 21123000456"
    assert person.events.get(type="detained").note == ""


def test_a_name_object_keyed_by_language_gives_each_name_its_language():
    # partner.json: {"name": {"ru": …, "be": …}} was refused as "a name must be text, found an object".
    found, _ = _json(
        [
            {"name": {"ru": "Гусев Константин", "be": "Гусеў Канстанцін"}, "detained_on": "2021-08-10"},
            {"name": {"RU": ["Зуева Ирина", "Зуева Ирина Петровна"]}, "detained_on": "2021-08-11"},
            {"name": {"Russian": "Орлов Олег"}, "detained_on": "2021-08-12"},
        ]
    )
    gusev, zueva, orlov = found
    assert not gusev.problems and [(n.text, n.language) for n in gusev.names] == [
        ("Гусев Константин", "ru"),
        ("Гусеў Канстанцін", "be"),
    ]
    assert gusev.display_name == "Гусев Константин" and [e.type for e in gusev.events] == ["detained"]
    assert [(n.text, n.language) for n in zueva.names] == [
        ("Зуева Ирина", "ru"),
        ("Зуева Ирина Петровна", "ru"),
    ]
    [problem] = orlov.problems
    assert "keys are language codes" in str(problem.message) and "'Russian'" in str(problem.message)


def test_a_verdict_dated_before_the_detention_is_said_on_the_row():
    # history.csv: Фомин's verdict (01.02.2021) before his detention (12.03.2021) was accepted without a word.
    found, _ = _read(
        "ФИО;Дата задержания;Дата приговора;Приговор\n"
        "Фомин Олег;12.03.2021;01.02.2021;3 года\nЛосев Пётр;03.2021;03.2021;2 года\n"
    )
    fomin, losev = found
    [said] = [str(w) for w in fomin.warnings if "before the detention" in str(w)]
    assert "(2021-02-01, 'Дата приговора')" in said and "(2021-03-12, 'Дата задержания')" in said
    assert [e.type for e in fomin.events] == ["detained", "convicted", "sentenced"]
    assert not [w for w in losev.warnings if "before the detention" in str(w)]  # the same month: may be later


def test_a_list_that_writes_its_dates_month_first_is_read_so():
    # en_list.csv (original): 12/10/2020 was read as 12 October though 08/21/2020 showed the list month first.
    us = (
        "Full name,Date of detention,Verdict date\nSmith Anna,08/21/2020,12/10/2020\nJones Mark,03/04/2021,\n"
        "Brown Lee,09/30/2021,\n"
    )
    smith, jones, _ = _read(us)[0]
    assert [str(e.date) for e in smith.events][:2] == ["2020-08-21", "2020-12-10"]
    assert [str(e.date) for e in jones.events] == ["2021-03-04"]
    assert any("month first, as '08/21/2020' shows" in str(w) for w in smith.warnings)
    # A list with a date only day first reads its slashes day first, as Russian and Belarusian lists do.
    eu = "ФИО;Дата задержания;Дата приговора\nКот Анна;21/08/2020;12/10/2020\nЛис Марк;03/04/2021;\n"
    kot, lis = _read(eu)[0]
    assert [str(e.date) for e in kot.events][:2] == ["2020-08-21", "2020-10-12"]
    assert [str(e.date) for e in lis.events] == ["2021-04-03"]
    assert not [w for w in kot.warnings if "month first" in str(w)]


def test_a_sentence_that_keeps_no_one_in_custody_ends_the_custody_at_the_verdict(db):
    # sentences.csv: everyone fined, given restricted freedom at home or a suspended term stayed "in custody".
    data = (
        "ФИО;Дата задержания;Дата приговора;Приговор;Статус;Дата освобождения\n"
        "Штрафаваны Ян;12.03.2021;01.06.2021;штраф 100 базовых величин;на свободе;\n"
        "Хатні Пётр;12.03.2021;01.06.2021;3 года ограничения свободы без направления;;\n"
        "Умоўны Алесь;12.03.2021;01.06.2021;2 года условно;;\n"
        "Калоніі Ігар;12.03.2021;01.06.2021;3 года колонии общего режима;;\n"
        "Вызвалены Іван;12.03.2021;01.06.2021;штраф;освобожден;20.04.2021\n"
        "Трымаюць Сцяпан;12.03.2021;01.06.2021;штраф;в СИЗО;\n"
    ).encode()
    result = run("sentences.csv", data, mapping=None, partial=True)
    assert result.status == "completed", result.errors
    status = dict(Person.objects.values_list("display_name", "status"))
    assert status == {
        "Штрафаваны Ян": "released",
        "Хатні Пётр": "released",
        "Умоўны Алесь": "released",
        "Калоніі Ігар": "in_custody",
        "Вызвалены Іван": "released",
        "Трымаюць Сцяпан": "in_custody",  # the list says held: nothing inferred against it
    }
    from spis.registry.models import Event

    fined = Event.objects.get(person__display_name="Штрафаваны Ян", type="released")
    assert (str(fined.date), fined.release_kind) == (
        "2021-06-01",
        "other",
    ) and "no release date" in fined.note
    assert Event.objects.filter(person__display_name="Вызвалены Іван", type="released").count() == 1
    notes = [n["message"] for n in result.notes() if "keeps no one in custody" in n["message"]]
    assert len(notes) == 3


def test_a_stand_in_beside_a_real_name_is_left_out_and_the_row_read():
    # t1c.csv: a dash or "Аноним" under another name column refused a row that names the person.
    found, _ = _read(
        "ФИО;Name (EN);Иные имена;Дата задержания\n"
        "Иванов Иван;—;Аноним;12.03.2021\nПетров Пётр;Piatrou Piotr;;13.03.2021\n—;?;;14.03.2021\n"
    )
    ivanov, petrov, nobody = found
    assert not ivanov.problems and [n.text for n in ivanov.names] == ["Иванов Иван"]
    assert ivanov.display_name == "Иванов Иван" and [e.type for e in ivanov.events] == ["detained"]
    left_out = [str(w) for w in ivanov.warnings if "stands in for a name" in str(w)]
    assert len(left_out) == 2 and "'—' under 'Name (EN)'" in left_out[0]
    assert not petrov.problems and len(petrov.names) == 2
    assert [p.column for p in nobody.problems] == ["ФИО"]


@pytest.mark.parametrize(
    "cell",
    [
        "Смирнов Алексей, Радио Свобода",
        "Шушкевич Станислав, Старые Дороги",
        "Павел Северинец, Минская Область",
        "Кузнецов Олег, ИК-15 Шклов",
        "Ales Bialiatski, Viasna Chairman",
        "Знак Максим Александрович, Адвокат Колесниковой",
        "Van Der Berg, Anna Maria",
        "Gomez Garcia, Maria Jose",
    ],
)
def test_one_person_and_a_place_a_body_or_a_role_is_not_two_people(cell):
    # t2.csv: each was refused as two people; a second person is one named by a given name or initials.
    [record], _ = _read(f"ФИО;Дата задержания\n{cell};12.03.2021\n")
    assert not record.problems, [str(p.message) for p in record.problems]


@pytest.mark.parametrize(
    "cell",
    [
        "Лукин Иван, Лукина Ольга",
        "Колесникова Мария, Знак Максим",
        "Иванов И.И., Петров П.П.",
        # Joined by "and": two people, given names outside the table too (they were one person).
        "Smith John and Doe Jane",
        "Мвале Кофи и Окафор Нгози",
    ],
)
def test_two_people_each_named_by_a_given_name_or_initials_are_refused(cell):
    [record], _ = _read(f"ФИО;Дата задержания\n{cell};12.03.2021\n")
    assert [p.column for p in record.problems] == ["ФИО"] and "names two people" in str(
        record.problems[0].message
    )


@pytest.mark.parametrize(
    "name",
    ["Петров Пётр (Минский район)", "Ivanov Ivan (released)", "*Козлов Олег", "Список Сергей", "Year Anna",
     "Мороз Анна, г.р.: 1985", "Лукин Иван (задержан в 2021 году)"],
)  # fmt: skip
def test_a_person_in_a_list_of_names_only_is_no_heading(name):
    # t4.csv: a names-only list refused people whose name held a heading's word or a total's colon.
    found, _ = _read(f"№;ФИО;Год рождения\n1;{name};1985\n2;{name} Второй;\n")
    assert not [p for r in found for p in r.problems], name


@pytest.mark.parametrize(
    "text",
    ["Имя не указано (женщина, 45 лет)", "Ф.И.О. скрыты", "Имя и фамилия скрыты", "Фамилия скрыта",
     "Неизвестен", "Анон", "Anonymous prisoner", "Анонимный политзаключённый"],
)  # fmt: skip
def test_more_stand_ins_for_a_name_are_refused(text):
    # t1.csv, t1b.csv: each became a person.
    [record], _ = _read(f"ФИО;Дата задержания\n{text};12.03.2021\n")
    assert [p.column for p in record.problems] == ["ФИО"], text


def test_a_staff_export_read_back_keeps_a_record_whatever_its_name(db):
    # staff11.csv: a registry's own records named like a stand-in or two people could not be restored.
    from spis.intake import export as exporting
    from spis.registry import actions

    for name in ("Имя скрыто", "Лукин Иван, Лукина Ольга"):
        person = actions.create_person("t", name)
        actions.record_event("t", person, "detained", "2021-03-12")
    data = b"".join(exporting.export("csv", public=False))
    _empty_registry()
    result = run("staff.csv", data, mapping=None)
    assert result.status == "completed", result.errors
    assert sorted(Person.objects.values_list("display_name", flat=True)) == [
        "Имя скрыто",
        "Лукин Иван, Лукина Ольга",
    ]


def test_a_lone_repeat_of_the_name_heading_is_no_person_and_its_notice_is_shown():
    # t5.csv: ";ФИО;;" made a person "ФИО"; a repeat's notice went to a refused heading row.
    found, _ = _read(
        "№;ФИО;Дата задержания\n1;Кузьмич Антон;12.03.2021\n;ФИО;\n;Гомельская область;\n2;Рудь Марина;13.03.2021\n"
    )
    assert [r.display_name for r in found] == ["Кузьмич Антон", "Гомельская область", "Рудь Марина"]
    rud = found[-1]
    assert any("line 3 repeats the header row" in str(w) for w in rud.warnings)


def test_a_comment_column_of_a_list_of_one_row_per_event_is_no_public_note():
    # t6e.csv: the comment became the event's public note.
    found, _ = _read(
        "ФИО;event_type;event_date;Комментарий\nСястра Ганна;detained;2021-03-12;семья просит не звонить\n"
    )
    [record] = found
    [event] = record.events
    assert event.note == ""
    [comment] = [s for s in record.sources if s.title == "семья просит не звонить"]
    assert comment.source_confidentiality == "restricted"


def test_json_names_and_event_keys_are_checked_and_never_dropped_unseen():
    # t11.json, t6j.json: a names list skipped the name checks; an event's own "comment" vanished.
    found, _ = _json(
        [
            {"names": ["Имя скрыто"], "events": [{"type": "detained", "date": "2021-03-12"}]},
            {"names": ["Лукин Иван, Лукина Ольга"], "events": [{"type": "detained", "date": "2021-03-12"}]},
            {
                "names": ["Зуева Ирина"],
                "events": [{"type": "detained", "date": "2021-03-12", "comment": "тел. +375"}],
            },
        ]
    )
    hidden, two, zueva = found
    assert [p.column for p in hidden.problems] == ["names"] and two.problems
    assert not zueva.problems
    assert any("'events[1].comment': not keys of an event" in str(w) for w in zueva.warnings)


def test_one_month_first_typo_or_a_dotted_date_keeps_a_list_day_first():
    # t8a.csv: one typo "03/25/2021" flipped every date of a Russian list; t8d.csv: one such birth date did,
    # though the list's dotted dates are day first.
    typo = "ФИО;Дата рождения;Дата задержания\nКот Анна;12/03/1985;03/25/2021\nЛис Марк;;03/04/2021\n"
    kot, lis = _read(typo)[0]
    assert str(kot.birth) == "1985-03-12" and [str(e.date) for e in lis.events] == ["2021-04-03"]
    assert [p.column for p in kot.problems] == ["Дата задержания"]  # the typo, refused
    dotted = (
        "ФИО;Дата рождения;Дата задержания\nКот Анна;08/21/1985;21.04.2021\nЛис Марк;09/30/1990;03/04/2021\n"
    )
    kot, lis = _read(dotted)[0]
    assert [str(e.date) for e in lis.events] == ["2021-04-03"]
    assert not [w for w in kot.warnings if "month first" in str(w)]


def test_a_comment_beside_a_json_list_of_events_is_kept_restricted():
    # t6j.json: "comment" beside "events" was listed as ignored.
    [record], ignored = _json(
        [
            {
                "name": "Зуева Ирина",
                "comment": "муж просит не звонить",
                "events": [{"type": "detained", "date": "2021-03-12"}],
            }
        ]
    )
    [comment] = [s for s in record.sources if s.title == "муж просит не звонить"]
    assert comment.source_confidentiality == "restricted" and "comment" not in ignored
    assert not any("beside a list of events" in str(w) for w in record.warnings)


def test_round_three_names_a_town_two_scripts_initials_and_a_script_key():
    # edge_names.csv, partner_names.json: each was refused, or its key stored as the Latin language.
    found, _ = _read(
        "ФИО;Дата задержания\nПетров Сергей, Марьина Горка;12.03.2021\n"
        "Колесникова Мария, Kalesnikava Maryia;12.03.2021\nНеизвестная О.;12.03.2021\n"
        "Неизвестный И.О.;12.03.2021\nФ.И.О. скрыты;12.03.2021\n"
    )
    town, scripts, initial, initials, hidden = found
    assert not town.problems and town.display_name == "Петров Сергей"  # the town said, not in the name
    assert any("'Марьина Горка' after the name" in str(w) for w in town.warnings)
    assert not scripts.problems and [n.text for n in scripts.names] == [
        "Колесникова Мария",
        "Kalesnikava Maryia",
    ]
    assert scripts.display_name == "Колесникова Мария"
    assert any("one name in two scripts" in str(w) for w in scripts.warnings)
    assert not initial.problems and not initials.problems
    assert [p.column for p in hidden.problems] == ["ФИО"]
    [latin], _ = _json([{"name": {"lat": "Kalesnikava Maryia"}, "detained_on": "2021-03-12"}])
    assert not latin.problems and latin.names[0].language != "lat"


def test_a_name_in_two_scripts_parted_by_a_slash_is_two_names_of_one_person():
    # Round three: "Бабарико Виктор / Babaryka Viktar" was kept as one name text.
    found, _ = _read(
        "ФИО;Дата задержания\nБабарико Виктор / Babaryka Viktar;12.03.2021\nБабарико Виктор / Бабарыка Віктар;12.03.2021\n"
    )
    two_scripts, one_script = found
    assert [n.text for n in two_scripts.names] == ["Бабарико Виктор", "Babaryka Viktar"]
    assert not one_script.problems and [n.text for n in one_script.names] == [
        "Бабарико Виктор / Бабарыка Віктар"
    ]


@pytest.mark.parametrize("level", ["restricted", "sealed"])
def test_a_restricted_rows_source_reaches_no_public_export(db, level):
    # conf_src.csv: the row's events were hidden, its source cited publicly on the person, its link published.
    from spis.intake import export as exporting

    data = (
        "ФИО;Дата задержания;Источник;event_confidentiality\n"
        f"Пименов Павел;12.03.2021;Секретная статья <https://example.org/secret-article>;{level}\n"
        "Адкрыты Ян;13.03.2021;Адкрытая <https://example.org/open-article>;\n"
    ).encode()
    result = run("conf_src.csv", data, mapping=None)
    assert result.status == "completed", result.errors
    public = b"".join(exporting.export_public("csv")).decode()
    assert "secret-article" not in public and "open-article" in public
    staff = b"".join(exporting.export("csv", public=False)).decode()
    assert "secret-article" in staff


def test_a_dash_or_a_stand_in_in_a_name_part_column_is_no_part_of_the_name():
    # parts.csv: "Кузьмин Кирилл -", "Иванов — —", "Петров Имя скрыто" were stored as names.
    found, _ = _read(
        "Фамилия;Имя;Отчество;Дата задержания\nКузьмин;Кирилл;-;12.03.2021\nИванов;—;—;12.03.2021\n"
        "Петров;Имя скрыто;;12.03.2021\nИмя скрыто;Иван;Иванович;12.03.2021\n"
    )
    kuzmin, ivanov, petrov, hidden = found
    assert [n.text for n in kuzmin.names] == ["Кузьмин Кирилл"] and not kuzmin.warnings
    assert [n.text for n in ivanov.names] == ["Иванов"]
    assert [n.text for n in petrov.names] == ["Петров"]
    assert any("'Имя скрыто' under 'Имя' stands in for a name" in str(w) for w in petrov.warnings)
    assert [p.column for p in hidden.problems] == ["Фамилия"]


def test_a_name_then_a_place_or_role_is_matched_as_the_name_and_a_couple_is_two_people(db):
    # names2a/b.csv: "Лосик Игорь, Радио Свобода" and "Лосик Игорь" became two people; names2c.csv: "Мороз
    # Сергей и Анна", "Ян и Ева Новак" one person each.
    first = run(
        "a.csv", "ФИО;Год рождения;Дата задержания\nЛосик Игорь;1992;25.06.2020\n".encode(), mapping=None
    )
    assert first.created == 1
    later = run(
        "b.csv",
        "ФИО;Год рождения;Дата задержания\nЛосик Игорь, Радио Свобода;1992;25.06.2020\n".encode(),
        mapping=None,
    )
    assert (later.created, later.unchanged) == (0, 1), (later.notes(), later.conflict_rows(), later.errors)
    assert list(Person.objects.values_list("display_name", flat=True)) == ["Лосик Игорь"]
    found, _ = _read("ФИО;Дата задержания\nМороз Сергей и Анна;12.03.2021\nЯн и Ева Новак;12.03.2021\n")
    for record in found:
        assert [p.column for p in record.problems] == ["ФИО"] and "names two people" in str(
            record.problems[0].message
        )


def test_round_four_headings_a_bracketed_spelling_and_the_place_of_serving():
    # names_only.csv: "Женщины", "Журналисты", "Семья Ковалёвых", "г. Минск" became people.
    found, _ = _read(
        "№;ФИО\n1;Женщины\n2;Журналисты\n3;Семья Ковалёвых\n4;г. Минск\n5;Колесникова Мария (Kalesnikava Maryia)\n"
        "6;Иванова Анна (Петрова)\n"
    )
    *headings, bracketed, maiden = found
    assert all([p.column for p in r.problems] == ["ФИО"] for r in headings), [
        r.display_name for r in headings
    ]
    assert [n.text for n in bracketed.names] == ["Колесникова Мария", "Kalesnikava Maryia"]
    assert not maiden.problems and maiden.display_name == "Иванова Анна (Петрова)"
    [record], ignored = _read("ФИО;Дата задержания;Место отбывания\nБабіч Ян;12.03.2021;ИК-15\n")
    assert not ignored and record.events[0].facility == "ИК-15"


def test_month_first_dates_written_only_in_the_status_tell_the_lists_order():
    # mf_status_only.csv: "released 08/21/2023" was refused as not a real date, 03/07/2021 read as 3 July.
    found, _ = _read(
        "Name;Date of detention;Status\nMoss Mo;03/07/2021;released 08/21/2023\nLee Ann;02/01/2021;released 09/22/2023\n"
    )
    moss, lee = found
    assert not moss.problems and not lee.problems
    assert [(e.type, str(e.date)) for e in moss.events] == [
        ("detained", "2021-03-07"),
        ("released", "2023-08-21"),
    ]


def test_a_name_read_without_what_follows_it_stays_the_primary_name():
    found, _ = _read("ФИО;Иные имена;Дата задержания\nЛосик Игорь, Радио Свобода;Лосик Игорь;25.06.2020\n")
    [record] = found
    assert [(n.text, n.kind) for n in record.names] == [("Лосик Игорь", "primary")]
    assert record.display_name == "Лосик Игорь"


def test_a_one_row_per_event_lists_refused_event_is_said_at_its_own_line(db):
    # A release without its kind on line 4 was said at line 2 (the person's first row), with the release's date
    # as the value under 'event_type'; now at its line, under the empty release_kind.
    data = (
        "ФИО;event_type;event_date;release_kind\n"
        "Юрченко Богдан;detained;2021-03-12;\n"
        "Юрченко Богдан;transferred;2021-09-01;\n"
        "Юрченко Богдан;released;2022-03-12;\n"
    ).encode()
    for partial in (False, True):  # refused, then the good rows kept: the same file again names it so too
        result = run("events.csv", data, mapping=None, partial=partial)
        assert [(e["line"], e["column"], e["value"]) for e in result.errors] == [(4, "release_kind", "")]
        assert "a release needs its kind" in result.errors[0]["message"]
    again = run("events.csv", data, mapping=None)  # read again (its refused row), refused the same way
    assert not again.already_imported and [e["line"] for e in again.errors] == [4]


def test_the_same_one_row_per_event_file_again_counts_its_rows_not_its_errors_lines(db):
    # Three problems on three lines of one person's rows: "unchanged" was -2.
    data = (
        "ФИО;event_type;event_date;release_kind\nКозлов Олег;detained;2022-02-30;\n"
        "Козлов Олег;released;2023-01-10;bogus\nКозлов Олег;sentenced;2023-13-01;\n"
        "Пятрова Ганна;detained;2022-02-01;\n"
    ).encode()
    first = run("ev4.csv", data, mapping=None, partial=True)
    assert (first.rows, first.created, len(first.errors)) == (2, 1, 5), first.errors
    again = run("ev4.csv", data, mapping=None, partial=True)
    assert (again.rows, again.unchanged, len(again.errors)) == (2, 1, 5)


def test_a_partners_status_beside_a_list_of_events_is_said_and_the_exports_own_is_not():
    events = [{"type": "detained", "date": "2021-03-12"}]
    [partner], ignored = _json([{"name": "Мазур Виталий", "status": "освобождён", "events": events}])
    assert ignored == ["status"] and any(
        "not read beside a list of events" in str(w) for w in partner.warnings
    )
    [partner], ignored = _json([{"name": "Мазур Виталий", "status": "released", "events": events}])
    assert ignored == ["status"] and partner.warnings
    exported = {"public_id": "BY-000001", "name": "Мазур Виталий", "status": "in_custody", "events": events}
    [record], ignored = _json([exported])
    assert ignored == [] and not record.warnings


@pytest.mark.parametrize("order", ["note first", "comment first"])
def test_an_exports_own_note_beside_a_comment_column_is_the_events_and_the_comment_stays_restricted(order):
    # both.csv: "note" and "Комментарий" were joined into one public note of the event.
    head, cells = ["note", "Комментарий"], ["задержан на улице", "семья просит не звонить"]
    if order == "comment first":
        head, cells = head[::-1], cells[::-1]
    [record], _ = _read(
        f"ФИО;event_type;event_date;{';'.join(head)}\nЮрченко Богдан;detained;2021-03-12;{';'.join(cells)}\n"
    )
    [detained] = record.events
    assert (detained.note, detained.confidentiality) == ("задержан на улице", "public")
    [comment] = [s for s in record.sources if s.comment]
    assert (comment.title, comment.confidentiality) == ("семья просит не звонить", "restricted")
    said = [str(w) for w in record.warnings]
    assert any("the comment under 'Комментарий' is not published" in w for w in said)
    assert not [w for w in said if "joined" in w]


def test_a_lists_note_and_comment_columns_in_a_row_of_one_person_are_one_restricted_comment_and_said():
    # The notice that both columns were read together was dropped with the one-row-per-event fix.
    [record], _ = _read(
        "ФИО;Дата задержания;note;Комментарий\nЮрченко Богдан;12.03.2021;на акции;жена Алла\n"
    )
    [comment] = [s for s in record.sources if s.comment]
    assert (comment.title, comment.confidentiality) == ("на акции; жена Алла", "restricted")
    assert any("read together" in str(w) for w in record.warnings)


def test_a_name_in_the_classical_orthography_keeps_its_tag_be_tarask(db):
    # `be-tarask` (9 characters) was refused: Name.language held 8. Wikidata labels names so (wd_be_tarask).
    objects = [
        {
            "name": {"be": "Аляксандр Ярашэвіч", "be-tarask": "Аляксандар Ярашэвіч"},
            "detained_on": "2021-08-10",
        },
        {"name": "Зазуля Аляксандар", "names": [{"text": "Зазуля Аляксандар", "language": "be-tarask"}]},
    ]
    result = run("partner.json", json.dumps(objects, ensure_ascii=False).encode(), mapping=None)
    assert result.status == "completed" and result.created == 2, result.errors
    stored = dict(Name.objects.values_list("text", "language"))
    assert stored["Аляксандар Ярашэвіч"] == "be-tarask" and stored["Аляксандр Ярашэвіч"] == "be"
    assert stored["Зазуля Аляксандар"] == "be-tarask"


def test_a_comment_on_a_later_row_of_one_persons_events_is_said_with_its_line():
    # n1.csv: the notes for lines 2 and 3 were both said at "line 2".
    [record], _ = _read(
        "ФИО;event_type;event_date;release_kind;Комментарий\n"
        "Юрченко Богдан;detained;2021-03-12;;жена Алла\nЮрченко Богдан;released;2022-03-12;pardon;сестра Ольга\n"
    )
    said = [render(w) for w in record.warnings]
    assert "the comment under 'Комментарий' is not published" in said[0]
    assert any(w.startswith("line 3: the comment under 'Комментарий' is not published") for w in said), said


def test_a_detention_while_held_with_no_release_between_is_said(db):
    # "задержана повторно" after a release the list gave no date of: a second detention, custody running on
    # from the first, and nothing said.
    head = "ФИО;Год рождения;Дата задержания;Статус\n"
    assert run("a.csv", (head + "Лещенко Анна;1985;01.03.2021;освобождена\n").encode(), mapping=None).created
    later = run("b.csv", (head + "Лещенко Анна;1985;01.06.2024;задержана повторно\n").encode(), mapping=None)
    said = [n["message"] for n in later.notes()]
    assert any(
        "detained on 2024-06-01 while held since 2021-03-01, with no release between" in text for text in said
    ), said
    events = "ФИО;event_type;event_date\nКовалёв Ян;detained;2020-08-10\nКовалёв Ян;detained;2021-01-05\n"
    new = run("c.csv", events.encode(), mapping=None)
    assert any("detained on 2021-01-05 while held since 2020-08-10" in n["message"] for n in new.notes())


def test_a_birth_date_after_the_rows_events_is_refused_and_a_child_is_said(db):
    # Born 15.03.2022 beside a detention of 2021 was imported unsaid; so was an Excel day number read as a
    # birth a month before the detention.
    data = (
        "ФИО;Дата рождения;Дата задержания\n"
        "Жуков Ян;15.03.2022;14.04.2021\n"
        "Ершов Глеб;15.03.2021;14.04.2021\n"
        "Зуев Ян;1990;14.04.2021\n"
    )
    result = run("born.csv", data.encode(), mapping=None, partial=True)
    assert [(e["line"], e["column"]) for e in result.errors] == [(2, "Дата рождения")]
    assert "birth date 2022-03-15 is after 'Дата задержания' 2021-04-14" in result.errors[0]["message"]
    notes = " | ".join(n["message"] for n in result.notes())
    assert "birth date 2021-03-15 makes the person 0 at 'Дата задержания' 2021-04-14" in notes
    assert "Зуев" not in notes and result.created == 2


def test_words_beside_a_sentence_or_a_status_are_kept(db):
    # "заочно" after the term, "(в розыске)" beside it, "живет у матери в Гродно" after the status: lost unsaid.
    data = (
        "ФИО;Дата задержания;Дата приговора;Приговор;Статус;Дата освобождения\n"
        "Александров Виктор;12.03.2021;10.09.2021;3 года колонии общего режима, заочно;в заключении;\n"
        "Борисова Елена;12.03.2021;10.09.2021;3 года колонии (онкология, нужны лекарства);в заключении;\n"
        "Воронов Степан;12.03.2021;10.09.2021;2 года колонии;освобожден, живет у матери в Гродно;01.03.2023\n"
    )
    assert run("words.csv", data.encode(), mapping=None).created == 3
    notes = dict(Event.objects.filter(type="sentenced").values_list("person__display_name", "note"))
    assert notes["Александров Виктор"] == "3 года колонии общего режима, заочно"
    assert "онкология" not in notes["Борисова Елена"]
    kept = dict(Source.objects.values_list("title", "confidentiality"))
    assert kept["онкология, нужны лекарства"] == kept["живет у матери в Гродно"] == "restricted"
