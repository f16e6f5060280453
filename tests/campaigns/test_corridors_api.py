"""/api/v1/corridors…: the report equals the CLI's `run --json` object, and a model edit shows at once."""

import io
import json

import pytest

from spis.campaigns import corridors_results
from spis.campaigns.corridors_actions import ensure_default_corridor_model, save_corridor_model
from spis.corridors import cli

pytestmark = pytest.mark.django_db
SCENARIO = "pl_by_closure_sep2025"


def _cli_json(*args):
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(list(args), stdout=out, stderr=err) == 0, err.getvalue()
    return json.loads(out.getvalue())


def test_it_serves_the_same_report_object_as_the_cli(client):
    response = client.get(f"/api/v1/corridors/{SCENARIO}")
    assert response.status_code == 200
    assert response.json() == _cli_json("run", "--scenario", SCENARIO, "--json")


def test_it_lists_the_scenarios_of_the_default_model_with_headlines(client):
    body = client.get("/api/v1/corridors/").json()
    assert body["model"] == "default"
    listed = {row["id"]: row for row in body["scenarios"]}
    assert [s["id"] for s in _cli_json("list", "--json")["scenarios"]] == list(listed)
    replay = listed[SCENARIO]
    assert replay["duration_days"] == 13
    cli_report = _cli_json("run", "--scenario", SCENARIO, "--json")
    assert replay["headline"]["stranded_teu"] == cli_report["totals"]["stranded_teu"]
    assert replay["headline"]["added_cost_usd"] == cli_report["totals"]["added_cost_usd"]


def test_it_answers_404_for_an_unknown_scenario(client):
    assert client.get("/api/v1/corridors/no_such_scenario").status_code == 404
    assert client.get("/api/v1/corridors/?model=nope").status_code == 404


def test_it_recomputes_when_the_model_changes(client):
    model = ensure_default_corridor_model("t")
    first = client.get(f"/api/v1/corridors/{SCENARIO}").json()
    assert first["value_of_time_usd_per_teu_day"] == 100
    page = client.get(f"/campaigns/corridors/{SCENARIO}/").content.decode()
    assert "Value of time: 100 USD" in page
    edited = model.yaml_text.replace(
        "value_of_time_usd_per_teu_day:\n    value: 100", "value_of_time_usd_per_teu_day:\n    value: 250"
    )
    save_corridor_model("t", model, yaml_text=edited)
    second = client.get(f"/api/v1/corridors/{SCENARIO}").json()
    assert second["value_of_time_usd_per_teu_day"] == 250
    assert second["totals"]["added_time_cost_usd"] != first["totals"]["added_time_cost_usd"]
    assert "Value of time: 250 USD" in client.get(f"/campaigns/corridors/{SCENARIO}/").content.decode()


def test_it_serves_a_repeat_request_from_the_cache(client, monkeypatch):
    client.get(f"/api/v1/corridors/{SCENARIO}")

    def no_solving(*args, **kwargs):
        raise AssertionError("solved again although nothing changed")

    monkeypatch.setattr(corridors_results, "report", no_solving)
    assert client.get(f"/api/v1/corridors/{SCENARIO}").status_code == 200
