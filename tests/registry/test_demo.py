"""The synthetic demo registry follows Viasna's series of political prisoners held, within ±5%."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from spis.registry.calibration import held_series
from spis.registry.models import Event, Name, Person
from spis.stats.counts import counts

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(scope="module")
def demo_5000(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("demo", persons=5000, seed=1, stdout=StringIO())
            yield
            transaction.set_rollback(True)


def test_recognized_in_custody_follows_every_dated_point_from_2021(demo_5000):
    points = [p for p in held_series() if p.date.year >= 2021]
    assert len(points) >= 25
    misses = []
    for point in points:
        got = counts(point.date)["recognized_in_custody"]
        if abs(got - point.count) > 0.05 * point.count:
            misses.append((point.text, point.count, got))
    assert not misses, misses


def test_the_demo_is_marked_synthetic_and_has_every_release_kind(demo_5000):
    assert not Person.objects.filter(is_synthetic=False).exists()
    kinds = set(Event.objects.filter(type="released").values_list("release_kind", flat=True))
    assert {"end_of_term", "pardon", "expelled", "amnesty", "exchanged"} <= kinds
    assert Person.objects.filter(confidentiality="sealed").exists()
    assert Person.objects.filter(confidentiality="restricted").exists()
    assert Name.objects.filter(language="ru").exists() and Name.objects.filter(script="Latn").exists()


def test_stats_command_prints_the_march_2023_object(demo_5000):
    out = StringIO()
    call_command("stats", as_of="2023-03-16", json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) >= {
        "as_of",
        "known_on",
        "in_custody",
        "recognized_in_custody",
        "recognized_total",
        "released_total",
        "released_by_kind",
        "died_in_custody",
    }
    assert data["as_of"] == "2023-03-16" and data["known_on"] is None
    assert abs(data["recognized_in_custody"] - 1460) < 0.05 * 1460
