import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spis.intake.parsing import (
    CODES,
    CellError,
    Sentence,
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


@pytest.mark.parametrize("text", ["31.02.2021", "2021-13-01", "yesterday", "12/03/21", "99999999", "0"])
def test_it_refuses_impossible_dates_with_a_reason(text):
    with pytest.raises(CellError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "мар" was May: the May prefix "ма" matched any word starting with it.
        ("12 мар 2021", "2021-03-12"),
        ("12 мар. 2021", "2021-03-12"),
        ("12 Mar 2021", "2021-03-12"),
        ("12 янв. 2021", "2021-01-12"),
        ("12 фев 2021", "2021-02-12"),
        ("12 апр. 2021", "2021-04-12"),
        ("12 авг. 2021", "2021-08-12"),
        ("12 сент. 2021", "2021-09-12"),
        ("12 сен 2021", "2021-09-12"),
        ("12 окт. 2021", "2021-10-12"),
        ("12 нояб. 2021", "2021-11-12"),
        ("12 дек. 2021", "2021-12-12"),
        ("12 сак. 2021", "2021-03-12"),
        ("12 крас. 2021", "2021-04-12"),
        ("12 жн. 2021", "2021-08-12"),
        ("12 вер. 2021", "2021-09-12"),
        ("12 кастр. 2021", "2021-10-12"),
        ("12 ліст. 2021", "2021-11-12"),
        ("12 снеж. 2021", "2021-12-12"),
        ("Sept 12, 2021", "2021-09-12"),
        ("12 мая 2021", "2021-05-12"),
        ("май 2021", "2021-05"),
    ],
)
def test_it_reads_abbreviated_months_as_their_month(text, expected):
    assert str(parse_date(text)) == expected


@pytest.mark.parametrize("text", ["12 ма 2021", "12 мал 2021", "12 мама 2021", "12 маш. 2021", "12 ию 2021"])
def test_a_word_that_is_no_month_is_refused_not_read_as_may(text):
    with pytest.raises(CellError, match="is not a date"):
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


@pytest.mark.parametrize(
    ("text", "date", "kind", "died"),
    [
        ("освобожден 12.05.2023", "2023-05-12", "other", False),
        ("умер 05.06.2022", "2022-06-05", "", True),
        ("умер в заключении 10.10.2022", "2022-10-10", "", True),
        ("вызвалена 3 сакавіка 2023 г., па памілаванні", "2023-03-03", "pardon", False),
        ("помилован 15.03.2023", "2023-03-15", "pardon", False),
        ("released March 12, 2023", "2023-03-12", "other", False),
        ("освобожден в 2023 г.", "2023", "other", False),
    ],
)
def test_a_date_written_in_the_status_is_read_with_it(text, date, kind, died):
    # The date was ignored, and the row said "no date is given".
    status = parse_status(text)
    assert (str(status.date), status.release_kind, status.died, status.held) == (date, kind, died, False)


def test_a_status_of_a_date_alone_is_refused_and_one_of_two_dates_dates_nothing():
    with pytest.raises(CellError, match="unknown status"):
        parse_status("12.05.2023")
    # Two dates: whose is which cannot be told, so neither dates an event; the row is read (it was refused, and
    # the detention and sentence with it).
    two = parse_status("освобожден 12.05.2023, умер 01.01.2024")
    assert two.date_of == "" and two.other_events == "'2024-01-01'"


def test_a_status_of_two_dates_is_said_and_the_rows_other_facts_read():
    from spis.intake.mapping import load_mapping
    from spis.intake.readers import read_table
    from spis.intake.records import build_records

    data = "ФИО;Дата задержания;Статус\nБабіч Ян;12.03.2021;помилован 16.09.2023 (указ от 15.09.2023)\n"
    [record], _, _ = build_records(read_table(data.encode(), filename="l.csv"), load_mapping(None))
    assert not record.problems and [e.type for e in record.events] == ["detained"]
    assert any("'2023-09-15', whose date it may be as well" in str(w) for w in record.warnings)


@pytest.mark.parametrize("text", ["в розыске", "у вышуку", "перевод на химию", "переведён на химию"])
def test_words_the_registry_records_nothing_for_are_known_as_such(text):
    status = parse_status(text)
    assert status.unrecorded and not (status.held or status.released or status.died)


@pytest.mark.parametrize(
    "word",
    [
        "Осужден",
        "осуждена",
        "под стражей",
        "в СИЗО",
        "задержан",
        "арестована",
        "приговорён",
        "отбывает наказание в колонии",
        "асуджаны",
        "пад вартай",
        "у СІЗА",
        "затрыманая",
        "convicted",
        "in pre-trial detention",
        "ограничение свободы с направлением в исправительное учреждение открытого типа",
    ],
)
def test_it_reads_the_words_for_still_held(word):
    status = parse_status(word)
    assert status.held and not status.released


@pytest.mark.parametrize(
    "word",
    ["осужден условно", "умоўна асуджаны", "suspended sentence", "ограничение свободы без направления"],
)
def test_a_sentence_served_at_liberty_is_known_and_not_held(word):
    status = parse_status(word)
    assert not status.held and not status.released


def test_a_former_political_prisoner_is_released_without_a_kind_said():
    status = parse_status("бывший политзаключённый")
    assert status.released and status.release_kind == "other" and status.recognized


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


# ---- several parts of one article in one cell, as Viasna's and court-watch lists write them ---------------


def _parts(article, parts, code="CC-BY"):
    return [{"code": code, "article": article, "part": part} for part in parts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("342 ч.1 и ч.2", _parts("342", "12")),
        ("342 ч.1 і ч.2", _parts("342", "12")),
        ("342 ч.1 и 2", _parts("342", "12")),
        ("ст. 342 ч. 1 и 2 УК", _parts("342", "12")),
        ("ст. 342 ч. 1, 2 УК", _parts("342", "12")),
        ("ст. 342 ч. 1, 2 и 3 УК РБ", _parts("342", "123")),
        ("ч.1 и ч.2 ст.342", _parts("342", "12")),
        ("ч.ч. 1, 2 ст. 342", _parts("342", "12")),
        ("части 1 и 2 статьи 342", _parts("342", "12")),
        ("часткі 1 і 2 артыкула 342", _parts("342", "12")),
        ("parts 1 and 2 of article 342", _parts("342", "12")),
        ("342 ч. 1-2", _parts("342", "12")),
        ("ч. 1–3 ст. 342", _parts("342", "123")),
        ("361-1 ч.1 и ч.2", _parts("361-1", "12")),
        ("ст. 23.34 ч. 1, 2 КоАП", _parts("23.34", "12", "AC-BY")),
        ("342 ч.1 ч.2", _parts("342", "12")),
        ("часть 2 статьи 342", _parts("342", "2")),
        ("частка 2 артыкула 342", _parts("342", "2")),
        ("ст. 130 ч. 3 УК РБ", _parts("130", "3")),
        ("ст. 130 ч. 3 УК Республики Беларусь", _parts("130", "3")),
        ("ст.ст. 342, 361-1", [{"code": "CC-BY", "article": "342"}, {"code": "CC-BY", "article": "361-1"}]),
        ("342 ч.1 и ч.2, 361-1 ч.3", _parts("342", "12") + _parts("361-1", "3")),
        ("ч.1 ст.342, ч.2 ст.361", _parts("342", "1") + _parts("361", "2")),
        # An article is kept once, however often the cell names it.
        ("342 ч.1 и ч.1", _parts("342", "1")),
        ("342, 342", [{"code": "CC-BY", "article": "342"}]),
    ],
)
def test_it_reads_several_parts_of_one_article_as_one_entry_each(text, expected):
    assert parse_articles(text) == expected


@pytest.mark.parametrize(
    ("text", "piece", "reason"),
    [
        ("ч.2", "'ч.2'", "no article number"),
        ("и", "'и'", "no article number"),
        ("2", "'2'", "no article number"),
        ("342, 2", "'2'", "no article number"),
        ("342 ч.1, 2 эпизода", "'2 эпизода'", "no article number"),
        # Whose parts these are is a guess: the documenter decides.
        ("342 и ч.2", "'ч.2'", "no article number"),
        ("ч.1 ст.342 и ч.2", "'ч.2'", "no article number"),
        ("ч.1 и 342 ч.2", "'ч.1'", "no article number"),
        ("ч.1 и ч.2", "'ч.1 и ч.2'", "no article number"),
        ("342 ч.", "'342 ч.'", "the part must be a number"),
        ("ч.ч. ст. 342", "'ч.ч. ст. 342'", "the part must be a number"),
        ("342 ч. 2-1", "'342 ч. 2-1'", "the part must be a number"),
        ("23.34 ч.1, 2 УК", "'23.34 ч.1, 2 УК'", "23.34 is numbered as in the code of administrative"),
        # A number left beside an article was dropped: 361-1 (another crime) became 361.
        ("342 и 361 1", "'361 1'", "1 is neither an article nor a part"),
        ("361 1", "'361 1'", "1 is neither an article nor a part"),
        ("2 ст. 342", "'2 ст. 342'", "2 is neither an article nor a part"),
        ("342 ч.1 (2 эпизода)", "'342 ч.1 (2 эпизода)'", "2 is neither an article nor a part"),
        ("24.23-1 КоАП", "'24.23-1 КоАП'", "1 is neither an article nor a part"),
    ],
)
def test_it_refuses_parts_it_cannot_place_naming_the_piece(text, piece, reason):
    with pytest.raises(CellError) as refused:
        parse_articles(text)
    assert str(refused.value).startswith(f"{piece}: {reason}")


def test_a_range_of_parts_is_read_only_after_the_part_word():
    # "342-1" is an article of its own (УК 342-1), never parts 1 of 342.
    assert parse_articles("342-1 ч.2") == _parts("342-1", "2")
    assert parse_articles("ч. 3 ст. 361-1") == _parts("361-1", "3")
    assert parse_articles("ч.2 - 342") == _parts("342", "2")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("361¹ ч.1", _parts("361-1", "1")),
        ("ч. 2 ст. 369¹ УК", _parts("369-1", "2")),
        ("361^1", [{"code": "CC-BY", "article": "361-1"}]),
        ("342, 361 ^ 4", [{"code": "CC-BY", "article": "342"}, {"code": "CC-BY", "article": "361-4"}]),
    ],
)
def test_an_article_written_with_a_superscript_is_the_inserted_article_not_its_base(text, expected):
    # The code prints an inserted article as 361¹; lists type it 361¹ or 361^1. It was read as 361.
    assert parse_articles(text) == expected


articles = st.sampled_from([("342", "CC-BY"), ("361-1", "CC-BY"), ("130", "CC-BY"), ("23.34", "AC-BY")])
part_lists = st.lists(st.integers(1, 5).map(str), min_size=2, max_size=4, unique=True).map(sorted)


@settings(max_examples=200, deadline=None)
@given(articles, part_lists)
def test_every_way_of_writing_the_parts_of_one_article_reads_the_same(article, parts):
    number, code = article
    code_name = "УК" if code == "CC-BY" else "КоАП"
    expected = _parts(number, parts, code)
    writings = [
        f"{number} ч." + " и ч.".join(parts),
        f"{number} ч." + " і ".join(parts),
        f"ст. {number} ч. " + ", ".join(parts) + f" {code_name}",
        "ч.ч. " + ", ".join(parts) + f" ст. {number}",
        "ч." + " и ч.".join(parts) + f" ст.{number}",
        "части " + ", ".join(parts[:-1]) + f" и {parts[-1]} статьи {number}",
    ]
    if int(parts[-1]) - int(parts[0]) == len(parts) - 1:
        writings.append(f"{number} ч. {parts[0]}-{parts[-1]}")
    for text in writings:
        assert parse_articles(text) == expected, text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 ,.-–чсташкиіУКоАП", max_size=30))
def test_any_text_gives_articles_or_a_cell_error(text):
    try:
        found = parse_articles(text)
    except CellError as refused:
        assert str(refused)
        return
    for entry in found:
        assert entry["code"] in CODES
        assert entry["article"].replace(" ", "") and entry["article"][0].isdigit()
        assert set(entry) <= {"code", "article", "part"}
        assert entry.get("part", "1").isdigit()
    assert len(found) == len({tuple(sorted(entry.items())) for entry in found})


# ---- cells as real lists write them, read wrongly or refused before ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1978 г.р.", "1978"),
        ("1978 г. р.", "1978"),
        ("1978 г.", "1978"),
        ("1978 года рождения", "1978"),
        ("1978 г.н.", "1978"),
        ("12.03.1978 г.р.", "1978-03-12"),
        ("12-03-2021", "2021-03-12"),
        ("2021/03/12", "2021-03-12"),
        ("2021.03.12", "2021-03-12"),
    ],
)
def test_it_reads_years_of_birth_and_other_separators(text, expected):
    assert str(parse_date(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.03.21", "2021-03-12"),
        ("05.06.85", "1985-06-05"),
        ("01.01.00", "2000-01-01"),
        ("29.11.26", "2026-11-29"),
    ],
)
def test_a_two_digit_year_is_read_in_the_one_century_that_gives_a_date_from_1928_to_today(text, expected):
    assert str(parse_date(text, today=dt.date(2026, 11, 29))) == expected


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("12.03.27", dt.date(2026, 11, 29)),  # 1927 is before any list, 2027 is to come
        ("30.11.26", dt.date(2026, 11, 29)),  # tomorrow, or 1926
        ("12.03.28", dt.date(2030, 1, 1)),  # 1928 and 2028 both fit: a guess
    ],
)
def test_a_two_digit_year_that_fits_no_century_or_both_is_refused(text, today):
    with pytest.raises(CellError, match="write the year in full"):
        parse_date(text, today=today)


@pytest.mark.parametrize(
    "word",
    ["в ИК-15", "в колонии", "у ПК-17", "ожидает суда", "awaiting trial", "in prison", "знаходзіцца ў турме"],
)
def test_it_reads_more_words_for_still_held(word):
    status = parse_status(word)
    assert status.held and not status.released and not status.died


@pytest.mark.parametrize("word", ["скончался", "скончалась", "скончался в колонии", "загінула"])
def test_the_words_for_a_death_win(word):
    # "скончался в колонии" with a release date was a release of kind "other": the colony hid the death.
    status = parse_status(word)
    assert status.died and not status.held and not status.released


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("на свабодзе", "other"),
        ("УДО", "other"),  # parole: the registry has no kind for it
        ("условно-досрочно освобожден", "other"),
        ("освобождена по отбытии срока", "end_of_term"),
        ("освобожден в связи с окончанием срока", "end_of_term"),
        ("вызвалены па заканчэнні тэрміну", "end_of_term"),
        ("по окончанию срока", "end_of_term"),
    ],
)
def test_it_reads_more_words_for_released_and_the_end_of_a_term(word, kind):
    status = parse_status(word)
    assert (status.released, status.release_kind, status.held) == (True, kind, False)


def test_the_nominative_of_political_prisoner_is_recognised():
    assert parse_status("палітвязень").recognized


@pytest.mark.parametrize(
    "word",
    [
        "не политзаключенный",
        "не признан",
        "не признан политзаключённым",
        "ня прызнаны палітвязнем",
        "not a political prisoner",
        "статус политзаключённого снят",
    ],
)
def test_a_recognition_denied_or_withdrawn_is_refused_never_read_as_one(word):
    # They were read as recognised: the words of a recognition were there, the negation was not read.
    with pytest.raises(CellError, match="a recognition denied or withdrawn is not a status the import reads"):
        parse_status(word)


@pytest.mark.parametrize(
    ("word", "words"),
    [
        ("не освобождён", "'не освобождён'"),
        ("в заключении, не помилован", "'не помилован'"),
        ("ня вызвалены", "'ня вызвалены'"),
        ("not yet released", "'not yet released'"),
    ],
)
def test_a_release_or_death_denied_is_refused_never_read_as_one(word, words):
    # "не освобождён" was a release (of kind "other"): the negation was not read.
    with pytest.raises(CellError) as refused:
        parse_status(word)
    assert str(refused.value).startswith(f"{word!r}: {words} says what did not happen")


@pytest.mark.parametrize(
    ("word", "words"),
    [
        ("признан экстремистом", "'признан экстремистом'"),
        ("в заключении, признан виновным", "'признан виновным'"),
    ],
)
def test_recognised_as_something_else_is_no_recognition_as_a_political_prisoner(word, words):
    with pytest.raises(CellError) as refused:
        parse_status(word)
    assert str(refused.value).startswith(f"{word!r}: {words} is no recognition as a political prisoner")
    assert parse_status("признана Вясной").recognized  # by whom: still a recognition


@pytest.mark.parametrize(
    ("word", "released", "kind"),
    [
        ("освобожден, уехал из Беларуси", True, "other"),
        ("освобождён по отбытии, выехал", True, "end_of_term"),
        ("вызвалены, з'ехаў за мяжу", True, "other"),
        ("уехал из Беларуси", False, ""),
    ],
)
def test_leaving_the_country_is_read_beside_the_release(word, released, kind):
    # The leaving was lost: the cell read as a release alone (or refused, without one).
    status = parse_status(word)
    assert (status.released, status.release_kind, status.emigrated, status.held) == (
        released,
        kind,
        True,
        False,
    )


@pytest.mark.parametrize(
    ("text", "months", "regime", "fine"),
    [
        ("2 гады 6 месяцаў калоніі ўзмоцненага рэжыму", 30, "strengthened", ""),
        ("шесть лет колонии строгого режима", 72, "strict", ""),
        ("двадцать пять лет колонии особого режима", 300, "special", ""),
        ("пятнаццаць гадоў калоніі ўзмоцненага рэжыму", 180, "strengthened", ""),
        ("одиннадцать месяцев колонии общего режима", 11, "general", ""),
        ("два месяца колонии общего режима", 2, "general", ""),  # was an AttributeError on Python 3.11
        ("три с половиной года колонии общего режима", 42, "general", ""),
        ("тры з паловай гады калоніі агульнага рэжыму", 42, "general", ""),
        ("2 г. 6 м. колонии общего режима", 30, "general", ""),
        ("2 г. 6 мес. колонии общего режима", 30, "general", ""),
        # The years were lost (6 months read) when a unit had no dot or was "л." for лет.
        ("2 г 6 мес колонии общего режима", 30, "general", ""),
        ("2г 6м колонии усиленного режима", 30, "strengthened", ""),
        ("2 л. 6 м. колонии общего режима", 30, "general", ""),
        ("3 л. колонии общего режима", 36, "general", ""),
        ("полгода колонии общего режима", 6, "general", ""),
        (
            "3 года 6 месяцев колонии усиленного режима и штраф 200 базовых величин",
            42,
            "strengthened",
            "штраф 200 базовых величин",
        ),
        ("2 года ограничения свободы + штраф 100 б.в.", 24, "open", "штраф 100 б.в."),
        ("3 years of restricted freedom without referral", 36, "home", ""),
        ("3 years of restricted freedom without being sent to an open facility", 36, "home", ""),
        ("3 years of restricted freedom with referral", 36, "open", ""),
    ],
)
def test_it_reads_number_words_halves_abbreviations_and_a_fine_beside_the_term(text, months, regime, fine):
    sentence = parse_sentence(text)
    assert (sentence.months, sentence.regime, sentence.fine_amount, sentence.note) == (
        months,
        regime,
        fine,
        "",
    )


def test_a_term_with_a_half_and_no_regime_keeps_its_words():
    assert parse_sentence("2 с половиной года колонии") == Sentence(30, "", "", "2 с половиной года колонии")


def test_a_colony_with_a_fine_is_no_plain_fine():
    # It was regime "fine" (no custody) for a term in a colony.
    text = "3 года колонии, штраф 100 базовых величин"
    assert parse_sentence(text) == Sentence(36, "", "штраф 100 базовых величин", text)


@pytest.mark.parametrize(
    ("text", "fine"),
    [("3 года и штраф 100 базовых", "штраф 100 базовых"), ("3 года со штрафом 100 базовых", "")],
)
def test_a_term_with_a_fine_and_no_colony_named_is_no_plain_fine(text, fine):
    # It was regime "fine" with the whole cell as the amount: the term of custody read as no custody.
    assert parse_sentence(text) == Sentence(36, "", fine, text)


@pytest.mark.parametrize(
    "text", ["арест 3 месяца", "3 месяца ареста", "3 месяцы арышту", "3 months of arrest"]
)
def test_an_arrest_is_read_alike_however_worded_and_never_as_no_custody(text):
    # "арест 3 месяца" was "other penalty" (no custody) with no note, "3 месяца ареста" no regime and a note:
    # arrest is custody, and none of the registry's regimes is it.
    assert parse_sentence(text) == Sentence(3, "", "", text)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("3-5 лет", "'3-5 лет'"),
        ("от 3 до 5 лет колонии", "'3 до 5 лет'"),
        ("3 года или 4 года", "'3 года или 4 года'"),
        ("два-три года", "'два-три года'"),
        ("3 or 4 years", "'3 or 4 years'"),
    ],
)
def test_a_range_or_a_choice_of_terms_is_refused_not_read_as_one_of_them(text, terms):
    # "3-5 лет" was 60 months, "3 года или 4 года" 36.
    with pytest.raises(CellError) as refused:
        parse_sentence(text)
    assert str(refused.value) == (
        f"{text!r}: {terms} is a range or a choice of terms, not the term a court gave: "
        "write that one term (e.g. '3 года')"
    )


def test_a_dash_between_a_term_of_years_and_one_of_months_is_no_range():
    assert parse_sentence("2 г.-6 м. колонии общего режима") == Sentence(30, "general")


@pytest.mark.parametrize(
    ("text", "months", "regime"),
    [
        # No term is read here: the words say what the fields cannot.
        ("колония строгого режима", None, "strict"),
        ("пожизненное лишение свободы", None, "special"),
        ("несколько лет колонии строгого режима", None, "strict"),
        # A part of the term is not read.
        ("2 года и несколько месяцев колонии общего режима", 24, "general"),
        ("2 года 3 месяца 10 дней колонии общего режима", 27, "general"),
        # A number whose unit is not read (a typo) is a part of the term too.
        ("2 гда 6 месяцев колонии общего режима", 6, "general"),
        # The fine is inside the term's clause.
        ("3 года колонии общего режима со штрафом 100 базовых величин", 36, "general"),
    ],
)
def test_words_the_parser_could_not_read_are_kept_in_the_note(text, months, regime):
    assert parse_sentence(text) == Sentence(months, regime, "", text)


@pytest.mark.parametrize("text", ["15 суток ареста", "15 суток", "пятнадцать суток", "10 days of arrest"])
def test_an_arrest_of_days_is_refused_not_made_into_months(text):
    # The registry counts terms in months and has no regime for an administrative arrest.
    with pytest.raises(CellError, match="a term of days"):
        parse_sentence(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("342(1)", _parts("342", "1")),
        ("Article 130 (3)", _parts("130", "3")),
        ("342 (1), 361-1(2)", _parts("342", "1") + _parts("361-1", "2")),
        ("342-1", [{"code": "CC-BY", "article": "342-1"}]),
    ],
)
def test_a_part_in_brackets_after_its_article_is_read(text, expected):
    assert parse_articles(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("жан.", "f"),
        ("жанч.", "f"),
        ("жен.", "f"),
        ("женск.", "f"),
        ("мужск.", "m"),
        ("муж.", "m"),
        ("мужч.", "m"),
    ],
)
def test_it_reads_abbreviated_genders(text, expected):
    assert parse_gender(text) == expected


def test_since_a_date_is_that_date_and_wanted_is_a_known_status():
    assert str(parse_date("с 2020 г.")) == "2020" and str(parse_date("since 03.2021")) == "2021-03"
    assert not parse_status("в розыске").held and not parse_status("у вышуку").released


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (
            [
                "ИК-15 (Шклов)",
                "ИК №15 г. Шклов",
                "Penal colony No. 15, Shklou",
                "Исправительная колония № 15",
            ],
            "colony:15",
        ),
        (["СИЗО-1 Минск", "СІЗА №1", "Следственный изолятор № 1"], "remand:1"),
        (["Тюрьма №8, Жодино", "турма № 8", "Prison No. 8"], "prison:8"),
        (["ВК-2 Бобруйск", "Воспитательная колония №2"], "juvenile:2"),  # not ИК-2
        (["Колония-поселение №15"], "settlement:15"),  # not ИК-15
        (
            ["ИВС Партизанского РУВД", "ивс  партизанского рувд"],
            "ивс партизанского рувд",
        ),  # no number: the name
    ],
)
def test_a_place_of_detention_is_known_by_its_kind_and_national_number(names, key):
    from spis.intake.parsing import facility_key

    assert {facility_key(name) for name in names} == {key}


def test_a_further_penalty_beside_the_term_keeps_the_words():
    sentence = parse_sentence("3 года колонии усиленного режима с конфискацией имущества")
    assert (sentence.months, sentence.regime) == (36, "strengthened") and "конфискацией" in sentence.note
    assert parse_sentence("3 года колонии усиленного режима").note == ""


def test_a_place_named_in_the_sentence_cell_is_no_term():
    with pytest.raises(CellError):
        parse_sentence("ИК-15 г. Гомель")  # was 15 years
    sentence = parse_sentence("ИК-15 г. Гомель, 3 года")
    assert sentence.months == 36 and sentence.note == "ИК-15 г. Гомель, 3 года"
    sentence = parse_sentence("5 лет колонии усиленного режима, ИК-2 г. Бобруйск")
    assert (sentence.months, sentence.regime) == (60, "strengthened") and "ИК-2 г. Бобруйск" in sentence.note


def test_articles_one_per_line_or_between_slashes_are_each_read_and_two_numbers_together_refused():
    assert [a["article"] for a in parse_articles("ч.1 ст.342 УК РБ\nч.1 ст.369 УК РБ")] == ["342", "369"]
    assert [a["article"] for a in parse_articles("342 ч.1 / 369")] == ["342", "369"]
    with pytest.raises(CellError, match="two article numbers"):
        parse_articles("342 ч.1 369")  # was 342 alone, 369 lost


def test_a_death_sentence_is_refused_saying_how_to_record_it():
    for text in ("смертная казнь", "расстрел"):
        with pytest.raises(CellError, match="a death sentence"):
            parse_sentence(text)
