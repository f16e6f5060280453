"""The staff upload page (editors only): upload, dry-run preview row by row, confirm; the open-data download."""

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spis.intake.models import ImportBatch
from spis.registry import actions
from spis.registry.models import AuditEntry, Person

from .helpers import fixture

VIASNA = "viasna_ru_bom_semicolon.csv"


def _upload(client, user, partial=True):
    data = {"file": SimpleUploadedFile(VIASNA, fixture(VIASNA)), "mapping": "viasna", "partial": partial}
    return client.post(reverse("intake:upload"), data)


@pytest.mark.parametrize("role", ["volunteer", "researcher"])
def test_it_hides_the_upload_page_from_users_below_editor(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("intake:upload")).status_code == 404


def test_it_sends_anonymous_users_to_log_in(client, db):
    assert client.get(reverse("intake:upload")).status_code == 302


def test_it_previews_row_by_row_then_imports_on_confirm(verified_client, users):
    client = verified_client(users["editor"])
    response = _upload(client, users["editor"])
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "uploaded"
    preview = client.get(reverse("intake:preview", args=[batch.pk]))
    page = preview.content.decode()
    assert "missing name" in page and "formula" in page and 'class="outcome-error"' in page
    assert Person.objects.count() == 0  # the preview wrote nothing
    client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "partial" and batch.counts["created"] == 4
    assert Person.objects.count() == 4
    assert batch.rows.count() == 9
    assert client.get(reverse("intake:batch", args=[batch.pk])).status_code == 200


def test_a_researcher_cannot_see_a_batch(client, verified_client, users):
    _upload(verified_client(users["editor"]), users["editor"])
    batch = ImportBatch.objects.get()
    client.force_login(users["researcher"])
    assert client.get(reverse("intake:preview", args=[batch.pk])).status_code == 404
    assert client.get(reverse("intake:batch", args=[batch.pk])).status_code == 404


def test_the_open_data_download_is_the_public_export(client, db):
    public = actions.create_person("t", "Адкрыты Чалавек")
    actions.create_person("t", "Запячатаны Чалавек", confidentiality="sealed")
    response = client.get(reverse("intake:open-data", args=["json"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    records = json.loads(b"".join(response.streaming_content))
    assert [r["public_id"] for r in records] == [public.public_id]
    assert client.get(reverse("intake:open-data", args=["xml"])).status_code == 404


def _download(client, fmt="json", **headers):
    response = client.get(reverse("intake:open-data", args=[fmt]), **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_the_open_data_download_is_exported_once_per_registry_version(client, db, monkeypatch, settings):
    from spis.intake import export

    person = actions.create_person("t", "Адкрыты Чалавек")
    calls = []
    real = export.export_public
    monkeypatch.setattr(export, "export_public", lambda fmt: calls.append(fmt) or real(fmt))
    first, body = _download(client)
    again, same = _download(client)
    assert calls == ["json"] and same == body and again["ETag"] == first["ETag"]
    assert int(again["Content-Length"]) == len(body)
    # A client holding the file is told it has not changed, and nothing is exported for it.
    assert (
        client.get(reverse("intake:open-data", args=["json"]), HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    assert calls == ["json"]
    # Sealing the person changes the version: the next download leaves them out, and the old file is gone.
    actions.update_person("t", person, confidentiality="sealed")
    after, body = _download(client)
    assert calls == ["json", "json"] and after["ETag"] != first["ETag"]
    assert json.loads(body) == [] and "Адкрыты".encode() not in body
    [written] = settings.OPEN_DATA_DIR.glob("*.json")
    assert written.name.endswith("-" + after["ETag"].strip('"') + ".json")


def test_a_write_the_public_cannot_see_exports_nothing_again(client, db, monkeypatch):
    # Neither the ETag nor the time a download takes (a whole export, seconds at 100,000 people) may tell
    # anyone polling the download when hidden writes happen.
    from spis.intake import export

    person = actions.create_person("t", "Адкрыты Чалавек")
    calls = []
    real = export.export_public
    monkeypatch.setattr(export, "export_public", lambda fmt: calls.append(fmt) or real(fmt))
    before, body = _download(client)
    actions.record_event("t", person, "charged", "2024-01-01", confidentiality="restricted")
    after, same = _download(client)
    assert calls == ["json"] and same == body and after["ETag"] == before["ETag"]
    url = reverse("intake:open-data", args=["json"])
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304


def test_a_new_release_exports_the_open_data_again(client, db, monkeypatch):
    """The files outlive the processes: one written by the code before a release is not served after it."""
    from spis.intake import export, published

    actions.create_person("t", "Адкрыты Чалавек")
    calls = []
    real = export.export_public
    monkeypatch.setattr(export, "export_public", lambda fmt: calls.append(fmt) or real(fmt))
    before, _ = _download(client)
    monkeypatch.setattr(published, "code_version", lambda: "the next release")
    after, _ = _download(client)
    assert calls == ["json", "json"] and after["ETag"] == before["ETag"]  # the same content


def test_an_export_that_fails_leaves_no_file_to_serve(client, db, monkeypatch, settings):
    from spis.intake import export

    actions.create_person("t", "Адкрыты Чалавек")

    def broken(fmt):
        yield b"[{"
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "export_public", broken)
    with pytest.raises(RuntimeError):
        _download(client)
    assert list(settings.OPEN_DATA_DIR.iterdir()) == [settings.OPEN_DATA_DIR / "json.lock"]
    # What a process killed half-way leaves (no `finally` runs) goes with the next export of its format.
    (settings.OPEN_DATA_DIR / ".json.0123.killed.part").write_bytes(b"[{")
    monkeypatch.undo()
    _, body = _download(client)
    assert [r["display_name"] for r in json.loads(body)] == ["Адкрыты Чалавек"]
    assert not list(settings.OPEN_DATA_DIR.glob("*.part"))


@pytest.mark.django_db
def test_it_never_names_a_sealed_person_to_an_editor_without_a_grant(users):
    from spis.intake.views import _hidden_people, _redact

    sealed = actions.create_person("t", "Hidden Sealedperson", confidentiality="sealed")
    hidden = _hidden_people(users["editor"])
    assert (sealed.public_id, sealed.display_name) in hidden.people and hidden.levels == {"sealed"}
    assert _hidden_people(users["admin"]) == ([], frozenset())
    message = f"matched {sealed.public_id} by name 'Hidden Sealedperson' (0.93)"
    assert sealed.public_id not in _redact([message], hidden)[0].text
    assert _redact(["date refined"], hidden) == [("date refined", False)]


def test_it_pages_the_rows_and_filters_them_by_outcome(verified_client, users, monkeypatch):
    from spis.intake import views

    monkeypatch.setattr(views, "ROWS_PER_PAGE", 4)
    client = verified_client(users["editor"])
    _upload(client, users["editor"])
    batch = ImportBatch.objects.get()
    preview = client.get(reverse("intake:preview", args=[batch.pk]))
    # Nine rows, four a page: the first page says so and links the next; the filter counts every row.
    assert preview.context["page"].paginator.num_pages == 3 and len(preview.context["rows"]) == 4
    assert "rows 1–4 of 9" in preview.content.decode() and "?outcome=&amp;page=2" in preview.content.decode()
    errors = client.get(reverse("intake:preview", args=[batch.pk]), {"outcome": "error"})
    assert [row["outcome"] for row in errors.context["rows"]] == ["error"] * 3
    client.post(reverse("intake:confirm", args=[batch.pk]))
    url = reverse("intake:batch", args=[batch.pk])
    last = client.get(url, {"page": 3})
    assert [row.line for row in last.context["rows"]] == [
        11
    ]  # the ninth row: a header and a two-line cell above
    filters = {value: count for value, _label, count in last.context["filters"]}
    assert filters == {"": 9, "created": 4, "updated": 1, "unchanged": 1, "error": 3}
    errors = client.get(url, {"outcome": "error"})
    assert sorted(row.line for row in errors.context["rows"]) == [6, 7, 10]
    # An unknown outcome or page shows all rows from the first page, not an error.
    odd = client.get(url, {"outcome": "nonsense", "page": "x"})
    assert odd.status_code == 200 and odd.context["page"].number == 1 and odd.context["outcome"] == ""


def test_row_outcomes_and_the_batch_status_are_in_the_staff_language(verified_client, users):
    client = verified_client(users["editor"])
    _upload(client, users["editor"])
    batch = ImportBatch.objects.get()
    preview = client.get(reverse("intake:preview", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="ru")
    assert "<strong>ошибка</strong>" in preview.content.decode()
    assert "<strong>новая запись</strong>" in preview.content.decode()
    client.post(reverse("intake:confirm", args=[batch.pk]))
    page = client.get(reverse("intake:batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="be").content.decode()
    assert "<td>памылка</td>" in page and "завершаны; радкі з памылкамі прапушчаны" in page
    # The stored values stay the English words that filters and the API use.
    assert sorted(set(batch.rows.values_list("outcome", flat=True))) == [
        "created",
        "error",
        "unchanged",
        "updated",
    ]
    english = client.get(reverse("intake:batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>error</td>" in english


def test_an_open_data_file_deleted_as_stale_while_served_is_still_read_whole(db, settings):
    """Another request deletes older versions' files once it has written the newer one; a download that
    already found the older file reads it to the end all the same."""
    from spis.intake import published

    actions.create_person("t", "Адкрыты Чалавек")
    handle, _ = published.open_public_file("json")  # written now
    handle.close()
    handle, _ = published.open_public_file("json")  # found: the path a download serves
    Path(handle.name).unlink()  # as a newer version's writer would
    with handle:
        assert [r["display_name"] for r in json.loads(handle.read())] == ["Адкрыты Чалавек"]


def test_spis_opendata_writes_the_files_the_download_then_serves(client, db, monkeypatch, settings):
    import io

    from django.core.management import call_command

    from spis.intake import export

    actions.create_person("t", "Адкрыты Чалавек")
    out = io.StringIO()
    call_command("opendata", stdout=out)
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == list(export.FORMATS)
    written = {p.suffix: p.read_bytes() for p in settings.OPEN_DATA_DIR.glob("*.*") if p.suffix != ".lock"}
    monkeypatch.setattr(export, "export_public", lambda fmt: pytest.fail("exported again"))
    for fmt in export.FORMATS:
        _, body = _download(client, fmt)
        assert body == written["." + fmt]


def _sealed_with_history():
    sealed = actions.create_person(
        "t", "Сідарэнка Сяргей Максімавіч", confidentiality="sealed", birth_date="1970"
    )
    actions.record_event("t", sealed, "detained", "2021-10-13")
    return sealed


def _upload_csv(client, text, partial=False):
    upload = SimpleUploadedFile("list.csv", text.encode("utf-8"))
    client.post(reverse("intake:upload"), {"file": upload, "partial": partial})
    return ImportBatch.objects.latest("pk")


@pytest.mark.parametrize(
    "row",
    [
        "Сідарэнка Сяргей Максімавіч;1970;05.05.2021",  # the same person, a conflicting date
        "Sidarenka Siarhei;1970;",  # the same person in Latin letters, nothing to add but a name
    ],
)
def test_an_import_leaves_a_person_the_editor_may_not_see_alone(verified_client, users, row):
    """A row that matches a sealed person this editor has no grant for neither shows the stored record (its
    values or its name) nor writes to it; it is held for an administrator, who may import it."""
    from spis.registry.models import Event, Name

    sealed = _sealed_with_history()
    client = verified_client(users["editor"])
    batch = _upload_csv(
        client, f"ФИО;Дата рождения;Дата задержания\nПятрова Ганна;1980;01.02.2022\n{row}\n", True
    )
    page = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    assert "an administrator must import this row" in page
    # The stored record's id, values and (where the file does not spell it so) name.
    secrets = [sealed.public_id, "2021-10-13", "13.10.2021", *(["Сідарэнка"] if "Sidarenka" in row else [])]
    assert not [secret for secret in secrets if secret in page]
    client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "partial" and batch.counts["created"] == 1
    assert (
        Event.objects.filter(person=sealed).count() == 1 and Name.objects.filter(person=sealed).count() == 1
    )
    assert not Person.objects.exclude(pk=sealed.pk).filter(display_name__icontains="Сідарэнка").exists()
    assert not Person.objects.filter(display_name__icontains="Sidarenka").exists()
    page = client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert not [secret for secret in secrets if secret in page]


def test_an_administrator_imports_into_a_sealed_record(verified_client, users):
    from spis.registry.models import Event

    sealed = _sealed_with_history()
    client = verified_client(users["admin"])
    batch = _upload_csv(
        client, "ФИО;Дата рождения;Дата задержания\nСідарэнка Сяргей Максімавіч;1970;05.05.2021\n"
    )
    client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "completed" and batch.counts["conflicts"] == 1
    assert Event.objects.filter(person=sealed).count() == 2


def test_uploading_an_imported_file_again_goes_to_its_batch_and_says_so(verified_client, users):
    client = verified_client(users["editor"])
    clean = "ФИО;Дата рождения;Дата задержания\nИванов Иван Иванович;1980;12.03.2021\n"
    _upload_csv(client, clean)
    first = ImportBatch.objects.get()
    client.post(reverse("intake:confirm", args=[first.pk]))
    upload = SimpleUploadedFile("list.csv", clean.encode())
    response = client.post(reverse("intake:upload"), {"file": upload, "partial": False})
    assert response.status_code == 302 and response["Location"].endswith(f"/{first.pk}?again=1")
    assert ImportBatch.objects.count() == 1  # no second batch left "uploaded, not yet imported"
    page = client.get(response["Location"]).content.decode()
    assert "already imported as this batch" in page


def test_the_error_count_counts_rows_as_the_filter_does(verified_client, users):
    client = verified_client(users["editor"])
    head = "ФИО;Дата рождения;Дата задержания\n"
    batch = _upload_csv(
        client, head + "Пятрова Ганна;31.02.1980;31.02.2021\nІванова Ірына;1980;01.02.2022\n", True
    )
    page = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    assert "errors: 1" in " ".join(page.split()) and "error (1)" in page
    client.post(reverse("intake:confirm", args=[batch.pk]))
    page = client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "errors: 1" in " ".join(page.split())


def test_a_file_that_cannot_be_read_is_not_offered_keep_the_good_rows(verified_client, users):
    client = verified_client(users["editor"])
    batch = _upload_csv(client, "Колонка;Другая\n1;2\n", True)
    page = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    assert "could not be read as a list" in page and "keep the good rows”" not in page


def test_an_administrator_can_import_the_rows_held_from_an_editor(verified_client, users, client):
    from spis.registry.models import Event

    sealed = _sealed_with_history()
    text = "ФИО;Дата рождения;Дата задержания\nПятрова Ганна;1980;01.02.2022\nСідарэнка Сяргей Максімавіч;1970;05.05.2021\n"
    batch = _upload_csv(verified_client(users["editor"]), text, True)
    verified_client(users["editor"]).post(reverse("intake:confirm", args=[batch.pk]))
    client.logout()
    admin = verified_client(users["admin"])
    again = _upload_csv(admin, text)  # the same bytes: read again, since rows were held
    assert again.pk != batch.pk
    admin.post(reverse("intake:confirm", args=[again.pk]))
    again.refresh_from_db()
    assert again.status == "completed" and (again.counts["unchanged"], again.counts["conflicts"]) == (1, 1)
    assert Event.objects.filter(person=sealed).count() == 2


def test_a_problem_of_a_later_line_of_one_persons_rows_names_its_line(verified_client, users):
    # A one-row-per-event list's person spans lines 2-4; the release on line 4 lacks its kind.
    client = verified_client(users["editor"])
    text = (
        "ФИО;event_type;event_date;release_kind\nЮрченко Богдан;detained;2021-03-12;\n"
        "Юрченко Богдан;transferred;2021-09-01;\nЮрченко Богдан;released;2022-03-12;\n"
        "Пятрова Ганна;detained;2022-02-01;\n"
    )
    batch = _upload_csv(client, text, True)
    said = "line 4, release_kind: a release needs its kind"
    assert said in _words(client.get(reverse("intake:preview", args=[batch.pk])))
    client.post(reverse("intake:confirm", args=[batch.pk]))
    assert said in _words(client.get(reverse("intake:batch", args=[batch.pk])))


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


def test_the_preview_says_the_level_counts_no_events_of_a_refused_row_and_names_the_forms_option(
    verified_client, users
):
    # A user test: a sealed person looked like any other in the preview; a refused row showed the events it
    # would not write; the messages told an editor in a browser to use "--partial".
    client = verified_client(users["editor"])
    text = (
        "ФИО;Дата рождения;Дата задержания;event_confidentiality\n"
        "Тайный Глеб;1980;01.02.2021;sealed\n"
        "Ошибкин Ян;31.02.1980;01.02.2021;\n"
        "Открытый Ян;1981;01.02.2021;\n"
    )
    batch = _upload_csv(client, text)
    page = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    assert 'Тайный Глеб <span class="level">(sealed)</span>' in page
    assert "Открытый Ян <span" not in page
    refused = page.split('class="outcome-error"')[1].split("</tr>")[0]
    assert "<td>0</td>" in refused
    from spis.intake.views import _for_the_page

    said = _for_the_page("delete the line, or keep the good rows (--partial); or a mapping (--mapping)")
    assert said == (
        "delete the line, or keep the good rows (“Keep the good rows when some have errors”); or a mapping "
        "(“Column mapping”)"
    )


def _another_editor(users):
    from django.contrib.auth.models import Group, User

    other = User.objects.create_user("editor2", "editor2@example.org", "correct-horse-battery", is_staff=True)
    other.groups.add(Group.objects.get(name="editor"))
    return other


def _client_of(user):
    from django.test import Client

    from tests.conftest import login_verified

    return login_verified(Client(), user)


def test_an_upload_not_yet_imported_is_its_uploaders_and_the_administrators_alone(users):
    # A user test: any editor could open another's pending upload, read which of its names are held for an
    # administrator (so a sealed person of that name exists) and confirm it.
    owner = _client_of(users["editor"])
    batch = _upload_csv(owner, "ФИО;Дата рождения\nПятрова Ганна;1980\n")
    other = _client_of(_another_editor(users))
    for name in ("intake:preview", "intake:batch"):
        assert other.get(reverse(name, args=[batch.pk])).status_code == 404
    assert other.post(reverse("intake:confirm", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == "uploaded" and not Person.objects.exists()
    assert "list.csv" not in other.get(reverse("intake:upload")).content.decode()
    admin = _client_of(users["admin"])
    assert admin.get(reverse("intake:preview", args=[batch.pk])).status_code == 200
    assert "list.csv" in admin.get(reverse("intake:upload")).content.decode()
    owner.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "completed" and batch.confirmed_by == users["editor"]
    # Imported, the batch is any editor's to read; its file's name (which may name a person) is not.
    page = other.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "confirmed by editor" in page and "list.csv" not in page and "a file imported by editor" in page
    listing = other.get(reverse("intake:upload")).content.decode()
    assert "list.csv" not in listing and "a file imported by editor" in listing
    assert "list.csv" in owner.get(reverse("intake:batch", args=[batch.pk])).content.decode()


TWO_ROWS = "ФИО;Дата рождения\nПятрова Ганна;1980\nІванова Ірына;1981\n"


def _confirmed_meanwhile(monkeypatch, other_tab, url) -> dict:
    """The other tab confirms the upload while this confirmation's import is under way: its answer, in the dict
    returned, once this one has run."""
    from spis.intake import importer

    real, second = importer.run_import, {}

    def confirmed_meanwhile(*args, **kwargs):
        if "answer" not in second:
            second["answer"] = None
            second["answer"] = other_tab.post(url)
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "run_import", confirmed_meanwhile)
    return second


def test_two_confirmations_of_one_upload_import_it_once(users, monkeypatch):
    # A user test: two tabs confirmed one preview at once; both ran the import (800 rows for a 400-row file).

    tab, other_tab = _client_of(users["editor"]), _client_of(users["editor"])
    batch = _upload_csv(tab, TWO_ROWS)
    url = reverse("intake:confirm", args=[batch.pk])
    second = _confirmed_meanwhile(monkeypatch, other_tab, url)
    assert tab.post(url)["Location"] == reverse("intake:batch", args=[batch.pk])
    assert second["answer"]["Location"] == reverse("intake:batch", args=[batch.pk]) + "?taken=1"
    batch.refresh_from_db()
    assert batch.status == "completed" and batch.rows.count() == 2 and Person.objects.count() == 2
    assert "confirmed already" in tab.get(second["answer"]["Location"]).content.decode()


def test_a_committed_import_whose_after_commit_step_fails_answers_with_its_batch(users, monkeypatch):
    from django.db import OperationalError

    from spis.intake import importer

    client = _client_of(users["editor"])
    batch = _upload_csv(client, TWO_ROWS)
    real = importer.run_import

    def locked_after_commit(*args, **kwargs):
        real(*args, **kwargs)
        raise OperationalError("database is locked")  # as registry.generation's on-commit raise met it

    monkeypatch.setattr(importer, "run_import", locked_after_commit)
    response = client.post(reverse("intake:confirm", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("intake:batch", args=[batch.pk])


def test_an_import_that_fails_before_writing_leaves_the_upload_to_confirm_again(users, monkeypatch):
    from spis.intake import importer

    client = _client_of(users["editor"])
    batch = _upload_csv(client, TWO_ROWS)

    def crashed(*args, **kwargs):
        raise RuntimeError("crashed")

    monkeypatch.setattr(importer, "run_import", crashed)
    with pytest.raises(RuntimeError):
        client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "uploaded" and batch.confirmed_by is None


def test_no_staff_page_of_an_upload_is_kept_by_a_browser_and_back_never_offers_an_import_again(users):
    client = _client_of(users["editor"])
    batch = _upload_csv(client, TWO_ROWS)
    preview = reverse("intake:preview", args=[batch.pk])
    pages = [reverse("intake:upload"), preview, reverse("intake:batch", args=[batch.pk])]
    for url in pages:
        assert "no-store" in client.get(url)["Cache-Control"], url
    assert "no-store" in client.post(reverse("intake:confirm", args=[batch.pk]))["Cache-Control"]
    # Back to the preview after the confirmation: fetched again, it is the batch's page, with no Import button.
    assert client.get(preview)["Location"] == reverse("intake:batch", args=[batch.pk])


def test_the_good_rows_of_a_failed_batch_are_shown_not_written(users):
    # A user test: a failed all-or-nothing import listed its good rows as "created" ("новая запись (2)").
    client = _client_of(users["editor"])
    batch = _upload_csv(client, TWO_ROWS + "Ошибкин Ян;31.02.1980\n")
    client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "failed" and not Person.objects.exists()
    url = reverse("intake:batch", args=[batch.pk])
    response = client.get(url)
    filters = {value: label for value, label, _count in response.context["filters"]}
    assert filters["created"] == "not written (would be created)"
    assert "<td>not written (would be created)</td>" in response.content.decode()
    assert "новая запись" not in client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("list.csv", b"\xd0\xa4\xd0\x98\xd0\x9e;Date\n", "no data rows"),
        ("list.json", b'[{"name": "Ivanov"', "JSON"),
        ("list.xlsx", "ФИО;Дата\nИванов Иван;1980\n".encode(), "this is not a readable XLSX workbook"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_as_its_errors(users, name, content, said):
    # A user test: "errors: 0", an empty table, an unstyled bullet, and "line 0: … File is not a zip file".
    client = _client_of(users["editor"])
    client.post(reverse("intake:upload"), {"file": SimpleUploadedFile(name, content)})
    batch = ImportBatch.objects.get()
    page = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    assert "errors: 1" in " ".join(page.split())
    alert = page.split('role="alert"')[1].split("</div>")[0]
    assert said in alert and "line 0" not in alert and "zip file" not in alert
    assert "<table" not in page.split("<main")[1]
    client.post(reverse("intake:confirm", args=[batch.pk]))  # as a second tab's button would
    page = client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "errors: 1" in " ".join(page.split())


@pytest.mark.parametrize("partial", [True, False])
def test_a_file_whose_every_row_is_an_error_is_offered_nothing_to_import(users, partial):
    # A user test: "Import the good rows" was offered when no row was good.
    client = _client_of(users["editor"])
    batch = _upload_csv(
        client, "ФИО;Дата рождения\nПятрова Ганна;31.02.1980\nІванова Ірына;31.02.1981\n", partial
    )
    response = client.get(reverse("intake:preview", args=[batch.pk]))
    page = response.content.decode()
    assert not response.context["can_confirm"] and reverse("intake:confirm", args=[batch.pk]) not in page
    assert "Import the good rows" not in page and "keep the good rows”" not in page
    assert "there is nothing to import" in page


def _killed_mid_import(batch, minutes_ago):
    """The batch as a confirmation whose process was killed (SIGKILL) `minutes_ago` left it: claimed, "running",
    its import's transaction rolled back (nothing written)."""
    from datetime import timedelta

    from django.utils import timezone

    ImportBatch.objects.filter(pk=batch.pk).update(
        status="running", claimed_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_an_upload_whose_import_was_killed_can_be_confirmed_again_once(users, monkeypatch):
    # A user test: a batch left "running" by a killed process could never be confirmed again.

    tab, other_tab = _client_of(users["editor"]), _client_of(users["editor"])
    batch = _upload_csv(tab, TWO_ROWS)
    _killed_mid_import(batch, minutes_ago=60)
    page = tab.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "was interrupted" in page and reverse("intake:preview", args=[batch.pk]) in page
    assert tab.get(reverse("intake:preview", args=[batch.pk])).context["can_confirm"]
    url = reverse("intake:confirm", args=[batch.pk])
    second = _confirmed_meanwhile(monkeypatch, other_tab, url)
    assert tab.post(url)["Location"] == reverse("intake:batch", args=[batch.pk])
    assert second["answer"]["Location"] == reverse("intake:batch", args=[batch.pk]) + "?taken=1"
    batch.refresh_from_db()
    assert batch.status == "completed" and batch.rows.count() == 2 and Person.objects.count() == 2
    taken_over = AuditEntry.objects.get(action="intake_batch_confirm", object_id=str(batch.pk))
    assert taken_over.before["status"] == "running" and taken_over.before["claimed_at"]


def test_an_import_under_way_is_not_taken_over(users):
    client = _client_of(users["editor"])
    batch = _upload_csv(client, TWO_ROWS)
    _killed_mid_import(batch, minutes_ago=1)  # as likely still running: younger than any worker's timeout
    assert client.get(reverse("intake:preview", args=[batch.pk]))["Location"] == reverse(
        "intake:batch", args=[batch.pk]
    )
    response = client.post(reverse("intake:confirm", args=[batch.pk]))
    assert response["Location"] == reverse("intake:batch", args=[batch.pk]) + "?taken=1"
    batch.refresh_from_db()
    assert batch.status == "running" and not Person.objects.exists()
    assert "The import is running" in client.get(reverse("intake:batch", args=[batch.pk])).content.decode()


def test_an_unexpected_error_after_a_committed_import_is_logged_not_a_500(users, monkeypatch, caplog):
    # The redirect to the batch page must not hide the error: a step after the commit failed, and someone must
    # look at why (the test above checks the redirect).
    from spis.intake import importer

    client = _client_of(users["editor"])
    batch = _upload_csv(client, TWO_ROWS)
    real = importer.run_import

    def bug_after_commit(*args, **kwargs):
        real(*args, **kwargs)
        raise TypeError("a programming error")

    monkeypatch.setattr(importer, "run_import", bug_after_commit)
    response = client.post(reverse("intake:confirm", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("intake:batch", args=[batch.pk])
    logged = [r for r in caplog.records if r.name == "spis.intake.views" and r.levelname == "ERROR"]
    assert logged and "a programming error" in str(logged[0].exc_info[1])


def test_an_unexpected_error_before_writing_releases_the_upload_logs_and_raises(users, monkeypatch, caplog):
    from django.db import OperationalError

    from spis.intake import actions as intake_actions
    from spis.intake import importer

    client = _client_of(users["editor"])
    batch = _upload_csv(client, TWO_ROWS)

    def crashed(*args, **kwargs):
        raise TypeError("a programming error")

    monkeypatch.setattr(importer, "run_import", crashed)
    with pytest.raises(TypeError):
        client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "uploaded"
    assert any(r.name == "spis.intake.views" and r.exc_info for r in caplog.records)
    # The release itself failing (the database locked) leaves the claim to go stale, and the error raised is
    # still the import's, not the release's.
    caplog.clear()

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(intake_actions, "release_batch", locked)
    with pytest.raises(TypeError):
        client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "running"
    assert sum(r.name == "spis.intake.views" and bool(r.exc_info) for r in caplog.records) == 2


def test_a_mapping_gone_since_the_upload_releases_it_to_its_preview(users, monkeypatch):
    from spis.intake import importer
    from spis.intake.mapping import MappingError
    from spis.intake.messages import Message

    client = _client_of(users["editor"])
    batch = _upload_csv(client, TWO_ROWS)

    def gone(*args, **kwargs):
        raise MappingError(Message("no such mapping: %(name)s", name="gone"))

    monkeypatch.setattr(importer, "run_import", gone)
    response = client.post(reverse("intake:confirm", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("intake:preview", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == "uploaded" and batch.confirmed_by is None


def test_an_upload_is_discarded_by_its_uploader_and_its_file_deleted(users):
    owner = _client_of(users["editor"])
    batch = _upload_csv(owner, TWO_ROWS)
    preview = owner.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    assert reverse("intake:discard", args=[batch.pk]) in preview
    other = _client_of(_another_editor(users))
    assert other.post(reverse("intake:discard", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == "uploaded" and batch.content
    response = owner.post(reverse("intake:discard", args=[batch.pk]))
    assert response["Location"] == reverse("intake:batch", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == "discarded" and batch.content is None and batch.checksum
    entry = AuditEntry.objects.get(action="intake_batch_discard", object_id=str(batch.pk))
    assert entry.actor == "editor" and entry.before == {"status": "uploaded"}
    page = owner.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "was discarded" in page and "<table" not in page  # no rows were read: no empty table of them
    # Discarded, it is neither previewed nor imported, and stays its uploader's and the administrators' alone.
    assert owner.get(reverse("intake:preview", args=[batch.pk]))["Location"] == reverse(
        "intake:batch", args=[batch.pk]
    )
    owner.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "discarded" and not Person.objects.exists()
    assert other.get(reverse("intake:batch", args=[batch.pk])).status_code == 404
    assert "list.csv" not in other.get(reverse("intake:upload")).content.decode()


def test_an_administrator_discards_an_upload_whose_import_was_killed(users):
    batch = _upload_csv(_client_of(users["editor"]), TWO_ROWS)
    _killed_mid_import(batch, minutes_ago=60)
    admin = _client_of(users["admin"])
    assert (
        reverse("intake:discard", args=[batch.pk])
        in admin.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    )
    admin.post(reverse("intake:discard", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "discarded" and batch.content is None


def test_an_import_under_way_or_done_is_not_discarded(users):
    client = _client_of(users["editor"])
    running = _upload_csv(client, TWO_ROWS)
    _killed_mid_import(running, minutes_ago=1)
    assert client.post(reverse("intake:discard", args=[running.pk]))["Location"].endswith("?taken=1")
    running.refresh_from_db()
    assert running.status == "running" and running.content
    done = _upload_csv(client, "ФИО;Дата рождения\nСяргеева Вольга;1990\n")
    client.post(reverse("intake:confirm", args=[done.pk]))
    # Its batch page, which says it was imported: not "confirmed already by another", as it said.
    answer = client.post(reverse("intake:discard", args=[done.pk]))
    assert answer["Location"] == reverse("intake:batch", args=[done.pk])
    done.refresh_from_db()
    assert done.status == "completed" and Person.objects.count() == 1


@pytest.mark.parametrize("text", [TWO_ROWS, TWO_ROWS + "Ошибкин Ян;31.02.1980\n"])
def test_a_finished_batch_keeps_its_rows_raw_content_not_its_uploaded_file(users, text):
    # Nothing reads a finished batch's file (it is confirmed once); every row's raw content is its provenance.
    client = _client_of(users["editor"])
    batch = _upload_csv(client, text)
    client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status in ("completed", "failed") and batch.content is None
    raw = [row.raw for row in batch.rows.order_by("line")]
    assert len(raw) == text.count("\n") - 1 and "Пятрова Ганна" in json.dumps(raw, ensure_ascii=False)


def _focused_summary(page: str) -> str:
    """The page's one element focused on load (the error summary), as text."""
    assert page.count("autofocus") == 1
    tag = re.search(r"<div[^>]*\bautofocus\b[^>]*>", page)
    assert tag and 'tabindex="-1"' in tag.group(0) and 'role="alert"' in tag.group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", page[tag.end() :].split("</div>")[0]).split())


def test_the_previews_error_summary_is_focused_and_its_errors_and_notes_are_told_apart_by_words(
    verified_client, users, monkeypatch
):
    # A user test (a screen reader): errors were only red, notes only not red; the page began at its top, far
    # from what went wrong; tables had no caption or column scopes; the pager did not say which page was shown.
    from spis.intake import views

    monkeypatch.setattr(views, "ROWS_PER_PAGE", 4)
    client = verified_client(users["editor"])
    _upload(client, users["editor"])
    batch = ImportBatch.objects.get()
    page = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    summary = _focused_summary(page)
    assert "3 rows have errors" in summary and "Show only the rows with errors" in summary
    assert 'href="?outcome=error"' in page.split("autofocus")[1].split("</div>")[0]
    assert "<caption>" in page and not re.search(r"<th(?=[\s>])(?![^>]*scope=)", page)
    pager = page.split('class="pager"')[1].split("</nav>")[0]
    assert '<span aria-current="page">rows 1–4 of 9</span>' in pager
    assert re.search(r'<strong aria-current="page">all \(9\)</strong>', page)
    errors = client.get(reverse("intake:preview", args=[batch.pk]), {"outcome": "error"}).content.decode()
    assert (
        'class="error"><strong>Error:</strong> ' in errors and "Show only the rows with errors" not in errors
    )
    created = client.get(reverse("intake:preview", args=[batch.pk]), {"outcome": "created"}).content.decode()
    assert 'class="note"><strong>Note:</strong> ' in created and "<strong>Error:</strong>" not in created
    # Confirmed (it fails, its rows kept), the batch page lists the rows.
    client.post(reverse("intake:confirm", args=[batch.pk]))
    batch_page = client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "<caption>" in batch_page and not re.search(r"<th(?=[\s>])(?![^>]*scope=)", batch_page)
    upload = client.get(reverse("intake:upload")).content.decode()
    assert "<caption>" in upload and not re.search(r"<th(?=[\s>])(?![^>]*scope=)", upload)


def test_a_file_that_cannot_be_read_has_its_reasons_focused(users):
    client = _client_of(users["editor"])
    client.post(reverse("intake:upload"), {"file": SimpleUploadedFile("list.json", b'[{"name": "Ivanov"')})
    batch = ImportBatch.objects.get()
    page = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    assert "The file could not be read" in _focused_summary(page)


def test_a_preview_without_errors_focuses_nothing(users):
    client = _client_of(users["editor"])
    batch = _upload_csv(client, TWO_ROWS)
    assert "autofocus" not in client.get(reverse("intake:preview", args=[batch.pk])).content.decode()


def test_a_claim_taken_over_as_abandoned_waits_for_an_import_still_running(transactional_db):
    """An import still running when its claim grew stale (a server with no worker timeout, a long file) held
    nothing a confirmation taking the claim over would wait for: on PostgreSQL both imported the file. The
    import holds its upload's row until it commits; the takeover then finds it imported. (On SQLite the
    import's writes hold the whole database, and a takeover waits for them as well.)"""
    import threading

    from django.contrib.auth.models import User
    from django.db import connection

    from spis.intake import actions, importer

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    editor = User.objects.create_user("slow-editor", password="x")
    batch = ImportBatch.objects.create(
        file_name="list.csv", checksum="c" * 64, format="csv", status="uploaded", content=TWO_ROWS.encode()
    )
    assert actions.claim_batch(editor, batch)
    _killed_mid_import(batch, minutes_ago=60)  # stale, as a long import's claim grows while it runs
    inside, go, taken = threading.Event(), threading.Event(), {}

    def slow(stage, *args):
        if stage == "started":
            inside.set()
            go.wait(30)

    def running():
        try:
            importer.run_import(
                TWO_ROWS.encode(), file_name="list.csv", user=editor, batch=batch, report=slow
            )
        finally:
            connection.close()

    def take_over():
        try:
            taken["claimed"] = actions.claim_batch(editor, ImportBatch.objects.get(pk=batch.pk))
        finally:
            connection.close()

    first = threading.Thread(target=running)
    first.start()
    assert inside.wait(30)
    second = threading.Thread(target=take_over)
    second.start()
    second.join(2)
    waiting = second.is_alive()  # it waits on the import's lock
    go.set()
    first.join(30)
    second.join(30)
    assert waiting and taken == {"claimed": False}
    batch.refresh_from_db()
    assert batch.status == "completed" and Person.objects.count() == 2


def test_a_running_upload_claimed_before_claims_were_timed_is_not_taken_over_at_once(users):
    """Migration 0005 left the claims of uploads running then without a time, and those counted as abandoned:
    one being imported during the upgrade could be confirmed again at once."""
    from datetime import timedelta

    from django.utils import timezone

    batch = _upload_csv(_client_of(users["editor"]), TWO_ROWS)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", claimed_at=None)
    batch.refresh_from_db()
    assert not batch.claim_abandoned()
    assert not ImportBatch.objects.filter(ImportBatch.claimable(), pk=batch.pk).exists()
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(hours=1))
    batch.refresh_from_db()
    assert (
        batch.claim_abandoned() and ImportBatch.objects.filter(ImportBatch.claimable(), pk=batch.pk).exists()
    )


def test_a_failed_import_releases_its_own_claim_and_not_one_that_took_it_over(users):
    from spis.intake import actions

    editor, admin = users["editor"], users["admin"]
    batch = _upload_csv(_client_of(editor), TWO_ROWS)
    assert actions.claim_batch(editor, batch)
    first = ImportBatch.objects.get(pk=batch.pk)  # the first confirmation's view of its claim
    _killed_mid_import(batch, minutes_ago=60)
    assert actions.claim_batch(admin, ImportBatch.objects.get(pk=batch.pk))  # taken over as abandoned
    actions.release_batch(editor, first)  # the first import failed late: it releases its own claim only
    batch.refresh_from_db()
    assert (batch.status, batch.confirmed_by) == ("running", admin)


def test_a_conflict_naming_a_sealed_events_values_is_not_shown_to_an_editor(users):
    """A conflict names the stored event's values ("date: stored 2021-02-01 …"). Rows are planned against every
    event: an editor's preview, and the batch page of an administrator's import that any editor reads, showed a
    sealed detention's date of a public person to editors, who may not read sealed events."""
    from spis.intake import importer
    from spis.registry import actions as registry

    person = registry.create_person("t", "Адкрыты Ян")
    registry.record_event("t", person, "detained", "2021-02-01", confidentiality="sealed", note="па даносе")
    row = "ФИО;Дата задержания\nАдкрыты Ян;03.02.2021\n"
    editor = _client_of(users["editor"])
    preview = editor.get(reverse("intake:preview", args=[_upload_csv(editor, row).pk])).content.decode()
    assert "Адкрыты Ян" in preview
    assert "2021-02-01" not in preview and "a level you may not read" in preview
    done = importer.run_import(row.encode(), file_name="list.csv", user=users["admin"], actor=users["admin"])
    assert done.conflicts == 1, done.errors
    url = reverse("intake:batch", args=[done.batch_id])
    assert "2021-02-01" in _client_of(users["admin"]).get(url).content.decode()
    page = editor.get(url).content.decode()
    assert "2021-02-01" not in page and "a level you may not read" in page


def test_a_conflict_rows_messages_are_labelled_each_by_what_it_says(verified_client, users):
    """A conflict row's every message was labelled "Conflict", the match and the notes too: which value is in
    conflict was not said in words."""
    person = actions.create_person("t", "Новик Павел Юрьевич")
    actions.record_event("t", person, "detained", "2022-02-01")
    client = verified_client(users["editor"])
    batch = _upload_csv(client, "ФИО;Дата задержания\nНовик Павел Юрьевич;03.02.2022\n", partial=True)
    page = client.get(reverse("intake:preview", args=[batch.pk])).content.decode()
    labelled = re.findall(r'<div class="(conflict|note)"><strong>(Conflict|Note):</strong> ([^<]*)', page)
    assert [(kind, label) for kind, label, _ in labelled] == [("note", "Note"), ("conflict", "Conflict")]
    assert (
        labelled[0][2].startswith("matched BY-")
        and "stored 2022-02-01, file says 2022-02-03" in labelled[1][2]
    )
    client.post(reverse("intake:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "completed"
    shown = client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert shown.count("<strong>Conflict:</strong>") == 1
    assert re.search(r'<div class="conflict"><strong>Conflict:</strong> detained', shown)
