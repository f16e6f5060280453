"""The bulk writer derives custody for the people it creates itself; it must agree with rebuild_custody."""

from collections import defaultdict

import pytest
from django.db import connection, transaction

from spis.registry import actions
from spis.registry.models import CustodySpell, Event, Name, Person

from .helpers import fixture, run

VIASNA = "viasna_ru_bom_semicolon.csv"
DERIVED = (
    "status",
    "recognized",
    "first_recognized_on",
    "current_facility_id",
    "detained_on",
    "released_on",
    "expected_release_on",
    "sentence_months",
)


def _custody():
    people = list(Person.objects.order_by("pk").values_list("pk", *DERIVED))
    spells = sorted(
        CustodySpell.objects.values_list("person_id", "start", "end", "facility_id", "end_reason")
    )
    return people, spells


def test_it_derives_the_same_custody_as_a_full_rebuild(db):
    run(VIASNA, partial=True, writer="bulk")
    written = _custody()
    assert written[1], "the fixture has people in custody"
    actions.rebuild_custody(None)
    assert _custody() == written


def test_it_writes_a_file_that_only_updates_known_people(db):
    run(VIASNA, partial=True, writer="bulk")
    # The same people again with a later release date: no one new, one row a correction.
    data = fixture(VIASNA).replace(b"03.07.2023", b"05.07.2023")
    result = run(VIASNA, data=data, partial=True, writer="bulk")
    assert result.created == 0 and result.status == "partial"
    written = _custody()
    actions.rebuild_custody(None)
    assert _custody() == written


# One person on two lines of one file, the second with another detention date: the second row's event
# supersedes the first's, both written by the same batch (the bulk writer's superseded "new" events).
SELF_CORRECTING = (
    "ФИО;Дата рождения;Дата задержания;Статьи;Дата приговора;Приговор;Место заключения;Статус;Дата освобождения\n"
    "Тэставы Янка Пятровіч;12.03.1985;12.03.2021;342 ч.1;15.09.2021;3 года колонии общего режима;ИК-15;помилован;03.07.2023\n"
    "Тестовый Иван Петрович;12.03.1985;15.03.2021;;;;;;\n"
    "Прыкладная Алена Ігараўна;1990;03.2021;130 ч.3, 361-1;2021-09-01;2 гады 6 месяцаў;ИК-4;;\n"
).encode()


def _written(writer):
    with transaction.atomic():
        result = run("self_correcting.csv", data=SELF_CORRECTING, writer=writer)
        # Facilities by name, not id: PostgreSQL's sequences do not roll back with the transaction.
        derived = [f for f in DERIVED if f != "current_facility_id"]
        people = list(
            Person.objects.order_by("pk").values_list(
                "display_name", "birth_date", "current_facility__name", *derived
            )
        )
        events = sorted(
            (
                e.person.display_name,
                e.type,
                str(e.date),
                e.facility.name if e.facility_id else "",
                e.supersedes.date.isoformat() if e.supersedes_id else "",
                e.citations.count(),
            )
            for e in Event.objects.select_related("person", "facility", "supersedes")
        )
        spells = sorted(
            CustodySpell.objects.values_list(
                "person__display_name", "start", "end", "facility__name", "end_reason"
            )
        )
        names = sorted(Name.objects.values_list("person__display_name", "text", "kind", "language", "keys"))
        # Each case with the events that name it (a row's conviction and sentence: one criminal case).
        by_case = defaultdict(list)
        for case_id, name, kind in Event.objects.exclude(case=None).values_list(
            "case_id", "person__display_name", "type"
        ):
            by_case[case_id].append((name, kind))
        cases = sorted(tuple(sorted(events)) for events in by_case.values())
        transaction.set_rollback(True)
    return result.as_dict() | {"batch": None}, people, events, spells, names, cases


def test_both_writers_agree_on_a_file_that_corrects_itself(db):
    bulk = _written("bulk")
    assert bulk[0]["conflicts"] == 1, bulk[0]
    assert any(event[4] == "2021-03-12" for event in bulk[2]), (
        "the second row supersedes the first's detention"
    )
    verdicts = [case for case in bulk[5] if any(kind == "sentenced" for _, kind in case)]
    assert verdicts and all({kind for _, kind in case} == {"convicted", "sentenced"} for case in verdicts), (
        "a row's conviction and sentence share one case"
    )
    assert bulk == _written("actions")


def _indexes():
    with connection.cursor() as cursor:
        return {
            table: sorted(
                name
                for name, info in connection.introspection.get_constraints(cursor, table).items()
                if info["index"] and not info["unique"] and not info["primary_key"]
            )
            for table in connection.introspection.table_names(cursor)
            if table.startswith("registry_")
        }


def test_a_large_bulk_import_builds_back_every_index_it_dropped(db):
    before = _indexes()
    result = run(VIASNA, partial=True, writer="bulk")  # into an empty registry: indexes dropped, rebuilt
    assert result.created and Person.objects.exists()
    assert _indexes() == before


def test_the_row_by_row_writer_derives_each_persons_custody_once(db, monkeypatch):
    rebuilt = []
    rebuild = actions.rebuild_custody

    def counting(person_ids=None, **options):
        rebuilt.append(None if person_ids is None else set(person_ids))
        return rebuild(person_ids, **options)

    monkeypatch.setattr(actions, "rebuild_custody", counting)
    result = run(VIASNA, partial=True, writer="actions")
    assert result.created > 1 and result.errors, "the fixture has good rows and refused ones"
    # One rebuild for the whole file, of exactly the people written.
    assert rebuilt == [set(Person.objects.values_list("pk", flat=True))]
    monkeypatch.undo()
    written = _custody()
    assert written[1], "the fixture has people in custody"
    actions.rebuild_custody(None)
    assert _custody() == written


# Names out of alphabet order in code points (І before А, Ў after я); the made-up surnames are for the letters.
OUT_OF_ORDER = (
    "ФИО;Дата рождения;Дата задержания;Статьи;Дата приговора;Приговор;Место заключения;Статус;Дата освобождения\n"
    "Ўзорная Ганна Пятроўна;1985;12.03.2021;;;;;;\n"
    "Іванова Ала Сяргееўна;1990;15.03.2021;;;;;;\n"
    "Уладзімірава Вольга Іванаўна;1979;03.2021;;;;;;\n"
).encode()


@pytest.mark.parametrize("writer", ["bulk", "actions"])
def test_both_writers_give_every_new_person_the_sort_key(db, writer):
    from spis.names.collate import sort_key

    result = run("out_of_order.csv", data=OUT_OF_ORDER, writer=writer)
    assert result.created == 3, result.as_dict()
    rows = list(Person.objects.order_by("sort_name", "pk").values_list("display_name", "sort_name"))
    assert [key for _, key in rows] == [sort_key(name) for name, _ in rows]
    assert [name.split()[0] for name, _ in rows] == ["Іванова", "Уладзімірава", "Ўзорная"]
