"""Person.sort_name: every writer of a display name keeps its sort key, and the database orders by it as Python does.

Names: Viasna's list of political prisoners (https://prisoners.spring96.org/be); Ўзорная, Ёсіпава and the
Latin-only name are made up for the letters that code-point order misplaces.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from spis.names.collate import sort_key
from spis.registry import actions
from spis.registry.models import Person

pytestmark = pytest.mark.django_db

# In alphabet order (see tests/names/test_collate.py), each of them misplaced by code points.
ORDERED = [
    "Бяляцкі Алесь Віктаравіч",
    "Ёсіпава Ірына",
    "Івашын Дзяніс Уладзіміравіч",
    "Лосік Дар’я",
    "Лосік Ігар Аляксандравіч",
    "Уладзімірава Вольга",
    "Ўзорная Ганна",
    "Фёдарава Ала",
    "Kalesnikava Maryia",
]


def _stored_keys_match() -> None:
    rows = list(Person.objects.values_list("display_name", "sort_name"))
    assert rows and all(key == sort_key(name) for name, key in rows)


def test_a_person_created_through_actions_gets_the_key():
    person = actions.create_person("t", "Ўзорная Ганна")
    person.refresh_from_db()
    assert person.sort_name == sort_key("Ўзорная Ганна") != ""


def test_renaming_keeps_the_key():
    person = actions.create_person("t", "Лосік Ігар")
    actions.update_person("t", person, display_name="Ўзорная Ганна")
    person.refresh_from_db()
    assert person.sort_name == sort_key("Ўзорная Ганна")
    # A save that names only the display name writes the key with it.
    person.display_name = "Ёсіпава Ірына"
    person.save(update_fields=["display_name"])
    person.refresh_from_db()
    assert person.sort_name == sort_key("Ёсіпава Ірына")


def test_the_database_orders_people_by_the_key_as_python_does():
    for name in reversed(ORDERED):
        actions.create_person("t", name)
    assert list(Person.objects.values_list("display_name", flat=True)) == ORDERED  # the model's ordering
    stored = list(Person.objects.order_by("sort_name", "pk").values_list("display_name", flat=True))
    assert stored == sorted(ORDERED, key=sort_key) == ORDERED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's default collation is BINARY already")
def test_the_key_column_compares_bytes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'registry_person' AND column_name = 'sort_name'"
        )
        assert cursor.fetchone() == ("C",)


def test_the_demo_gives_every_person_the_key():
    call_command("demo", persons=150, seed=5, stdout=StringIO())
    _stored_keys_match()
    assert Person.objects.filter(sort_name="").count() == 0


def test_the_public_list_reads_its_page_from_the_sort_index():
    """A deep page sorted by name reads the index in order instead of sorting every visible person."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL picks a plan by table size; bench/ measures it at 100,000 people")
    from spis.access import policy

    for name in ORDERED:
        actions.create_person("t", name)
    actions.refresh_planner_statistics()
    ids = policy.persons(None).order_by("sort_name", "pk").values_list("pk", flat=True)[5:10]
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "registry_person_sort" in plan and "TEMP B-TREE" not in plan, plan
