"""Forms real lists write that the cell parsers once refused or misread (a user test of partners' lists)."""

import pytest

from spis.intake.parsing import (
    CellError,
    facility_key,
    fine_amounts,
    names_custody,
    parse_articles,
    parse_date,
    parse_sentence,
    parse_status,
    suspension_kind,
)

from .helpers import run

# ---- Latin look-alikes typed in Cyrillic words ----------------------------------------------------------------
# A Russian keyboard has no "і": Belarusian lists type a Latin "i" (U+0069) for it, and so do the lists'
# other words now and then (a Latin "a", "o", "c", "K").


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("вызвалены па памiлаваннi", "pardon"),  # was "other": the pardon lost
        ("вызвалены па заканчэннi тэрмiну", "end_of_term"),
        ("вызвалена па амнiстыi", "amnesty"),
        ("ВЫЗВАЛЕНЫ ПА ПАМIЛАВАННI", "pardon"),  # a capital Latin I
        ("пoмилoван", "pardon"),  # Latin o
    ],
)
def test_a_release_kind_typed_with_latin_look_alikes_is_read(text, kind):
    status = parse_status(text)
    assert status.released and status.release_kind == kind


def test_a_status_of_custody_typed_with_a_latin_i_is_read():
    status = parse_status("у зняволеннi")
    assert status.held and status.held_now


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 сакавiка 2021", "2021-03-12"),
        ("3 лiстапада 2020 г.", "2020-11-03"),
        ("12 мaрта 2021", "2021-03-12"),
    ],
)
def test_a_month_typed_with_latin_look_alikes_is_read(text, expected):
    assert str(parse_date(text)) == expected


def test_a_sentence_typed_with_latin_look_alikes_is_read():
    assert parse_sentence("3 гады калонii ўзмоцненага рэжыму").regime == "strengthened"
    assert parse_sentence("2 гады yмоўна").regime == "other"  # a Latin y: suspended, no custody
    # As the plan reads a stored sentence's words.
    assert names_custody("3 гады калонii")
    assert suspension_kind("2 гады yмоўна") == "suspended"
    assert fine_amounts("штраф 100 базaвых велічынь") == (("100", "base"),)  # a Latin a


def test_the_belarusian_and_typed_as_a_latin_i_separates_articles():
    found = parse_articles("342 ч.1 i 130 ч.2")
    assert [(a["article"], a.get("part", "")) for a in found] == [("342", "1"), ("130", "2")]


def test_a_place_typed_with_a_latin_letter_is_the_same_place():
    assert facility_key("ИK-15 (Шклов)") == facility_key("ИК-15") == "colony:15"


def test_latin_words_are_left_as_they_are():
    # An English cell with no Cyrillic letter is not touched, and an English word beside Cyrillic ones stays
    # English: each word is made one script, its majority's.
    assert parse_status("released (pardon)").release_kind == "pardon"
    assert parse_status("pardon, освобождён").release_kind == "pardon"
    assert str(parse_date("12 March 2021")) == "2021-03-12"


def test_a_death_in_custody_typed_with_a_latin_i_reads_no_release_at_a_suspended_verdict(db):
    head = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Статус\n"
    row = "Умершы Пётр;1960;01.02.2021;01.06.2021;3 гады ўмоўна;памёр у калонii\n"
    result = run("died.csv", (head + row).encode(), mapping=None)
    said = " ".join(n["message"] for n in result.notes())
    assert "says the person died held" in said


# ---- articles ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # The comma inside the brackets split the cell: "'грубо нарушающих общественный порядок)': no article number".
        "342 ч.1 УК РБ (организация действий, грубо нарушающих общественный порядок)",
        "342 ч.1 УК РБ (организация действий; грубо нарушающих общественный порядок)",
        "342 ч.1 УК РБ [организация действий, грубо нарушающих общественный порядок]",
        # Without a comma the words in brackets were left out already: the same reading.
        "342 ч.1 УК РБ (организация действий грубо нарушающих общественный порядок)",
    ],
)
def test_the_words_in_brackets_beside_an_article_are_one_piece_commas_and_all(text):
    assert parse_articles(text) == [{"code": "CC-BY", "article": "342", "part": "1"}]


def test_articles_after_brackets_are_still_separated():
    found = parse_articles("342 ч.1 (организация действий, грубо нарушающих порядок), 130 ч.3")
    assert [(a["article"], a["part"]) for a in found] == [("342", "1"), ("130", "3")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Was "two article numbers with nothing between them; separate the articles with commas": the 130 in
        # the brackets was read as a second article beside the first 130.
        ("342, 130 (оправдан по 130)", "'оправдан по 130'"),
        # Was read as parts 1 and 2, the acquittal dropped.
        ("342 ч.1 (ч.2 оправдан)", "'оправдан'"),
        ("342, 130 - оправдана", "'оправдана'"),  # was 342 and 130, the acquittal dropped
        ("130 (апраўданы)", "'апраўданы'"),
    ],
)
def test_an_acquittal_in_an_articles_cell_is_refused_naming_it(text, words):
    with pytest.raises(CellError) as refused:
        parse_articles(text)
    assert refused.value.message.params["words"] == words
    assert "tells of an acquittal" in str(refused.value)


def test_an_articles_title_that_says_justification_is_no_acquittal():
    # "оправдание" is the noun of an article's title (justifying terrorism, genocide), not an acquittal.
    assert parse_articles("361-4 (оправдание терроризма)") == [{"code": "CC-BY", "article": "361-4"}]


def test_an_article_number_among_words_in_brackets_is_refused_naming_the_words():
    # Was "two article numbers with nothing between them; separate the articles with commas", though none was
    # missing a comma: the brackets' words hold the second.
    with pytest.raises(CellError) as refused:
        parse_articles("342 (ранее ст. 130)")
    assert refused.value.message.params["words"] == "'ранее ст. 130'"
    assert "words in brackets are left out" in str(refused.value)


@pytest.mark.parametrize(("text", "article", "part"), [("130.3", "130", "3"), ("ст. 361.1 УК", "361", "1")])
def test_a_three_digit_article_with_a_dot_is_refused_with_both_readings(text, article, part):
    # Was "no article number (expected e.g. 342 ч.1, …)", though the cell gives one: a part, or an inserted
    # article written as Russia's code writes them, which cannot be told apart.
    with pytest.raises(CellError) as refused:
        parse_articles(text)
    said = str(refused.value)
    assert (
        f"write {article} ч.{part} for its part {part}, or {article}-{part} for the article inserted" in said
    )


def test_an_administrative_article_keeps_its_dot():
    assert parse_articles("ст. 23.34 КоАП") == [{"code": "AC-BY", "article": "23.34"}]


# ---- sentences --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "months", "regime"),
    [
        # Was "'342 - 2 года' is a range or a choice of terms": the total, then the term of each article.
        ("3 года лишения свободы, по ст. 342 - 2 года, по ст. 130 - 3 года", 36, ""),
        ("5 лет колонии усиленного режима (ч.1 ст.342 - 2 года, ч.3 ст.130 - 4 года)", 60, "strengthened"),
        # One article and its term: the term is the court's (was refused as a range of 342 to 2 years too).
        ("по ст. 342 - 2 года", 24, ""),
        ("ст. 361-1 - 3 года колонии общего режима", 36, "general"),
    ],
)
def test_a_sentence_that_names_its_articles_reads_the_courts_term_and_keeps_the_words(text, months, regime):
    sentence = parse_sentence(text)
    assert (sentence.months, sentence.regime) == (months, regime)
    assert sentence.note == text  # the articles' terms are kept, not read


def test_terms_per_article_with_no_total_are_refused_saying_to_give_the_total():
    # The total is no sum of the articles' terms (they are served together, in part or whole): not made up.
    with pytest.raises(CellError) as refused:
        parse_sentence("по ст. 342 - 2 года, по ст. 130 - 3 года")
    assert "a term for each article is not read" in str(refused.value)


# ---- dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # In a month: the month, no day made up.
        ("в марте 2021", "2021-03"),
        ("в мае 2020 г.", "2020-05"),
        ("у сакавіку 2021", "2021-03"),
        ("ў траўні 2022", "2022-05"),
        ("in March 2021", "2021-03"),
        ("с марта 2021", "2021-03"),
        # In a year.
        ("в 2021 году", "2021"),
        ("у 2021 годзе", "2021"),
    ],
)
def test_a_date_after_in_or_since_is_read_with_its_precision(text, expected):
    assert str(parse_date(text)) == expected


def test_a_word_before_no_date_is_refused_naming_the_cell_as_written():
    with pytest.raises(CellError) as refused:
        parse_date("в марте")
    assert refused.value.message.params["value"] == "'в марте'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12. 03. 2021", "2021-03-12"),  # a space typed after each dot
        ("03. 2021", "2021-03"),
        ("12,03,2021", "2021-03-12"),  # commas for dots
        ("III.2021", "2021-03"),  # a Roman month
        ("12.III.2021", "2021-03-12"),
        ("12 XI 2021 г.", "2021-11-12"),
        ("12.ХІ.2021", "2021-11-12"),  # Cyrillic Х and І typed for the numerals
    ],
)
def test_dates_typed_with_spaces_commas_or_roman_months_are_read(text, expected):
    assert str(parse_date(text)) == expected


@pytest.mark.parametrize("text", ["30. 02. 2021", "31,04,2021", "31.II.2021", "12.XIII.2021", "12.IIII.2021"])
def test_impossible_dates_in_those_forms_are_still_refused(text):
    with pytest.raises(CellError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "words", "period"),
    [
        # Were refused with the generic list of forms; no month or day is made up for them.
        ("нач. 2021", "'нач.'", "2021"),
        ("начало 2021", "'начало'", "2021"),
        ("конец 2020", "'конец'", "2020"),
        ("осень 2020", "'осень'", "2020"),
        ("в начале 2021 года", "'начале'", "2021"),
        ("восенню 2020", "'восенню'", "2020"),
        ("late 2020", "'late'", "2020"),
        ("конец марта 2021", "'конец'", "2021-03"),
    ],
)
def test_a_part_of_a_year_or_month_is_refused_saying_what_to_write(text, words, period):
    with pytest.raises(CellError) as refused:
        parse_date(text)
    message = refused.value.message
    assert "names a part of" in message.text
    assert (message.params["words"], message.params["period"]) == (words, period)


@pytest.mark.parametrize(
    ("text", "words", "date"),
    [("12.03.2021 (повторно)", "'(повторно)'", "12.03.2021"), ("примерно 2020", "'примерно'", "2020")],
)
def test_words_beside_a_date_are_refused_naming_them_and_the_date(text, words, date):
    with pytest.raises(CellError) as refused:
        parse_date(text)
    message = refused.value.message
    assert "beside the date are not read" in message.text
    assert (message.params["words"], message.params["date"]) == (words, date)


def test_an_impossible_date_beside_words_is_refused_as_no_real_date():
    with pytest.raises(CellError, match="'31.02.2021' is not a real date"):
        parse_date("31.02.2021 (повторно)")
