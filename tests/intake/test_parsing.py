import datetime as dt

import pytest

from spis.intake.parsing import (
    CellError,
    looks_like_formula,
    parse_articles,
    parse_date,
    parse_gender,
    parse_sentence,
    parse_status,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.03.2021", "2021-03-12"),
        ("03.2021", "2021-03"),
        ("2021", "2021"),
        ("2021-03-12", "2021-03-12"),
        ("12 марта 2021", "2021-03-12"),
        ("12 сакавіка 2021", "2021-03-12"),
        ("3 мая 2020 г.", "2020-05-03"),
        ("5 траўня 2020", "2020-05-05"),
        ("10 жніўня 2020", "2020-08-10"),
        ("March 12, 2021", "2021-03-12"),
        ("12 March 2021", "2021-03-12"),
        ("June 2023", "2023-06"),
        ("44267", "2021-03-12"),
        (44267, "2021-03-12"),
        (1985, "1985"),
        (dt.datetime(2021, 3, 12, 0, 0), "2021-03-12"),
    ],
)
def test_it_reads_local_and_partial_dates(text, expected):
    assert str(parse_date(text)) == expected


@pytest.mark.parametrize("text", ["31.02.2021", "2021-13-01", "yesterday", "12.03.21", "99999999", "0"])
def test_it_refuses_impossible_dates_with_a_reason(text):
    with pytest.raises(CellError):
        parse_date(text)


def test_it_splits_several_articles_in_one_cell():
    assert parse_articles("342 ч.1, 361-1") == [
        {"code": "CC-BY", "article": "342", "part": "1"},
        {"code": "CC-BY", "article": "361-1"},
    ]
    assert parse_articles("ст. 130 ч. 3; 369") == [
        {"code": "CC-BY", "article": "130", "part": "3"},
        {"code": "CC-BY", "article": "369"},
    ]
    assert parse_articles("24.23 КоАП")[0]["code"] == "AC-BY"
    with pytest.raises(CellError):
        parse_articles("хулиганство")


@pytest.mark.parametrize(
    ("text", "months", "regime"),
    [
        ("3 года колонии", 36, ""),
        ("3 года колонии усиленного режима", 36, "strengthened"),
        ("2 years 6 months", 30, ""),
        ("2 гады 6 месяцаў", 30, ""),
        ("1,5 года колонии общего режима", 18, "general"),
        ("5 лет строгого режима", 60, "strict"),
        ("штраф 50 базовых величин", None, "fine"),
        ("ограничение свободы на 2 года", 24, "open"),
        ("домашняя химия 3 года", 36, "home"),
        ("restricted freedom at home", None, "home"),
        ("4 гады калоніі агульнага рэжыму", 48, "general"),
        ("10 лет тюрьмы", 120, "prison"),
    ],
)
def test_it_reads_sentences_into_months_and_regime(text, months, regime):
    sentence = parse_sentence(text)
    assert (sentence.months, sentence.regime) == (months, regime)


def test_it_refuses_a_sentence_it_cannot_read():
    with pytest.raises(CellError, match="no term"):
        parse_sentence("ИК-4 Гомель")


def test_it_reads_status_words():
    assert parse_status("помилована").release_kind == "pardon"
    assert parse_status("освобождён и выслан из страны").release_kind == "expelled"
    assert parse_status("вызвалены").released
    assert parse_status("памёр у калоніі").died
    assert not parse_status("за кратамі").released
    with pytest.raises(CellError):
        parse_status("неизвестно что")


def test_it_reads_genders_and_spots_formulas():
    assert parse_gender("ж") == "f" and parse_gender("Male") == "m"
    assert looks_like_formula('=HYPERLINK("x")') and looks_like_formula("@SUM(A1)")
    assert not looks_like_formula("-5") and not looks_like_formula("Іван")
