"""The upload preview plans its dry run once for all its pages and filters, and again when anything it reads
changes: the registry, the imports, the reader or their language (views.PREVIEWS)."""

import pytest
from django.test import Client
from django.urls import reverse

from spis.intake import importer, views
from spis.intake.models import ImportBatch
from spis.registry import actions
from tests.conftest import login_verified

from .test_views import _upload


@pytest.fixture
def dry_runs(monkeypatch):
    """The dry runs the preview plans (each a call of importer.run_import)."""
    real, calls = importer.run_import, []

    def counted(data, **options):
        calls.append(options.get("dry_run", False))
        return real(data, **options)

    monkeypatch.setattr(importer, "run_import", counted)
    return calls


def _preview(client, batch, **query):
    response = client.get(reverse("intake:preview", args=[batch.pk]), query)
    assert response.status_code == 200
    return response


def _outcomes(response):
    return {row["name"]: row["outcome"] for row in response.context["rows"]}


def test_the_pages_and_filters_of_one_preview_plan_its_dry_run_once(
    verified_client, users, dry_runs, monkeypatch
):
    monkeypatch.setattr(views, "ROWS_PER_PAGE", 4)
    client = verified_client(users["editor"])
    _upload(client, users["editor"])
    batch = ImportBatch.objects.get()
    first = _preview(client, batch)
    second = _preview(client, batch, page=2)
    errors = _preview(client, batch, outcome="error")
    assert dry_runs == [True]
    assert len(first.context["rows"]) == len(second.context["rows"]) == 4
    assert [row["line"] for row in first.context["rows"]] != [row["line"] for row in second.context["rows"]]
    assert [row["outcome"] for row in errors.context["rows"]] == ["error"] * 3
    assert "rows: 9" in errors.content.decode() and "errors: 3" in errors.content.decode()


def test_a_write_to_the_registry_between_two_pages_plans_the_dry_run_again(verified_client, users, dry_runs):
    client = verified_client(users["editor"])
    _upload(client, users["editor"])
    batch = ImportBatch.objects.get()
    assert _outcomes(_preview(client, batch))["Дэманстрацыйны Васіль"] == "created"
    actions.create_person("t", "Дэманстрацыйны Васіль", birth_date="1970")
    # The row now meets the person another editor entered meanwhile: it is no longer a new person.
    assert _outcomes(_preview(client, batch))["Дэманстрацыйны Васіль"] != "created"
    assert dry_runs == [True, True]


def test_an_import_between_two_pages_plans_the_dry_run_again(verified_client, users, dry_runs):
    client = verified_client(users["editor"])
    _upload(client, users["editor"])
    batch = ImportBatch.objects.get()
    assert _outcomes(_preview(client, batch))["Дэманстрацыйны Васіль"] == "created"
    importer.run_import(
        "name;birth_date\nДэманстрацыйны Васіль;1970\n".encode(), file_name="other.csv", actor="t"
    )
    assert _outcomes(_preview(client, batch))["Дэманстрацыйны Васіль"] != "created"
    assert dry_runs == [True, False, True]


def test_an_administrator_never_reads_the_preview_an_editor_was_shown_nor_the_editor_the_administrators(
    verified_client, users, dry_runs
):
    # The same upload, previewed by its editor, then by an administrator, then the editor again: each reads the
    # rows as they may (the editor without the sealed person's name), each planned for them.
    sealed = actions.create_person("t", "Тестовый Иван Петрович", birth_date="1985", confidentiality="sealed")
    editor = verified_client(users["editor"])
    _upload(editor, users["editor"])
    batch = ImportBatch.objects.get()
    admin = login_verified(Client(), users["admin"])
    for reader, shown in [(editor, False), (admin, True), (editor, False), (admin, True)]:
        page = _preview(reader, batch).content.decode()
        assert (sealed.public_id in page) is shown
    assert dry_runs == [True, True]


def test_a_reader_who_changes_language_reads_the_preview_in_it(verified_client, users, dry_runs):
    client = verified_client(users["editor"])
    _upload(client, users["editor"])
    batch = ImportBatch.objects.get()
    english = {row["outcome_label"] for row in _preview(client, batch).context["rows"]}
    client.cookies["django_language"] = "ru"
    russian = {row["outcome_label"] for row in _preview(client, batch).context["rows"]}
    assert "error" in english and "error" not in russian and english.isdisjoint(russian)
    assert dry_runs == [True, True]
