"""Compliance on a hand-built registry where every number is known in advance."""

import datetime as dt

import pytest
from django.utils import timezone

from spis.campaigns import actions as campaign_actions
from spis.campaigns.compliance import compliance, draining_series
from spis.campaigns.models import Demand
from spis.registry import actions
from spis.registry.models import Event, Person

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
SNAPSHOT, AS_OF = D("2023-03-16"), D("2024-01-01")


def _prisoner(name, detained="2022-01-01", recognized="2022-02-01", **fields):
    person = actions.create_person("t", name, **fields)
    actions.record_event("t", person, "detained", detained)
    if recognized:
        actions.record_event("t", person, "recognized", recognized)
    return person


@pytest.fixture
def registry():
    people = {}
    for name, kind, day in [
        ("Pardoned", "pardon", "2023-06-01"),
        ("Served", "end_of_term", "2023-05-01"),
        ("Expelled", "expelled", "2023-07-01"),
        ("Exchanged", "exchanged", "2023-08-01"),
        ("Home", "house_arrest", "2023-09-01"),
        ("Amnestied", "amnesty", "2023-04-01"),
    ]:
        people[name] = _prisoner(name)
        actions.record_event("t", people[name], "released", day, release_kind=kind)
    rearrested = people["Rearrested"] = _prisoner("Rearrested", detained="2021-06-01")
    actions.record_event("t", rearrested, "released", "2023-05-01", release_kind="pardon")
    actions.record_event("t", rearrested, "detained", "2023-10-15")
    people["Sealed"] = _prisoner("Sealed", confidentiality="sealed")
    people["Died"] = _prisoner("Died")
    actions.record_event("t", people["Died"], "died", "2023-11-01")
    people["Canonical"] = _prisoner("Canonical")
    people["Duplicate"] = _prisoner("Duplicate")
    people["Retro"] = _prisoner("Retro", detained="2022-05-01", recognized="2022-06-01")
    people["New"] = _prisoner("New", detained="2023-05-01", recognized="2023-05-10")
    people["Unrecognised"] = _prisoner("Unrecognised", recognized=None)
    people["FreedBefore"] = _prisoner("FreedBefore")
    actions.record_event("t", people["FreedBefore"], "released", "2023-01-01", release_kind="end_of_term")
    people["LateRecognised"] = _prisoner("LateRecognised", recognized="2023-06-01")
    return people


@pytest.fixture
def demand():
    campaign = campaign_actions.create_campaign("t", "Free them all", slug="all")
    return campaign_actions.add_demand("t", campaign, "Release everyone on the list", SNAPSHOT)


def _merge(registry):
    duplicate, canonical = registry["Duplicate"], registry["Canonical"]
    Person.objects.filter(pk=duplicate.pk).update(merged_into=canonical)
    actions.rebuild_custody([duplicate.pk, canonical.pk])


def test_it_counts_every_release_kind_and_the_rest(registry, demand):
    _merge(registry)
    result = compliance(demand, AS_OF)
    assert result.in_scope == 11
    assert result.released == {
        "total": 6,
        "end_of_term": 1,
        "pardon": 1,
        "amnesty": 1,
        "expelled": 1,
        "exchanged": 1,
        "house_arrest": 1,
        "other": 0,
    }
    assert result.still_held == 4  # re-arrested, sealed, the merged pair (once), the retroactive one
    assert result.died == 1
    assert result.still_held + result.released["total"] + result.died == result.in_scope
    assert (result.newly_recognized, result.newly_recognized_held) == (2, 2)
    assert (result.list_on_scope_date, result.list_on_as_of, result.net_change) == (11, 6, -5)
    assert result.status == "partly_met"


def test_it_counts_a_rearrested_person_back_in(registry, demand):
    before = compliance(demand, D("2023-10-14"))
    after = compliance(demand, D("2023-10-15"))
    assert before.released["pardon"] == 2 and after.released["pardon"] == 1
    assert after.still_held == before.still_held + 1
    assert after.reentered_90d == 1


def test_it_counts_a_merged_duplicate_once(registry, demand):
    assert compliance(demand, AS_OF).in_scope == 12
    _merge(registry)
    result = compliance(demand, AS_OF)
    assert result.in_scope == 11
    names = [row["name"] for row in result.still_held_named]
    assert names.count("Canonical") == 1 and "Duplicate" not in names


def test_it_counts_a_sealed_person_but_never_names_them(registry, demand, users):
    _merge(registry)
    for role in ["anonymous", "researcher", "admin"]:
        result = compliance(demand, AS_OF, user=users[role])
        names = {row["name"] for row in result.still_held_named}
        assert "Sealed" not in names
        assert names == {"Rearrested", "Canonical", "Retro"}
        assert result.still_held_unnamed == 1
        assert "Sealed" not in str(result.as_dict())


def test_it_puts_a_retroactive_recognition_in_scope_only_once_recorded(registry, demand):
    _merge(registry)
    # Every event is recorded on its own date, except Retro's recognition, recorded long after the fact.
    for event in Event.objects.all():
        at = dt.datetime.combine(event.date, dt.time(12), tzinfo=dt.UTC)
        Event.objects.filter(pk=event.pk).update(recorded_at=at)
    Event.objects.filter(person=registry["Retro"], type="recognized").update(
        recorded_at=dt.datetime(2023, 9, 1, 9, tzinfo=dt.UTC)
    )
    early = compliance(demand, D("2023-05-02"), known_on=D("2023-06-01"))
    late = compliance(demand, D("2023-05-02"), known_on=D("2023-10-01"))
    assert late.in_scope == early.in_scope + 1
    assert "Retro" not in {row["name"] for row in early.still_held_named}
    assert "Retro" in {row["name"] for row in late.still_held_named}
    assert compliance(demand, D("2023-05-02")).in_scope == late.in_scope


def test_it_agrees_between_stored_spells_and_a_replay_known_today(registry, demand):
    # The stored path runs aggregate queries; the replay runs the Python core: every figure must agree.
    _merge(registry)
    rolling = campaign_actions.add_demand(
        "t", demand.campaign, "Everyone", SNAPSHOT, scope_kind=Demand.ScopeKind.ROLLING
    )
    today = timezone.now().date()
    for which in [demand, rolling]:
        for day in ["2023-03-16", "2023-05-10", "2023-09-02", "2023-10-15", "2023-11-01", "2024-01-01"]:
            stored = compliance(which, D(day)).as_dict()
            replay = compliance(which, D(day), known_on=today).as_dict()
            stored.pop("known_on"), replay.pop("known_on")
            assert replay == stored, (which.scope_kind, day)


def test_it_projects_never_when_returns_match_exits(registry, demand):
    _merge(registry)
    result = compliance(demand, AS_OF)
    # In the last 90 days one person died and one was re-arrested: the scope did not shrink.
    assert result.window_days == 90
    assert result.released_90d == 0
    assert result.net_drain_per_day_90d == 0
    assert result.projected_empty_on is None


def test_it_projects_a_date_at_the_current_rate(registry, demand):
    _merge(registry)
    result = compliance(demand, D("2023-09-02"))
    # Window 2023-06-04..09-02: Expelled (07-01), Exchanged (08-01), Home (09-01) left; 3 exits in 90 days.
    assert result.released_90d == 3
    assert result.net_drain_per_day_90d == pytest.approx(3 / 90, abs=1e-4)
    assert result.projected_empty_on == D("2023-09-02") + dt.timedelta(days=result.still_held * 30)


def test_it_reports_met_when_nobody_is_left(db):
    person = _prisoner("Only")
    actions.record_event("t", person, "released", "2023-04-01", release_kind="pardon")
    campaign = campaign_actions.create_campaign("t", "One", slug="one")
    demand = campaign_actions.add_demand("t", campaign, "Free them", SNAPSHOT)
    result = compliance(demand, AS_OF)
    assert (result.status, result.still_held, result.projected_empty_on) == ("met", 0, D("2023-04-01"))


def test_it_says_a_death_breaks_a_demand_without_exception(db):
    person = _prisoner("Lost")
    actions.record_event("t", person, "died", "2023-04-01")
    campaign = campaign_actions.create_campaign("t", "One", slug="one")
    strict = campaign_actions.add_demand("t", campaign, "Free them all", SNAPSHOT)
    lenient = campaign_actions.add_demand("t", campaign, "Free them", SNAPSHOT, without_exception=False)
    assert compliance(strict, AS_OF).status == "not_met"
    assert compliance(lenient, AS_OF).status == "met"


def test_it_grows_a_rolling_scope_with_new_recognitions(registry, demand):
    _merge(registry)
    rolling = campaign_actions.add_demand(
        "t", demand.campaign, "Free everyone ever listed", SNAPSHOT, scope_kind=Demand.ScopeKind.ROLLING
    )
    result = compliance(rolling, AS_OF)
    assert result.in_scope == 13  # the 11 on the list plus New and LateRecognised
    assert result.still_held == 6


def test_it_refuses_a_date_before_the_scope(demand):
    with pytest.raises(ValueError, match="before the demand's scope date"):
        compliance(demand, D("2023-01-01"))


def test_it_drains_the_scope_against_new_recognitions(registry, demand):
    _merge(registry)
    rows = draining_series(demand, AS_OF, step_days=1)
    by_day = {row["date"]: row for row in rows}
    assert by_day["2023-03-16"] == {
        "date": "2023-03-16",
        "scope_held": 11,
        "new_held": 0,
        "new_cumulative": 0,
        "list": 11,
    }
    assert by_day["2023-05-10"]["new_held"] == 1 and by_day["2023-05-10"]["new_cumulative"] == 1
    assert by_day["2023-06-01"]["new_cumulative"] == 2
    last = rows[-1]
    assert last["date"] == "2024-01-01"
    assert last["scope_held"] == compliance(demand, AS_OF).still_held
    assert last["list"] == 6 and last["new_held"] == 2
    # Every day agrees with compliance on that day.
    for day in ["2023-05-01", "2023-10-14", "2023-10-15", "2023-11-01"]:
        assert by_day[day]["scope_held"] == compliance(demand, D(day)).still_held


def test_it_samples_weekly_over_long_spans(registry, demand):
    rows = draining_series(demand, D("2024-12-31"))
    assert rows[1]["date"] == "2023-03-23" and rows[-1]["date"] == "2024-12-31"


def test_it_agrees_on_the_series_between_stored_spells_and_a_replay(registry, demand):
    # The stored series groups by day in SQL and reads only the scope's spells; the replay walks every spell.
    _merge(registry)
    rolling = campaign_actions.add_demand(
        "t", demand.campaign, "Everyone", SNAPSHOT, scope_kind=Demand.ScopeKind.ROLLING
    )
    today = timezone.now().date()
    for which in [demand, rolling]:
        for end, step in [(AS_OF, 1), (D("2024-12-31"), None), (SNAPSHOT, None)]:
            stored = draining_series(which, end, step_days=step)
            assert stored == draining_series(which, end, known_on=today, step_days=step), (
                which.scope_kind,
                end,
            )


def test_it_drains_a_rolling_scope_as_compliance_counts_it(registry, demand):
    _merge(registry)
    rolling = campaign_actions.add_demand(
        "t", demand.campaign, "Everyone", SNAPSHOT, scope_kind=Demand.ScopeKind.ROLLING
    )
    rows = {row["date"]: row for row in draining_series(rolling, AS_OF, step_days=1)}
    for day in ["2023-05-10", "2023-06-01", "2023-10-15", "2024-01-01"]:
        assert rows[day]["scope_held"] == compliance(rolling, D(day)).still_held, day
        assert rows[day]["new_held"] == 0


def test_it_names_the_still_held_in_alphabet_order(demand):
    # Code-point order put Ў after я and І before А; the made-up surnames are for those letters.
    ordered = ["Арлова Ала", "Іванова Ірына", "Уладзімірава Вольга", "Ўзорная Ганна", "Фёдарава Ніна"]
    for name in reversed(ordered):
        _prisoner(name)
    assert [row["name"] for row in compliance(demand, AS_OF).still_held_named] == ordered
