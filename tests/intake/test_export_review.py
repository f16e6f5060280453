"""Found by a review of the export and the open-data download (2026-12-01): each test failed on the code before its fix."""

import datetime as dt
import json

from django.urls import reverse

from spis.intake import export
from spis.registry import actions
from spis.registry.models import Citation


def _clocks_read_long_ago():
    """The change clocks read now (any public read does), and dated as if that was in 2020: a change file
    since today then lists only what changed after this point."""
    from spis.access import changes
    from spis.access.models import SeenChange

    changes.refresh()
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    SeenChange.objects.exclude(public_changed_at=None).update(public_changed_at=long_ago)
    SeenChange.objects.exclude(restricted_changed_at=None).update(restricted_changed_at=long_ago)


def _download(client, fmt="json"):
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
    assert "вул. Сакрэтнай" in _download(client)
    actions.update_citation("t", Citation.objects.get(pk=citation.pk), locator="p. 3")
    # The fresh public export no longer has it ...
    assert "вул. Сакрэтнай" not in b"".join(export.export_public("json")).decode()
    # ... but the download, exported once per public version, still serves it.
    assert "вул. Сакрэтнай" not in _download(client)


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
