"""Found by a review of the fixes of 2026-12-01 (citation digests, the staff export's file, display names of
merged records, the open-data version): each test failed on the code before its fix."""

import json

import pytest
from django.core.exceptions import ValidationError

from spis.intake import export
from spis.registry import actions, merge
from spis.registry.models import Citation, Name, Person
from tests.intake.test_export_review import merged_with_a_sealed_alias, open_data_download


def test_a_citations_source_swapped_in_place_leaves_the_open_data_download(client, db):
    # update_citation (the admin's citation inline) may change a citation's source. The digest keeps the
    # citations as (id, locator) and their sources only as a *set* of source digests over the whole person, so
    # moving one event's citation to a source the person already cites elsewhere changes no digest: no public
    # clock moves, and the download keeps serving the old attribution (event 1 "reported by" the old source).
    person = actions.create_person("t", "Адкрыты Чалавек")
    first = actions.record_event("t", person, "detained", "2021-03-01")
    second = actions.record_event("t", person, "convicted", "2021-09-01")
    a = actions.create_source("t", "Крыніца А", url="https://example.org/a")
    b = actions.create_source("t", "Крыніца Б", url="https://example.org/b")
    citation = actions.cite("t", a, first)
    actions.cite("t", b, second)
    actions.cite("t", a, second)
    assert open_data_download(client) == b"".join(export.export_public("json")).decode()
    actions.update_citation("t", Citation.objects.get(pk=citation.pk), source=b)
    fresh = b"".join(export.export_public("json")).decode()
    assert open_data_download(client) == fresh


def test_a_merged_records_display_name_cannot_be_set_to_its_own_sealed_alias(db):
    # Before 7a87fd0 the record's own display name was checked against its own names; now the check reads the
    # canonical record's display name instead, so a merged record's display name may be set to its sealed
    # alias, which it shows as soon as the merge is undone.
    _kept, duplicate = merged_with_a_sealed_alias()
    with pytest.raises((ValueError, ValidationError)):
        actions.update_person("t", duplicate, display_name="Тайнае Імя")
    merge.unmerge("t", Person.objects.get(pk=duplicate.pk))
    for fmt in export.FORMATS:
        assert "Тайнае Імя" not in b"".join(export.export_public(fmt)).decode("utf-8"), fmt


def test_an_unmerge_does_not_leave_a_sealed_alias_as_the_public_display_name(db):
    # The display name was allowed because a record merged in has a public name of that text; the merge is
    # undone, and the kept record shows as its display name a text that is, of its own names, sealed only:
    # every public file names the record by its sealed alias. merge.undo checked nothing.
    kept = actions.create_person(
        "t",
        "Адкрыты Іван",
        names=[{"text": "Адкрыты Іван"}, {"text": "Тайнае Імя", "confidentiality": "sealed"}],
    )
    duplicate = actions.create_person("t", "Дублікат Іван", names=[{"text": "Тайнае Імя"}])
    merge.merge("t", duplicate, kept)
    kept = Person.objects.get(pk=kept.pk)
    actions.update_person("t", kept, display_name="Тайнае Імя")  # allowed: the duplicate's name is public
    # Refused, saying why; the records stay one, shown by a name that is public in it.
    with pytest.raises(merge.MergeError, match="only staff may read"):
        merge.unmerge("t", Person.objects.get(pk=duplicate.pk))
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == kept.pk
    kept = Person.objects.get(pk=kept.pk)
    assert not kept.shows_a_withheld_name()
    # Once the kept record has a public display name of its own, the merge can be undone.
    actions.update_person("t", kept, display_name="Адкрыты Іван")
    merge.unmerge("t", Person.objects.get(pk=duplicate.pk))
    records = {r["public_id"]: r for r in json.loads(b"".join(export.export_public("json")))}
    assert records[kept.public_id]["display_name"] == "Адкрыты Іван"


def test_a_withdrawn_persons_deletion_does_not_move_the_download_version(
    db, django_capture_on_commit_callbacks
):
    # docs/access.md: "a hidden person's deletion exports nothing". A person made sealed keeps the moment
    # their public digest emptied (the withdrawal) as their public clock; deleted outright later (the public
    # sees neither them nor their deletion), that clock, the newest, goes with them, and the version moves:
    # the next download exports again (seconds), telling a poller a hidden write happened.
    from spis.intake import published

    actions.create_person("t", "Адкрыты Чалавек")
    gone = actions.create_person("t", "Будзе Запячатаны")
    published.public_version()
    actions.update_person("t", Person.objects.get(pk=gone.pk), confidentiality="sealed")
    before = published.public_version()  # the withdrawal: a public change, the newest clock
    with django_capture_on_commit_callbacks(execute=True):
        Name.objects.filter(person=gone).delete()
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.filter(pk=gone.pk).delete()
    assert published.public_version() == before


def test_two_exports_to_one_file_never_leave_a_half_file_under_its_name(tmp_path, monkeypatch):
    # `-o FILE` promises "one that fails leaves no half file" and exclusivity from its first byte (O_EXCL), but
    # it first unlinks whatever `.FILE.part` exists: a second export (a timer's run overlapping a manual one)
    # deletes the first's part and creates its own; the first then renames the *second's* half-written part
    # into place and reports success. FILE is a truncated export.
    import threading

    from django.core.management import call_command

    from spis.intake import export as export_module

    target = tmp_path / "backup.json"
    second_started = threading.Event()
    first_done = threading.Event()

    def fake_export(fmt, public=True, changed_since=None):
        if threading.current_thread().name == "second":
            yield b"HALF-"
            second_started.set()
            first_done.wait(10)
            yield b"OF-THE-SECOND"
        else:
            yield b"FIRST-"
            threading.Thread(target=run_second, name="second").start()
            second_started.wait(10)
            yield b"COMPLETE"

    errors = []

    def run_second():
        try:
            call_command("export", "--format", "json", "-o", str(target))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    monkeypatch.setattr(export_module, "export", fake_export)
    call_command("export", "--format", "json", "-o", str(target))
    content = target.read_bytes()
    first_done.set()
    for thread in threading.enumerate():
        if thread.name == "second":
            thread.join(10)
    assert content in (b"FIRST-COMPLETE", b"HALF-OF-THE-SECOND"), content
