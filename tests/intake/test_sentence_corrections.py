"""A sentence that a later list corrects: the release the import read at a verdict whose sentence keeps no one in
custody stands on that sentence alone."""

import pytest

from spis.intake.plan import VERDICT_RELEASE_KEPT, VERDICT_RELEASE_RETRACTED
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
    # way) would undo the correction: kept, said. A list with a fine of its own corrects the sentence back
    # and reads the release at the verdict again.
    assert _import("term.csv", "3 года колонии", writer=writer).unchanged == 1
    again = _import("fine2.csv", "штраф 50 базовых величин", writer=writer, detained="1.3.2021")
    assert again.conflicts == 1 and _in_force("released") == []
    other = _import("fine3.csv", "штраф 60 базовых величин", writer=writer, detained="1.3.2021")
    assert other.conflicts == 1
    (read_again,) = _in_force("released")
    assert read_again.note == RELEASED_AT_VERDICT


@pytest.mark.parametrize("released", ["01.06.2021", "06.2021", "2021"])
def test_a_release_the_list_gives_on_the_verdict_day_or_in_a_period_that_holds_it_is_the_lists(db, released):
    # A month or a year that holds the verdict's day was taken for the release read there, which the
    # correction then withdrew: nothing recorded, the person in custody, nothing said.
    _import("fine.csv", "штраф")
    (read,) = _in_force("released")
    result = _import("term.csv", "2 года лишения свободы", released=released)
    assert not Event.objects.filter(retracts=True).exists()
    (own,) = _in_force("released")
    assert own.supersedes == read and own.note == ""
    assert (
        str(own.date_display) == {"01.06.2021": "2021-06-01", "06.2021": "2021-06", "2021": "2021"}[released]
    )
    assert Person.objects.get().status == "released"
    said = " ".join(n["message"] for n in result.conflict_rows())
    assert "the file gives the release" in said and "withdrawn" not in said


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("освобождён", "other"),
        ("помилован", "pardon"),
        ("скончался", "other"),
        ("уехал из Беларуси", "other"),
    ],
)
def test_a_status_that_says_released_with_no_date_keeps_the_release_read_at_the_verdict(db, status, kind):
    # The only release was withdrawn, the list's "released" not recorded (no date): the person held.
    header = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Статус"
    run("fine.csv", data=f"{header}\nИванов Иван Иванович;1980;01.03.2021;01.06.2021;штраф\n".encode())
    row = f"Иванов Иван Иванович;1980;01.03.2021;01.06.2021;3 года колонии общего режима;{status}"
    result = run("term.csv", data=f"{header}\n{row}\n".encode())
    (kept,) = _in_force("released")
    assert (str(kept.date), kept.release_kind, kept.note) == ("2021-06-01", kind, VERDICT_RELEASE_KEPT)
    assert Person.objects.get().status == "released"
    said = [n["message"] for n in result.conflict_rows()]
    assert "the release at the verdict's date is kept, now the earliest" in said[0]
    assert "no date is given: not recorded" not in said[0]


@pytest.mark.parametrize("term", ["3 года колонии", "2 года лишения свободы", "3 years imprisonment"])
@pytest.mark.parametrize("stored", ["3 года условно", "3 года с отсрочкой исполнения приговора"])
def test_a_term_of_custody_in_words_replaces_a_suspended_or_deferred_one(db, stored, term):
    # "Unchanged" (a term of no regime said less than the suspended one), or a correction that kept "other
    # penalty": the person stayed released at the verdict.
    _import("suspended.csv", stored)
    result = _import("custody.csv", term)
    assert result.conflicts == 1
    (sentence,) = _in_force("sentenced")
    assert (sentence.regime, sentence.note) == ("", term)
    assert _in_force("released") == [] and Person.objects.get().status == "in_custody"


def test_a_bare_term_says_less_than_a_suspended_one(db):
    _import("suspended.csv", "3 года условно")
    assert _import("bare.csv", "3 года").unchanged == 1
    assert len(_in_force("released")) == 1


def test_a_one_row_per_event_list_corrects_the_sentence_of_that_day(db):
    # It added a second sentence beside the stored fine, both in force, and the release at the verdict stayed.
    _import("fine.csv", "штраф")
    data = "ФИО,event_type,event_date,sentence_months,regime\nИванов Иван Иванович,sentenced,2021-06-01,36,general\n"
    result = run("events.csv", data=data.encode(), mapping=None)
    assert result.conflicts == 1, result.errors
    (sentence,) = _in_force("sentenced")
    assert (sentence.sentence_months, sentence.regime) == (36, "general")
    assert _in_force("released") == []


def test_a_release_after_one_read_at_a_verdict_names_that_release(db):
    # Said as "no date of detention before it", though the detention was in the row and the registry.
    _import("suspended.csv", "3 года условно")
    data = "ФИО,event_type,event_date,release_kind\nИванов Иван Иванович,released,2022-11-20,pardon\n"
    result = run("events.csv", data=data.encode(), mapping=None)
    [error] = result.errors
    assert error["line"] == 2 and error["message"].startswith(
        "released on 2022-11-20, but the person was released on 2021-06-01 (as read at the verdict of a "
        "sentence that keeps no one in custody"
    )


def test_a_row_whose_release_at_the_verdict_is_stored_does_not_say_it_again(db):
    _import("fine.csv", "штраф")
    result = _import("again.csv", "штраф", detained="1.3.2021")
    assert result.unchanged == 1
    assert not [n for n in result.notes() if "keeps no one in custody" in n["message"]]


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


def test_a_one_row_per_event_lists_release_in_the_verdicts_month_is_recorded_once(db):
    _import("fine.csv", "штраф")
    data = (
        "ФИО,event_type,event_date,sentence_months,regime,release_kind\n"
        "Иванов Иван Иванович,sentenced,2021-06-01,36,general,\n"
        "Иванов Иван Иванович,released,2021-06,,,end_of_term\n"
    )
    result = run("events.csv", data=data.encode(), mapping=None)
    assert result.conflicts == 1, result.errors
    assert [(str(e.date_display), e.release_kind) for e in _in_force("released")] == [
        ("2021-06", "end_of_term")
    ]
    assert Person.objects.get().status == "released"


VIASNA_HEADER = "ФИО;Дата рождения;Дата задержания;Статьи;Дата приговора;Приговор;Место заключения;Статус"


def _viasna(name: str, *rows: str, **options):
    return run(name, data="\n".join([VIASNA_HEADER, *rows, ""]).encode(), **options)


def test_a_person_held_again_within_the_year_keeps_the_first_cases_release(db):
    # The new verdict was matched to the stored one (within a year), the fine's release withdrawn, the first
    # case gone from the public record with no more than a "conflict": the row is refused, naming the release.
    _viasna(
        "first.csv", "Лебедев Павел Сергеевич;1982;01.03.2021;342 ч.1;10.06.2021;штраф 100 базовых величин;;"
    )
    result = _viasna(
        "again.csv",
        "Лебедев Павел Сергеевич;1982;01.12.2021;342 ч.1;01.03.2022;3 года колонии общего режима;ИК-2;в заключении",
    )
    assert not Event.objects.filter(retracts=True).exists()
    assert [str(e.date) for e in _in_force("released")] == ["2021-06-10"]
    [error] = result.errors
    assert error["message"].startswith(
        "with this row, an event the registry holds (released, 2021-06-10 (as read at the verdict of a sentence "
        "that keeps no one in custody"
    )


@pytest.mark.parametrize("policy", ["supersede", "keep"])
def test_a_colony_of_no_regime_corrected_to_a_suspended_term_is_a_conflict(db, policy):
    # "penalty added" (the stored regime was empty): written even with policy keep, the person released.
    _viasna("first.csv", "Орлов Иван Петрович;1980;01.03.2021;342 ч.1;10.06.2021;3 года колонии;;")
    result = _viasna(
        "second.csv",
        "Орлов Иван Петрович;1980;01.03.2021;342 ч.1;10.06.2021;3 года условно;;",
        conflict_policy=policy,
    )
    assert result.conflicts == 1
    said = result.conflict_rows()[0]["message"]
    assert "penalty: stored —, file says other penalty" in said and "added" not in said
    (sentence,) = _in_force("sentenced")
    assert sentence.regime == ("other" if policy == "supersede" else "")
    assert Person.objects.get().status == ("released" if policy == "supersede" else "in_custody")


def test_an_arrest_corrects_a_suspended_term_as_custody(db):
    _viasna("first.csv", "Цветков Иван Петрович;1980;01.03.2021;342 ч.1;10.06.2021;3 года условно;;")
    result = _viasna(
        "second.csv", "Цветков Иван Петрович;1980;01.03.2021;342 ч.1;10.06.2021;арест 3 месяца;;"
    )
    assert result.conflicts == 1
    (sentence,) = _in_force("sentenced")
    assert (sentence.sentence_months, sentence.regime) == (3, "")
    assert _in_force("released") == []


@pytest.mark.parametrize(
    ("stored", "given"),
    [
        ("арест 3 месяца", "3 месяца колонии общего режима"),
        ("3 месяца колонии общего режима", "3 месяца ареста"),
        ("арест 3 месяца", "3 месяца лишения свободы"),
    ],
)
def test_an_arrest_and_a_colony_are_other_penalties(db, stored, given):
    # Arrest (УК ст. 54) is a penalty of its own: a colony where it was stored was "penalty added" (the regime
    # filled in), and the word "арест" was gone from the sentence in force with nothing said.
    _import("first.csv", stored)
    result = _import("second.csv", given)
    assert result.conflicts == 1
    said = " ".join(n["message"] for n in result.conflict_rows())
    assert "арест 3 месяца" in said or "3 месяца ареста" in said
    (sentence,) = _in_force("sentenced")
    assert sentence.note == ("" if given.endswith("режима") else given)


def test_a_bare_term_says_less_than_an_arrest(db):
    _import("arrest.csv", "арест 3 месяца")
    assert _import("bare.csv", "3 месяца").unchanged == 1
    (sentence,) = _in_force("sentenced")
    assert sentence.note == "арест 3 месяца"


@pytest.mark.parametrize("kind_on", ["2021-05-20", "2021-05"])
def test_a_one_row_per_event_lists_release_of_a_stored_ones_day_fills_in_its_kind(db, kind_on):
    # Refused: "released on 2021-05-20, but the person was released on 2021-05-20, with no detention since".
    _viasna("first.csv", "Сидорова Анна Петровна;1990;05.02.2021;342 ч.1;20.05.2021;3 года условно;;")
    data = (
        "name,event_type,event_date,sentence_months,regime,release_kind\n"
        "Сидорова Анна Петровна,sentenced,2021-05-20,36,general,\n"
        f"Сидорова Анна Петровна,released,{kind_on},,,pardon\n"
    )
    result = run("events.csv", data=data.encode(), mapping=None)
    assert not result.errors, result.errors
    assert [(str(e.date_display), e.release_kind) for e in _in_force("released")] == [(kind_on, "pardon")]
    assert Person.objects.get().status == "released"


def test_a_status_held_now_over_a_stored_release_is_said(db):
    # "Unchanged", the person released on every page while the list says held, and nothing said.
    _viasna(
        "fine.csv", "Петров Андрей Викторович;1985;10.01.2021;342 ч.1;15.04.2021;штраф 100 базовых величин;;"
    )
    result = _viasna(
        "held.csv",
        "Петров Андрей Викторович;1985;10.01.2021;342 ч.1;15.04.2021;штраф 100 базовых величин;;в заключении",
    )
    assert result.conflicts == 1
    said = result.conflict_rows()[0]["message"]
    assert "status (Статус) says held now, but the registry holds the person released on 2021-04-15" in said
    assert len(_in_force("released")) == 1  # kept stored


def test_a_place_beside_a_sentence_that_keeps_no_one_in_custody_reads_no_release(db):
    # Released at the verdict and moved to ИК-3 the same day.
    result = _viasna(
        "place.csv",
        "Козлов Олег Игоревич;1975;01.03.2021;361-1;10.06.2021;3 года с отсрочкой исполнения приговора;ИК-3;",
    )
    assert _in_force("released") == [] and Person.objects.get().status == "in_custody"
    assert any("but the row gives a place of detention ('ИК-3')" in n["message"] for n in result.notes())


def test_a_verdicts_date_corrected_with_the_same_detention_settles_the_release_read_at_it(db):
    # The release read at the fine's verdict stayed in force beside a colony: the person released.
    _viasna(
        "fine.csv", "Лебедев Павел Сергеевич;1982;01.03.2021;342 ч.1;10.06.2021;штраф 100 базовых величин;;"
    )
    result = _viasna(
        "later.csv",
        "Лебедев Павел Сергеевич;1982;01.03.2021;342 ч.1;01.12.2021;3 года колонии общего режима;;",
    )
    assert not result.errors and result.conflicts == 1
    assert _in_force("released") == [] and Person.objects.get().status == "in_custody"


@pytest.mark.parametrize("status", ["", "в заключении"])
@pytest.mark.parametrize("policy", ["supersede", "keep"])
def test_a_place_over_a_release_read_at_the_verdict_is_kept_stored(db, status, policy):
    # A transfer to ИК-3 was written on the release's day (with policy keep too), the person left released,
    # and the row said "read as held there".
    _viasna("fine.csv", "Петров Андрей Викторович;1985;10.01.2021;342 ч.1;15.04.2021;штраф;;")
    result = _viasna(
        "place.csv",
        f"Петров Андрей Викторович;1985;10.01.2021;342 ч.1;15.04.2021;штраф;ИК-3;{status}",
        conflict_policy=policy,
    )
    assert result.conflicts == 1
    assert not Event.objects.filter(type="transferred").exists()
    said = result.conflict_rows()[0]["message"]
    assert (
        "place of detention (Место заключения: ИК-3): the registry holds the person released on 2021-04-15"
        in said
    )
    assert "read as held there" not in said


def test_a_place_beside_a_sentence_corrected_to_custody_is_recorded(db):
    _viasna("fine.csv", "Петров Андрей Викторович;1985;10.01.2021;342 ч.1;15.04.2021;штраф;;")
    result = _viasna(
        "colony.csv", "Петров Андрей Викторович;1985;10.01.2021;342 ч.1;15.04.2021;3 года колонии;ИК-3;"
    )
    assert not result.errors and result.conflicts == 1
    assert Event.objects.filter(type="transferred").count() == 1
    assert Person.objects.get().status == "in_custody"


def test_a_release_read_at_the_verdict_never_corrects_a_lists_own(db):
    # The fine's list again corrected the list's own "06.2021" to the estimate 2021-06-01, "no release date".
    _import("fine.csv", "штраф", released="06.2021")
    (own,) = _in_force("released")
    result = _import("again.csv", "штраф", detained="1.3.2021")
    assert result.unchanged == 1 and _in_force("released") == [own]
    assert not [n for n in result.notes() if "keeps no one in custody" in n["message"]]


def test_a_new_case_more_than_a_year_later_keeps_the_first_cases_release(db):
    # The second detention was added (not a correction), its verdict taken for the first's: released withdrawn.
    _viasna(
        "fine.csv", "Лебедев Павел Сергеевич;1982;01.03.2021;342 ч.1;10.06.2021;штраф 100 базовых величин;;"
    )
    result = _viasna(
        "again.csv",
        "Лебедев Павел Сергеевич;1982;05.04.2022;342 ч.1;01.06.2022;3 года колонии общего режима;;",
    )
    assert not Event.objects.filter(retracts=True).exists()
    assert [str(e.date) for e in _in_force("released")] == ["2021-06-10"], result.errors


@pytest.mark.parametrize(("status", "died"), [("памёр 12.2021", ["2021-12"]), ("умер", [])])
def test_a_death_after_a_suspended_sentence_is_no_death_in_custody(db, status, died):
    # No release was read at the verdict when a death was given: the person counted as dying in custody.
    head = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Статус\n"
    row = f"Умершы Пётр;1960;01.02.2021;01.06.2021;3 года условно;{status}\n"
    assert run("died.csv", (head + row).encode(), mapping=None).created == 1
    (released,) = _in_force("released")
    assert str(released.date_display) == "2021-06-01" and released.note == RELEASED_AT_VERDICT
    assert [str(e.date_display) for e in _in_force("died")] == died


def test_a_death_in_custody_beside_a_suspended_sentence_reads_no_release_and_says_so(db):
    head = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Статус\n"
    row = "Умершы Пётр;1960;01.02.2021;01.06.2021;3 года условно;умер в заключении\n"
    result = run("died.csv", (head + row).encode(), mapping=None)
    assert result.created == 1 and _in_force("released") == []
    said = " ".join(n["message"] for n in result.notes())
    assert "status 'умер в заключении' says the person died held, but the sentence '3 года условно'" in said


def test_a_death_in_the_period_of_a_suspended_sentences_verdict_is_said(db):
    # Both "05.2022": no release read at the verdict, and nothing said (the person counted as dying held).
    head = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Статус\n"
    row = "Бельский Борис;1960;12.01.2022;05.2022;3 года условно;умер 05.2022\n"
    result = run("died.csv", (head + row).encode(), mapping=None)
    assert result.created == 1 and _in_force("released") == []
    said = " ".join(n["message"] for n in result.notes())
    assert "the death (2022-05) and the verdict (2022-05) of a sentence that keeps no one in custody" in said
