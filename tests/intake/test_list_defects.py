"""Lists a user test found imported wrong: a JSON list of two shapes, a comment column published, totals and
headings read as people, placeholder names matched to each other, a column of details read as a date."""

import datetime as dt
import json

from spis.intake.mapping import load_mapping
from spis.intake.readers import read_table
from spis.intake.records import build_records
from spis.registry.models import Name, Person

from .helpers import run


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
