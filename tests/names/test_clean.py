"""Cleaning and script detection, on noise copied from real lists.

Sources: tests/names/fixtures (EU Council Regulation 765/2006 Annex I as transcribed by OpenSanctions, records 3, 91,
97, 153; see fixtures/README.md).
"""

import time

import pytest

from spis.names import clean, detect_language, detect_script
from spis.names.clean import MAX_NAME_CHARS


def test_it_turns_latin_i_inside_cyrillic_words_into_cyrillic():
    # eu765-3 prints "Вiктар Уладзiмiравiч ШЭЙМАН" with Latin i (U+0069).
    assert clean("Вiктар Уладзiмiравiч ШЭЙМАН") == "Віктар Уладзіміравіч ШЭЙМАН"


def test_it_turns_kra_into_cyrillic_ka():
    # eu765-97 prints "Маĸсім" with U+0138 LATIN SMALL LETTER KRA.
    assert clean("Маĸсім Леанідавіч ТРУСЕВІЧ") == "Максім Леанідавіч ТРУСЕВІЧ"
    assert clean("Iгар Вiĸтаравiч КУРЫЛОВIЧ") == "Ігар Віктаравіч КУРЫЛОВІЧ"


def test_it_splits_camel_joined_given_name_and_patronymic():
    assert clean("АляксандрГенадзевіч Лукашэнка") == "Аляксандр Генадзевіч Лукашэнка"


def test_it_strips_controls_emoji_and_digits_and_collapses_space():
    assert clean("  Сяргей\x00\x07  Ціханоўскі 🙂 123\n") == "Сяргей Ціханоўскі"


def test_it_normalises_compatibility_forms_and_apostrophes():
    assert clean("Ｓｅｒｇｅｉ") == "Sergei"
    assert clean("Юр'евіч") == clean("Юр’евіч") == "Юр’евіч"


def test_it_caps_very_long_names_quickly():
    start = time.perf_counter()
    out = clean("Ціханоўскі" * 1000)
    assert len(out) <= MAX_NAME_CHARS
    assert time.perf_counter() - start < 1.0


def test_it_rejects_non_strings():
    with pytest.raises(ValueError):
        clean(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "script", "lang"),
    [
        ("Аляксандр Рыгоравіч Лукашэнка", "Cyrl", "be"),
        ("Александр Григорьевич Лукашенко", "Cyrl", "ru"),
        ("Юрий ПРЕДКО", "Cyrl", "ru"),
        ("Aliaksandr LUKASHENKA", "Latn", "en"),
        ("Vadzim Dzevjatoŭski", "Latn", "be"),  # Łacinka, wd-Q434537
        ("Alaksandr Jaraszewicz", "Latn", "pl"),  # wd-Q14866893
        ("Богољуб КАРИЋ", "Cyrl", "sr"),  # eu765-187
        ("Сяргей Ціханоўскі (Tsikhanouski)", "mixed", "be"),
        ("Сергей Tikhanovsky", "mixed", "ru"),
        ("🙂", "none", ""),
    ],
)
def test_it_detects_script_and_language(text, script, lang):
    assert detect_script(text) == script
    assert detect_language(text) == lang
