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
    executor = MigrationExecutor(connection)
    executor.migrate([("registry", "0008_generation")])
    try:
        source = Source.objects.create(title="Test source")
        person = actions.create_person("t", "Тэставы Янка", source=source)
        actions.record_event("t", person, "detained", dt.date(2021, 3, 12), sources=[source])
        actions.refresh_planner_statistics()
        assert _analysed() >= REMADE
        executor.loader.build_graph()
        executor.migrate([("registry", "0009_drop_prefix_covered_indexes")])
        assert _analysed() >= REMADE, "the re-created tables lost their statistics"
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
