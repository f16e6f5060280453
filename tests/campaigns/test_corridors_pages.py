"""/campaigns/corridors/ pages: the default model loads itself, pages show the map, tables, sources, and the
campaign page links a measure to its scenario."""

import pytest

from spis.campaigns import actions as campaign_actions
from spis.campaigns.corridors_actions import ensure_default_corridor_model
from spis.campaigns.corridors_models import CorridorModel
from spis.corridors import DEFAULT_FILE

pytestmark = pytest.mark.django_db


def test_it_creates_the_default_model_once_from_the_shipped_file():
    first = ensure_default_corridor_model("t")
    second = ensure_default_corridor_model("t")
    assert first.pk == second.pk
    assert CorridorModel.objects.count() == 1
    assert first.is_default and first.yaml_text == DEFAULT_FILE.read_text(encoding="utf-8")
    assert first.history.count() == 1


def test_it_lists_every_scenario_with_headline_figures(client):
    response = client.get("/campaigns/corridors/")
    assert response.status_code == 200
    html = response.content.decode()
    for scenario in ("pl_by_closure_sep2025", "eu_by_all_rail_closed", "red_sea_only"):
        assert f"/campaigns/corridors/{scenario}/" in html
    assert CorridorModel.objects.filter(is_default=True).count() == 1


def test_it_shows_the_map_tables_caught_cargo_and_sources_for_the_september_replay(client):
    response = client.get("/campaigns/corridors/pl_by_closure_sep2025/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 2  # the schematic map and the tornado chart, inline
    assert 'class="chart corridor-map"' in html
    assert "13-day closure: cargo caught in transit" in html
    assert "Brest" in html  # crossings table
    assert "Shaanxi exporters" in html  # shipper-group totals
    assert 'id="src-S_CRCT2024"' in html  # the sources list, with anchors the inputs link to
    assert 'href="#src-S_CRCT2024"' in html
    assert "<strong>assumption</strong>" in html
    assert "Sensitivity of added_cost_usd" in html


def test_it_draws_the_charts_in_the_visitors_language(client):
    url = "/campaigns/corridors/pl_by_closure_sep2025/"
    english = client.get(url).content.decode()
    assert "volume lost" in english and "Line width: TEU per year" in english
    # The solved scenario is cached once; the words on its charts follow each visitor's language.
    belarusian = client.get(url, headers={"accept-language": "be"}).content.decode()
    assert "Таўшчыня лініі: TEU за год" in belarusian and "Адчувальнасць added_cost_usd" in belarusian
    assert "volume lost" not in belarusian
    russian = client.get(url, headers={"accept-language": "ru"}).content.decode()
    assert "Толщина линии: TEU в год" in russian and "Чувствительность added_cost_usd" in russian


def test_it_answers_404_for_an_unknown_scenario_or_model(client):
    assert client.get("/campaigns/corridors/no_such_scenario/").status_code == 404
    assert client.get("/campaigns/corridors/?model=nope").status_code == 404


def test_it_links_a_measure_to_its_corridor_scenario(client):
    campaign = campaign_actions.create_campaign("t", "Close the border", slug="border")
    campaign_actions.add_measure(
        "t", campaign, "border_closure", "EU", corridor_scenario="eu_by_all_rail_closed"
    )
    html = client.get("/campaigns/border/").content.decode()
    assert 'href="/campaigns/corridors/eu_by_all_rail_closed/"' in html
