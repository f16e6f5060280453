"""/api/v1/stats*: the same objects as the CLI and the stats functions, with suppression and sealed rules."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from spis.stats.series import daily_series

pytestmark = pytest.mark.django_db


def cli_stats(*args):
    out = StringIO()
    call_command("stats", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    "params",
    [
        ["--as-of", "2021-06-01"],
        ["--as-of", "2022-01-01"],
        ["--as-of", "2021-06-01", "--known-on", "2000-01-01"],
        ["--as-of", "2023-01-01", "--known-on", "2030-01-01"],
    ],
)
def test_stats_is_exactly_the_cli_object(api, registry, params):
    query = {params[i].lstrip("-").replace("-", "_"): params[i + 1] for i in range(0, len(params), 2)}
    response = api.get("/api/v1/stats", query)
    assert response.status_code == 200
    assert response.json() == cli_stats(*params)


def test_stats_defaults_to_today(api, registry):
    assert api.get("/api/v1/stats").json()["as_of"] == dt.date.today().isoformat()


@pytest.mark.parametrize("query", ["as_of=2021-02-30", "as_of=yesterday", "known_on=2021"])
def test_stats_rejects_bad_dates_naming_the_parameter(api, db, query):
    response = api.get(f"/api/v1/stats?{query}")
    assert response.status_code == 400 and query.split("=")[0] in response.json()


def test_series_is_the_daily_series(api, registry):
    body = api.get("/api/v1/stats/series?start=2021-01-01&end=2021-12-31").json()
    assert body["interval"] == "day" and body["known_on"] is None
    assert body["daily"] == daily_series(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    assert body["daily"][-1]["recognized_in_custody"] == 2  # Ivan and the sealed canary, a total


def test_series_gives_monthly_flows(api, registry):
    body = api.get("/api/v1/stats/series?interval=month&start=2021-01-01&end=2021-12-31").json()
    assert [m["month"] for m in body["monthly"]][:2] == ["2021-01", "2021-02"]
    assert sum(m["recognized"] for m in body["monthly"]) == 2


@pytest.mark.parametrize(
    "query", ["interval=week", "start=2022-01-01&end=2021-01-01", "interval=month&known_on=2022-01-01"]
)
def test_series_rejects_bad_input(api, db, query):
    assert api.get(f"/api/v1/stats/series?{query}").status_code == 400


def test_breakdown_keeps_the_sealed_canary_in_the_total_only(api, client_for, registry):
    for client in (api, client_for("admin")):
        body = client.get("/api/v1/stats/breakdowns/facility?as_of=2022-01-01").json()
        assert body["total"] == 2
        assert body["rows"] == [
            {
                "key": str(registry["colony"].pk),
                "label": "Colony No. 1 (test)",
                "count": None,
                "display": "<5",
            }
        ]
        assert body["suppression_threshold"] == 5


def test_breakdown_404s_on_an_unknown_dimension(api, db):
    assert api.get("/api/v1/stats/breakdowns/shoe_size").status_code == 404
