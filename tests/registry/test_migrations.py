"""Migrations that touch existing data or the planner's statistics."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from spis.registry import actions
from spis.registry.models import Source

REMADE = {"registry_citation", "registry_custodyspell", "registry_event", "registry_person"}


def _analysed() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite re-creates a table to alter a column")
def test_dropping_the_prefix_covered_indexes_keeps_the_planner_statistics():
    # Rows written by today's models, then taken back to 0008: the reverse migrations keep them.
    source = Source.objects.create(title="Test source")
    person = actions.create_person("t", "Тэставы Янка", source=source)
    actions.record_event("t", person, "detained", dt.date(2021, 3, 12), sources=[source])
    executor = MigrationExecutor(connection)
    executor.migrate([("registry", "0008_generation")])
    try:
        actions.refresh_planner_statistics()
        assert _analysed() >= REMADE
        executor.loader.build_graph()
        executor.migrate([("registry", "0009_drop_prefix_covered_indexes")])
        assert _analysed() >= REMADE, "the re-created tables lost their statistics"
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_sort_name_migration_fills_every_key_and_reverses():
    from spis.names.collate import sort_key

    executor = MigrationExecutor(connection)
    before = [("registry", "0011_event_not_public_index")]
    executor.migrate(before)
    try:
        # People as they were before the key existed (the model of that state, not today's).
        old = executor.loader.project_state(before).apps.get_model("registry", "Person")
        for number, name in enumerate(["Ўзорная Ганна", "Іванова Ала", "Уладзімірава Вольга"], 1):
            old.objects.create(public_id=f"BY-{number:06d}", display_name=name)
        executor.loader.build_graph()
        executor.migrate([("registry", "0012_person_sort_name")])
        with connection.cursor() as cursor:
            cursor.execute("SELECT display_name, sort_name FROM registry_person ORDER BY sort_name, id")
            rows = cursor.fetchall()
        assert rows == [
            (name, sort_key(name)) for name in ["Іванова Ала", "Уладзімірава Вольга", "Ўзорная Ганна"]
        ]
        executor.loader.build_graph()
        executor.migrate(before)  # reversible: the column and its index go, the names stay
        with connection.cursor() as cursor:
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, "registry_person")
            ]
        assert "sort_name" not in columns and "display_name" in columns
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_file_named_sources_of_earlier_imports_become_restricted():
    """'Import of FILE on DATE' named a file on public pages; a source that names a publication stays."""
    executor = MigrationExecutor(connection)
    before = [("intake", "0001_initial")]
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        source, batch = apps.get_model("registry", "Source"), apps.get_model("intake", "ImportBatch")
        made = {}
        for file_name, title, url in (
            ("ад сястры Іванавай.csv", "Import of ад сястры Іванавай.csv on 2026-11-01", ""),
            ("viasna.csv", "Viasna: list of political prisoners", "https://prisoners.spring96.org/"),
            ("linked.csv", "Import of linked.csv on 2026-11-01", "https://example.org/list"),
        ):
            made[file_name] = source.objects.create(title=title, url=url)
            batch.objects.create(
                file_name=file_name, checksum="0" * 64, format="csv", actor="t", source=made[file_name]
            )
        executor.loader.build_graph()
        executor.migrate([("intake", "0002_file_sources_restricted")])
        levels = dict(Source.objects.values_list("title", "confidentiality"))
        assert levels == {
            "Import of ад сястры Іванавай.csv on 2026-11-01": "restricted",
            "Viasna: list of political prisoners": "public",
            "Import of linked.csv on 2026-11-01": "public",
        }
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_uploaded_files_of_finished_batches_are_deleted_and_their_rows_kept():
    """Nothing reads a finished batch's stored upload; its rows' raw content is provenance and stays."""
    executor = MigrationExecutor(connection)
    before = [("intake", "0005_batch_claimed_at")]
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        batch, row = apps.get_model("intake", "ImportBatch"), apps.get_model("intake", "ImportRow")
        for status in ("uploaded", "running", "completed", "partial", "failed"):
            made = batch.objects.create(
                file_name=f"{status}.csv",
                checksum="0" * 64,
                format="csv",
                actor="t",
                status=status,
                content=b"x",
            )
            row.objects.create(batch=made, line=2, raw={"ФИО": "Пятрова Ганна"}, outcome="created")
        executor.loader.build_graph()
        executor.migrate([("intake", "0006_batch_discarded")])
        from spis.intake.models import ImportBatch, ImportRow

        kept = {b.status: None if b.content is None else bytes(b.content) for b in ImportBatch.objects.all()}
        assert kept == {"uploaded": b"x", "running": b"x", "completed": None, "partial": None, "failed": None}
        assert ImportRow.objects.filter(raw={"ФИО": "Пятрова Ганна"}).count() == 5
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_a_public_person_displaying_a_withheld_name_displays_a_public_one_after_the_migration():
    import importlib

    from spis.registry.models import AuditEntry, Name, Person

    migration = importlib.import_module("spis.registry.migrations.0016_no_withheld_display_names")
    shown = actions.create_person(
        "t", "Тайная Таццяна", names=[{"text": "Тайная Таццяна"}, {"text": "Т. Т."}]
    )
    alone = actions.create_person("t", "Адна Ала")
    kept = actions.create_person(
        "t", "Відная Вольга", names=[{"text": "Відная Вольга"}, {"text": "Відная Вольга"}]
    )
    # Made restricted in place, as the admin let an editor do before.
    Name.objects.filter(text__in=["Тайная Таццяна", "Адна Ала"]).update(confidentiality="restricted")
    one_of_two = Name.objects.filter(person=kept).order_by("id").first()
    Name.objects.filter(pk=one_of_two.pk).update(confidentiality="sealed")  # the other is public
    migration.display_public_names(None, None)
    names = dict(Person.objects.values_list("pk", "display_name"))
    assert names == {shown.pk: "Т. Т.", alone.pk: alone.public_id, kept.pk: "Відная Вольга"}
    assert AuditEntry.objects.filter(action="update_person", actor="system:migration").count() == 2


@pytest.mark.django_db
def test_names_with_a_patronymic_initial_get_their_surname_key_after_the_migration():
    import importlib

    from django.apps import apps

    from spis.names import name_keys
    from spis.registry.models import Name

    migration = importlib.import_module("spis.registry.migrations.0017_name_keys_with_initials")
    person = actions.create_person("t", "Ковалёв Алесь П.", names=[{"text": "Ковалёв Алесь П."}])
    other = actions.create_person("t", "Іваноў Іван", names=[{"text": "Іваноў Іван"}])
    # The keys the old parser stored: the initial taken for the given name, the given name for the surname.
    Name.objects.filter(person=person).update(keys="kavalav alas p alas alas p")
    untouched = Name.objects.get(person=other).keys
    migration.rebuild_keys(apps, None)
    assert Name.objects.get(person=person).keys == " ".join(name_keys("Ковалёв Алесь П."))
    assert "kavalav alas" in Name.objects.get(person=person).keys.split(" ", 1)[1]
    assert Name.objects.get(person=other).keys == untouched
