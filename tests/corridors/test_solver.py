"""Hand-solvable networks with known optima; both LP backends must agree on them."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from spis.corridors import solve

from .conftest import SOLVERS

TRIANGLE = (
    ["A", "B", "C"],
    [("L1", "A", "B", 100, 1, None), ("L2", "A", "C", 150, 1, None), ("L3", "C", "B", 150, 1, None)],
)
SCEN = """  - {id: baseline}
  - {id: close_l1, closed_links: [L1]}
  - {id: close_all, closed_links: [L1, L2]}
  - {id: close_node_c, closed_nodes: [C]}
  - {id: cap_l1, capacity_overrides: {L1: {v: 60, s: "assumption: test"}}}
"""


@pytest.mark.parametrize("solver", SOLVERS)
def test_it_reroutes_all_flow_around_a_closed_link(make_network, solver):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    base = solve(net, "baseline", solver)
    assert base.objective == pytest.approx(100 * 100)
    assert [r.links for r in base.flows["F"].routes] == [("L1",)]
    closed = solve(net, "close_l1", solver)
    assert closed.objective == pytest.approx(100 * 300)
    assert [(r.links, r.teu) for r in closed.flows["F"].routes] == [(("L2", "L3"), 100.0)]
    assert closed.flows["F"].stranded_teu == 0


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_capacity_splits_a_flow_across_two_routes(make_network, solver):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    sol = solve(net, "cap_l1", solver)
    assert sol.objective == pytest.approx(60 * 100 + 40 * 300)
    assert {r.links: r.teu for r in sol.flows["F"].routes} == {("L1",): 60.0, ("L2", "L3"): 40.0}
    assert sol.link_teu["L1"] == pytest.approx(60)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("scenario", ["close_all"])
def test_a_flow_with_no_route_left_is_all_stranded(make_network, solver, scenario):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    sol = solve(net, scenario, solver)
    assert sol.flows["F"].stranded_teu == pytest.approx(100)
    assert sol.flows["F"].routes == ()
    assert sol.objective == pytest.approx(100 * 1000)  # the penalty per stranded TEU


@pytest.mark.parametrize("solver", SOLVERS)
def test_closing_a_node_closes_its_links(make_network, solver):
    net = make_network(
        *TRIANGLE, [("F", "A", "B", 100)], SCEN + "  - {id: both, closed_links: [L1], closed_nodes: [C]}\n"
    )
    assert solve(net, "both", solver).flows["F"].stranded_teu == pytest.approx(100)
    assert solve(net, "close_node_c", solver).objective == pytest.approx(100 * 100)


@pytest.mark.parametrize("solver", SOLVERS)
def test_two_commodities_compete_for_one_link_and_the_dearer_alternative_wins_it(make_network, solver):
    # Shared link S (X->T, 100 TEU). A's alternative costs 50, B's 200: B should get S.
    net = make_network(
        ["A", "B", "X", "T"],
        [
            ("AX", "A", "X", 10, 1, None),
            ("BX", "B", "X", 10, 1, None),
            ("S", "X", "T", 0, 1, 100),
            ("AT", "A", "T", 50, 1, None),
            ("BT", "B", "T", 200, 1, None),
        ],
        [("FA", "A", "T", 100), ("FB", "B", "T", 100)],
    )
    sol = solve(net, "baseline", solver)
    assert sol.objective == pytest.approx(100 * 50 + 100 * 10)
    assert [r.links for r in sol.flows["FB"].routes] == [("BX", "S")]
    assert [r.links for r in sol.flows["FA"].routes] == [("AT",)]
    assert sol.link_teu["S"] <= 100 + 1e-6


def _single_commodity_objective(net) -> float:
    """Textbook min-cost flow with all supplies and demands pooled: what the multi-commodity model must avoid."""
    nodes = list(net.nodes)
    idx = {n: i for i, n in enumerate(nodes)}
    links = list(net.links.values())
    a = np.zeros((len(nodes), len(links)))
    for j, lk in enumerate(links):
        a[idx[lk.from_node], j] -= 1
        a[idx[lk.to_node], j] += 1
    b = np.zeros(len(nodes))
    for f in net.flows.values():
        b[idx[f.origin]] -= f.teu_per_year.value
        b[idx[f.destination]] += f.teu_per_year.value
    res = linprog(
        [lk.cost_usd_per_teu.value for lk in links], A_eq=a, b_eq=b, bounds=(0, None), method="highs"
    )
    return float(res.fun)


@pytest.mark.parametrize("solver", SOLVERS)
def test_the_single_commodity_shortcut_lets_one_origin_serve_another_destination(make_network, solver):
    # A must ship to a, B to b; the cross links A->b and B->a are cheap. Pooling supply swaps the cargo.
    net = make_network(
        ["A", "B", "a", "b"],
        [
            ("Aa", "A", "a", 10, 1, None),
            ("Bb", "B", "b", 10, 1, None),
            ("Ab", "A", "b", 1, 1, None),
            ("Ba", "B", "a", 1, 1, None),
        ],
        [("F1", "A", "a", 100), ("F2", "B", "b", 100)],
    )
    multi = solve(net, "baseline", solver)
    assert multi.objective == pytest.approx(2000)
    assert multi.link_teu.get("Ab", 0) == 0 and multi.link_teu.get("Ba", 0) == 0
    assert _single_commodity_objective(net) == pytest.approx(200)


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_time_limit_strands_cargo_whose_only_spare_routes_are_too_slow(make_network, solver):
    # Fast link F (2 days, 30 TEU); slow direct link S (10 days); a two-hop route of 3 + 3 days (each link
    # alone within the limit, the path not): an arc-based LP could not see that.
    net = make_network(
        ["A", "B", "C"],
        [
            ("FAST", "A", "B", 500, 2, 30),
            ("SLOW", "A", "B", 100, 10, None),
            ("H1", "A", "C", 50, 3, None),
            ("H2", "C", "B", 50, 3, None),
        ],
        [("F", "A", "B", 100, 5)],
    )
    sol = solve(net, "baseline", solver)
    assert {r.links: r.teu for r in sol.flows["F"].routes} == {("FAST",): 30.0}
    assert sol.flows["F"].stranded_teu == pytest.approx(70)
    assert sol.objective == pytest.approx(30 * 500 + 70 * 1000)
    assert all(r.days <= 5 for r in sol.flows["F"].routes)


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_time_limit_picks_the_cheapest_route_within_it(make_network, solver):
    net = make_network(
        ["A", "B", "C", "D"],
        [
            ("SLOW", "A", "B", 100, 10, None),
            ("H1", "A", "C", 150, 2, None),
            ("H2", "C", "B", 150, 2, None),
            ("P1", "A", "D", 100, 3, None),
            ("P2", "D", "B", 100, 3, None),
        ],
        [("F", "A", "B", 10, 5), ("G", "A", "B", 10)],
    )
    sol = solve(net, "baseline", solver)
    assert [r.links for r in sol.flows["F"].routes] == [("H1", "H2")]
    assert [r.links for r in sol.flows["G"].routes] == [("SLOW",)]


def test_value_of_time_enters_the_cost(make_network):
    net = make_network(["A", "B"], [("L", "A", "B", 100, 4, None)], [("F", "A", "B", 10)], vot=25)
    sol = solve(net, "baseline")
    assert sol.objective == pytest.approx(10 * (100 + 25 * 4))
    route = sol.flows["F"].routes[0]
    assert (route.freight_cost_usd_per_teu, route.time_cost_usd_per_teu) == (100, 100)


def test_both_solvers_agree_on_a_random_capacitated_grid():
    pytest.importorskip("ortools", reason="OR-Tools not installed (bench extra)")
    net = _bench_module().generate(nodes=60, links=300, flows=80, seed=3)
    a, b = solve(net, "baseline", "highs"), solve(net, "baseline", "ortools")
    assert a.objective == pytest.approx(b.objective, rel=1e-7)


def _bench_module():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "bench_corridors.py"
    spec = importlib.util.spec_from_file_location("bench_corridors", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_output_is_deterministic(make_network):
    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    assert solve(net, "cap_l1") == solve(net, "cap_l1")


def test_unknown_solver_is_refused(make_network):
    from spis.corridors import SolverError

    net = make_network(*TRIANGLE, [("F", "A", "B", 100)], SCEN)
    with pytest.raises(SolverError, match="unknown solver"):
        solve(net, "baseline", "cplex")
