"""Compare a scenario's rerouting with the baseline: who pays, who loses transit revenue, what gets stuck.

Formulas (also in README.md):
- added days of a flow = volume-weighted mean days of its routed TEU under the scenario minus the same in the
  baseline (stranded TEU have no days); added freight / time cost = Σ TEU × USD/TEU (scenario) − (baseline).
- transit-country revenue = Σ over links TEU × freight USD/TEU, split equally among the link's `countries`.
- cargo caught in transit for a closure of D days, per baseline route that uses a closed link, with T = days from
  origin to the first closed link and V = the route's TEU/yr:
    on_the_way = V × T / 365      (dispatched before the closure, cannot turn back; the lower bound)
    dispatched_during = V × D / 365  (sent while the crossing stayed shut, as in Sept 2025 when nobody knew for how long)
    caught = on_the_way + dispatched_during (the upper bound: no shipper reacts until it reopens)
  and the backlog at a closed crossing clears after reopening in V_link × D / (capacity − V_link) days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .model import TEU_PER_TRAIN, Network, Scenario, residual_capacity
from .solver import FlowResult, Route, Solution, SolverName, solve


@dataclass(frozen=True)
class RouteShare:
    links: tuple[str, ...]
    nodes: tuple[str, ...]
    teu: float
    share: float
    days: float
    freight_cost_usd_per_teu: float
    time_cost_usd_per_teu: float


@dataclass(frozen=True)
class FlowChange:
    id: str
    origin: str
    destination: str
    shipper_group: str
    consignee_country: str
    background: bool
    teu: float
    stranded_teu: float
    stranded_value_usd: float
    baseline_stranded_teu: float
    added_days: float | None
    added_freight_cost_usd: float
    added_time_cost_usd: float
    routes: tuple[RouteShare, ...]
    old_routes: tuple[RouteShare, ...]


@dataclass(frozen=True)
class GroupTotals:
    teu: float = 0.0
    stranded_teu: float = 0.0
    stranded_value_usd: float = 0.0
    added_freight_cost_usd: float = 0.0
    added_time_cost_usd: float = 0.0
    added_cost_usd: float = 0.0


@dataclass(frozen=True)
class RevenueChange:
    baseline_teu: float
    scenario_teu: float
    baseline_revenue_usd: float
    scenario_revenue_usd: float
    change_usd: float


@dataclass(frozen=True)
class CrossingChange:
    link: str
    crossing: str
    closed: bool
    capacity_teu: float | None
    baseline_teu: float
    scenario_teu: float
    change_teu: float


@dataclass(frozen=True)
class CaughtCargo:
    flow: str
    closed_link: str
    route_teu_per_year: float
    days_to_closed_link: float
    on_the_way_teu: float
    dispatched_during_teu: float
    caught_teu: float
    caught_value_usd: float


@dataclass(frozen=True)
class Transit:
    duration_days: float
    on_the_way_teu: float
    dispatched_during_teu: float
    caught_teu: float
    caught_value_usd: float
    caught_trains: float
    backlog_clear_days: Mapping[str, float | None]
    items: tuple[CaughtCargo, ...]


@dataclass(frozen=True)
class Totals:
    teu: float
    stranded_teu: float
    stranded_value_usd: float
    added_freight_cost_usd: float
    added_time_cost_usd: float
    added_cost_usd: float
    added_teu_days: float
    by_shipper_group: Mapping[str, GroupTotals]
    by_consignee_country: Mapping[str, GroupTotals]
    by_transit_country: Mapping[str, RevenueChange]
    by_mode: Mapping[str, RevenueChange]
    by_crossing: Mapping[str, CrossingChange]


@dataclass(frozen=True)
class Report:
    """A scenario against the baseline. `as_dict()` is the JSON shape the CLI, API and web page share."""

    scenario: str
    description: str
    solver: str
    value_of_time_usd_per_teu_day: float
    duration_days: float | None
    closed_links: tuple[str, ...]
    flows: tuple[FlowChange, ...]
    totals: Totals
    transit: Transit | None
    link_change: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    objective: float = 0.0
    baseline_objective: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["link_change"] = {
            k: {"baseline_teu": a, "scenario_teu": b} for k, (a, b) in self.link_change.items()
        }
        return d


def _r(x: float, nd: int = 2) -> float:
    return round(x + 0.0, nd)  # + 0.0 turns -0.0 into 0.0 so the JSON stays tidy


def _shares(fr: FlowResult) -> tuple[RouteShare, ...]:
    total = fr.teu or 1.0
    return tuple(
        RouteShare(
            r.links,
            r.nodes,
            r.teu,
            _r(r.teu / total, 4),
            r.days,
            r.freight_cost_usd_per_teu,
            r.time_cost_usd_per_teu,
        )
        for r in fr.routes
    )


def _sums(routes: tuple[Route, ...]) -> tuple[float, float, float, float]:
    teu = sum(r.teu for r in routes)
    return (
        teu,
        sum(r.teu * r.days for r in routes),
        sum(r.teu * r.freight_cost_usd_per_teu for r in routes),
        sum(r.teu * r.time_cost_usd_per_teu for r in routes),
    )


def _add(acc: dict[str, dict[str, float]], key: str, **vals: float) -> None:
    for k, v in vals.items():
        acc[key][k] += v


def _revenue(network: Network, sol: Solution, key: str) -> dict[str, tuple[float, float]]:
    """TEU and freight revenue per transit country (`key="country"`) or per mode.

    A TEU counts once per country (or mode) on its route, however many links there; revenue sums over links.
    """
    out: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for fr in sol.flows.values():
        for route in fr.routes:
            touched: set[str] = set()
            for lid in route.links:
                link = network.links[lid]
                groups = list(link.countries) if key == "country" else [link.mode]
                for g in groups:
                    out[g][1] += route.teu * network.freight_cost(link) / len(groups)
                touched.update(groups)
            for g in touched:
                out[g][0] += route.teu
    return {k: (v[0], v[1]) for k, v in out.items()}


def _revenue_change(
    a: Mapping[str, tuple[float, float]], b: Mapping[str, tuple[float, float]]
) -> dict[str, RevenueChange]:
    out = {}
    for k in sorted(set(a) | set(b)):
        bt, br = a.get(k, (0.0, 0.0))
        st, sr = b.get(k, (0.0, 0.0))
        out[k] = RevenueChange(_r(bt, 1), _r(st, 1), _r(br), _r(sr), _r(sr - br))
    return out


def caught_in_transit(
    network: Network, scenario: Scenario, baseline: Solution, closed: frozenset[str]
) -> Transit | None:
    """Cargo caught by a closure of the scenario's duration (formula in the module docstring)."""
    if scenario.duration_days is None or scenario.duration_days.value is None or not closed:
        return None
    dur = scenario.duration_days.value
    items: list[CaughtCargo] = []
    link_volume: dict[str, float] = defaultdict(float)
    for fid, fr in baseline.flows.items():
        flow = network.flows[fid]
        for route in fr.routes:
            days_before = 0.0
            for lid in route.links:
                if lid in closed:
                    v = route.teu
                    way, during = v * days_before / 365, v * dur / 365
                    link_volume[lid] += v
                    items.append(
                        CaughtCargo(
                            fid,
                            lid,
                            v,
                            _r(days_before, 3),
                            _r(way, 1),
                            _r(during, 1),
                            _r(way + during, 1),
                            _r((way + during) * (flow.value_usd_per_teu.value or 0.0)),
                        )
                    )
                    break
                days_before += network.links[lid].days.value or 0.0
    clear: dict[str, float | None] = {}
    for lid in sorted(link_volume):
        cap = residual_capacity(network.links[lid], Scenario(id="_reopened"))
        v = link_volume[lid]
        # After reopening the queue drains at the crossing's spare capacity; none spare means it never clears.
        clear[lid] = None if cap is None else (_r(v * dur / (cap - v), 1) if cap > v else None)
    items.sort(key=lambda c: (c.flow, c.closed_link))
    caught = sum(c.caught_teu for c in items)
    return Transit(
        duration_days=dur,
        on_the_way_teu=_r(sum(c.on_the_way_teu for c in items), 1),
        dispatched_during_teu=_r(sum(c.dispatched_during_teu for c in items), 1),
        caught_teu=_r(caught, 1),
        caught_value_usd=_r(sum(c.caught_value_usd for c in items)),
        caught_trains=_r(caught / network.param(TEU_PER_TRAIN, 1.0), 1),
        backlog_clear_days=clear,
        items=tuple(items),
    )


def report(
    network: Network,
    scenario: Scenario | str,
    *,
    solver: SolverName | str = "highs",
    baseline: Solution | None = None,
    solution: Solution | None = None,
) -> Report:
    """Solve the scenario (and the baseline, unless given) and compare them flow by flow and in totals."""
    scen = network.scenario(scenario) if isinstance(scenario, str) else scenario
    base = baseline or solve(network, "baseline", solver)
    sol = solution or solve(network, scen, solver, warm_start=base)
    flows: list[FlowChange] = []
    groups: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    consignees: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    tot: dict[str, float] = defaultdict(float)
    for fid, flow in network.flows.items():
        old, new = base.flows[fid], sol.flows[fid]
        ot, od, of, otc = _sums(old.routes)
        nt, nd, nf, ntc = _sums(new.routes)
        added_days = (nd / nt - od / ot) if nt > 0 and ot > 0 else None
        value = new.stranded_teu * (flow.value_usd_per_teu.value or 0.0)
        fc = FlowChange(
            id=fid,
            origin=flow.origin,
            destination=flow.destination,
            shipper_group=flow.shipper_group,
            consignee_country=flow.consignee_country,
            background=flow.background,
            teu=new.teu,
            stranded_teu=new.stranded_teu,
            stranded_value_usd=_r(value),
            baseline_stranded_teu=old.stranded_teu,
            added_days=None if added_days is None else _r(added_days, 3),
            added_freight_cost_usd=_r(nf - of),
            added_time_cost_usd=_r(ntc - otc),
            routes=_shares(new),
            old_routes=_shares(old),
        )
        flows.append(fc)
        vals = {
            "teu": new.teu,
            "stranded_teu": new.stranded_teu,
            "stranded_value_usd": value,
            "added_freight_cost_usd": nf - of,
            "added_time_cost_usd": ntc - otc,
            "added_cost_usd": nf - of + ntc - otc,
        }
        _add(groups, flow.shipper_group, **vals)
        _add(consignees, flow.consignee_country, **vals)
        for k, v in vals.items():
            tot[k] += v
        tot["added_teu_days"] += nd - od

    crossings: dict[str, CrossingChange] = {}
    for link in network.links.values():
        if link.crossing:
            b, s = base.link_teu.get(link.id, 0.0), sol.link_teu.get(link.id, 0.0)
            crossings[link.crossing] = CrossingChange(
                link.id,
                link.crossing,
                link.id in sol.closed_links,
                residual_capacity(link, scen),
                _r(b, 1),
                _r(s, 1),
                _r(s - b, 1),
            )

    def group_totals(acc: dict[str, dict[str, float]]) -> dict[str, GroupTotals]:
        return {k: GroupTotals(**{f: _r(v) for f, v in acc[k].items()}) for k in sorted(acc)}

    totals = Totals(
        teu=_r(tot["teu"], 1),
        stranded_teu=_r(tot["stranded_teu"], 1),
        stranded_value_usd=_r(tot["stranded_value_usd"]),
        added_freight_cost_usd=_r(tot["added_freight_cost_usd"]),
        added_time_cost_usd=_r(tot["added_time_cost_usd"]),
        added_cost_usd=_r(tot["added_cost_usd"]),
        added_teu_days=_r(tot["added_teu_days"], 1),
        by_shipper_group=group_totals(groups),
        by_consignee_country=group_totals(consignees),
        by_transit_country=_revenue_change(
            _revenue(network, base, "country"), _revenue(network, sol, "country")
        ),
        by_mode=_revenue_change(_revenue(network, base, "mode"), _revenue(network, sol, "mode")),
        by_crossing=dict(sorted(crossings.items())),
    )
    link_change = {
        lid: (base.link_teu.get(lid, 0.0), sol.link_teu.get(lid, 0.0))
        for lid in network.links
        if lid in base.link_teu or lid in sol.link_teu
    }
    return Report(
        scenario=scen.id,
        description=scen.description,
        solver=sol.solver,
        value_of_time_usd_per_teu_day=sol.value_of_time,
        duration_days=scen.duration_days.value if scen.duration_days else None,
        closed_links=tuple(sorted(sol.closed_links)),
        flows=tuple(flows),
        totals=totals,
        transit=caught_in_transit(network, scen, base, sol.closed_links),
        link_change=link_change,
        objective=sol.objective,
        baseline_objective=base.objective,
    )
