"""What an editor, who may not read sealed facts, read of them on an import's pages (the preview and the batch
page render these messages), and what policy keep wrote: a second review's findings, each failing before its
fix."""

import pytest

from spis.intake.models import ImportRow
from spis.registry import actions
from spis.registry.models import Event, Person

from .helpers import run
from .test_review_findings import _csv, _editor_view

NAMES = ("Карпович Лев", "Шумский Олег")


def _editor_lines(batch_file, editor):
    from spis.intake.views import _hidden_people, _redact

    out = []
    for row in ImportRow.objects.filter(batch__file_name=batch_file).order_by("line"):
        kept = [m for m in row.messages if not messages_text(m).startswith("matched ")]
        out.append([row.outcome] + [s.text for s in _redact(kept, _hidden_people(editor), row.line)])
    return out


def _list_detains(day: str, writer: str, **options):
    """A public list that gives Карпович Лев's detention on `day` (dd.mm.yyyy), imported."""
    data = _csv("ФИО;Год рождения;Дата задержания", f"{NAMES[0]};1985;{day}")
    return run("list.csv", data, mapping=None, writer=writer, **options)


def _imported(file_name: str, header: str, *rows: str, writer: str):
    """A list of `rows` under `header` (semicolons), imported whole."""
    result = run(file_name, _csv(header, *rows), mapping=None, writer=writer)
    assert result.status == "completed", result.errors
    return result


def messages_text(m):
    return m.get("text", "") if isinstance(m, dict) else str(m)


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_release_after_a_sealed_release_does_not_name_its_date(users, writer):
    """A one-row-per-event list's release after a sealed release is refused: the refusal names the sealed
    release's date (_AFTER_RELEASE's `on`, which carried no level) to an editor."""
    person = actions.create_person("t", NAMES[0], birth_date="1985")
    actions.record_event("t", person, "detained", "2022-02-01")
    actions.record_event(
        "t", person, "released", "2022-03-01", release_kind="pardon", confidentiality="sealed"
    )
    head = "name,birth_date,event_type,event_date,release_kind\n"
    data = (head + f"{NAMES[0]},1985,released,2022-04-01,end_of_term\n").encode()
    run("list.csv", data, mapping=None, writer=writer)
    view = _editor_lines("list.csv", users["editor"])
    assert not any("2022-03-01" in text for row in view for text in row[1:]), view


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_stored_sealed_event_broken_by_the_row_does_not_name_its_date(users, writer):
    """A row moving a public detention after a sealed transfer is refused naming the sealed transfer's date
    (_STORED_BROKEN's `date`, which carried no level)."""
    from spis.registry.models import Facility

    person = actions.create_person("t", NAMES[0], birth_date="1985")
    actions.record_event("t", person, "detained", "2022-02-01")
    facility = Facility.objects.create(name="ИК-1")
    actions.record_event(
        "t", person, "transferred", "2022-03-01", facility=facility, confidentiality="sealed"
    )
    _list_detains("01.04.2022", writer)
    view = _editor_lines("list.csv", users["editor"])
    assert not any("2022-03-01" in text or "ИК-1" in text for row in view for text in row[1:]), view


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_held_again_does_not_name_a_sealed_detention(users, writer):
    """A list's detention more than a year after a sealed one (no release between) is added; the row's note
    'held since' names the sealed detention's date (_HELD_AGAIN's `since`, which carried no level) to an editor."""
    person = actions.create_person("t", NAMES[0], birth_date="1985")
    actions.record_event("t", person, "detained", "2021-01-05", confidentiality="sealed")
    result = _list_detains("01.06.2022", writer)
    assert result.status == "completed", result.errors
    view = _editor_view("list.csv", person, users["editor"])
    assert not any("2021-01-05" in text for text, _ in view[1:]), view


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_policy_keep_writes_nothing_for_a_sealed_refinement(users, writer):
    """A row refining a sealed detention's date is a conflict; with policy keep, nothing is written for a
    conflict, yet the refinement superseded the sealed detention."""
    person = actions.create_person("t", NAMES[0], birth_date="1985")
    actions.record_event("t", person, "detained", "2022-02", confidentiality="sealed")
    result = _list_detains("05.02.2022", writer, conflict_policy="keep")
    assert result.status == "completed", result.errors
    assert _editor_view("list.csv", person, users["editor"])[0] == "conflict"
    in_force = [(str(e.date), e.date_precision) for e in Event.objects.filter(superseded_by__isnull=True)]
    assert in_force == [("2022-02-01", "month")]


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_sealed_fine_corrected_to_a_term_does_not_name_the_sealed_sentence(users, writer):
    """A sealed list's fine (the release read at its verdict, sealed) corrected by a public list's term: the
    row's 'release withdrawn' message names the sealed sentence and verdict (_READ_AT_VERDICT's `stored`, `date`,
    not levelled) to an editor."""
    header = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор;Конфиденциальность"
    row = f"{NAMES[0]};1985;01.03.2021;01.06.2021;штраф 50 базовых величин;sealed"
    _imported("sealed.csv", header, row, writer=writer)
    assert not Event.objects.exclude(confidentiality="sealed").exists()
    # The person made public (their names too); the events stay sealed.
    from spis.registry.models import Name

    Person.objects.update(confidentiality="public")
    Name.objects.update(confidentiality="public")
    person = Person.objects.get()
    header = "ФИО;Год рождения;Дата задержания;Дата приговора;Приговор"
    _imported("list.csv", header, f"{NAMES[0]};1985;01.03.2021;01.06.2021;3 года колонии", writer=writer)
    view = _editor_view("list.csv", person, users["editor"])
    assert not any("штраф" in text for text, _ in view[1:]), view


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_a_row_after_a_sealed_death_does_not_tell_the_death(users, writer):
    """A public list's detention after a sealed death is refused 'recorded after the person's death', unlevelled:
    an editor reads that the person died (and, moving the list's date, when)."""
    person = actions.create_person("t", NAMES[0], birth_date="1985")
    actions.record_event("t", person, "died", "2022-05-01", confidentiality="sealed")
    _list_detains("01.06.2022", writer)
    view = _editor_lines("list.csv", users["editor"])
    assert not any("death" in text or "died" in text for row in view for text in row[1:]), view


@pytest.mark.parametrize("writer", ["actions", "bulk"])
def test_an_undated_release_status_does_not_tell_a_sealed_release(users, writer):
    """'освобождён' without a date: for a person held as far as an editor may read, the row says 'gives no
    date: … shown and counted as held since …'; for one whose release is sealed, the row is 'unchanged' and says
    nothing, no withheld note either: the editor reads that the registry holds the custody ended (a sealed
    release). The row that meets the sealed release reads as the other, or as one that meets a sealed fact."""
    sealed, held = (actions.create_person("t", name, birth_date="1985") for name in NAMES)
    for person in (sealed, held):
        actions.record_event("t", person, "detained", "2022-02-01")
    actions.record_event(
        "t", sealed, "released", "2022-03-01", release_kind="pardon", confidentiality="sealed"
    )
    header = "ФИО;Год рождения;Дата задержания;Статус"
    rows = (f"{name};1985;01.02.2022;освобождён" for name in NAMES)
    _imported("list.csv", header, *rows, writer=writer)
    editor = users["editor"]
    seen, other = _editor_view("list.csv", sealed, editor), _editor_view("list.csv", held, editor)
    withheld = any("a level you may not read" in text for text, _ in seen[1:])
    assert seen == other or (seen[0] == "conflict" and withheld), (seen, other)


def test_the_preview_withholds_a_refusal_that_stands_on_a_sealed_fact(verified_client, users):
    """The preview rendered a row's problems as they were, never as the batch page reads them."""
    from django.urls import reverse

    from .test_views import _upload_csv

    person = actions.create_person("t", "Карпович Лев", birth_date="1985")
    actions.record_event("t", person, "detained", "2021-01-05")
    actions.record_event("t", person, "died", "2022-03-01", confidentiality="sealed")
    client = verified_client(users["editor"])
    batch = _upload_csv(
        client, "ФИО;Год рождения;Дата задержания\nКарпович Лев;1985;01.06.2022\n", partial=True
    )
    page = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    assert "death" not in page and "a stored fact at a level you may not read" in page
