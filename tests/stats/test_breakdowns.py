"""Breakdowns: sealed persons only in totals, small cells suppressed in every output, bounded queries."""

import datetime as dt

import pytest

from spis.registry import actions
from spis.registry.models import Case, Person
from spis.stats.breakdowns import DIMENSION_KEYS, breakdown
from spis.stats.counts import counts

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2022, 6, 1)


@pytest.fixture
def registry(prisoner):
    case = Case.objects.create(number="1", articles=[{"code": "CC-BY", "article": "342", "part": "1"}])
    for i in range(6):
        p = prisoner(f"Minsk {i}", region="Minsk", gender="m", birth_date="1990")
        actions.record_event("test", p, "convicted", "2021-09-01", case=case)
        actions.record_event("test", p, "sentenced", "2021-09-01", sentence_months=36, regime="general")
    for i in range(2):
        prisoner(f"Brest {i}", region="Brest Region", gender="f", birth_date="1960-04-02")
    prisoner("SEALED CANARY", region="Secret Region", gender="x", confidentiality="sealed")
    prisoner("Free", region="Minsk", released="2022-01-05", kind="amnesty")
    prisoner("Not recognised", region="Gomel Region", recognized=None)


def rows_of(result):
    return {row["key"]: row for row in result.rows}


def test_it_shows_sealed_people_only_in_the_total(registry, users):
    for user in users.values():
        result = breakdown(user, "region", AS_OF)
        assert result.total == 9 == counts(AS_OF)["recognized_in_custody"]
        assert "Secret Region" not in rows_of(result)
        assert "Secret Region" not in result.to_csv()


def test_it_suppresses_small_cells(registry):
    rows = rows_of(breakdown(None, "region", AS_OF))
    assert rows["Minsk"] == {"key": "Minsk", "label": "Minsk", "count": 6, "display": "6"}
    assert rows["Brest Region"]["count"] is None and rows["Brest Region"]["display"] == "<5"
    assert "Gomel Region" not in rows  # not recognised: not in the population
    csv = breakdown(None, "region", AS_OF).to_csv().splitlines()
    assert csv[0] == "key,label,count"
    assert "Brest Region,Brest Region,<5" in csv and csv[-1] == "total,Total,9"


def test_it_counts_each_dimension(registry):
    assert rows_of(breakdown(None, "gender", AS_OF))["m"]["count"] == 6
    assert "x" not in {k for k, r in rows_of(breakdown(None, "gender", AS_OF)).items() if r["count"]}
    assert rows_of(breakdown(None, "article", AS_OF))["CC-BY:342"]["count"] == 6
    assert rows_of(breakdown(None, "sentence_length", AS_OF))["3 to under 5 years"]["count"] == 6
    assert rows_of(breakdown(None, "age_band", AS_OF))["25–34"]["count"] == 6
    assert rows_of(breakdown(None, "age_band", AS_OF))["55–64"]["display"] == "<5"
    assert rows_of(breakdown(None, "detention_year", AS_OF))["2021"]["count"] == 8
    released = breakdown(None, "release_kind", AS_OF)
    assert released.total == 1 and rows_of(released)["amnesty"]["display"] == "<5"
    assert rows_of(released)["pardon"] == {"key": "pardon", "label": "pardon", "count": 0, "display": "0"}


def test_it_counts_articles_only_from_events_by_the_date(registry):
    assert breakdown(None, "article", dt.date(2021, 6, 1)).rows == []


def test_restricted_people_are_cells_only_for_researchers(registry, users):
    actions.update_person("test", Person.objects.get(display_name="Minsk 0"), confidentiality="restricted")
    assert rows_of(breakdown(None, "region", AS_OF))["Minsk"]["count"] == 5
    assert rows_of(breakdown(users["researcher"], "region", AS_OF))["Minsk"]["count"] == 6


def test_it_rejects_an_unknown_dimension(db):
    with pytest.raises(ValueError, match="dimension"):
        breakdown(None, "shoe_size", AS_OF)


@pytest.mark.parametrize("dimension", DIMENSION_KEYS)
def test_it_runs_bounded_queries(registry, dimension, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        result = breakdown(None, dimension, AS_OF)
    assert result.dimension == dimension and result.as_of == AS_OF
    assert all(row["count"] is None or row["count"] == 0 or row["count"] >= 5 for row in result.rows)
