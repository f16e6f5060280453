"""Change feeds move only with what the reader may see (spis/access/changes.py).

`Person.updated_at` moves with any write; a feed or an `updated_at` that published it told a reader when
something they may not see changed. Each test dates every clock back to 2020, makes one write and asks who
sees it.
"""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from spis.access import changes
from spis.access.models import SeenChange, SeenWatermark
from spis.registry import actions
from spis.registry.demo import build
from spis.registry.merge import merge, undo
from spis.registry.models import Event, Person

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
SINCE = "2024-01-01"


@pytest.fixture
def dated(registry):
    """Every person's stored updated_at in 2020, and so every clock (the first refresh dates by it)."""
    Person.objects.update(updated_at=LONG_AGO)
    changes.refresh()
    assert set(SeenChange.objects.values_list("public_changed_at", flat=True)) <= {LONG_AGO, None}
    return registry


def feed(client) -> list[str]:
    body = client.get("/api/v1/changes", {"since": SINCE}).json()
    return [p["public_id"] for p in body["people"]]


def updated_at(client, person) -> str:
    return client.get(f"/api/v1/people/{person.public_id}").json()["updated_at"]


def public_export(tmp_path) -> list[str]:
    out = tmp_path / "changed.json"
    call_command(
        "export", format="json", public=True, changed_since=SINCE, output=str(out), stdout=io.StringIO()
    )
    return [record["public_id"] for record in json.loads(out.read_text(encoding="utf-8"))]


def test_a_sealed_event_moves_no_clock_below_admin(dated, client_for, tmp_path):
    ivan = dated["ivan"]
    actions.record_event("test", ivan, "transferred", "2022-01-01", confidentiality="sealed")
    Person.objects.filter(pk=ivan.pk).update(updated_at=dt.datetime.now(dt.UTC))  # as an import's writer does
    for role in ("anonymous", "volunteer", "researcher", "editor"):
        client = client_for(role)
        assert feed(client) == [], role
        assert updated_at(client, ivan).startswith("2020-01-01"), role
    assert public_export(tmp_path) == []
    assert feed(client_for("admin")) == [ivan.public_id]


def test_a_restricted_event_moves_the_researchers_clock_only(dated, client_for, tmp_path):
    ivan = dated["ivan"]
    actions.record_event("test", ivan, "transferred", "2022-01-01", confidentiality="restricted")
    assert feed(client_for("anonymous")) == [] and public_export(tmp_path) == []
    assert updated_at(client_for("anonymous"), ivan).startswith("2020-01-01")
    assert feed(client_for("researcher")) == [ivan.public_id]
    assert not updated_at(client_for("researcher"), ivan).startswith("2020")


def test_a_public_event_moves_every_clock(dated, client_for, tmp_path):
    ivan = dated["ivan"]
    actions.record_event("test", ivan, "transferred", "2022-01-01", facility=dated["colony"])
    for role in ("anonymous", "researcher"):
        assert feed(client_for(role)) == [ivan.public_id], role
    assert public_export(tmp_path) == [ivan.public_id]
    people = client_for("anonymous").get("/api/v1/people").json()["results"]
    assert not next(p for p in people if p["public_id"] == ivan.public_id)["updated_at"].startswith("2020")


def test_an_internal_note_and_a_birth_day_move_only_those_who_see_them(dated, client_for):
    ivan = dated["ivan"]
    actions.update_person("test", ivan, consent_note="the family agreed to the year only")
    assert feed(client_for("anonymous")) == [] and feed(client_for("researcher")) == []
    # Same year, another day: the public sees the year only.
    actions.update_person("test", ivan, birth_date="1980-04-13")
    assert feed(client_for("anonymous")) == []
    assert feed(client_for("researcher")) == [ivan.public_id]


def test_a_person_made_public_enters_the_public_feed(dated, client_for):
    restricted = dated["restricted"]
    assert feed(client_for("anonymous")) == []
    actions.update_person("test", restricted, confidentiality="public")
    assert feed(client_for("anonymous")) == [restricted.public_id]


def test_a_merge_moves_the_clock_of_the_person_merged_into(dated, client_for):
    ivan, other = dated["ivan"], actions.create_person("test", "Пётр Сідарэнка")
    actions.record_event("test", other, "detained", "2023-02-01")
    changes.refresh()
    SeenChange.objects.update(public_changed_at=LONG_AGO)
    merge("test", other, ivan)
    assert feed(client_for("anonymous")) == [ivan.public_id]


def test_the_first_refresh_dates_people_by_their_writes(registry):
    Person.objects.update(updated_at=LONG_AGO)
    changes.refresh()
    clocks = set(
        SeenChange.objects.filter(person=registry["ivan"]).values_list("public_changed_at", flat=True)
    )
    assert clocks == {LONG_AGO}


def test_a_refresh_after_no_write_is_one_look(dated, django_assert_num_queries):
    with django_assert_num_queries(2):  # the registry's version, the watermark
        changes.refresh()


def test_undoing_a_merge_moves_the_clock_of_the_person_it_left(dated, client_for):
    ivan, other = dated["ivan"], actions.create_person("test", "Пётр Сідарэнка")
    judgement = merge("test", other, ivan)
    changes.refresh()
    SeenChange.objects.update(public_changed_at=LONG_AGO)
    undo("test", judgement)
    # The fixture's duplicate, linked without a judgement, is let go too: links are re-derived from judgements.
    assert {ivan.public_id, other.public_id} <= set(feed(client_for("anonymous")))


@pytest.mark.django_db(transaction=True)  # the registry's generation is raised when the save commits
def test_a_name_edited_in_place_moves_the_clocks_of_those_who_saw_it(dated, client_for):
    name = dated["ivan"].names.get(language="en")
    name.confidentiality = "sealed"
    name.save()  # as the admin's name inline saves it: no audit entry, a history row
    assert feed(client_for("anonymous")) == [dated["ivan"].public_id]
    assert feed(client_for("researcher")) == [dated["ivan"].public_id]


def test_a_person_is_digested_again_only_when_their_rows_move(db):
    # The demo's bulk writer spells SQLite timestamps its own way ("…+00:00"); that is not a change.
    build(persons=30, seed=5)
    changes.refresh()
    assert list(changes._stale()) == []
    person = Person.objects.filter(status="in_custody").first()
    actions.record_event("test", person, "charged", person.detained_on.isoformat(), confidentiality="sealed")
    assert list(changes._stale()) == [person.pk]


def test_a_source_cited_moves_the_clocks_of_those_who_may_read_it(dated, client_for, tmp_path):
    """Sources show with a person (the site, the open data): a citation is a change to those who read it."""
    from spis.registry.models import Event

    ivan = dated["ivan"]
    event = Event.objects.filter(person=ivan, confidentiality="public").first()
    witness = actions.create_source("test", "Сведка (тэст)", confidentiality="restricted")
    actions.cite("test", witness, event)
    assert feed(client_for("anonymous")) == [] and public_export(tmp_path) == []
    assert feed(client_for("researcher")) == [ivan.public_id]
    article = actions.create_source("test", "Артыкул (тэст)", url="https://example.org/a")
    actions.cite("test", article, event)
    assert feed(client_for("anonymous")) == [ivan.public_id]
    assert public_export(tmp_path) == [ivan.public_id]


def test_a_public_source_cited_on_a_hidden_event_moves_no_public_clock(dated, client_for, tmp_path):
    ivan = dated["ivan"]
    hidden = actions.record_event("test", ivan, "transferred", "2022-01-01", confidentiality="sealed")
    Person.objects.filter(pk=ivan.pk).update(updated_at=LONG_AGO)
    changes.refresh()
    article = actions.create_source("test", "Артыкул (тэст)", url="https://example.org/a")
    actions.cite("test", article, hidden)
    for role in ("anonymous", "researcher", "editor"):
        assert feed(client_for(role)) == [], role
    assert public_export(tmp_path) == []
    assert feed(client_for("admin")) == [ivan.public_id]


def test_digests_computed_again_for_new_coverage_move_no_clock(dated, client_for, tmp_path):
    """A release that widens what a digest covers recomputes the stored digests (migration access 0002):
    no clock moves then, nor at the next hidden write."""
    ivan = dated["ivan"]
    event = ivan.events.filter(confidentiality="public").first()
    article = actions.create_source("test", "Артыкул (тэст)", url="https://example.org/a")
    actions.cite("test", article, event)
    Person.objects.filter(pk=ivan.pk).update(updated_at=LONG_AGO)
    changes.refresh()
    # As stored before citations were covered: another digest, the same clocks.
    SeenChange.objects.filter(pk=ivan.pk).update(public_digest="before-citations", restricted_digest="old")
    SeenChange.objects.update(public_changed_at=LONG_AGO, restricted_changed_at=LONG_AGO)
    changes.redigest()
    assert set(SeenChange.objects.values_list("public_changed_at", flat=True)) == {LONG_AGO}
    assert SeenChange.objects.get(pk=ivan.pk).public_digest != "before-citations"
    actions.record_event("test", ivan, "transferred", "2022-01-01", confidentiality="sealed")
    for role in ("anonymous", "researcher"):
        assert feed(client_for(role)) == [], role
    assert public_export(tmp_path) == []


def _touched(dated, row, **changed):
    """Edit `row` in place as its admin page saves it, with every clock dated back to 2020 first."""
    changes.refresh()
    Person.objects.update(updated_at=LONG_AGO)
    SeenWatermark.objects.update(version="")  # the clocks' markers read again; no digest changes
    changes.refresh()
    assert changes._stale() == {}
    SeenChange.objects.update(public_changed_at=LONG_AGO, restricted_changed_at=LONG_AGO)
    for field, value in changed.items():
        setattr(row, field, value)
    row.save()


@pytest.mark.django_db(transaction=True)
def test_a_source_edited_in_place_moves_the_clocks_of_those_who_read_it(dated, client_for, tmp_path):
    ivan = dated["ivan"]
    event = ivan.events.filter(confidentiality="public").first()
    article = actions.create_source("test", "Артыкул (тэст)", url="https://example.org/a")
    actions.cite("test", article, event)
    _touched(dated, article, title="Артыкул пра суд (тэст)")
    for role in ("anonymous", "researcher", "admin"):
        assert feed(client_for(role)) == [ivan.public_id], role
    assert public_export(tmp_path) == [ivan.public_id]
    # The file a source came from is shown to no level below admin: no clock below it moves.
    _touched(dated, article, document="ад сястры.csv")
    for role in ("anonymous", "researcher"):
        assert feed(client_for(role)) == [], role
    assert feed(client_for("admin")) == [ivan.public_id]


@pytest.mark.django_db(transaction=True)
def test_a_source_made_public_moves_the_public_clock(dated, client_for):
    ivan = dated["ivan"]
    event = ivan.events.filter(confidentiality="public").first()
    report = actions.create_source("test", "Справаздача (тэст)", confidentiality="restricted")
    actions.cite("test", report, event)
    _touched(dated, report, confidentiality="public")
    assert feed(client_for("anonymous")) == [ivan.public_id]
    assert feed(client_for("researcher")) == []  # read it before


@pytest.mark.django_db(transaction=True)
def test_a_renamed_facility_case_or_organisation_moves_the_clocks_of_those_it_shows_with(dated, client_for):
    from spis.registry.models import Organization

    ivan, colony = dated["ivan"], dated["colony"]
    case = ivan.events.get(type="convicted").case
    court = Organization.objects.create(name="Test court", kind="court")
    # The fixture's sealed canary was sent to the colony too: not in any feed below admin.
    for row, changed in (
        (colony, {"name_ru": "ИК-99 (тэст)"}),
        (case, {"judge": "Суддзя (тэст)"}),
        (case, {"court": court}),
        (court, {"name": "Renamed court"}),
    ):
        _touched(dated, row, **changed)
        for role in ("anonymous", "researcher"):
            assert feed(client_for(role)) == [ivan.public_id], (row, role)
    # A save that changes nothing is no change, to anyone.
    _touched(dated, court)
    assert feed(client_for("admin")) == []


@pytest.mark.django_db(transaction=True)
def test_a_facility_renamed_moves_no_clock_of_a_reader_who_sees_no_event_there(dated, client_for):
    from spis.registry.models import Facility

    ivan = dated["ivan"]
    secret = Facility.objects.create(name="Secret place (test)", kind="other")
    actions.record_event("test", ivan, "transferred", "2022-01-01", facility=secret, confidentiality="sealed")
    _touched(dated, secret, name_ru="Тайное место (тэст)")
    for role in ("anonymous", "researcher"):
        assert feed(client_for(role)) == [], role
    assert feed(client_for("admin")) == [ivan.public_id]


def withdrawn(client) -> list[str]:
    body = client.get("/api/v1/changes", {"since": SINCE}).json()
    return [w["public_id"] for w in body["withdrawn"]]


def test_a_person_withdrawn_from_a_level_is_listed_as_withdrawn_to_it(dated, client_for):
    """A mirror of the feed must take down a record made restricted for someone's safety."""
    ivan = dated["ivan"]
    actions.update_person("test", ivan, confidentiality="restricted")
    assert withdrawn(client_for("anonymous")) == [ivan.public_id]
    assert feed(client_for("anonymous")) == []
    assert withdrawn(client_for("researcher")) == []  # still reads it
    actions.update_person("test", ivan, confidentiality="public")
    assert withdrawn(client_for("anonymous")) == []
    assert feed(client_for("anonymous")) == [ivan.public_id]


def test_a_record_merged_into_another_is_withdrawn(dated, client_for):
    ivan, other = dated["ivan"], actions.create_person("test", "Пётр Сідарэнка")
    changes.refresh()
    SeenChange.objects.update(public_changed_at=LONG_AGO, restricted_changed_at=LONG_AGO)
    merge("test", other, ivan)
    assert withdrawn(client_for("anonymous")) == [other.public_id]
    assert feed(client_for("anonymous")) == [ivan.public_id]


def test_a_person_the_level_never_saw_is_never_listed_as_withdrawn(dated, client_for):
    restricted, canary = dated["restricted"], dated["canary"]
    actions.update_person("test", restricted, confidentiality="sealed")
    actions.record_event("test", canary, "transferred", "2022-01-01")
    for role in ("anonymous", "volunteer"):
        assert withdrawn(client_for(role)) == [], role


def test_a_name_added_or_a_merge_lists_the_person_to_those_who_see_every_level(dated, client_for):
    """Admins read the stored updated_at: a name added, a merge and its undoing move it."""
    ivan, other = dated["ivan"], actions.create_person("test", "Пётр Сідарэнка")
    Person.objects.update(updated_at=LONG_AGO)
    actions.add_name("test", ivan, "Іван Пятроў", confidentiality="sealed")
    assert feed(client_for("admin")) == [ivan.public_id]
    Person.objects.update(updated_at=LONG_AGO)
    judgement = merge("test", other, ivan)
    assert feed(client_for("admin")) == [ivan.public_id]
    Person.objects.update(updated_at=LONG_AGO)
    undo("test", judgement)
    assert {ivan.public_id, other.public_id} <= set(feed(client_for("admin")))


def staff_export(tmp_path) -> list[str]:
    out = tmp_path / "staff.json"
    call_command("export", format="json", changed_since=SINCE, output=str(out), stdout=io.StringIO())
    return [record["public_id"] for record in json.loads(out.read_text(encoding="utf-8"))]


def test_a_name_edited_or_deleted_in_place_lists_the_person_to_staff_feeds(dated, client_for, tmp_path):
    """The admin's name inline saves a name with no action: its person's stored updated_at moves all the same,
    so the staff export and the admins' feed, which read it, list them (a name made sealed must reach a
    staff mirror)."""
    ivan = dated["ivan"]
    Person.objects.update(updated_at=LONG_AGO)
    Event.objects.update(recorded_at=LONG_AGO)  # the staff export lists people with events recorded since too
    name = ivan.names.get(language="en")
    name.confidentiality = "sealed"
    name.save()
    assert staff_export(tmp_path) == [ivan.public_id]
    assert feed(client_for("admin")) == [ivan.public_id]
    assert not updated_at(client_for("admin"), ivan).startswith("2020")
    Person.objects.update(updated_at=LONG_AGO)
    assert staff_export(tmp_path) == []
    name.delete()
    assert staff_export(tmp_path) == [ivan.public_id]
    # A name moved to another record changes both.
    other = actions.create_person("test", "Пётр Сідарэнка")
    Person.objects.update(updated_at=LONG_AGO)
    moved = ivan.names.get(language="ru")
    moved.person = other
    moved.save()
    assert set(staff_export(tmp_path)) == {ivan.public_id, other.public_id}


def change_file(tmp_path, fmt: str, since: str | None = SINCE) -> str:
    out = tmp_path / f"changed.{fmt}"
    options = {"changed_since": since} if since else {}
    call_command("export", format=fmt, public=True, output=str(out), stdout=io.StringIO(), **options)
    return out.read_text(encoding="utf-8-sig")


def test_a_public_change_file_says_who_was_withdrawn_in_every_format(dated, tmp_path):
    """A mirror applying the public change files must take down a record made restricted, or merged into
    another, as one reading /api/v1/changes does; a person the public never saw is never named."""
    ivan, restricted = dated["ivan"], dated["restricted"]
    kept, merged = (
        actions.create_person("test", "Пётр Сідарэнка"),
        actions.create_person("test", "Пётр Сідаренка"),
    )
    changes.refresh()
    SeenChange.objects.update(public_changed_at=LONG_AGO, restricted_changed_at=LONG_AGO)
    actions.update_person("test", ivan, confidentiality="restricted")
    actions.update_person("test", restricted, confidentiality="sealed")  # never public: never named
    merge("test", merged, kept)
    gone = [ivan.public_id, merged.public_id]

    records = json.loads(change_file(tmp_path, "json"))
    assert [r["public_id"] for r in records] == [kept.public_id, *gone]
    assert all(set(r) == {"public_id", "withdrawn_at"} for r in records[1:])
    assert "withdrawn_at" not in records[0]
    moments = [r["withdrawn_at"] for r in records[1:]]
    assert all(moment.startswith(str(dt.datetime.now(dt.UTC).year)) for moment in moments)

    rows = list(csv.reader(io.StringIO(change_file(tmp_path, "csv"))))
    assert rows[0][0] == "public_id" and rows[0][-1] == "withdrawn_at"
    assert [(row[0], row[-1]) for row in rows[1:]] == [(kept.public_id, ""), *zip(gone, moments, strict=True)]
    assert not any(cell for row in rows[2:] for cell in row[1:-1])  # the public id and the moment alone

    lines = [json.loads(line) for line in change_file(tmp_path, "ftm").splitlines()]
    deleted = [line for line in lines if line.get("op") == "DEL"]
    assert deleted == [
        {"op": "DEL", "entity": {"id": f"spis-{pid}"}, "withdrawn_at": moment}
        for pid, moment in zip(gone, moments, strict=True)
    ]
    assert lines[-len(deleted) :] == deleted and all("schema" in line for line in lines[: -len(deleted)])
    for fmt in ("json", "csv", "ftm"):
        assert restricted.public_id not in change_file(tmp_path, fmt), fmt
    # A full export is as it was: no column, no entry for a withdrawal.
    assert "withdrawn_at" not in change_file(tmp_path, "csv", since=None)
    assert "withdrawn_at" not in change_file(tmp_path, "json", since=None)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_change_files_withdrawals_are_said_not_imported(dated, tmp_path, fmt):
    # Read back, each withdrawal was refused as a person with no name.
    from spis.intake import importer

    ivan = dated["ivan"]
    kept = actions.create_person("test", "Пётр Сідарэнка")
    changes.refresh()
    SeenChange.objects.update(public_changed_at=LONG_AGO, restricted_changed_at=LONG_AGO)
    actions.update_person("test", ivan, confidentiality="restricted")
    actions.update_person("test", kept, gender="m")
    data = change_file(tmp_path, fmt).encode()
    result = importer.run_import(data, file_name=f"changed.{fmt}", dry_run=True)
    assert result.errors == [] and result.rows == 1, result.errors
    [said] = [n["message"] for n in result.notes() if "withdrawn from public view" in n["message"]]
    assert ivan.public_id in said and "not imported" in said
    only = json.dumps([{"public_id": ivan.public_id, "withdrawn_at": "2026-11-30T00:00:00Z"}]).encode()
    # A file of withdrawals alone imports no row, and says them of the file.
    alone = importer.run_import(only, file_name="only.json", dry_run=True)
    assert (alone.errors, alone.rows) == ([], 0)
    [said] = alone.as_dict()["file_notes"]
    assert ivan.public_id in said and "not imported" in said


def test_a_person_a_full_public_export_published_is_said_withdrawn_once_sealed(db, tmp_path):
    # The clocks were read only by a change file or the API: a person in a full export, sealed before they
    # were next read, had never been public to them, and no change file said them withdrawn.
    person = actions.create_person("test", "Холодов Харитон")
    actions.record_event("test", person, "detained", "2022-06-01")
    changes.refresh()  # the clocks, read once before the person's export
    SeenChange.objects.update(public_changed_at=LONG_AGO, restricted_changed_at=LONG_AGO)
    later = actions.create_person("test", "Позднов Пётр")
    assert later.public_id in change_file(tmp_path, "json", since=None)
    actions.update_person("test", later, confidentiality="sealed")
    records = json.loads(change_file(tmp_path, "json", since=dt.date.today().isoformat()))
    assert any(r.get("public_id") == later.public_id and "withdrawn_at" in r for r in records), records


def test_a_persons_row_with_a_withdrawn_at_cell_is_read_as_a_person(db):
    from spis.intake import importer

    data = "ФИО;Дата задержания;withdrawn_at\nШашков Иван Петрович;01.01.2021;2026-11-01\nЩеглов Пётр;02.01.2021;\n"
    result = importer.run_import(data.encode(), file_name="mixed.csv", dry_run=True)
    assert result.created == 2 and not [n for n in result.notes() if "withdrawn" in n["message"]]


@pytest.mark.django_db(transaction=True)  # the registry's generation is raised when the save commits
def test_a_citation_restricted_or_deleted_by_a_model_write_moves_the_public_clock_and_the_open_data(
    dated, client_for, client
):
    """A citation saved or deleted in place (a shell, a history revert), not by an action: its person is a
    change to those who read its source, and the open-data download is exported again without it."""
    from django.urls import reverse

    from spis.registry.models import Citation

    ivan = dated["ivan"]
    event = Event.objects.filter(person=ivan, confidentiality="public").first()
    witness = actions.create_source("test", "Witness Ivanov statement", url="https://example.org/w")
    actions.cite("test", witness, event)
    url = reverse("intake:open-data", args=["json"])

    def download() -> str:
        return b"".join(client.get(url).streaming_content).decode()

    assert "Witness Ivanov" in download()
    Person.objects.update(updated_at=LONG_AGO)
    changes.refresh()
    SeenChange.objects.update(public_changed_at=LONG_AGO, restricted_changed_at=LONG_AGO)
    citation = Citation.objects.get(source=witness)
    citation.confidentiality = "restricted"
    citation.save()
    assert feed(client_for("anonymous")) == [ivan.public_id]
    assert "Witness Ivanov" not in download()
    # Public again, then deleted: gone from the download too.
    citation.confidentiality = "public"
    citation.save()
    assert "Witness Ivanov" in download()
    SeenChange.objects.update(public_changed_at=LONG_AGO)
    citation.delete()
    assert feed(client_for("anonymous")) == [ivan.public_id]
    assert "Witness Ivanov" not in download()


def test_a_restricted_citations_place_edited_moves_no_public_clock(dated, client_for, tmp_path):
    # The digests cover a citation's locator (access 0005): the public's, only of the citations it reads.
    ivan = dated["ivan"]
    event = ivan.events.filter(confidentiality="public").first()
    article = actions.create_source("test", "Артыкул (тэст)", url="https://example.org/a")
    citation = actions.cite("test", article, event, locator="с. 1", confidentiality="restricted")
    Person.objects.filter(pk=ivan.pk).update(updated_at=LONG_AGO)
    changes.refresh()
    SeenChange.objects.update(public_changed_at=LONG_AGO, restricted_changed_at=LONG_AGO)
    actions.update_citation("test", citation, locator="с. 2")
    assert feed(client_for("anonymous")) == []
    assert public_export(tmp_path) == []
    assert feed(client_for("researcher")) == [ivan.public_id]
