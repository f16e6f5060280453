"""Report arithmetic, the sensitivity table, the SVGs and the CLI, on small networks and the shipped file."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own generated SVG
from pathlib import Path

import pytest

from spis.corridors import cli, load_scenario, map_svg, report, sensitivity, sensitivity_svg, with_overrides
from spis.corridors.model import ScenarioError

from .test_solver import SCEN, TRIANGLE


def test_report_adds_up_cost_days_and_shares(make_network):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    rep = report(net, "cap_l1")
    f = rep.flows[0]
    # 40 TEU move from L1 (100 USD, 1 day) to L2+L3 (300 USD, 2 days).
    assert f.added_freight_cost_usd == pytest.approx(40 * 200)
    assert f.added_days == pytest.approx((60 * 1 + 40 * 2) / 100 - 1)
    assert [(r.links, r.share) for r in f.routes] == [(("L1",), 0.6), (("L2", "L3"), 0.4)]
    assert rep.totals.by_shipper_group["gF"].added_freight_cost_usd == pytest.approx(8000)


def test_stranded_cargo_is_valued(make_network):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    rep = report(net, "close_all")
    assert rep.totals.stranded_teu == 100 and rep.totals.stranded_value_usd == pytest.approx(100 * 1000)
    assert rep.flows[0].added_days is None


def test_sensitivity_ranks_the_assumption_that_drives_the_result_first(make_network):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    sens = sensitivity(net, "close_l1", values_of_time=(0, 10))
    # Closing L1 costs 100 TEU × (L2 + L3 − L1) = 20,000; ±50% moves it by: TEU 10,000, L2 or L3 7,500 each,
    # L1 5,000; days do nothing at a value of time of 0.
    effects = [(r.key, r.effect) for r in sens.tornado[:4]]
    assert effects == [
        ("flows.F.teu_per_year", 10000),
        ("links.L2.cost_usd_per_teu", 7500),
        ("links.L3.cost_usd_per_teu", 7500),
        ("links.L1.cost_usd_per_teu", 5000),
    ]
    assert all(r.effect == 0 for r in sens.tornado if r.key.endswith(".days"))
    assert [v.metrics["added_cost_usd"] for v in sens.value_of_time] == [
        pytest.approx(20000),
        pytest.approx(21000),
    ]


def test_overrides_change_a_number_and_reject_unknown_keys(make_network):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    assert with_overrides(net, {"L1.cost_usd_per_teu": 5}).links["L1"].cost_usd_per_teu.value == 5
    with pytest.raises(ScenarioError, match="unknown model parameter 'nope'"):
        with_overrides(net, {"nope": 1})


def test_map_svg_is_well_formed_escapes_names_and_colours_changes(make_network):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    net.nodes["A"].__dict__["name"] = "A & <b>"  # frozen dataclass; a name with markup characters
    svg = map_svg(net, report(net, "close_l1"))
    root = ET.fromstring(svg)  # noqa: S314
    ns = "{http://www.w3.org/2000/svg}"
    titles = [t.text for t in root.iter(f"{ns}title")]
    assert "A & <b> (XX)" in titles
    colours = {
        line.find(f"{ns}title").text.split()[0]: line.get("stroke")
        for line in root.iter(f"{ns}line")
        if line.find(f"{ns}title") is not None
    }
    assert colours["L1"] == "#c0392b" and colours["L2"] == "#27ae60"


def test_sensitivity_svg_is_well_formed(make_network):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    ET.fromstring(sensitivity_svg(sensitivity(net, "close_l1", values_of_time=(0,))))  # noqa: S314


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return cli.main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_cli_run_json_has_the_documented_shape():
    code, out, _ = _run("run", "--scenario", "eu_by_all_rail_closed", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["scenario"] == "eu_by_all_rail_closed"
    for f in data["flows"]:
        assert {
            "id",
            "teu",
            "stranded_teu",
            "added_days",
            "added_freight_cost_usd",
            "added_time_cost_usd",
            "routes",
        } <= set(f)
    assert {"stranded_teu", "added_freight_cost_usd", "added_time_cost_usd", "by_transit_country"} <= set(
        data["totals"]
    )
    assert data["totals"]["by_transit_country"]["BY"]["change_usd"] < 0


def test_cli_set_changes_the_value_of_time():
    _, low, _ = _run(
        "run", "--scenario", "eu_by_all_rail_closed", "--json", "--set", "value_of_time_usd_per_teu_day=20"
    )
    _, high, _ = _run(
        "run", "--scenario", "eu_by_all_rail_closed", "--json", "--set", "value_of_time_usd_per_teu_day=200"
    )
    assert (
        json.loads(low)["totals"]["added_time_cost_usd"] < json.loads(high)["totals"]["added_time_cost_usd"]
    )


def test_cli_list_and_table_output():
    code, out, _ = _run("list")
    assert code == 0 and "pl_by_closure_sep2025" in out
    code, out, _ = _run("run", "--scenario", "pl_by_closure_sep2025")
    assert code == 0 and "caught in transit" in out and "BY" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["run", "--scenario", "nope"], "unknown scenario 'nope'"),
        (["run", "--set", "value_of_time_usd_per_teu_day=abc"], "is not a number"),
        (["run", "--set", "X01.colour=3"], "unknown field 'colour'"),
        (["run", "--set", "novalue"], "expected PARAM=VALUE"),
        (["run", "/nonexistent/file.yaml"], "cannot read file"),
    ],
)
def test_cli_errors_are_clear_and_exit_non_zero(argv, needle):
    code, _, err = _run(*argv)
    assert code != 0 and needle in err


def test_cli_reports_file_positions_for_a_bad_file(tmp_path):
    text = Path(load_scenario().filename).read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("to: PL_MALASZEWICZE", "to: PL_MALASZ"), encoding="utf-8")
    code, _, err = _run("run", str(bad))
    assert code == 2 and "unknown node 'PL_MALASZ'" in err and "bad.yaml:" in err
