"""Splitting names into parts, and the given-name equivalence table.

Sources: tests/names/fixtures (record ids in comments); data/names/given_names.csv (sources per row).
"""

import csv
from pathlib import Path

import pytest

from spis.names import parse_name, skeleton
from spis.names.given import data_dir, load_table

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "given", "patronymic", "surname"),
    [
        ("Ціханоўскі Сяргей Леанідавіч", "Сяргей", "Леанідавіч", "Ціханоўскі"),
        ("Aliaksandr Ryhoravich LUKASHENKA", "Aliaksandr", "Ryhoravich", "LUKASHENKA"),
        ("LUKASHENKA, Aliaksandr", "Aliaksandr", "", "LUKASHENKA"),
        ("Оболенский, Евгений Вячеславович", "Евгений", "Вячеславович", "Оболенский"),  # wd-Q10444907
        ("Валянціна Сцяпанаўна Леаненка", "Валянціна", "Сцяпанаўна", "Леаненка"),  # wd-Q9370084
        ("Yuri Ivanavich VASILEVICH", "Yuri", "Ivanavich", "VASILEVICH"),  # eu765-211: -evich surname
        ("Васілевіч Юры Іванавіч", "Юры", "Іванавіч", "Васілевіч"),
        ("Vasiliy Anatolevitsj Alekseenko", "Vasiliy", "Anatolevitsj", "Alekseenko"),  # wd-Q9371375, Dutch
        ("Sergey Vladimirovitch KARCHEVSKIY", "Sergey", "Vladimirovitch", "KARCHEVSKIY"),  # eu765-203
        ("Mikhail Volkau", "Mikhail", "", "Volkau"),  # wd-Q14918588
        ("Volkau Mikhail", "Mikhail", "", "Volkau"),
    ],
)
def test_it_splits_names_in_every_order(text, given, patronymic, surname):
    p = parse_name(text)
    assert p.given == skeleton(given)
    assert p.patronymic == skeleton(patronymic)
    assert p.surname == skeleton(surname)


def test_it_raises_for_a_name_without_letters():
    for bad in ["", "  ", "🙂", "123", "\x00"]:
        with pytest.raises(ValueError):
            parse_name(bad)


def test_the_table_has_300_sourced_rows_with_unique_ids():
    with (REPO / "data" / "names" / "given_names.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["source"].strip() for r in rows)
    assert {r["gender"] for r in rows} == {"m", "f"}


def test_the_loader_finds_the_repository_data_dir():
    assert data_dir() == REPO / "data" / "names"


def test_the_loader_honours_the_override(tmp_path, monkeypatch):
    monkeypatch.setenv("SPIS_NAMES_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="SPIS_NAMES_DATA_DIR"):
        load_table(tmp_path / "given_names.csv")


@pytest.mark.parametrize(
    "forms",
    [
        ["Алесь", "Аляксандр", "Александр", "Aliaksandr", "Alexander", "Ales", "Sasha"],
        ["Зміцер", "Дзмітрый", "Дмитрий", "Dzmitry", "Zmitser", "Dimitri"],  # eu765-236: Zmitser = Dimitri
        ["Янка", "Іван", "Иван", "Ivan"],
        ["Яўген", "Евгений", "Yauhen", "Yevgeniy", "Jauhienij"],  # eu765-225, wd-Q10444907
        ["Юрась", "Юрый", "Юрий", "Yury", "Yuriy"],
        ["Ганна", "Анна", "Hanna", "Anna"],  # eu765-228
        ["Вольга", "Ольга", "Volha", "Olga"],  # eu765-101
    ],
)
def test_equivalent_given_names_share_a_row(forms):
    table = load_table()
    ids = [table.ids(skeleton(f)) for f in forms]
    common = frozenset.intersection(*ids)
    assert common, dict(zip(forms, ids, strict=True))


def test_male_and_female_forms_do_not_share_a_row():
    table = load_table()
    assert not table.ids(skeleton("Аляксандр")) & table.ids(skeleton("Аляксандра"))
    assert not table.ids(skeleton("Валянцін")) & table.ids(skeleton("Валянціна"))
