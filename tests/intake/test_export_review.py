"""Found by a review of the export and the open-data download (2026-12-01): each test failed on the code
before its fix."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from spis.intake import export
from spis.registry import actions
from spis.registry.models import Citation, Person


def _clocks_read_long_ago():
    """The change clocks read now (any public read does), and dated as if that was in 2020: a change file
    since today then lists only what changed after this point."""
    from spis.access import changes
    from spis.access.models import SeenChange

    changes.refresh()
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    SeenChange.objects.exclude(public_changed_at=None).update(public_changed_at=long_ago)
    SeenChange.objects.exclude(restricted_changed_at=None).update(restricted_changed_at=long_ago)


def open_data_download(client, fmt="json"):
    response = client.get(reverse("intake:open-data", args=[fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def test_a_citations_place_edited_away_leaves_the_open_data_download(client, db):
    # A public citation's locator quoted something that must not be published (an address); an editor edits
    # it in place (the admin's citation inline: actions.update_citation). The public export shows the
    # locator, so the open-data download must stop serving the old text.
    person = actions.create_person("t", "Адкрыты Чалавек")
    event = actions.record_event("t", person, "detained", "2021-03-01")
    source = actions.create_source("t", "Навіна", url="https://example.org/n")
    citation = actions.cite("t", source, event, locator="жыве на вул. Сакрэтнай, 5")
    assert "вул. Сакрэтнай" in open_data_download(client)
    actions.update_citation("t", Citation.objects.get(pk=citation.pk), locator="p. 3")
    # The fresh public export no longer has it ...
    assert "вул. Сакрэтнай" not in b"".join(export.export_public("json")).decode()
    # ... but the download, exported once per public version, still serves it.
    assert "вул. Сакрэтнай" not in open_data_download(client)


def test_a_citations_place_edited_is_in_the_public_change_file(db):
    # A mirror applying the public change files keeps the old locator for ever: the person is not listed.
    person = actions.create_person("t", "Адкрыты Чалавек")
    event = actions.record_event("t", person, "detained", "2021-03-01")
    source = actions.create_source("t", "Навіна", url="https://example.org/n")
    citation = actions.cite("t", source, event, locator="жыве на вул. Сакрэтнай, 5")
    _clocks_read_long_ago()
    today = dt.date.today()
    actions.update_citation("t", Citation.objects.get(pk=citation.pk), locator="p. 3")
    records = json.loads(b"".join(export.export("json", public=True, changed_since=today)))
    listed = [r.get("public_id") for r in records]
    assert person.public_id in listed, listed


def test_a_staff_export_does_not_widen_the_permissions_of_the_file_it_replaces(db, tmp_path):
    # A staff export holds sealed people, sealed names and consent notes. `-o FILE` writes a new file beside
    # the target and renames it into place, so a target an admin had made private (0600) is replaced by a
    # file readable by every local user (0644 under the usual umask).
    import os
    import stat

    from django.core.management import call_command

    actions.create_person("t", "Запячатаны Чалавек", confidentiality="sealed")
    target = tmp_path / "backup.json"
    target.write_bytes(b"")
    target.chmod(0o600)
    old = os.umask(0o022)
    try:
        call_command("export", "--format", "json", "-o", str(target))
    finally:
        os.umask(old)
    assert "Запячатаны".encode() in target.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) & 0o077 == 0, oct(target.stat().st_mode)


def test_a_public_export_is_written_with_the_umasks_mode(db, tmp_path):
    # Public data, served by the site or a timer's upload: only a staff export is kept to its owner.
    import os
    import stat

    from django.core.management import call_command

    actions.create_person("t", "Адкрыты Чалавек")
    target = tmp_path / "open.json"
    old = os.umask(0o022)
    try:
        call_command("export", "--format", "json", "--public", "-o", str(target))
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def merged_with_a_sealed_alias() -> tuple[Person, Person]:
    """(kept, duplicate): public "Адкрыты Іван", and merged into it "Дублікат Іван" with the sealed alias
    "Тайнае Імя", each read again after the merge."""
    from spis.registry import merge

    kept = actions.create_person("t", "Адкрыты Іван")
    duplicate = actions.create_person(
        "t",
        "Дублікат Іван",
        names=[{"text": "Дублікат Іван"}, {"text": "Тайнае Імя", "confidentiality": "sealed"}],
    )
    merge.merge("t", duplicate, kept)
    return Person.objects.get(pk=kept.pk), Person.objects.get(pk=duplicate.pk)


def test_the_public_export_never_gives_a_merged_records_sealed_name_as_the_display_name(db):
    # A public person's display name is on every public file and page, "never a name that only staff may
    # read" (Person.shows_a_withheld_name). The check reads the person's own names only, but the export shows
    # a person's merge cluster as one record: a sealed alias of a record merged into them is accepted as the
    # display name and published.
    kept, _duplicate = merged_with_a_sealed_alias()
    with pytest.raises(ValidationError, match="only staff may read"):
        actions.update_person("t", kept, display_name="Тайнае Імя")
    for fmt in export.FORMATS:
        data = b"".join(export.export_public(fmt)).decode("utf-8")
        assert "Тайнае Імя" not in data, fmt


def test_a_name_of_a_merged_record_that_is_the_clusters_display_name_cannot_be_made_sealed(db):
    # The other way to the same leak: the public name with the display name's text is the merged record's,
    # and an editor seals it (its own display name is another).
    from spis.registry import merge
    from spis.registry.models import Name

    kept = actions.create_person("t", "Адкрыты Іван", names=[{"text": "Іван Адкрыты"}])
    duplicate = actions.create_person(
        "t", "Дублікат Іван", names=[{"text": "Дублікат Іван"}, {"text": "Адкрыты Іван"}]
    )
    merge.merge("t", duplicate, kept)
    name = Name.objects.get(person=duplicate, text="Адкрыты Іван")
    with pytest.raises((ValueError, ValidationError)):
        actions.set_name_level("t", name, "sealed")
    for fmt in export.FORMATS:
        assert "Адкрыты Іван" in b"".join(export.export_public(fmt)).decode("utf-8"), fmt
    assert Name.objects.get(pk=name.pk).confidentiality == "public"


def test_a_deleted_person_is_not_served_by_the_open_data_download(
    client, db, django_capture_on_commit_callbacks
):
    # access.md: a person is deleted outright by an admin once their names and events are gone. Their
    # clocks go with them, so the newest public clock (the download's version) does not move unless they held
    # it, and the file exported before the deletion, with them in it, is served on until the next public
    # change or the next day.
    from spis.registry.models import Name

    gone = actions.create_person("t", "Выдалены Чалавек")
    actions.create_person("t", "Адкрыты Чалавек")  # its clock is the newest
    assert "Выдалены" in open_data_download(client)
    with django_capture_on_commit_callbacks(execute=True):
        Name.objects.filter(person=gone).delete()
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.filter(pk=gone.pk).delete()
    assert "Выдалены" not in b"".join(export.export_public("json")).decode()
    assert "Выдалены" not in open_data_download(client)


def test_a_hidden_persons_deletion_exports_the_download_no_more(
    client, db, django_capture_on_commit_callbacks
):
    # The count the download's version keeps is of the people the public sees: a sealed one's deletion
    # leaves it as it was (else the next download would take an export's time, and tell of a hidden write).
    from spis.intake import published
    from spis.registry.models import Name

    gone = actions.create_person("t", "Запячатаны Чалавек", confidentiality="sealed")
    actions.create_person("t", "Адкрыты Чалавек")
    before = published.public_version()
    with django_capture_on_commit_callbacks(execute=True):
        Name.objects.filter(person=gone).delete()
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.filter(pk=gone.pk).delete()
    assert published.public_version() == before
