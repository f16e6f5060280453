"""A person's fields and names are seen at the person's level: what a restricted or sealed row gives of them is
no more open than the row (a user test found a sealed list's region, occupation, gender, birth day and names on
the public page once a public row of the same person followed)."""

import io
import json

import openpyxl
import pytest

from spis.intake.export import export_public
from spis.intake.messages import levels_shown
from spis.intake.models import ImportRow
from spis.registry import actions
from spis.registry.models import Event, Name, Person, Source

from .helpers import run

HEAD = "ФИО;Год рождения;Пол;Регион;Род занятий;Иные имена;Дата задержания;event_confidentiality\n"


def _public() -> list[dict]:
    return json.loads(b"".join(export_public("json")).decode())


def _said(result) -> str:
    return " | ".join(n["message"] for n in result.notes() + result.conflict_rows())


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_sealed_rows_fields_and_names_stay_sealed_when_a_public_row_opens_the_person(db, writer):
    rows = (
        "Шпак Роман Игоревич;14.02.1986;м;Могилёвская обл.;офицер КГБ (источник);Петренко Тарас;01.08.2024;sealed\n"
        "Шпак Роман Игоревич;1986;;;;;08.2024;\n"
    )
    result = run("rows.csv", (HEAD + rows).encode(), mapping=None, writer=writer)
    assert result.status == "completed", result.errors
    person = Person.objects.get()
    assert person.confidentiality == "public"
    assert (str(person.birth_date_display), person.gender, person.region, person.occupation) == (
        "1986",
        "",
        "",
        "",
    )
    levels = dict(Name.objects.values_list("text", "confidentiality"))
    assert levels == {"Шпак Роман Игоревич": "public", "Петренко Тарас": "sealed"}
    [shown] = _public()
    assert "Петренко" not in json.dumps(shown, ensure_ascii=False)
    assert "КГБ" not in json.dumps(shown, ensure_ascii=False) and shown["gender"] == ""
    said = _said(result)
    assert "birth date, gender, region, occupation given by stricter rows above (sealed)" in said
    # The public row's detention is the sealed one: said, not published.
    assert "detained 2024-08-01 is stored sealed: the row, public, does not make it more open" in said


def test_a_sealed_rows_display_name_is_not_the_public_one(db):
    rows = "Шпак Роман;1986;;;;;01.08.2024;sealed\nШпак Роман Игоревич;1986;;;;;08.2024;\n"
    assert run("rows.csv", (HEAD + rows).encode(), mapping=None).status == "completed"
    person = Person.objects.get()
    assert (person.confidentiality, person.display_name) == ("public", "Шпак Роман Игоревич")
    assert Name.objects.get(text="Шпак Роман").confidentiality == "sealed"


@pytest.mark.parametrize("level", ["restricted", "sealed"])
def test_a_stricter_rows_fields_and_names_are_not_recorded_on_a_public_person(db, level):
    assert run("base.csv", (HEAD + "Жуков Олег;1980;;;;;01.02.2021;\n").encode(), mapping=None).created == 1
    row = f"Жуков Олег;14.12.1980;м;Минск;учитель;Жукаў Алег;01.02.2021;{level}\n"
    result = run("later.csv", (HEAD + row).encode(), mapping=None)
    person = Person.objects.get()
    assert (str(person.birth_date_display), person.gender, person.region, person.occupation) == (
        "1980",
        "",
        "",
        "",
    )
    assert Name.objects.get(text="Жукаў Алег").confidentiality == level
    said = _said(result)
    assert (
        f"birth date, gender, region, occupation: the row is {level}, the person public: not recorded" in said
    )
    assert "Жукаў" not in json.dumps(_public(), ensure_ascii=False)


def test_a_region_and_an_occupation_fill_in_and_a_different_one_is_a_conflict(db):
    # They were dropped as "unchanged", with nothing said.
    assert run("base.csv", (HEAD + "Жуков Олег;1980;;;;;01.02.2021;\n").encode(), mapping=None).created == 1
    filled = run(
        "fill.csv",
        (HEAD + "Жуков Олег;1980;м;Гомельская обл.;водитель;;01.02.2021;\n").encode(),
        mapping=None,
    )
    assert filled.updated == 1 and "gender, region, occupation filled in" in _said(filled)
    person = Person.objects.get()
    assert (person.gender, person.region, person.occupation) == ("m", "Гомельская обл.", "водитель")
    other = run(
        "other.csv", (HEAD + "Жуков Олег;1980;;Брестская обл.;инженер;;01.02.2021;\n").encode(), mapping=None
    )
    assert other.conflicts == 1
    said = _said(other)
    assert "region: stored Гомельская обл., file says Брестская обл.; kept stored" in said
    assert "occupation: stored водитель, file says инженер; kept stored" in said
    assert Person.objects.get().region == "Гомельская обл."


def test_a_rows_level_for_a_stored_person_is_said_not_applied(db):
    # A list's "sealed" for a public person was "unchanged", with nothing said.
    person = actions.create_person("t", "Яковенко Тарас")
    data = "ФИО;Дата задержания;confidentiality\nЯковенко Тарас;01.06.2022;sealed\n"
    result = run("seal.csv", data.encode(), mapping=None)
    assert result.conflicts == 1
    assert "the row gives the person's level sealed, stored public: kept public" in _said(result)
    person.refresh_from_db()
    assert person.confidentiality == "public"


@pytest.mark.parametrize(
    ("header", "value", "level"),
    [
        ("Конфиденциальность", "закрыто", "sealed"),
        ("Уровень доступа", "для сотрудников", "restricted"),
        ("Канфідэнцыяльнасць", "публічна", "public"),
        ("Уровень конфиденциальности", "закрыто", "sealed"),
        ("access level", "restricted", "restricted"),
    ],
)
def test_a_level_in_a_lists_own_words_is_read(db, header, value, level):
    # "Конфиденциальность: закрыто" was an ignored column: the person created public.
    data = f"ФИО;Дата задержания;{header}\nЯковенко Тарас;01.06.2022;{value}\n"
    assert run("level.csv", data.encode(), mapping=None).created == 1
    assert Person.objects.get().confidentiality == level


@pytest.mark.parametrize(
    "header",
    [
        "Не публиковать",
        "Hide",
        "Секретность",
        "Не для публикации",
        "Согласие на публикацию",
        "Анонимно",
        # A heading with the answers its cells give, or with words before or after (all were ignored columns).
        "Публиковать (да/нет)",
        "Public (Y/N)",
        "Publish? (Y/N)",
        "Конфиденциально (да/нет)",
        "is_public",
        "Можно публиковать",
        "Разрешение на публикацию",
        "Статус публикации",
        "Без огласки",
        "ДСП",
        "Не для сайта",
        "Только для сотрудников",
        "Згода сям'і",
        "Родные против публикации",
        "Уровень секретности",
        "Режим доступа",
        "Гриф",
        "Конфеденциальность",
        "Канфiдэнцыяльнасць",
        "Consent to publish",
        "Sensitive",
    ],
)
def test_a_column_that_says_who_may_see_is_never_dropped_unread(db, header):
    data = f"ФИО;Дата задержания;{header}\nЯковенко Тарас;01.06.2022;да\n"
    result = run("withhold.csv", data.encode(), mapping=None)
    assert result.status == "failed" and not Person.objects.exists()
    [error] = result.errors
    assert f"column {header} seems to say who may see the rows" in error["message"]


def test_an_unknown_level_word_is_refused_not_read_as_public(db):
    data = "ФИО;Дата задержания;Конфиденциальность\nЯковенко Тарас;01.06.2022;не знаю\n"
    result = run("level.csv", data.encode(), mapping=None)
    assert result.status == "failed" and "unknown level 'не знаю'" in result.errors[0]["message"]


def test_contact_details_in_a_sentence_and_words_in_brackets_in_a_status_are_kept_unpublished(db):
    # The sentence's words, a lawyer's phone with them, were the public note of the sentence; the status's
    # bracketed words were read as nothing and lost.
    head = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Статус;Дата освобождения\n"
    row = (
        "Кравцов Иван;1980;01.02.2021;01.06.2021;3 года колонии (адвокат Кравец, тел. 8029 111 22 33);"
        "освобождён 12.05.2023 (мать просит не звонить);12.05.2023\n"
    )
    result = run("contacts.csv", (head + row).encode(), mapping=None)
    assert result.created == 1
    shown = json.dumps(_public(), ensure_ascii=False)
    assert "Кравец" not in shown and "8029" not in shown and "мать" not in shown
    kept = dict(Source.objects.filter(title__contains="Кравец").values_list("title", "confidentiality"))
    assert kept == {"3 года колонии (адвокат Кравец, тел. 8029 111 22 33)": "restricted"}
    assert Source.objects.get(title="мать просит не звонить").confidentiality == "restricted"
    sentence = Person.objects.get().events.get(type="sentenced")
    assert (sentence.sentence_months, sentence.note) == (36, "")


@pytest.mark.parametrize("shape", ["wide", "long"])
def test_a_lists_own_level_column_keeps_its_rows_facts_from_a_person_already_public(db, shape):
    # Read as the person's level, "закрыто" was a conflict ("kept public") and the rest of the row was written
    # public: a sealed address as the public place of detention, a Belarusian name.
    if shape == "wide":
        head = "ФИО;ФИО (бел.);Дата задержания;Место содержания;Уровень доступа\n"
        rows = "Мельник Ольга;;01.06.2022;ИК-4;\nМельник Ольга;Мельнік Вольга;12.03.2023;Квартира на Лесной 5;закрыто\n"
    else:
        head = "ФИО;event_type;event_date;Место содержания;Конфиденциальность;note\n"
        rows = (
            "Мельник Ольга;detained;2022-06-01;ИК-4;публично;\n"
            "Мельник Ольга;transferred;2023-03-12;Квартира на Лесной 5;закрыто;тайная записка\n"
        )
    assert run("rows.csv", (head + rows).encode(), mapping=None).status == "completed"
    shown = json.dumps(_public(), ensure_ascii=False)
    assert "Лесной" not in shown and "тайная" not in shown and "Мельнік" not in shown
    assert "ИК-4" in shown


@pytest.mark.parametrize(
    "header",
    [
        "Publisher",
        "Restricted freedom",
        "Приватный сектор",
        "Публикации",
        "Ссылка на публикацию",
        "Секретная часть",
        "Hide-out",
        "Дата публикации",
        "Секретарь суда",
    ],
)
def test_an_ordinary_column_is_no_column_of_who_may_see(db, header):
    data = f"ФИО;Дата задержания;{header}\nЯковенко Тарас;01.06.2022;да\n"
    result = run("ordinary.csv", data.encode(), mapping=None)
    assert result.status == "completed" and header in result.ignored_columns


def test_a_sheet_whose_name_says_who_may_see_is_refused(db):
    # The first sheet, "Не публиковать", was read as any list: its people public.
    book = openpyxl.Workbook()
    book.active.title = "Не публиковать"
    book.active.append(["ФИО", "Дата задержания"])
    book.active.append(["Руденко Максим", "01.06.2022"])
    book.create_sheet("Публичный список").append(["ФИО"])
    out = io.BytesIO()
    book.save(out)
    result = run("book.xlsx", out.getvalue(), mapping=None)
    assert result.status == "failed" and not Person.objects.exists()
    assert "the sheet read, 'Не публиковать', seems by its name to say who" in result.errors[0]["message"]


def test_a_phone_or_an_e_mail_in_a_cell_shown_as_it_is_refuses_the_row(db):
    # A relative's phone in the name became the public display name; in the region, the court, the judge, they
    # were on the public page and export; in a fine's words, its public amount.
    head = "ФИО;Дата рождения;Регион;Род занятий;Дата задержания;Место содержания;Дата приговора;Приговор;Суд;Судья\n"
    rows = (
        "Бондарь Сергей;1990;Минская обл. (жена: +375 29 765-43-21);водитель;12.03.2021;ИК-15;10.09.2021;"
        "2 года колонии;Суд Московского р-на;Петров П.П.\n"
        "Гринь Алеся (сестра Ольга +375291112233);1992;;;12.03.2021;;;;;\n"
        "Пятров Ян;1990;;;12.03.2021;;10.09.2021;2 года колонии;Суд, секретарь 8017 333 44 55;\n"
        "Судзін Ян;1990;;;12.03.2021;;10.09.2021;2 года колонии;;Петров П.П. moskow@example.org\n"
        "Штраф Ян;1990;;;12.03.2021;;10.09.2021;штраф 100 базовых (оплатила сестра, ivan@example.com);;\n"
    )
    result = run("contacts.csv", (head + rows).encode(), mapping=None, partial=True)
    refused = sorted((e["line"], e["column"]) for e in result.errors)
    assert refused == [(2, "Регион"), (3, "ФИО"), (4, "Суд"), (5, "Судья")]
    assert "the import publishes no contact details" in result.errors[0]["message"]
    shown = json.dumps(_public(), ensure_ascii=False)
    assert "example.com" not in shown and "сестра" not in shown and "Штраф Ян" in shown


@pytest.mark.parametrize("header", ["Дата признания политзаключённым", "Дата прызнання палітвязнем"])
def test_a_recognition_date_under_its_long_heading_is_read(db, header):
    # Listed as ignored: the recognition lost.
    data = f"ФИО;Дата задержания;{header}\nЯковенко Тарас;01.06.2022;15.07.2022\n"
    result = run("recognised.csv", data.encode(), mapping=None)
    assert result.created == 1 and header not in result.ignored_columns
    assert Person.objects.get().events.filter(type="recognized").exists()


def test_words_in_brackets_beside_a_numbered_place_name_no_facility(db):
    # The first spelling a list gives names the facility: an address in brackets named ИК-15 for everyone held
    # there, on the public list of places and every person's page.
    head = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Место содержания\n"
    rows = (
        "Петров Пётр;1980;10.05.2021;01.09.2021;2 года колонии;ИК-15 (передачи через жену, ул. Ленина 12-34)\n"
        "Сидоров Пётр;1980;10.05.2021;01.09.2021;2 года колонии;ИК-15 (Шклов)\n"
    )
    assert run("places.csv", (head + rows).encode(), mapping=None).created == 2
    from spis.registry.models import Facility

    assert list(Facility.objects.values_list("name", flat=True)) == ["ИК-15"]
    assert "Ленина" not in json.dumps(_public(), ensure_ascii=False)
    assert Source.objects.get(title="передачи через жену, ул. Ленина 12-34").confidentiality == "restricted"


def test_a_one_row_per_event_persons_later_rows_fill_in_their_fields_and_say_a_different_one(db):
    # Read on the first row only: a later row's birth date and region lost, a different one unsaid.
    data = (
        "ФИО;Дата рождения;Регион;event_type;event_date;release_kind;event_confidentiality\n"
        "Коваль Ян;;;detained;2021-03-01;;\n"
        "Коваль Ян;14.02.1987;Минск;released;2022-03-01;pardon;\n"
        "Коваль Ян;1990;Гомель;transferred;2021-05-01;;\n"
        "Коваль Ян;;;transferred;2021-06-01;;sealed\n"
    )
    result = run("events.csv", data.encode(), mapping=None)
    assert result.created == 1, result.errors
    person = Person.objects.get()
    assert (str(person.birth_date_display), person.region) == ("1987-02-14", "Минск")
    said = _said(result)
    assert "line 4: 'Дата рождения' '1990' differs from an earlier row of the person ('1987-02-14')" in said


def test_a_one_row_per_event_persons_stricter_row_gives_no_field_of_theirs(db):
    data = (
        "ФИО;Регион;event_type;event_date;event_confidentiality\n"
        "Коваль Ян;;detained;2021-03-01;\n"
        "Коваль Ян;Брест (для своих);transferred;2021-06-01;sealed\n"
    )
    result = run("events.csv", data.encode(), mapping=None)
    assert result.created == 1 and Person.objects.get().region == ""
    assert (
        "line 3: 'Регион' of a row stricter (sealed) than the person's most open row: not the person's"
        in _said(result)
    )


@pytest.mark.parametrize(
    ("cell", "place", "words"),
    [
        (
            "ИК-9, передачи через жену Ольгу, ул. Ленина 12-34",
            "ИК-9",
            "передачи через жену Ольгу, ул. Ленина 12-34",
        ),
        ("ИК-4 — писать на имя матери, Гомель", "ИК-4", "писать на имя матери, Гомель"),
        (
            "ИВС Партизанского РУВД (ул. Ленина 12-34, кв. 5)",
            "ИВС Партизанского РУВД",
            "ул. Ленина 12-34, кв. 5",
        ),
        ("ИК-22 (Ивацевичи) (мать просит писать)", "ИК-22 (Ивацевичи)", "мать просит писать"),
        ("ИК-17 [передачи через Ольгу Ильину]", "ИК-17", "передачи через Ольгу Ильину"),
        ("СИЗО-1 г. Минск", "СИЗО-1 г. Минск", ""),
    ],
)
def test_words_beside_a_place_are_the_lists_comment_and_a_town_is_the_places(db, cell, place, words):
    head = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Место содержания\n"
    row = f"Петров Пётр;1980;10.05.2021;01.09.2021;2 года колонии;{cell}\n"
    result = run("place.csv", (head + row).encode(), mapping=None)
    assert result.created == 1, result.errors
    from spis.registry.models import Facility

    assert list(Facility.objects.values_list("name", flat=True)) == [place]
    if words:
        assert Source.objects.get(title=words).confidentiality == "restricted"
        assert "under 'Место содержания'" in _said(result)


@pytest.mark.parametrize(
    "name",
    [
        "Гринь Алеся (сестра Ольга 8 (029) 111-22-33)",
        "Гринь Алеся, viber 375291112233",
        "Гринь Алеся telegram @grin_a",
        "Гринь Алеся (grin at gmail dot com)",
        "Гринь Алеся (тел. 111-22-33)",
    ],
)
def test_a_phone_in_its_other_spellings_refuses_the_row(db, name):
    result = run("phones.csv", f"ФИО;Дата задержания\n{name};12.03.2021\n".encode(), mapping=None)
    assert result.status == "failed" and "no contact details" in result.errors[0]["message"]


@pytest.mark.parametrize("level", ["закрыто", "sealed"])
def test_a_one_row_per_event_persons_stricter_first_row_gives_no_field_of_a_public_person(db, level):
    # The first row's fields were the person's: a sealed row's birth day and town public once a public row followed.
    head = "ФИО;event_type;event_date;Конфиденциальность;birth_date;region\n"
    if level == "sealed":
        head = head.replace("Конфиденциальность", "event_confidentiality")
    rows = (
        f"Гаврилов Евгений Петрович;detained;2021-03-01;{level};1977-03-04;Кобрин\n"
        "Гаврилов Евгений Петрович;recognized;2021-05-01;;;\n"
    )
    result = run("events.csv", (head + rows).encode(), mapping=None)
    assert result.created == 1, result.errors
    person = Person.objects.get()
    assert (person.confidentiality, person.birth_date, person.region) == ("public", None, "")
    assert "Кобрин" not in json.dumps(_public(), ensure_ascii=False)


def test_a_refused_row_says_nothing_of_what_it_would_have_written(db):
    data = "ФИО;Дата задержания;Дата освобождения;event_confidentiality\nТайный Ян;10.05.2023;20.04.2023;sealed\n"
    result = run("refused.csv", data.encode(), mapping=None, partial=True, dry_run=True)
    [plan] = result.plans
    assert plan.outcome == "error" and plan.problems
    from spis.intake.plan import _PERSON_AT_FACTS_LEVEL

    assert not [m for m in plan.messages if m.text == _PERSON_AT_FACTS_LEVEL]


def test_words_that_ask_not_to_publish_refuse_a_public_row(db):
    # The person was created public, the words kept as a restricted comment: the request itself not heeded.
    head = "ФИО;Дата задержания;Статус;Примечание;Конфиденциальность\n"
    rows = (
        "Иванов Иван Иванович (не публиковать);12.03.2021;в СИЗО;;\n"
        "Зайцев Пётр;12.03.2021;в СИЗО, родственники против огласки;;\n"
        "Орлов Ян;12.03.2021;в СИЗО;семья просит не публиковать;\n"
        "Попов Ян;12.03.2021;в СИЗО;семья просит не публиковать;ограничено\n"
        "Белов Ян;12.03.2021;в СИЗО;приговор не опубликован;\n"
    )
    result = run("words.csv", (head + rows).encode(), mapping=None, partial=True)
    assert sorted((e["line"], e["column"]) for e in result.errors) == [
        (2, "ФИО"),
        (3, "Статус"),
        (4, "Примечание"),
    ]
    assert "'не публиковать' asks not to publish, but the row is public" in result.errors[0]["message"]
    assert [p["display_name"] for p in _public()] == ["Белов Ян"]
    assert Person.objects.get(names__text="Попов Ян").confidentiality == "restricted"


def test_words_beside_a_name_are_no_part_of_the_public_name(db):
    head = "ФИО;Дата задержания\n"
    rows = (
        "Тихонов Андрей (инвалид 2 гр.);12.03.2021\n"
        '"Лебедев Артём, Гомель";12.03.2021\n'
        "Иванова (Петрова) Анна;12.03.2021\n"
        "Иванов, Иван;12.03.2021\n"
    )
    assert run("names.csv", (head + rows).encode(), mapping=None).created == 4
    names = sorted(p["display_name"] for p in _public())
    assert names == ["Иванов, Иван", "Иванова (Петрова) Анна", "Лебедев Артём", "Тихонов Андрей"]
    shown = json.dumps(_public(), ensure_ascii=False)
    assert "инвалид" not in shown and "Гомель" not in shown


def test_a_street_address_in_a_cell_shown_as_it_is_refuses_the_row(db):
    head = "ФИО;Регион;Номер дела;Дата задержания\n"
    rows = (
        "Сидоров Ян;г. Минск, ул. Сурганова 45-12;;12.03.2021\n"
        "Петров Ян;;дело 1-12/2021, задержан у матери, вул. Кірава 7, кв. 21;12.03.2021\n"
        "Зайцев Ян;Минская обл., д. Иваново;1-123/2021;12.03.2021\n"
    )
    result = run("address.csv", (head + rows).encode(), mapping=None, partial=True)
    assert sorted((e["line"], e["column"]) for e in result.errors) == [(2, "Регион"), (3, "Номер дела")]
    assert "names a street address" in result.errors[0]["message"]
    assert result.created == 1


@pytest.mark.parametrize("header", ["Дело / обстоятельства", "Регион / адрес", "Приговор (комментарий)"])
def test_a_heading_of_a_field_with_details_or_an_address_is_a_comment(db, header):
    data = f"ФИО;Дата задержания;{header}\nФёдоров Глеб;12.03.2021;задержан дома у матери, избит\n"
    result = run("details.csv", data.encode(), mapping=None)
    assert result.created == 1 and "избит" not in json.dumps(_public(), ensure_ascii=False)
    assert Source.objects.get(title__contains="избит").confidentiality == "restricted"


def test_a_linked_sources_title_with_a_phone_is_kept_restricted(db):
    data = (
        "ФИО;Дата задержания;Источник\n"
        "Фомин Глеб;12.03.2021;мать Фомина Анна, тел. +375 29 111-22-33: https://t.me/fomin_support\n"
    )
    result = run("sources.csv", data.encode(), mapping=None)
    assert result.created == 1 and "111-22-33" not in json.dumps(_public(), ensure_ascii=False)
    assert "names a phone number, an e-mail or an address: kept restricted" in _said(result)


def test_a_list_that_now_withholds_a_published_fact_is_a_conflict(db):
    # "закрыто" beside a published detention was "unchanged", nothing said, and the detention stayed public.
    head = "ФИО;Дата задержания;Статья;Конфиденциальность\n"
    run("w1.csv", (head + "Соколова Дарья;12.03.2021;342;\n").encode(), mapping=None)
    result = run("w2.csv", (head + "Соколова Дарья;12.03.2021;342;закрыто\n").encode(), mapping=None)
    assert (result.unchanged, result.conflicts) == (0, 1)
    assert "is stored public, but the row gives it as sealed: kept public" in _said(result)


def test_a_sealed_persons_row_read_onto_a_public_namesake_publishes_none_of_it(db):
    # Kept public (the stored level stays), the row's detention, its note, a name and a witness's source were
    # written at their own levels: public.
    actions.create_person("t", "Сакрэтная Асоба", birth_date="1990-01-02")
    row = {
        "name": "Сакрэтная Асоба",
        "names": ["Sakretnaja Asoba"],
        "birth_date": "1990-01-02",
        "confidentiality": "sealed",
        "source": "Сведка: сястра Ганна <https://example.org/a>",
        "events": [{"type": "detained", "date": "2023-01-01", "note": "sealed detention note"}],
    }
    result = run("sealed.json", json.dumps([row], ensure_ascii=False).encode(), mapping=None)
    assert result.status == "completed" and "kept public" in _said(result)
    shown = json.dumps(_public(), ensure_ascii=False)
    assert "sealed detention" not in shown and "Sakretnaja" not in shown and "Сведка" not in shown
    assert Person.objects.get().events.get().confidentiality == "sealed"


@pytest.mark.parametrize("writer", ["actions", "bulk"])
@pytest.mark.parametrize("level", ["restricted", "sealed"])
def test_a_public_rows_correction_of_a_stricter_event_keeps_its_level_and_says_so(db, writer, level):
    # A public person whose detention is stored sealed, with a comment; a public list gives the detention seven
    # months later. The correction carries the stored comment, so it keeps the stored level: said, as the row
    # that repeats the stored day says it (a correction recorded sealed in silence left the editor to find that
    # the list's public detention is not public).
    head = "name,confidentiality,event_type,event_date,note,event_confidentiality\n"
    stored = f"Новик Павел,public,detained,2022-02-01,информатор КГБ,{level}\n"
    assert run("stored.csv", (head + stored).encode(), mapping=None).status == "completed"
    result = run(
        "list.csv", "ФИО;Дата задержания\nНовик Павел;15.08.2022\n".encode(), mapping=None, writer=writer
    )
    assert (result.status, result.conflicts) == ("completed", 1), result.errors
    correction = Event.objects.get(supersedes__isnull=False)
    assert (str(correction.date), correction.confidentiality) == ("2022-08-15", level)
    said = _said(result)
    assert (
        f"detained (Дата задержания): the correction is recorded {level}, as the stored event it corrects: the "
        "row, public, does not make it more open" in said
    )
    # The message names the stored level: shown only to those who read it (views._redact).
    (row,) = ImportRow.objects.filter(batch__file_name="list.csv")
    assert level in set().union(*(levels_shown(m) for m in row.messages))
    assert "2022-08-15" not in json.dumps(_public())
