"""Whose a date written in the status cell is, what says a person is held, and the sentences a user test found
read wrong (parsing.parse_status, records._status_dates, plan._says_more)."""

import pytest

from spis.intake import parsing
from spis.intake.mapping import load_mapping
from spis.intake.messages import render
from spis.intake.parsing import CellError, parse_sentence, parse_status
from spis.intake.plan import _says_more
from spis.intake.readers import read_table
from spis.intake.records import build_records
from spis.registry.models import Event

from .helpers import run


def _records(text: str):
    found, _, file_problems = build_records(
        read_table(text.encode(), filename="list.csv"), load_mapping(None)
    )
    assert not file_problems
    return found


def _events(record):
    return [(e.type, str(e.date), e.column) for e in record.events]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("освобождён, повторно задержан 01.06.2023", "'повторно задержан'"),
        ("признана политзаключённой 15.04.2021, освобождена", "'признана политзаключённой'"),
        ("освобожден (ст. 342 ч.1, 2021)", "'ст'"),
    ],
)
def test_a_status_date_that_may_be_another_events_dates_no_release(text, words):
    # It was the release's: released on the re-arrest's day, on the recognition's, in the article's year.
    [record] = _records(f'ФИО;Дата задержания;Статус\nТэставы Янка;12.03.2021;"{text}"\n')
    assert _events(record) == [("detained", "2021-03-12", "Дата задержания")]
    assert not record.problems
    notes = [str(m) for m in record.warnings if "cannot be told whose it is" in str(m)]
    assert notes == [
        f"status {text!r} gives a date, but names besides the release {words}, whose date it may be as well: it "
        "cannot be told whose it is, so the date is not recorded (nor an event without it); give it in its column"
    ]
    assert "status says released or died, but no date is given: not recorded" not in map(str, record.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "в ИК-15, окончание срока 12.03.2024",
        "содержится в ИК-15, дата освобождения 12.03.2024",
        "окончание срока 12.03.2027",
        "в колонии до 12.03.2027",
    ],
)
def test_the_end_of_a_term_being_served_is_no_release(text):
    # "окончание срока" and "освобождения" were release words: the person held was released on that day (a
    # future one refused as "in the future", under no column).
    status = parse_status(text)
    assert status.held and not status.released and not status.date_of
    [record] = _records(f'ФИО;Дата задержания;Статус\nТэставы Янка;12.03.2021;"{text}"\n')
    assert _events(record) == [("detained", "2021-03-12", "Дата задержания")] and not record.problems
    assert (
        f"status {text!r} gives a date, but no release, death or recognition to date: the date is not recorded"
        in map(str, record.warnings)
    )


def test_a_release_or_death_dated_by_the_status_alone_is_the_status_columns(db):
    # The release took its column from the empty "released" column: a future date was refused under no column.
    [record] = _records("ФИО;Дата задержания;Статус\nТэставы Янка;12.03.2021;освобождён 12.05.2023\n")
    assert _events(record)[-1] == ("released", "2023-05-12", "Статус")
    result = run(
        "future.csv",
        data="ФИО;Дата задержания;Статус\nТэставы Янка;12.03.2021;освобождён 12.03.2099\n".encode(),
        partial=True,
    )
    [error] = result.errors
    assert error["column"] == "Статус" and error["message"].endswith("the date 2099-03-12 is in the future")


@pytest.mark.parametrize(
    ("text", "date", "dated"),
    [
        ("освобождена 05.2023", "2023-05", "end"),
        ("умер в ИК-15 в 2022 году", "2022", "end"),
        ("освобожден по окончании срока 12.03.2024", "2024-03-12", "end"),
        ("выслан в 2023", "2023", "end"),
        ("признан политзаключённым 15.04.2021", "2021-04-15", "recognition"),
    ],
)
def test_a_status_date_dates_the_one_event_its_words_name(text, date, dated):
    status = parse_status(text)
    assert (str(status.date), status.date_of, status.other_events) == (date, dated, "")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("освобожден 31.02.2023", "'31.02.2023' is not a real date"),
        ("освобожден 12/05/23", "'12/05/23' is not a date (expected e.g."),
    ],
)
def test_a_written_date_no_parser_reads_refuses_the_status(text, reason):
    # Both said "status says released or died, but no date is given".
    with pytest.raises(CellError) as refused:
        parse_status(text)
    assert str(refused.value).startswith(reason)


@pytest.mark.parametrize(
    "word", ["осуждён", "Convicted", "задержан 12.03.2021", "ограничение свободы с направлением"]
)
def test_a_past_event_beside_a_release_date_is_no_contradiction(word):
    # Each refused the row: "says the person is held".
    [record] = _records(
        f"ФИО;Дата задержания;Дата освобождения;Статус\nТэставы Янка;12.03.2021;12.05.2023;{word}\n"
    )
    assert not record.problems
    assert _events(record)[-1] == ("released", "2023-05-12", "Дата освобождения")
    assert parse_status(word).held and not parse_status(word).held_now


@pytest.mark.parametrize("word", ["в СИЗО", "содержится в ИК-15", "отбывает наказание", "in custody", "held"])
def test_words_for_held_now_still_contradict_a_release_date(word):
    [record] = _records(
        f"ФИО;Дата задержания;Дата освобождения;Статус\nТэставы Янка;12.03.2021;12.05.2023;{word}\n"
    )
    assert record.problems and record.problems[0].column == "Статус"


def test_a_fine_with_the_status_convicted_ends_the_custody_at_the_verdict():
    # "осуждён" counted as held: the fined person stayed in custody for ever.
    fined, held = _records(
        "ФИО;Дата задержания;Дата приговора;Приговор;Статус\n"
        "Тэставы Янка;12.03.2021;01.09.2021;штраф 100 базовых величин;осуждён\n"
        "Тэставы Пятро;12.03.2021;01.09.2021;штраф 100 базовых величин;в ИК-15\n"
    )
    assert ("released", "2021-09-01", "Приговор") in _events(fined)
    assert "released" not in [e.type for e in held.events]


def test_a_recognition_date_in_the_status_is_the_recognition_date():
    # It was dropped with two notes that contradicted each other.
    alone, column, other = _records(
        "ФИО;Дата задержания;Дата признания;Статус\n"
        "Тэставы Янка;12.03.2021;;признан политзаключённым 15.04.2021\n"
        "Тэставы Пятро;12.03.2021;15.04.2021;признан политзаключённым 04.2021\n"
        "Тэставы Сымон;12.03.2021;20.04.2021;признан политзаключённым 15.04.2021\n"
    )
    assert _events(alone)[-1] == ("recognized", "2021-04-15", "Статус")
    assert not alone.warnings and not alone.problems
    assert _events(column)[-1] == ("recognized", "2021-04-15", "Дата признания") and not column.problems
    assert [p.column for p in other.problems] == ["Статус"]
    assert "'Дата признания' gives 2021-04-20" in str(other.problems[0].message)


def test_a_status_date_is_read_month_first_in_a_month_first_list():
    # 05/12/2023 was 5 December (refused beside the column's 05/12/2023, read month first, as 12 May).
    assert str(parsing.parse_status_month_first("освобожден 05/12/2023").date) == "2023-05-12"
    assert str(parse_status("освобожден 05/12/2023").date) == "2023-12-05"
    first, second, _ = _records(
        "Name;Date of detention;Date of release;Status\n"
        "Ivanov Ivan;08/21/2020;05/12/2023;released 05/12/2023\n"
        "Petrov Petr;12/10/2020;;released 05/12/2023\n"
        "Sidorov Ivan;09/30/2020;;\n"  # a second date only month first: the list's order, not a typo
    )
    assert not first.problems and _events(first)[-1] == ("released", "2023-05-12", "Date of release")
    assert _events(second) == [
        ("detained", "2020-12-10", "Date of detention"),
        ("released", "2023-05-12", "Status"),
    ]


@pytest.mark.parametrize(
    ("cell", "months"),
    [("3 года с отсрочкой исполнения приговора", 36), ("2 года лишения свободы с отсрочкой на 1 год", 24)],
)
def test_a_deferred_execution_is_the_non_custodial_other_penalty(cell, months):
    # No regime was read: the deferred term counted as custody of no kind, the person held for ever.
    assert parse_sentence(cell) == parse_sentence(cell).__class__(months, "other", "", cell)


SENTENCES = "ФИО,Дата задержания,Дата приговора,Статья,Приговор"


def test_a_sentence_whose_words_say_more_than_the_stored_ones_is_a_difference(db):
    # "3 года условно с испытательным сроком 2 года" came out unchanged: the probation term was lost.
    def listed(cell: str) -> bytes:
        return f'{SENTENCES}\nШамко Виктор,01.02.2021,01.10.2021,342 ч.1,"{cell}"\n'.encode()

    run("a.csv", data=listed("3 года условно"))
    result = run("b.csv", data=listed("3 года условно с испытательным сроком 2 года"))
    assert result.unchanged == 0, [render(m) for m in result.plans[0].messages]
    current = Event.objects.get(type="sentenced", superseded_by__isnull=True)
    assert current.note == "3 года условно с испытательным сроком 2 года"
    # The same words again, or fewer, change nothing.
    assert run("c.csv", data=listed("3 года условно")).unchanged == 1


@pytest.mark.parametrize(
    ("stored", "given", "more"),
    [
        # Other words with a term of deferral the stored ones lack: "на 1 год" was lost (unchanged).
        ("3 года с отсрочкой исполнения приговора", "3 года с отсрочкой на 1 год", True),
        ("3 года условно", "3 years suspended, 2 years probation", True),
        # The same numbers, or others, in other words: no more said.
        ("3 года с отсрочкой на 1 год", "3 года с отсрочкой исполнения приговора", False),
        ("3 года условно", "3 years suspended", False),
        ("2,5 года", "2 года 6 месяцев", False),
        ("пожизненно", "life imprisonment", False),
        ("", "3 года с отсрочкой на 1 год", False),
        # Another term of deferral or probation ("unchanged", the new term lost).
        ("3 года с отсрочкой исполнения приговора на 2 года", "3 года с отсрочкой на 1 год", True),
        (
            "3 года условно с испытательным сроком 2 года",
            "3 года условно с испытательным сроком 3 года",
            True,
        ),
        ("3 года условно с испытательным сроком 2 года", "3 years suspended, 2 years probation", False),
        # Numbers in letters give none to compare ("три года" then "3 года" was a correction).
        ("три года условно", "3 года условно", False),
        # A term of probation where none is stored, in other words (it was lost).
        ("3 года условно", "три года условно с испытательным сроком 2 года", True),
        # A deferred term where a suspended one is stored, or back: both "other penalty" ("unchanged").
        ("3 года условно", "3 года с отсрочкой исполнения приговора", True),
        ("3 года с отсрочкой исполнения приговора", "3 года условно", True),
        ("3 года условно", "3 years suspended", False),
    ],
)
def test_a_sentence_says_more_by_its_numbers_in_other_words(stored, given, more):
    assert _says_more(stored, given) is more


@pytest.mark.parametrize(
    ("words", "months"),
    [
        ("3 года с отсрочкой исполнения приговора на 2 года", 24),
        ("3 года с отсрочкой на 1 год", 12),
        ("3 года условно с испытательным сроком 2 года 6 месяцев", 30),
        ("3 гады ўмоўна з выпрабавальным тэрмінам 2 гады", 24),
        ("3 years suspended, 2 years probation", 24),
        ("3 years suspended with probation of 1 year 6 months", 18),
        ("3 года условно, 1 год 6 месяцев испытательного срока", 18),  # (was 6: one unit before the words)
        ("3 года условно", None),
        ("2 года 6 месяцев", None),
    ],
)
def test_the_term_of_probation_or_deferral_is_read_beside_the_main_term(words, months):
    assert parsing.probation_months(words) == months


@pytest.mark.parametrize(
    ("cell", "months", "regime"),
    [
        ("3 года условно с испытательным сроком 24 месяца", 36, "other"),
        ("3 года с отсрочкой исполнения приговора на 18 месяцев", 36, "other"),
        ("3 года условно с испытательным сроком 1 год 6 месяцев", 36, "other"),
        ("3 years suspended, 6 months probation", 36, "other"),
        ("1 год ограничения свободы без направления с испытательным сроком 6 месяцев", 12, "home"),
        # A term of probation makes a term suspended (it was read as custody); given first, the main term is
        # read still (it was lost); the only term given is read as the term.
        ("3 года лишения свободы с испытательным сроком 2 года", 36, "other"),
        ("испытательный срок 2 года, 3 года условно", 36, "other"),
        ("2 years probation", 24, "other"),
        ("отсрочка исполнения приговора на 2 года", 24, "other"),
    ],
)
def test_a_term_of_probation_in_months_is_not_added_to_the_main_term(cell, months, regime):
    # "… с испытательным сроком 24 месяца" was 60 months; restricted freedom with probation lost its words.
    assert parse_sentence(cell) == parse_sentence(cell).__class__(months, regime, "", cell)


def test_a_term_of_deferral_in_other_words_is_kept(db):
    def listed(cell: str) -> bytes:
        return f'{SENTENCES}\nШамко Виктор,01.02.2021,01.10.2021,342 ч.1,"{cell}"\n'.encode()

    run("a.csv", data=listed("3 года с отсрочкой исполнения приговора"))
    result = run("b.csv", data=listed("3 года с отсрочкой на 1 год"))
    assert result.conflicts == 1
    current = Event.objects.get(type="sentenced", superseded_by__isnull=True)
    assert current.note == "3 года с отсрочкой на 1 год"
    assert run("c.csv", data=listed("3 года с отсрочкой исполнения приговора")).unchanged == 1


@pytest.mark.parametrize(
    "text",
    [
        "освобождён из ИК-15 12.05.2023",
        "освобождена из-под стражи 12.05.2023",
        "released from prison 12.05.2023",
    ],
)
def test_the_place_a_release_was_from_does_not_hide_its_date(text):
    # Round three: "из ИК-15", "из-под стражи" were read as held now, a release's date as perhaps another's.
    status = parse_status(text)
    assert (str(status.date), status.date_of, status.other_events) == ("2023-05-12", "end", "")


def test_walking_free_is_a_release_and_the_defendants_name_column_is_read():
    # Round three: "вышел на свободу 12.05.2023" was an unknown status; "ФИО обвиняемого" no name column.
    status = parse_status("вышел на свободу 12.05.2023")
    assert status.released and str(status.date) == "2023-05-12"
    data = "ФИО обвиняемого;Дата задержания\nБабіч Ян;12.03.2021\n".encode()
    [record], _, problems = build_records(read_table(data, filename="court.csv"), load_mapping(None))
    assert not problems and record.display_name == "Бабіч Ян"


def _releases(name: str) -> list[tuple[str, str]]:
    return [
        (str(e.date_display), e.release_kind)
        for e in Event.objects.filter(person__display_name=name, type="released", superseded_by__isnull=True)
    ]


def test_a_status_that_says_how_but_not_when_fills_in_the_stored_release_after_the_detention(db):
    # "освобождена по окончании срока" with no date over a stored release of no kind was "not recorded".
    head = "ФИО;Дата рождения;Дата задержания;Дата освобождения;Статус\n"
    first = run("a.csv", (head + "Пятрова Ганна;1980;01.02.2021;05.06.2022;\n").encode(), mapping=None)
    assert first.created == 1 and _releases("Пятрова Ганна") == [("2022-06-05", "other")]
    later = run(
        "b.csv",
        (head + "Пятрова Ганна;1980;01.02.2021;;освобождена по окончании срока\n").encode(),
        mapping=None,
    )
    assert later.updated == 1, later.errors
    assert _releases("Пятрова Ганна") == [("2022-06-05", "end_of_term")]
    said = [n["message"] for n in later.notes()]
    assert any("kind of release added" in m for m in said) and not any("not recorded" in m for m in said), (
        said
    )
    again = run(
        "c.csv",
        (head + "Пятрова Ганна;1980;01.02.2021;;освобождена по окончании срока;\n").encode(),
        mapping=None,
    )
    assert again.unchanged == 1 and _releases("Пятрова Ганна") == [("2022-06-05", "end_of_term")]


def test_a_status_that_says_how_but_not_when_records_nothing_without_a_stored_release_after_it(db):
    head = "ФИО;Дата рождения;Дата задержания;Дата освобождения;Статус\n"
    run("a.csv", (head + "Пятрова Ганна;1980;01.02.2021;05.06.2022;\n").encode(), mapping=None)
    # Held again since: the stored release ended the first detention, not this one.
    later = run("b.csv", (head + "Пятрова Ганна;1980;01.03.2023;;помилована\n").encode(), mapping=None)
    assert later.status == "completed", later.errors
    assert _releases("Пятрова Ганна") == [("2022-06-05", "other")]
    # Said as what it means: the person is shown held (it said only "not recorded").
    held = "says the custody ended, but gives no date: nothing is recorded, so the person is shown and counted as held"
    assert any(held in n["message"] and "since 2023-03-01" in n["message"] for n in later.notes())
    new = run("c.csv", (head + "Іванова Ірына;1980;01.02.2022;;помилована\n").encode(), mapping=None)
    assert new.created == 1 and _releases("Іванова Ірына") == []
    assert any(held in n["message"] and "since 2022-02-01" in n["message"] for n in new.notes())


EVENTS_HEAD = "ФИО;Дата рождения;event_type;event_date;release_kind;event_confidentiality;note\n"
STATUS_HEAD = "ФИО;Дата рождения;Дата задержания;Дата освобождения;Статус;event_confidentiality\n"


def _public_events(name: str) -> list[tuple]:
    from spis.access import policy

    events = policy.events(None, Event.objects.filter(person__display_name=name))
    return sorted((e.type, str(e.date_display), e.release_kind) for e in events)


@pytest.mark.parametrize("level", ["sealed", "restricted"])
def test_a_public_status_without_a_date_publishes_no_hidden_release(db, level):
    # The kind was filled in at the public row's level: the hidden release's date was published.
    base = (
        EVENTS_HEAD
        + f"Тайный Глеб;1980;detained;2021-02-01;;;\nТайный Глеб;1980;released;2022-06-05;other;{level};\n"
    )
    assert run("base.csv", base.encode(), mapping=None).created == 1
    later = run("st.csv", (STATUS_HEAD + "Тайный Глеб;1980;01.02.2021;;помилован;\n").encode(), mapping=None)
    assert later.status == "completed", later.errors
    assert _public_events("Тайный Глеб") == [("detained", "2021-02-01", "")]
    [release] = Event.objects.filter(type="released", superseded_by__isnull=True)
    assert (release.release_kind, release.confidentiality) == ("pardon", level)


def test_a_public_row_correcting_a_sealed_event_publishes_none_of_its_stored_values(db):
    base = EVENTS_HEAD + "Тайный Глеб;1980;detained;2021-02-01;;sealed;по доносу соседа\n"
    assert run("base.csv", base.encode(), mapping=None).created == 1
    later = run("st.csv", (STATUS_HEAD + "Тайный Глеб;1980;03.02.2021;;;\n").encode(), mapping=None)
    assert later.conflicts == 1, later.errors
    [detained] = Event.objects.filter(type="detained", superseded_by__isnull=True)
    assert (str(detained.date_display), detained.note, detained.confidentiality) == (
        "2021-02-03",
        "по доносу соседа",
        "sealed",
    )
    assert _public_events("Тайный Глеб") == []


@pytest.mark.parametrize("status", ["помилован", ""])
def test_a_stricter_row_keeps_the_public_event_it_would_correct(db, status):
    # A restricted row's correction superseded the public release: the public saw the person held again.
    base = (
        EVENTS_HEAD + "Закрыт Лев;1992;detained;2021-02-01;;;\nЗакрыт Лев;1992;released;2022-06-05;other;;\n"
    )
    assert run("base.csv", base.encode(), mapping=None).created == 1
    released = "" if status else "06.06.2022"
    row = f"Закрыт Лев;1992;01.02.2021;{released};{status or 'помилован'};restricted\n"
    later = run("st.csv", (STATUS_HEAD + row).encode(), mapping=None)
    assert later.status == "completed" and later.conflicts == 1, later.errors
    assert ("released", "2022-06-05", "other") in _public_events("Закрыт Лев")
    said = [n["message"] for n in later.conflict_rows()]
    assert any("the row is restricted, the stored event public" in text for text in said)
    # What the correction would have changed is said (it was not: the row's conflict named no field).
    assert any("kind of release: stored other release, file says pardon; the row is" in text for text in said)


def test_a_stricter_row_says_what_its_correction_would_change(db):
    # A restricted row of a person's detention with its articles and no verdict, after a public row with the
    # verdict: the articles go to the detention, whose public one has none. The conflict said no field.
    head = "ФИО;Дата рождения;Дата задержания;Статья;Дата приговора;Приговор;event_confidentiality\n"
    rows = (
        "Петров Пётр Петрович;1980;12.03.2021;342 ч.1;01.06.2021;3 года колонии;public\n"
        "Петров Пётр Петрович;1980;12.03.2021;342 ч.1;;;restricted\n"
    )
    result = run("rows.csv", (head + rows).encode(), mapping=None)
    (said,) = [n["message"] for n in result.conflict_rows()]
    assert "detained (Дата задержания): articles: stored —, file says 342 ч.1; the row is restricted" in said


def test_a_status_without_a_date_keeps_another_stored_kind_and_an_expulsion_records_the_leaving(db):
    base = EVENTS_HEAD + (
        "Лосик Игорь;1992;detained;2020-06-25;;;\nЛосик Игорь;1992;released;2025-02-17;pardon;;\n"
        "Высл Антон;1985;detained;2021-02-01;;;\nВысл Антон;1985;released;2022-06-05;other;;\n"
    )
    assert run("base.csv", base.encode(), mapping=None).created == 2
    rows = (
        "Лосик Игорь;1992;25.06.2020;;освобождён по окончании срока;\nВысл Антон;1985;01.02.2021;;выслан;\n"
    )
    later = run("st.csv", (STATUS_HEAD + rows).encode(), mapping=None)
    assert later.status == "completed", later.errors
    assert ("released", "2025-02-17", "pardon") in _public_events("Лосик Игорь")
    assert any("the status says end of term with no date" in n["message"] for n in later.conflict_rows())
    assert _public_events("Высл Антон") == [
        ("detained", "2021-02-01", ""),
        ("emigrated", "2022-06-05", ""),
        ("released", "2022-06-05", "expelled"),
    ]


def test_a_status_without_a_date_does_not_make_a_release_read_at_the_verdict_firm(db):
    head = "ФИО;Дата рождения;Дата задержания;Дата приговора;Приговор;Статус\n"
    fine = head + "Штраф Борис;1980;01.02.2021;01.06.2021;штраф 200 базовых величин;\n"
    assert run("fine.csv", fine.encode(), mapping=None).created == 1
    later = run("st.csv", (head + "Штраф Борис;1980;01.02.2021;;;освобождён по окончании срока\n").encode())
    assert any("no date is given: not recorded" in n["message"] for n in later.notes())
    assert _releases("Штраф Борис") == [("2021-06-01", "other")]
