"""Daily series and monthly flows agree with counts() on every day, including change days."""

import datetime as dt

import pytest

from spis.registry import actions
from spis.stats.counts import counts
from spis.stats.series import daily_series, monthly_flows

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture
def registry(prisoner):
    prisoner("A", detained="2021-01-10", recognized="2021-02-01", released="2023-01-10", kind="end_of_term")
    prisoner("B", detained="2021-05-01", recognized="2021-05-20", confidentiality="sealed")
    prisoner("C", detained="2022-01-01", recognized=None)
    d = prisoner("D", detained="2021-03-01", recognized="2021-03-15", released="2024-08-01")
    actions.record_event("test", d, "detained", "2025-02-01")


def test_it_matches_counts_on_every_day(registry):
    series = daily_series(D("2021-01-01"), D("2025-03-01"))
    assert len(series) == (D("2025-03-01") - D("2021-01-01")).days + 1
    for row in series[::7] + [r for r in series if r["date"] in ("2021-01-10", "2023-01-10", "2024-08-01")]:
        expected = counts(D(row["date"]))
        assert row["in_custody"] == expected["in_custody"], row["date"]
        assert row["recognized_in_custody"] == expected["recognized_in_custody"], row["date"]


def test_it_starts_from_the_level_before_the_range(registry):
    (row,) = daily_series(D("2022-03-01"), D("2022-03-01"))
    assert row == {"date": "2022-03-01", "in_custody": 4, "recognized_in_custody": 3}


def test_it_counts_the_release_day_as_free(registry):
    rows = {r["date"]: r for r in daily_series(D("2023-01-09"), D("2023-01-10"))}
    assert rows["2023-01-09"]["recognized_in_custody"] == 3
    assert rows["2023-01-10"]["recognized_in_custody"] == 2


def test_it_replays_as_known_on(registry):
    today = dt.date.today()
    stored = daily_series(D("2021-01-01"), D("2025-03-01"))
    replayed = daily_series(D("2021-01-01"), D("2025-03-01"), known_on=today)
    assert stored == replayed
    nothing_known = daily_series(D("2021-01-01"), D("2021-12-31"), known_on=D("2000-01-01"))
    assert {r["in_custody"] for r in nothing_known} == {0}


def test_it_rejects_a_backwards_range(db):
    with pytest.raises(ValueError, match="before start"):
        daily_series(D("2022-01-02"), D("2022-01-01"))


def test_it_reports_monthly_flows(registry):
    flows = {row["month"]: row for row in monthly_flows(D("2021-01-01"), D("2025-02-28"))}
    assert flows["2021-01"]["detained"] == 1
    assert flows["2021-02"]["recognized"] == 1
    assert flows["2023-01"]["released_by_kind"]["end_of_term"] == 1 and flows["2023-01"]["released"] == 1
    assert flows["2024-08"]["released_by_kind"]["pardon"] == 1
    # A second custody period of the same person is a new detention, not a new recognition.
    assert flows["2025-02"]["detained"] == 1 and flows["2025-02"]["recognized"] == 0
    assert sum(r["detained"] for r in flows.values()) == 5
    assert sum(r["recognized"] for r in flows.values()) == 3
    assert len(flows) == 50


def test_it_uses_a_bounded_number_of_queries(registry, django_assert_max_num_queries):
    # Two lookups for the memo key (audit-chain head, newest spell id) plus the GROUP BY queries.
    with django_assert_max_num_queries(4):
        daily_series(D("2020-05-01"), D("2026-01-01"))
    with django_assert_max_num_queries(5):
        monthly_flows(D("2020-05-01"), D("2026-01-01"))
    with django_assert_max_num_queries(2):
        daily_series(D("2020-05-01"), D("2026-01-01"))


def test_it_recomputes_after_a_write(registry, prisoner):
    before = daily_series(D("2024-01-01"), D("2024-01-01"))[0]["in_custody"]
    assert counts(D("2024-01-01"))["in_custody"] == before
    prisoner("E", detained="2023-06-01")
    assert daily_series(D("2024-01-01"), D("2024-01-01"))[0]["in_custody"] == before + 1
    assert counts(D("2024-01-01"))["in_custody"] == before + 1


def test_callers_cannot_change_the_memoised_rows(registry):
    rows = daily_series(D("2022-03-01"), D("2022-03-01"))
    rows[0]["in_custody"] = -1
    assert daily_series(D("2022-03-01"), D("2022-03-01"))[0]["in_custody"] == 4
    flows = monthly_flows(D("2021-01-01"), D("2021-01-31"))
    flows[0]["released_by_kind"]["pardon"] = 99
    assert monthly_flows(D("2021-01-01"), D("2021-01-31"))[0]["released_by_kind"]["pardon"] == 0
