"""How a later list's sentence is compared with the stored one (plan.py): by what was read of it, not its words."""

import pytest

from spis.intake.messages import render
from spis.registry.models import Event

from .helpers import run

HEADER = "ФИО,Дата задержания,Дата приговора,Статья,Приговор"


def _list(name: str, sentence: str) -> bytes:
    return f'{HEADER}\n{name},01.02.2021,01.10.2021,342 ч.1,"{sentence}"\n'.encode()


def _sentence() -> Event:
    return Event.objects.get(type="sentenced", superseded_by__isnull=True)


def test_a_corrected_sentence_carries_the_files_note_not_the_old_sentences_words(db):
    run("note_a.csv", data=_list("Шамко Виктор", "2,5 года"))
    assert _sentence().note == "2,5 года"  # no regime read: the cell's words are kept
    result = run("note_b.csv", data=_list("Шамко Виктор", "3 года колонии общего режима"))
    # Before: 36 months, general regime, with the note "2,5 года", cited only to note_b.csv.
    current = _sentence()
    assert (current.sentence_months, current.regime, current.note) == (36, "general", "")
    assert result.conflicts == 1
    message = render(result.plans[0].messages[-1])
    assert "term (months): stored 30, file says 36" in message
    assert "note: stored 2,5 года, file says —" in message


@pytest.mark.parametrize("bare", ["штраф", "fine"])
def test_a_bare_fine_says_less_than_the_stored_fine_and_changes_nothing(db, bare):
    run("note_a.csv", data=_list("Шульц Анна", "штраф 100 базовых величин"))
    result = run("note_b.csv", data=_list("Шульц Анна", bare))
    # Before: a conflict, and the fine in force was a bare "штраф": the amount was lost.
    assert (result.unchanged, result.conflicts) == (1, 0), [render(m) for m in result.plans[0].messages]
    assert _sentence().fine_amount == "штраф 100 базовых величин"
    assert Event.objects.filter(type="sentenced").count() == 1


def test_a_fine_with_its_amount_fills_in_a_bare_fine_and_another_amount_is_a_conflict(db):
    run("a.csv", data=_list("Шульц Анна", "штраф"))
    added = run("b.csv", data=_list("Шульц Анна", "штраф 100 базовых величин"))
    assert (added.updated, added.conflicts) == (1, 0)
    assert "fine added" in render(added.plans[0].messages[-1])
    other = run("c.csv", data=_list("Шульц Анна", "штраф 200 базовых величин"))
    assert other.conflicts == 1
    assert _sentence().fine_amount == "штраф 200 базовых величин"


@pytest.mark.parametrize(
    "cells",
    [
        ("пажыццёва", "пожизненно", "life imprisonment"),
        ("штраф 100 базавых велічынь", "штраф 100 базовых", "fine of 100 base units"),
        (
            "3 гады калоніі ўзмоцненага рэжыму",
            "3 г. ИК усиленного режима",
            "3 years strengthened regime colony",
        ),
    ],
)
def test_the_same_sentence_in_another_language_is_no_conflict(db, cells):
    first, *others = cells
    run("be.csv", data=_list("Дзмітрыеў Сяргей", first))
    for number, cell in enumerate(others):
        result = run(f"other{number}.csv", data=_list("Дзмітрыеў Сяргей", cell))
        # Before: "note: stored пажыццёва, file says пожизненно", a correction superseding the sentence.
        assert (result.unchanged, result.conflicts) == (1, 0), [render(m) for m in result.plans[0].messages]
    assert Event.objects.filter(type="sentenced").count() == 1
    assert _sentence().note in ("", first)


def test_a_less_detailed_term_is_unchanged(db):
    run("full.csv", data=_list("Шамко Виктор", "3 года колонии общего режима"))
    result = run("short.csv", data=_list("Шамко Виктор", "3 года"))
    assert result.unchanged == 1
    assert (_sentence().sentence_months, _sentence().regime, _sentence().note) == (36, "general", "")


def test_a_release_that_says_how_fills_in_one_that_did_not(db):
    # Round three: "освобождён" (kind "other") then "освобождён по окончании срока" was reported as a conflict.
    header = "ФИО,Дата задержания,Статус,Дата освобождения\n"
    run("a.csv", data=f"{header}Шульц Анна,01.02.2021,освобождена,01.02.2023\n".encode())
    later = run(
        "b.csv", data=f"{header}Шульц Анна,01.02.2021,освобождена по окончании срока,01.02.2023\n".encode()
    )
    assert (later.updated, later.conflicts) == (1, 0), [render(m) for m in later.plans[0].messages]
    assert Event.objects.get(type="released", superseded_by__isnull=True).release_kind == "end_of_term"
    back = run("c.csv", data=f"{header}Шульц Анна,01.02.2021,освобождена,01.02.2023\n".encode())
    assert back.conflicts == 0  # "освобождена" says less than the stored kind, as before
    assert Event.objects.get(type="released", superseded_by__isnull=True).release_kind == "end_of_term"


def test_a_release_given_later_drops_the_note_of_the_one_read_at_the_verdict(db):
    # corr_a/b.csv: the corrected release kept "the list gives no release date (the verdict's …)", now false.
    header = "ФИО,Дата задержания,Дата приговора,Приговор,Статус,Дата освобождения\n"
    run("a.csv", data=f"{header}Шульц Анна,01.02.2021,01.09.2021,штраф,,\n".encode())
    assert "no release date" in Event.objects.get(type="released").note
    run("b.csv", data=f"{header}Шульц Анна,01.02.2021,01.09.2021,штраф,освобождена,05.03.2021\n".encode())
    current = Event.objects.get(type="released", superseded_by__isnull=True)
    assert (str(current.date), current.note) == ("2021-03-05", "")
