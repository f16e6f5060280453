"""Pages and API: compliance shown, drafts hidden, a sealed canary counted but never named."""

import datetime as dt

import pytest

from spis.campaigns import actions as campaign_actions
from spis.campaigns.actions import load_precedents
from spis.campaigns.models import Precedent
from spis.registry import actions
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db
CANARY = "Canary Sealedperson"


@pytest.fixture
def campaign(db):
    load_precedents("t")
    for name, confidentiality in [("Visible Prisoner", "public"), (CANARY, "sealed")]:
        person = actions.create_person("t", name, confidentiality=confidentiality)
        actions.record_event("t", person, "detained", "2022-01-01")
        actions.record_event("t", person, "recognized", "2022-02-01")
    campaign = campaign_actions.create_campaign("t", "Free them all", slug="free", start_date=None)
    campaign_actions.add_demand("t", campaign, "Release everyone", dt.date(2023, 3, 16))
    campaign_actions.link_precedent("t", campaign, Precedent.objects.get(code="NIC-2023-02"))
    campaign_actions.create_campaign("t", "Secret plan", slug="draft", is_public=False)
    return campaign


def _login(client, user):
    # Staff must pass two-factor before any page (access middleware); tests.conftest does it as a real login would.
    if user is not None:
        login_verified(client, user)
    return client


@pytest.mark.parametrize("role", ["anonymous", "researcher", "admin"])
def test_it_never_names_the_sealed_canary(client, users, campaign, role):
    client = _login(client, users[role])
    for url in [
        "/campaigns/",
        "/campaigns/free/",
        "/campaigns/free/?as_of=2024-01-01",
        "/campaigns/precedents/?campaign=free",
        "/api/v1/campaigns/",
        "/api/v1/campaigns/free",
        "/api/v1/campaigns/free/series",
        "/api/v1/campaigns/precedents",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert CANARY not in response.content.decode(), url


def test_it_shows_compliance_and_the_chart(client, campaign):
    page = client.get("/campaigns/free/?as_of=2024-01-01").content.decode()
    assert "Visible Prisoner" in page
    assert '<dd class="in-scope">2</dd>' in page and '<dd class="still-held">2</dd>' in page
    assert "<svg" in page and "1 more person is counted but not named" in page
    assert "Nicaragua" in page
    assert '<dd class="net">0</dd>' in page
    # A list that grew since the scope date shows the sign: one more person recognised after it.
    newcomer = actions.create_person("t", "Newly Held")
    actions.record_event("t", newcomer, "detained", "2023-06-01")
    actions.record_event("t", newcomer, "recognized", "2023-07-01")
    assert '<dd class="net">+1</dd>' in client.get("/campaigns/free/?as_of=2024-01-01").content.decode()


def test_it_answers_the_api_with_the_cli_object(client, campaign):
    data = client.get("/api/v1/campaigns/free?as_of=2024-01-01").json()
    c = data["demands"][0]["compliance"]
    assert (c["in_scope"], c["still_held"], c["status"]) == (2, 2, "not_met")
    assert c["still_held_unnamed"] == 1
    assert client.get("/api/v1/campaigns/").json()[0]["slug"] == "free"
    assert client.get("/api/v1/campaigns/free?as_of=soon").status_code == 400
    rows = client.get("/api/v1/campaigns/free/series?end=2023-03-20").json()["rows"]
    assert [r["scope_held"] for r in rows] == [2, 2, 2, 2, 2]


def test_it_hides_a_draft_campaign_from_the_public(client, users, campaign):
    assert client.get("/campaigns/draft/").status_code == 404
    assert client.get("/api/v1/campaigns/draft").status_code == 404
    assert "Secret plan" not in client.get("/campaigns/").content.decode()
    login_verified(client, users["editor"])
    assert client.get("/campaigns/draft/").status_code == 200


def test_it_rejects_a_bad_date_clearly(client, campaign):
    response = client.get("/campaigns/free/?as_of=tomorrow")
    assert response.status_code == 400 and b"expected YYYY-MM-DD" in response.content


def test_it_filters_precedents(client, campaign):
    page = client.get("/campaigns/precedents/?country=Nicaragua&confidence=high").content.decode()
    assert "NIC-2023-02" in page and "IRN-2023-03" not in page
    api = client.get("/api/v1/campaigns/precedents?country=Iran").json()
    assert {r["code"] for r in api["precedents"]} == {"IRN-2023-03", "IRN-2023-09"}
    assert {g["group"] for g in api["comparison"]} == {"relief", "pressure", "other"}


@pytest.mark.django_db(transaction=True)
def test_a_public_campaign_page_is_cached_until_a_campaign_row_changes(campaign, django_assert_num_queries):
    # Staff edit campaigns in the admin (plain saves, committed): the generation counter carries the change.
    from django.test import Client

    url = f"/campaigns/{campaign.slug}/"
    assert "Free them all" in Client().get(url).content.decode()
    with django_assert_num_queries(1):  # the registry's version; compliance and the chart are not recomputed
        Client().get(url)
    campaign.title = "Free every one of them"
    campaign.save()
    assert "Free every one of them" in Client().get(url).content.decode()
