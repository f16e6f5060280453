"""The demo campaign: `spis campaign status` agrees with `spis stats` on the synthetic demo registry."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spis.campaigns.models import Campaign, Measure, Precedent
from spis.campaigns.seed import SLUG, seed_demo_campaign

pytestmark = pytest.mark.django_db


def _json(*args):
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def demo(db):
    call_command("demo", persons=300, seed=5, stdout=StringIO())
    call_command("campaign", "seed", stdout=StringIO())


def test_it_seeds_the_march_2023_letter_once(demo):
    seed_demo_campaign()
    campaign = Campaign.objects.get(slug=SLUG)
    assert Campaign.objects.count() == 1 and campaign.is_synthetic
    assert campaign.demands.get().scope_date.isoformat() == "2023-03-16"
    assert set(campaign.measures.values_list("kind", flat=True)) == {
        "ultimatum",
        "border_closure",
        "transit_stop",
    }
    assert (
        campaign.measures.get(kind=Measure.Kind.BORDER_CLOSURE).corridor_scenario == "eu_by_all_rail_closed"
    )
    assert set(campaign.precedents.values_list("code", flat=True)) == {"NIC-2023-02", "IRN-2023-03"}
    assert Precedent.objects.count() == 51


def test_it_agrees_with_stats(demo):
    on_scope_date = _json("stats", "--as-of", "2023-03-16")
    for as_of in ["2023-03-16", "2024-01-01", "2025-06-30"]:
        status = _json("campaign", "status", SLUG, "--as-of", as_of)
        on_as_of = _json("stats", "--as-of", as_of)
        assert status["in_scope"] == on_scope_date["recognized_in_custody"] > 0
        assert status["still_held"] + status["released"]["total"] + status["died"] == status["in_scope"]
        assert (
            status["net_change"] == on_as_of["recognized_in_custody"] - on_scope_date["recognized_in_custody"]
        )
        assert sum(v for k, v in status["released"].items() if k != "total") == status["released"]["total"]
        for key in ["newly_recognized", "status", "release_rate_90d", "projected_empty_on"]:
            assert key in status


def test_it_agrees_as_known_today(demo):
    stored = _json("campaign", "status", SLUG, "--as-of", "2024-06-01")
    replay = _json("campaign", "status", SLUG, "--as-of", "2024-06-01", "--known-on", "2030-01-01")
    for key in ["in_scope", "released", "still_held", "died", "newly_recognized", "net_change"]:
        assert stored[key] == replay[key]


def test_it_lists_campaigns_and_names_bad_input(demo):
    rows = _json("campaign", "list")
    assert rows[0]["slug"] == SLUG and rows[0]["title"]
    with pytest.raises(CommandError, match="no such campaign"):
        call_command("campaign", "status", "nope", stdout=StringIO())
    with pytest.raises(CommandError, match="--as-of 'yesterday': expected YYYY-MM-DD"):
        call_command("campaign", "status", SLUG, "--as-of", "yesterday", stdout=StringIO())
    with pytest.raises(CommandError, match="before the demand's scope date"):
        call_command("campaign", "status", SLUG, "--as-of", "2020-01-01", stdout=StringIO())


def test_it_prints_a_series(demo):
    result = _json("campaign", "series", SLUG, "--as-of", "2023-06-01")
    assert result["rows"][0]["date"] == "2023-03-16" and result["rows"][-1]["date"] == "2023-06-01"
