"""Change files (`spis export --changed-since`) read back by `spis import`: one that lists nothing is a file."""

import io
import json

import pytest
from django.core.management import call_command

from spis.intake import importer
from spis.registry import actions
from spis.registry.models import Person

pytestmark = pytest.mark.django_db

TOMORROW = "2999-01-01"  # no record changed since: the change file lists nothing


def _change_file(tmp_path, fmt: str, public: bool) -> bytes:
    out = tmp_path / f"changed.{fmt}"
    call_command(
        "export", format=fmt, public=public, changed_since=TOMORROW, output=str(out), stdout=io.StringIO()
    )
    return out.read_bytes()


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_change_file_that_lists_nothing_imports_nothing(tmp_path, fmt, public):
    # A user test: a mirror imports each day's change file; a day with no change failed ("no records").
    person = actions.create_person("test", "Пётр Сідарэнка")
    data = _change_file(tmp_path, fmt, public)
    for dry_run in (True, False):
        result = importer.run_import(data, file_name=f"changed.{fmt}", dry_run=dry_run)
        assert result.errors == [] and result.status in {"completed", "dry-run"}, result.errors
        assert (result.rows, result.created, result.updated, result.conflicts) == (0, 0, 0, 0)
    assert list(Person.objects.values_list("public_id", flat=True)) == [person.public_id]


def test_a_change_file_that_lists_nothing_imports_by_the_command(tmp_path):
    data = _change_file(tmp_path, "csv", True)
    (tmp_path / "nothing.csv").write_bytes(data)
    out = io.StringIO()
    call_command("import", str(tmp_path / "nothing.csv"), json=True, stdout=out)
    report = json.loads(out.getvalue())
    assert report["errors"] == [] and report["rows"] == report["created"] == report["updated"] == 0


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("empty.json", b"", "the file is empty"),
        ("blank.csv", b"\xef\xbb\xbf\r\n\r\n", "no header row"),
        # A list's header with nothing under it is no export's: still refused, as before.
        ("list.csv", "ФИО;Дата рождения\n".encode(), "no data rows"),
        ("export.json", b'{"people": []}', "expected a JSON list of objects"),
    ],
)
def test_a_file_with_no_header_or_no_list_is_still_refused(name, content, said):
    result = importer.run_import(content, file_name=name, dry_run=True)
    assert result.status == "dry-run-failed" and said in result.errors[0]["message"], result.errors


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_change_file_that_lists_nothing_is_previewed_and_imported_at_intake(
    verified_client, users, tmp_path, fmt
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from spis.intake.models import ImportBatch

    data = _change_file(tmp_path, fmt, True)
    client = verified_client(users["editor"])
    client.post(reverse("intake:upload"), {"file": SimpleUploadedFile(f"changed.{fmt}", data)})
    batch = ImportBatch.objects.get()
    preview = client.get(reverse("intake:preview", args=[batch.pk]))
    assert preview.status_code == 200 and 'role="alert"' not in preview.content.decode()
    client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "completed" and batch.counts["rows"] == 0 and batch.counts["created"] == 0
    assert client.get(reverse("intake:batch", args=[batch.pk])).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_change_file_of_withdrawals_alone_imports_nothing_and_names_them(tmp_path, fmt):
    """A day whose change file only withdrew people failed to import ("nothing to import"), as a day with no
    change did: a mirror applying each day's file stopped on it. The withdrawals are said, not imported."""
    import datetime as dt

    from spis.access import changes

    person = actions.create_person("test", "Пётр Сідарэнка")
    changes.refresh()  # the public saw them
    actions.update_person("test", person, confidentiality="sealed")
    out = tmp_path / f"changed.{fmt}"
    since = dt.date.today().isoformat()
    call_command(
        "export", format=fmt, public=True, changed_since=since, output=str(out), stdout=io.StringIO()
    )
    data = out.read_bytes()
    assert person.public_id in data.decode("utf-8-sig") and "Сідарэнка" not in data.decode("utf-8-sig")
    result = importer.run_import(data, file_name=out.name)
    assert (result.status, result.rows, result.errors) == ("completed", 0, [])
    [said] = result.as_dict()["file_notes"]
    assert person.public_id in said and "never withdraws a person" in said
