"""The shipped default scenario: baseline through Belarus, the closure reroutes within capacity, the 2025 replay."""

from __future__ import annotations

import pytest

from spis.corridors import load_scenario, report, solve
from spis.corridors.model import residual_capacity

from .conftest import SOLVERS


@pytest.fixture(scope="module")
def net():
    return load_scenario()


def _by_nodes(net):
    return {n.id for n in net.nodes.values() if n.country == "BY"}


def test_the_baseline_sends_all_china_eu_flows_through_belarus(net):
    base = solve(net, "baseline")
    by = _by_nodes(net)
    for fid, fr in base.flows.items():
        if net.flows[fid].background:
            continue
        assert fr.stranded_teu == 0
        assert fr.routes and all(set(r.nodes) & by for r in fr.routes), fid


@pytest.mark.parametrize(
    "scenario", ["eu_by_all_rail_closed", "eu_by_closed_and_red_sea", "eu_by_closed_mc_2029"]
)
def test_closing_every_eu_belarus_crossing_moves_flows_to_alternatives_within_capacity(net, scenario):
    sol = solve(net, scenario)
    scen = net.scenario(scenario)
    crossings = {lid for lid, lk in net.links.items() if lk.eu_belarus_crossing}
    assert crossings <= sol.closed_links
    for fr in sol.flows.values():
        assert not any(set(r.links) & crossings for r in fr.routes)
        assert fr.stranded_teu == 0  # sea is unlimited and no flow in the file has a time limit
        assert sum(r.teu for r in fr.routes) == pytest.approx(fr.teu)
    for lid, teu in sol.link_teu.items():
        cap = residual_capacity(net.links[lid], scen)
        if cap is not None:
            assert teu <= cap + 1e-3, lid


def test_the_red_sea_closure_with_the_eu_closure_uses_the_middle_corridor_up_to_its_caspian_limit(net):
    sol = solve(net, "eu_by_closed_and_red_sea")
    m03 = net.links["M03"]
    assert sol.link_teu["M03"] == pytest.approx(m03.capacity_teu_per_year.value)  # 90,000 TEU: binding


def test_the_13_day_replay_reports_the_cargo_caught_in_transit(net):
    rep = report(net, "pl_by_closure_sep2025")
    tr = rep.transit
    assert tr is not None and tr.duration_days == 13
    assert tr.caught_teu > 0 and tr.caught_trains > 0
    assert tr.caught_teu == pytest.approx(tr.on_the_way_teu + tr.dispatched_during_teu, abs=0.5)
    # Formula check on one route: V × (T + D) / 365 with T = days to the closed link.
    item = next(i for i in tr.items if i.flow == "F2")
    assert item.caught_teu == pytest.approx(
        item.route_teu_per_year * (item.days_to_closed_link + 13) / 365, abs=0.1
    )
    # All of F4 goes via Lithuania and Kaliningrad: not caught by a BY–PL closure.
    assert all(i.flow != "F4" for i in tr.items)
    assert tr.backlog_clear_days["X01"] is not None and tr.backlog_clear_days["X01"] > 0


def test_belarus_loses_transit_revenue_and_the_sea_route_gains(net):
    rep = report(net, "eu_by_all_rail_closed")
    by = rep.totals.by_transit_country["BY"]
    assert by.scenario_teu == 0 and by.change_usd < 0
    assert rep.totals.by_mode["sea"].change_usd > 0
    assert rep.totals.added_time_cost_usd > 0
    f1 = next(f for f in rep.flows if f.id == "F1")
    assert f1.added_days > 10 and f1.old_routes and f1.routes


@pytest.mark.parametrize("solver", SOLVERS)
def test_both_solvers_agree_on_every_shipped_scenario(net, solver):
    for sid in net.scenarios:
        assert solve(net, sid, solver).objective == pytest.approx(
            solve(net, sid, "highs").objective, rel=1e-9
        )


def test_closing_country_pairs_closes_exactly_the_links_between_them(net):
    from dataclasses import replace

    from spis.corridors import closed_link_ids

    scen = replace(net.scenario("baseline"), id="pairs", closed_country_pairs=(("BY", "PL"), ("BY", "LT")))
    # Same set as the file's hand-listed EU–Belarus closure; Kaliningrad–Braniewo (RU–PL) stays open.
    assert closed_link_ids(net, scen) == frozenset(net.scenario("eu_by_all_rail_closed").closed_links)
    assert solve(net, scen).objective == pytest.approx(solve(net, "eu_by_all_rail_closed").objective)
