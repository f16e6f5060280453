"""Counts as of a date and as known on a date, on a hand-built registry where every number is known."""

import datetime as dt

import pytest
from django.utils import timezone

from spis.registry import actions
from spis.registry.models import Event
from spis.stats.counts import counts

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture
def registry():
    a = actions.create_person("t", "A")
    actions.record_event("t", a, "detained", "2021-01-10")
    actions.record_event("t", a, "recognized", "2021-02-01")
    actions.record_event("t", a, "convicted", "2021-06-01")
    actions.record_event("t", a, "sentenced", "2021-06-01", sentence_months=24, regime="general")
    actions.record_event("t", a, "released", "2023-01-10", release_kind="end_of_term")
    b = actions.create_person("t", "B", confidentiality="sealed")
    actions.record_event("t", b, "detained", "2021-05-01")
    actions.record_event("t", b, "recognized", "2021-05-20")
    actions.record_event("t", b, "died", "2022-05-01")
    c = actions.create_person("t", "C")
    actions.record_event("t", c, "detained", "2022-01-01")
    d = actions.create_person("t", "D")
    actions.record_event("t", d, "detained", "2021-03-01")
    actions.record_event("t", d, "recognized", "2021-03-15")
    actions.record_event("t", d, "convicted", "2021-05-01")
    actions.record_event("t", d, "released", "2024-08-01", release_kind="pardon")
    actions.record_event("t", d, "emigrated", "2024-08-02")
    return a, b, c, d


def test_counts_as_of_dates(registry):
    early = counts(D("2021-04-01"))
    assert (early["in_custody"], early["recognized_in_custody"], early["recognized_total"]) == (2, 2, 2)
    mid = counts(D("2022-03-01"))
    assert (mid["in_custody"], mid["recognized_in_custody"], mid["recognized_total"]) == (4, 3, 3)
    late = counts(D("2024-09-01"))
    assert late["in_custody"] == 1 and late["recognized_in_custody"] == 0
    assert late["released_total"] == 2
    assert late["released_by_kind"]["end_of_term"] == 1 and late["released_by_kind"]["pardon"] == 1
    assert late["died_in_custody"] == 1  # the sealed person counts in totals


def test_release_day_is_not_counted_as_held(registry):
    assert counts(D("2023-01-09"))["recognized_in_custody"] == 2
    assert counts(D("2023-01-10"))["recognized_in_custody"] == 1


def test_known_on_replays_only_recorded_events(registry):
    a = registry[0]
    late = Event.objects.filter(person=a, type="recognized").get()
    Event.objects.filter(pk=late.pk).update(recorded_at=dt.datetime(2022, 6, 1, tzinfo=dt.UTC))
    Event.objects.exclude(pk=late.pk).update(recorded_at=dt.datetime(2021, 12, 31, tzinfo=dt.UTC))
    before = counts(D("2022-03-01"), known_on=D("2022-01-01"))
    after = counts(D("2022-03-01"), known_on=D("2022-07-01"))
    assert before["recognized_in_custody"] == after["recognized_in_custody"] - 1
    assert before["known_on"] == "2022-01-01"


def test_known_on_today_agrees_with_as_of(registry):
    today = timezone.now().date()
    for day in ["2021-04-01", "2022-03-01", "2024-09-01"]:
        replay = counts(D(day), known_on=today)
        stored = counts(D(day))
        replay.pop("known_on"), stored.pop("known_on")
        assert replay == stored
