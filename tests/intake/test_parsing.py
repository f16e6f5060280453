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


# ---- defects found reading real-shaped files (see also test_readers.py, test_records.py) -------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ст. 23.34 КоАП", [{"code": "AC-BY", "article": "23.34"}]),
        ("ст. 23.34 ч.3 КоАП", [{"code": "AC-BY", "article": "23.34", "part": "3"}]),
        (
            "ст.342 ч.1 УК, ст.24.23 КоАП",
            [{"code": "CC-BY", "article": "342", "part": "1"}, {"code": "AC-BY", "article": "24.23"}],
        ),
        # As `spis export --format csv` writes a case with both codes.
        (
            "342 ч.1, 24.23 КоАП",
            [{"code": "CC-BY", "article": "342", "part": "1"}, {"code": "AC-BY", "article": "24.23"}],
        ),
        ("ст. 342, 361-1 УК", [{"code": "CC-BY", "article": "342"}, {"code": "CC-BY", "article": "361-1"}]),
        ("19.11 КаАП", [{"code": "AC-BY", "article": "19.11"}]),
    ],
)
def test_it_keeps_administrative_article_numbers_whole_and_codes_each_article(text, expected):
    assert parse_articles(text) == expected


def test_it_refuses_an_administrative_article_number_under_the_criminal_code():
    with pytest.raises(CellError, match="administrative"):
        parse_articles("23.34 УК")


def test_it_takes_articles_given_as_structured_data_as_they_are():
    given = [{"code": "CC-BY", "article": "342", "part": "1"}, {"code": "AC-BY", "article": "24.23"}]
    assert parse_articles(given) == given
    assert parse_articles([{"article": 342, "part": 1}]) == [{"code": "CC-BY", "article": "342", "part": "1"}]
    assert parse_articles(["342 ч.1", 361]) == [
        {"code": "CC-BY", "article": "342", "part": "1"},
        {"code": "CC-BY", "article": "361"},
    ]
    for bad in ([{"code": "XX-BY", "article": "342"}], [{"code": "CC-BY", "article": "ст"}], [[342]], [True]):
        with pytest.raises(CellError):
            parse_articles(bad)


@pytest.mark.parametrize("number", [85, 1985.5, 9999, 1899, 2101, 44267.75])
def test_it_refuses_a_number_in_a_date_cell_that_is_neither_a_year_nor_an_excel_date(number):
    with pytest.raises(CellError, match="a number in a date cell"):
        parse_date(number)


@pytest.mark.parametrize(("number", "expected"), [(1985, "1985"), (1985.0, "1985"), (10000, "1927-05-18")])
def test_it_reads_a_number_in_a_date_cell_as_a_year_or_an_excel_date(number, expected):
    assert str(parse_date(number)) == expected


@pytest.mark.parametrize(
    ("text", "months"), [("2 years confinement", 24), ("6 months confinement in a colony", 6)]
)
def test_confinement_is_no_fine(text, months):
    sentence = parse_sentence(text)
    assert (sentence.months, sentence.regime, sentence.fine_amount) == (months, "", "")


@pytest.mark.parametrize("text", ["2,3 года", "2.25 years", "1,5 месяца"])
def test_it_refuses_a_term_that_is_not_whole_or_a_half(text):
    with pytest.raises(CellError, match="not a whole number"):
        parse_sentence(text)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("3 года условно", 36),
        ("2 years suspended", 24),
        ("условный срок", None),
        ("3 года лишения свободы условно", 36),
        ("2 гады умоўна", 24),
    ],
)
def test_a_suspended_sentence_is_no_custody(text, months):
    # The registry has no "suspended" regime: "other penalty" is its penalty that is not custody.
    from spis.registry.custody import CUSTODIAL

    sentence = parse_sentence(text)
    assert (sentence.months, sentence.regime, sentence.note) == (months, "other", text)
    assert sentence.regime not in CUSTODIAL


def test_parole_is_not_a_suspended_sentence():
    assert parse_sentence("3 года колонии, освобождён условно-досрочно").regime != "other"
