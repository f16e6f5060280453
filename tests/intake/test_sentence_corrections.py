"""A sentence that a later list corrects: the release the import read at a verdict whose sentence keeps no one in
custody stands on that sentence alone."""

import pytest

from spis.intake.plan import VERDICT_RELEASE_RETRACTED
from spis.intake.records import RELEASED_AT_VERDICT
from spis.registry.models import Event, Person

from .helpers import run

HEADER = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Дата освобождения"


def _csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows, ""]).encode()


def _import(
    name: str,
    sentence: str,
    released: str = "",
    writer: str = "actions",
    detained: str = "01.03.2021",
    **options,
):
    row = f"Иванов Иван Иванович;1980;{detained};01.06.2021;{sentence};{released}"
    return run(name, data=_csv(row), writer=writer, **options)


def _in_force(kind: str) -> list[Event]:
    return list(Event.objects.filter(type=kind, superseded_by__isnull=True, retracts=False).order_by("date"))


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_fine_corrected_to_a_term_withdraws_the_release_read_at_the_verdict(db, writer):
    _import("fine.csv", "штраф 50 базовых величин", writer=writer)
    person = Person.objects.get()
    assert person.status == "released"
    (read,) = _in_force("released")
    assert read.note == RELEASED_AT_VERDICT

    result = _import("term.csv", "3 года колонии", writer=writer)
    assert result.conflicts == 1
    (retraction,) = Event.objects.filter(retracts=True)
    assert retraction.supersedes == read and retraction.type == "released"
    assert retraction.note == VERDICT_RELEASE_RETRACTED
    assert retraction.citations.filter(source__document="term.csv").exists()
    assert _in_force("released") == []
    person.refresh_from_db()
    assert person.status == "in_custody"
    said = [n["message"] for n in result.conflict_rows() if "the release is withdrawn" in n["message"]]
    assert len(said) == 1 and "2021-06-01" in said[0] and "36" in said[0]

    # The same list again changes nothing; the fine's list again (not the same file: a date written another
    # way) corrects the sentence back and reads the release at the verdict again.
    assert _import("term.csv", "3 года колонии", writer=writer).unchanged == 1
    again = _import("fine2.csv", "штраф 50 базовых величин", writer=writer, detained="1.3.2021")
    assert again.conflicts == 1
    (read_again,) = _in_force("released")
    assert read_again.note == RELEASED_AT_VERDICT


def test_a_release_the_list_gives_on_the_verdict_day_is_kept(db):
    _import("fine.csv", "штраф")
    result = _import("term.csv", "2 года лишения свободы", released="01.06.2021")
    assert not Event.objects.filter(retracts=True).exists()
    assert [str(e.date) for e in _in_force("released")] == ["2021-06-01"]
    assert not any("withdrawn" in n["message"] for n in result.conflict_rows() + result.notes())


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_term_with_a_later_release_replaces_the_release_read_at_the_verdict(db, writer):
    _import("fine.csv", "штраф", writer=writer)
    result = _import("term.csv", "1 год колонии", released="01.06.2022", writer=writer)
    assert result.errors == [] and result.conflicts == 1
    assert [str(e.date) for e in _in_force("released")] == ["2022-06-01"]
    person = Person.objects.get()
    assert person.status == "released"
    assert [(s.custody_start, s.end) for s in person.spells.order_by("custody_start")] == [
        (_in_force("detained")[0].date, _in_force("released")[0].date)
    ]


def test_another_penalty_that_keeps_no_one_in_custody_keeps_the_release(db):
    _import("fine.csv", "штраф")
    result = _import("home.csv", "2 года ограничения свободы без направления в исправительное учреждение")
    assert not Event.objects.filter(retracts=True).exists()
    assert len(_in_force("released")) == 1
    assert not any("withdrawn" in n["message"] for n in result.conflict_rows() + result.notes())


def test_the_retraction_is_as_strict_as_the_release_it_withdraws(db):
    _import("fine.csv", "штраф")
    (read,) = _in_force("released")
    Event.objects.filter(pk=read.pk).update(confidentiality="restricted")
    _import("term.csv", "3 года колонии")
    (retraction,) = Event.objects.filter(retracts=True)
    assert retraction.confidentiality == "restricted"


def test_a_dry_run_says_the_withdrawal_and_writes_nothing(db):
    _import("fine.csv", "штраф")
    count = Event.objects.count()
    result = _import("term.csv", "3 года колонии", dry_run=True)
    assert any("the release is withdrawn" in n["message"] for n in result.conflict_rows())
    assert Event.objects.count() == count
