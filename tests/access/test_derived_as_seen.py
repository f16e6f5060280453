"""Derived facts (status, recognition, dates, facility, sentence) as a reader may see them.

The stored columns of Person are derived from every event, restricted ones included; what a reader is shown
per person, on every page, API route, list filter, feed and campaign named list, is what the events they may
see derive (spis.access.queries.as_seen / filter_as_seen). Counts may still include restricted facts.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from spis.access import policy
from spis.access.queries import filter_as_seen, roots_with_hidden
from spis.campaigns import actions as campaign_actions
from spis.campaigns.compliance import compliance
from spis.registry import actions
from spis.registry.models import EventType, Facility, Person

EVERY_TYPE = frozenset(EventType.values)

pytestmark = pytest.mark.django_db
BELOW, ABOVE = ["anonymous", "volunteer"], ["researcher", "editor", "admin"]


def _months_ago(today: dt.date, months: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def hidden(users):
    """Two public prisoners: one whose recognition is restricted, one whose detention, conviction and
    sentence are restricted (their term ends within the release feed's 90 days; born tomorrow, in 1980)."""
    today = timezone.now().date()
    colony = Facility.objects.create(name="Colony No. 3 (test)", kind="colony", postal_address="ИК-3")
    recognised = actions.create_person("t", "Hiddenrecognition Anna", birth_date="1985-03-04")
    actions.record_event("t", recognised, "detained", "2021-01-10", facility=colony)
    actions.record_event("t", recognised, "recognized", "2022-01-10", confidentiality="restricted")
    held = actions.create_person(
        "t", "Hiddendetention Boris", birth_date=(today + dt.timedelta(days=1)).replace(year=1980)
    )
    start = _months_ago(today, 58)
    actions.record_event("t", held, "detained", start, facility=colony, confidentiality="restricted")
    actions.record_event("t", held, "convicted", start, confidentiality="restricted")
    actions.record_event(
        "t", held, "sentenced", start, sentence_months=60, regime="strict", confidentiality="restricted"
    )
    for person in (recognised, held):
        person.refresh_from_db()
    # The stored columns count the restricted events: this is what must not show below researcher.
    assert recognised.recognized and recognised.first_recognized_on == dt.date(2022, 1, 10)
    assert held.status == "in_custody" and held.sentence_months == 60 and held.expected_release_on
    return {"recognised": recognised, "held": held, "users": users}


def _api(hidden, role):
    client = APIClient()
    if hidden["users"][role] is not None:
        client.force_authenticate(hidden["users"][role])
    return client


def _web(client, hidden, role):
    if hidden["users"][role] is not None:
        client.force_login(hidden["users"][role])
    return client


@pytest.mark.parametrize("role", BELOW)
def test_the_api_detail_and_list_show_no_restricted_recognition_or_custody(hidden, role):
    api = _api(hidden, role)
    anna = api.get(f"/api/v1/people/{hidden['recognised'].public_id}").json()
    assert anna["recognized"] is False and anna["first_recognized_on"] is None
    assert anna["status"] == "in_custody"  # the public detention
    boris = api.get(f"/api/v1/people/{hidden['held'].public_id}").json()
    assert boris["status"] == "at_liberty" and boris["sentence_months"] is None
    assert boris["detained_on"] is None and boris["expected_release_on"] is None
    assert boris["current_facility"] is None
    listed = {row["public_id"]: row for row in api.get("/api/v1/people?limit=100").json()["results"]}
    assert listed[hidden["recognised"].public_id]["recognized"] is False
    assert listed[hidden["held"].public_id]["status"] == "at_liberty"
    changes = api.get("/api/v1/changes?since=2000-01-01").json()["people"]
    assert {row["public_id"]: row["recognized"] for row in changes}[hidden["recognised"].public_id] is False


@pytest.mark.parametrize("role", ABOVE)
def test_researchers_see_the_restricted_facts_in_the_api(hidden, role):
    api = _api(hidden, role)
    anna = api.get(f"/api/v1/people/{hidden['recognised'].public_id}").json()
    assert anna["recognized"] is True and anna["first_recognized_on"] == "2022-01-10"
    boris = api.get(f"/api/v1/people/{hidden['held'].public_id}").json()
    assert boris["status"] == "in_custody" and boris["sentence_months"] == 60


@pytest.mark.parametrize(
    ("role", "shown"), [("anonymous", False), ("volunteer", False), ("researcher", True), ("admin", True)]
)
def test_api_filters_select_by_what_the_caller_may_see(hidden, role, shown):
    api = _api(hidden, role)

    def found(query):
        return {row["public_id"] for row in api.get(f"/api/v1/people?limit=100&{query}").json()["results"]}

    anna, boris = hidden["recognised"].public_id, hidden["held"].public_id
    assert (anna in found("recognized=true")) is shown
    assert (anna in found("recognized=false")) is not shown
    assert (boris in found("status=in_custody")) is shown
    assert (boris in found("status=at_liberty")) is not shown
    assert (boris in found("sentence_min=12")) is shown
    assert (boris in found(f"detention_year={hidden['held'].detained_on.year}")) is shown
    # A name search with a filter goes through the same filter.
    assert (anna in found("q=Hiddenrecognition&recognized=true")) is shown


@pytest.mark.parametrize("role", BELOW)
def test_the_person_page_shows_no_restricted_recognition_or_custody(client, hidden, role):
    client = _web(client, hidden, role)
    anna = client.get(reverse("web-person", args=[hidden["recognised"].public_id])).content.decode()
    assert "recognised political prisoner" not in anna and "Recognised as a political prisoner" not in anna
    boris = client.get(reverse("web-person", args=[hidden["held"].public_id])).content.decode()
    assert "in custody" not in boris.lower().split("<main", 1)[1]
    assert "Write a letter" not in boris and "ИК-3" not in boris and "5 years" not in boris


def test_a_researcher_sees_them_on_the_person_page(client, hidden):
    client = _web(client, hidden, "researcher")
    anna = client.get(reverse("web-person", args=[hidden["recognised"].public_id])).content.decode()
    assert "recognised political prisoner" in anna
    boris = client.get(reverse("web-person", args=[hidden["held"].public_id])).content.decode()
    assert "Write a letter" in boris


@pytest.mark.parametrize(
    ("role", "shown"), [("anonymous", False), ("volunteer", False), ("researcher", True)]
)
def test_the_people_list_filters_and_columns_follow_what_the_reader_may_see(client, hidden, role, shown):
    client = _web(client, hidden, role)
    name = "Hiddendetention Boris"
    in_custody = client.get(reverse("web-people"), {"status": "in_custody", "per_page": 100}).content.decode()
    assert (name in in_custody) is shown
    at_liberty = client.get(reverse("web-people"), {"status": "at_liberty", "per_page": 100}).content.decode()
    assert (name in at_liberty) is not shown
    long_terms = client.get(reverse("web-people"), {"sentence": "5-10", "per_page": 100}).content.decode()
    assert (name in long_terms) is shown
    year = client.get(reverse("web-people"), {"year": hidden["held"].detained_on.year}).content.decode()
    assert (name in year) is shown


@pytest.mark.parametrize(
    ("role", "shown"), [("anonymous", False), ("volunteer", False), ("researcher", True)]
)
def test_feeds_list_only_people_held_on_what_the_reader_may_see(client, hidden, role, shown):
    client = _web(client, hidden, role)
    assert ("Hiddendetention Boris" in client.get(reverse("web-releases")).content.decode()) is shown
    assert ("Hiddendetention Boris" in client.get(reverse("web-birthdays")).content.decode()) is shown


@pytest.fixture
def demand():
    campaign = campaign_actions.create_campaign("t", "Free them", slug="free-them", is_public=True)
    return campaign_actions.add_demand("t", campaign, "Release everyone on the list", dt.date(2023, 3, 1))


@pytest.mark.parametrize(
    ("role", "shown"), [("anonymous", False), ("volunteer", False), ("researcher", True)]
)
def test_campaign_names_rest_only_on_events_the_reader_may_see(hidden, demand, role, shown):
    today = timezone.now().date()
    user = hidden["users"][role]
    for known_on in (None, today):
        result = compliance(demand, today, known_on=known_on, user=user)
        named = {row["public_id"] for row in result.still_held_named}
        assert (hidden["recognised"].public_id in named) is shown
        # The figures count the restricted recognition whoever asks; only the name is withheld.
        assert result.still_held == 1 and result.in_scope == 1
        assert len(named) + result.still_held_unnamed == 1


def test_a_restricted_release_names_and_unnames_no_one_on_its_day(users, demand):
    # The public sees her held (her pardon is restricted): she is named before and after its day alike, or
    # the list would date the release; a researcher sees the pardon and no longer finds her named.
    freed = actions.create_person("t", "Quietlyfreed Olga")
    actions.record_event("t", freed, "detained", "2022-01-10")
    actions.record_event("t", freed, "recognized", "2022-02-01")
    actions.record_event(
        "t", freed, "released", "2024-06-01", release_kind="pardon", confidentiality="restricted"
    )
    today = timezone.now().date()
    for day in (dt.date(2024, 5, 31), dt.date(2024, 6, 1), today):
        for known_on in (None, today):
            named = {row["public_id"] for row in compliance(demand, day, known_on, None).still_held_named}
            assert freed.public_id in named, (day, known_on)
            result = compliance(demand, day, known_on, users["researcher"])
            assert (freed.public_id in {row["public_id"] for row in result.still_held_named}) is (
                day.year < 2024 or day < dt.date(2024, 6, 1)
            )
            assert result.still_held_unnamed >= 0


def test_the_campaign_page_does_not_name_them_to_the_public(client, hidden, demand):
    page = client.get("/campaigns/free-them/")
    assert page.status_code == 200
    assert "Hiddenrecognition Anna" not in page.content.decode()


def test_filter_as_seen_re_derives_only_people_with_hidden_events(hidden):
    everyone = Person.objects.all()
    researcher = hidden["users"]["researcher"]
    assert roots_with_hidden(None, EVERY_TYPE) == {hidden["recognised"].pk, hidden["held"].pk}
    assert roots_with_hidden(researcher, EVERY_TYPE) == set()
    assert list(filter_as_seen(None, everyone, recognized=True)) == []
    assert list(filter_as_seen(researcher, everyone, recognized=True)) == [hidden["recognised"]]
    assert list(filter_as_seen(None, everyone, status="in_custody")) == [hidden["recognised"]]
    with pytest.raises(ValueError, match="display_name"):
        filter_as_seen(None, everyone, display_name="x")


def test_a_hidden_event_of_a_merged_record_counts_under_the_canonical_person(hidden, client):
    from spis.registry.merge import merge

    canonical = actions.create_person("t", "Canonical Vera")
    actions.record_event("t", canonical, "detained", "2022-01-01")
    duplicate = actions.create_person("t", "Duplicate Vera")
    actions.record_event("t", duplicate, "recognized", "2022-02-01", confidentiality="restricted")
    merge("t", duplicate, canonical)
    canonical.refresh_from_db()
    assert canonical.recognized  # stored: the duplicate's restricted recognition counts
    body = APIClient().get(f"/api/v1/people/{canonical.public_id}").json()
    assert body["recognized"] is False
    assert canonical.public_id not in {
        row["public_id"] for row in APIClient().get("/api/v1/people?recognized=true").json()["results"]
    }


def test_every_hidden_event_and_a_later_write_are_answered_alike(hidden):
    """roots_with_hidden reads every hidden event once (memoised on the registry's version): the same answer as
    walking the people's merge clusters, and a write that hides an event is seen at once."""
    everyone = [p.pk for p in Person.objects.all()]
    walked = {root for root, _ in policy.hidden_event_types(None, everyone)}
    assert roots_with_hidden(None, EVERY_TYPE) == walked == {hidden["recognised"].pk, hidden["held"].pk}
    other = actions.create_person("t", "Laterhidden Clara")
    actions.record_event("t", other, "detained", "2021-05-01", confidentiality="restricted")
    assert roots_with_hidden(None, EVERY_TYPE) == {hidden["recognised"].pk, hidden["held"].pk, other.pk}
    assert other not in filter_as_seen(None, Person.objects.all(), status="in_custody")
