"""Sort keys: lists of names come out in the order a Belarusian or Russian reader expects.

Sources: names of political prisoners as Viasna's list prints them in Belarusian and Russian
(https://prisoners.spring96.org/be, https://prisoners.spring96.org/ru) and their Latin spellings on
Wikipedia (https://en.wikipedia.org/wiki/Ales_Bialiatski, https://en.wikipedia.org/wiki/Maria_Kalesnikava,
https://en.wikipedia.org/wiki/Ihar_Losik). Surnames that start with a rare letter (Ў, Ё, Ґ, Є, Ї) are made up
for the letter's sake and say so.
"""

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spis.names import collate
from spis.names.collate import KEY_LENGTH, sort_key

BELARUSIAN = [
    "Аліневіч Ігар Уладзіміравіч",
    "Бабарыка Віктар Дзмітрыевіч",
    "Бяляцкі Алесь Віктаравіч",
    "Дашкевіч Зміцер",
    "Знак Максім Валер’евіч",
    "Івашын Дзяніс Уладзіміравіч",
    "Калеснікава Марыя Аляксандраўна",
    "Лойка Насця",
    "Лосік Дар’я",
    "Лосік Ігар Аляксандравіч",
    "Севярынец Павел Канстанцінавіч",
    "Слаўнікава Ірына",
    "Статкевіч Мікалай Віктаравіч",
    "Стэфановіч Валянцін",
    "Ціханоўскі Сяргей Леанідавіч",
    "Чапюк Андрэй",
]

# The letters code-point order misplaces: ё (U+0451), і (U+0456) and ў (U+045E) lie after я (U+044F),
# their capitals Ё (U+0401) and І (U+0406) before А (U+0410). Made-up surnames.
BELARUSIAN_LETTERS = [
    "Ерашэвіч",
    "Ёсіпава",
    "Жук",
    "Зайцаў",
    "Іванова",
    "Йодка",
    "Уладзімірава",
    "Ўзорная",
    "Фёдарава",
    "Шчука",
    "Ыгар",
    "Эрнст",
    "Юркевіч",
    "Яўген",
]

# ё in Russian is a letter of its own right after е; the one-word surnames are made up for the letters.
RUSSIAN = [
    "Бабарико Виктор Дмитриевич",
    "Бабарико Эдуард Викторович",
    "Ежов",
    "Ерёмин",
    "Ершов",
    "Ёлкин",
    "Жуков",
    "Знак Максим Валерьевич",
    "Колесникова Мария Александровна",
    "Лосик Дарья",
    "Лосик Игорь Александрович",
    "Статкевич Николай Викторович",
    "Тихановский Сергей Леонидович",
    "Щукин",
    "Эрнст",
    "Юдин",
    "Ющенко",
    "Яковлев",
]

# Cyrillic first (Belarusian and Russian spellings merged), then Latin (Łacinka Ł as L), then digits.
MIXED = [
    "Бяляцкі Алесь",
    "Иванов Иван",
    "Іваноў Іван",
    "Калеснікава Марыя",
    "Колесникова Мария",
    "Bialiatski Ales",
    "Kalesnikava Maryia",
    "Łosik Ihar",
    "Losik Ihar Aliaksandravich",
    "Tsikhanouski Siarhei",
    "17",
]


def _shuffled(names: list[str]) -> list[str]:
    shuffled = list(names)
    random.Random(7).shuffle(shuffled)
    return shuffled


@pytest.mark.parametrize(
    "expected", [BELARUSIAN, BELARUSIAN_LETTERS, RUSSIAN, MIXED], ids=["be", "be-letters", "ru", "mixed"]
)
def test_it_orders_a_list_as_a_reader_expects(expected):
    assert sorted(expected) != expected, "code-point order already agrees: the list proves nothing"
    assert sorted(_shuffled(expected), key=sort_key) == expected


def test_the_merged_alphabet_keeps_belarusian_russian_and_ukrainian_order():
    belarusian = "абвгдеёжзійклмнопрстуўфхцчшыьэюя"
    russian = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    ukrainian = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
    for alphabet in (belarusian, russian, ukrainian):
        assert sorted(alphabet, key=sort_key) == list(alphabet)
        assert sorted(alphabet.upper(), key=sort_key) == list(alphabet.upper())
    # и and і are two letters (и first, as in Ukrainian), not one: a Russian and a Belarusian spelling of
    # the same surname sort next to each other, never interleaved with other names.
    assert sort_key("Иванов") < sort_key("Іваноў") < sort_key("Йодка")


def test_it_ignores_case_apostrophes_and_hyphens():
    assert (
        sort_key("ЛОСІК ДАР’Я")
        == sort_key("Лосік Дар’я")
        == sort_key("лосік дар'я")
        == sort_key("Лосік Дарʼя")
    )
    assert sort_key("Сідарэнка-Ляховіч") == sort_key("Сідарэнкаляховіч")
    # The ASCII apostrophe (U+0027) comes before every letter in code points: Мар'яна would lead Марына.
    assert sorted(["Мар'яна", "Марына"], key=sort_key) == ["Марына", "Мар'яна"]


def test_it_compares_word_by_word():
    # A surname that is a prefix of another comes first, whatever the given names.
    assert sorted(["Лосіна Ала", "Лось Ярына", "Лосік Ігар"], key=sort_key) == [
        "Лосік Ігар",
        "Лосіна Ала",
        "Лось Ярына",
    ]
    assert sort_key("Знак Ян") < sort_key("Знакаў Ан")
    assert sort_key("Знак  Ян ") == sort_key("Знак Ян") == sort_key("Знак, Ян")


def test_it_reads_composed_and_decomposed_letters_and_look_alikes_alike():
    assert sort_key("Ціханоўскі") == sort_key("Ціхано\u0443\u0306скі")  # у + combining breve
    assert sort_key("Ёсіпава") == sort_key("\u0415\u0308сіпава")  # Е + combining diaeresis
    # Latin i and o typed inside a Cyrillic word (as in the EU list) sort as the Cyrillic letters.
    assert sort_key("Лоciк") == sort_key("Лосік")
    assert sort_key("Kalesnikava") == sort_key("KALESNIKAVA")
    assert sort_key("Łosik") == sort_key("Losik") and sort_key("Šapira") == sort_key("Sapira")


def test_names_of_other_scripts_and_digits_come_last():
    names = ["Яўген", "Zhuk", "2", "Δημήτρης", "?"]
    assert sorted(_shuffled(names), key=sort_key) == ["Яўген", "Zhuk", "2", "Δημήτρης", "?"]


def test_the_key_is_short_ascii():
    for name in [*BELARUSIAN, *RUSSIAN, *MIXED, "Δημήτρης", "—", "Ў" * 1000]:
        key = sort_key(name)
        assert key.isascii() and 0 < len(key) <= KEY_LENGTH, name
    assert len(sort_key("Бяляцкі Алесь Віктаравіч")) == len("Бяляцкі Алесь Віктаравіч")


@given(
    st.text(alphabet=collate.CYRILLIC + collate.CYRILLIC.upper() + "’'ʼ- ,", max_size=40)
    | st.text(alphabet=collate.LATIN + collate.LATIN.upper() + "’'ʼ- ,", max_size=40)
)
def test_the_fast_path_for_one_script_names_keys_as_the_general_one(text):
    folded = unicodedata.normalize("NFKC", text).casefold().replace(",", " ")
    assert collate._PLAIN.fullmatch(folded)
    assert collate._plain_key(folded) == collate._key(folded)
