"""Reroute flows under a scenario: a path-based multi-commodity min-cost flow solved by column generation.

Formulation (see README.md): one commodity per flow; a variable per (flow, path) and a slack per flow whose
use is the stranded volume. Minimise Σ path cost × TEU + penalty × stranded, where path cost is freight
(USD/TEU × mode multiplier) plus value of time × days, subject to: each flow's paths + slack = its TEU, and each
capacitated link's use ≤ capacity − background use. Paths are generated on demand: the master LP is solved over
the paths found so far, and its duals price new paths (shortest path on cost − capacity dual). For a flow with a
`max_days` limit the pricing problem is a resource-constrained shortest path, solved exactly by A* label
setting with (cost, days) dominance, so time-limited cargo never gets a path slower than its limit. The LP is
optimal when no flow has a path of negative reduced cost, which is an exact optimality certificate.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped, unused-ignore]
from scipy.optimize import linprog  # type: ignore[import-untyped, unused-ignore]
from scipy.sparse.csgraph import dijkstra  # type: ignore[import-untyped, unused-ignore]

from .model import (
    DEFAULT_STRANDED_PENALTY,
    STRANDED_PENALTY,
    VALUE_OF_TIME,
    Network,
    Scenario,
    closed_link_ids,
    residual_capacity,
)

SolverName = Literal["highs", "ortools"]
FloatArray = npt.NDArray[np.float64]
_EPS_TEU = 1e-6
# A label-setting search that explodes is cut here; with A* bounds it is never reached on corridor-sized graphs.
_MAX_LABELS = 200_000


class SolverError(RuntimeError):
    """The LP backend failed or is not installed."""


@dataclass(frozen=True)
class Route:
    links: tuple[str, ...]
    nodes: tuple[str, ...]
    teu: float
    days: float
    freight_cost_usd_per_teu: float
    time_cost_usd_per_teu: float


@dataclass(frozen=True)
class FlowResult:
    flow_id: str
    teu: float
    stranded_teu: float
    routes: tuple[Route, ...]

    @property
    def routed_teu(self) -> float:
        return sum(r.teu for r in self.routes)


@dataclass(frozen=True)
class Solution:
    """The optimal rerouting of every flow under one scenario."""

    scenario_id: str
    solver: str
    objective: float
    value_of_time: float
    flows: Mapping[str, FlowResult]
    link_teu: Mapping[str, float]
    closed_links: frozenset[str]
    iterations: int
    # Every path generated, per flow (used or not): passing this back as `warm_start` speeds up re-solves.
    columns: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


def available_solvers() -> list[str]:
    names = ["highs"]
    try:
        from ortools.linear_solver import pywraplp  # noqa: F401
    except ImportError:
        return names
    return [*names, "ortools"]


# ---------------------------------------------------------------- master LP backends


@dataclass
class _MasterResult:
    objective: float
    x: FloatArray  # path variables, then one slack per flow
    duals_flow: FloatArray
    duals_cap: FloatArray  # per capacity row, ≤ 0


class _Master(Protocol):
    def solve(
        self,
        col_flow: Sequence[int],
        col_arcs: Sequence[Sequence[int]],
        col_cost: Sequence[float],
        cap_rows: Sequence[int],
    ) -> _MasterResult: ...


class _Problem:
    """Shared data of the master LP (demands, penalty, capacities)."""

    def __init__(self, demand: FloatArray, penalty: float, cap: FloatArray) -> None:
        self.demand = demand
        self.penalty = penalty
        self.cap = cap


class _HighsMaster:
    """scipy's HiGHS; linprog has no warm start, so the LP is rebuilt each round from cached incidence lists."""

    def __init__(self, prob: _Problem) -> None:
        self.prob = prob
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.row_of: dict[int, int] = {}
        self.seen_cols = 0

    def solve(
        self,
        col_flow: Sequence[int],
        col_arcs: Sequence[Sequence[int]],
        col_cost: Sequence[float],
        cap_rows: Sequence[int],
    ) -> _MasterResult:
        nf = len(self.prob.demand)
        nc = len(col_flow)
        for a in cap_rows[len(self.row_of) :]:
            self.row_of[a] = len(self.row_of)
        # A capacity row is created when the first path through its link arrives, so rows never need
        # back-filling for older columns and the incidence lists only grow.
        for j in range(self.seen_cols, nc):
            for a in col_arcs[j]:
                r = self.row_of.get(a)
                if r is not None:
                    self.rows.append(r)
                    self.cols.append(j)
        self.seen_cols = nc
        c = np.concatenate([np.asarray(col_cost, dtype=float), np.full(nf, self.prob.penalty)])
        a_eq = sparse.hstack(
            [
                sparse.csr_matrix(
                    (np.ones(nc), (np.asarray(col_flow, dtype=int), np.arange(nc))), shape=(nf, nc)
                ),
                sparse.identity(nf, format="csr"),
            ],
            format="csr",
        )
        a_ub = b_ub = None
        if cap_rows:
            a_ub = sparse.csr_matrix(
                (np.ones(len(self.rows)), (self.rows, self.cols)), shape=(len(cap_rows), nc + nf)
            )
            b_ub = self.prob.cap[np.asarray(cap_rows, dtype=int)]
        res = linprog(
            c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=self.prob.demand, bounds=(0, None), method="highs"
        )
        if res.status != 0:
            raise SolverError(f"HiGHS failed: {res.message}")
        duals_cap = np.asarray(res.ineqlin.marginals, dtype=float) if cap_rows else np.zeros(0)
        return _MasterResult(
            float(res.fun), np.asarray(res.x, dtype=float), np.asarray(res.eqlin.marginals), duals_cap
        )


class _OrToolsMaster:
    """OR-Tools GLOP, built incrementally: new paths are added as columns and GLOP re-solves from its last basis."""

    def __init__(self, prob: _Problem) -> None:
        try:
            from ortools.linear_solver import pywraplp  # type: ignore[import-untyped, unused-ignore]
        except ImportError as exc:  # pragma: no cover - depends on the bench extra
            raise SolverError("OR-Tools is not installed (pip install -e '.[bench]')") from exc
        self.prob = prob
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.optimal = pywraplp.Solver.OPTIMAL
        inf = self.solver.infinity()
        self.flow_rows = [self.solver.Constraint(float(d), float(d)) for d in prob.demand]
        self.objective = self.solver.Objective()
        self.objective.SetMinimization()
        self.slacks = []
        for i, row in enumerate(self.flow_rows):
            s = self.solver.NumVar(0.0, inf, f"s{i}")
            row.SetCoefficient(s, 1.0)
            self.objective.SetCoefficient(s, prob.penalty)
            self.slacks.append(s)
        # OR-Tools ships no type information, hence Any for its objects.
        self.cols: list[Any] = []
        self.cap_rows: dict[int, Any] = {}
        self.inf = inf

    def solve(
        self,
        col_flow: Sequence[int],
        col_arcs: Sequence[Sequence[int]],
        col_cost: Sequence[float],
        cap_rows: Sequence[int],
    ) -> _MasterResult:
        for a in cap_rows:
            if a not in self.cap_rows:
                self.cap_rows[a] = self.solver.Constraint(-self.inf, float(self.prob.cap[a]))
        for j in range(len(self.cols), len(col_flow)):
            v = self.solver.NumVar(0.0, self.inf, f"x{j}")
            self.flow_rows[col_flow[j]].SetCoefficient(v, 1.0)
            for a in col_arcs[j]:
                row = self.cap_rows.get(a)
                if row is not None:
                    row.SetCoefficient(v, 1.0)
            self.objective.SetCoefficient(v, float(col_cost[j]))
            self.cols.append(v)
        status = self.solver.Solve()
        if status != self.optimal:
            raise SolverError(f"OR-Tools GLOP failed with status {status}")
        x = np.array([v.solution_value() for v in [*self.cols, *self.slacks]], dtype=np.float64)
        duals_flow = np.array([r.dual_value() for r in self.flow_rows], dtype=np.float64)
        duals_cap = np.array([self.cap_rows[a].dual_value() for a in cap_rows], dtype=np.float64)
        return _MasterResult(float(self.objective.Value()), x, duals_flow, duals_cap)


# ---------------------------------------------------------------- pricing


class _Graph:
    """The open links of one scenario as arrays, plus adjacency for the label-setting search."""

    def __init__(self, network: Network, scenario: Scenario, vot: float) -> None:
        self.closed = closed_link_ids(network, scenario)
        self.node_ids = list(network.nodes)
        self.node_index = {n: i for i, n in enumerate(self.node_ids)}
        self.links = [lk for lk in network.links.values() if lk.id not in self.closed]
        self.link_index = {lk.id: i for i, lk in enumerate(self.links)}
        self.tail = np.array([self.node_index[lk.from_node] for lk in self.links], dtype=np.int64)
        self.head = np.array([self.node_index[lk.to_node] for lk in self.links], dtype=np.int64)
        self.freight = np.array([network.freight_cost(lk) for lk in self.links], dtype=float)
        self.days = np.array([lk.days.value or 0.0 for lk in self.links], dtype=float)
        self.cost = self.freight + vot * self.days
        caps = [residual_capacity(lk, scenario) for lk in self.links]
        self.cap = np.array([math.inf if c is None else c for c in caps], dtype=float)
        self.capacitated = {i for i, c in enumerate(caps) if c is not None}
        self.cost_list: list[float] = self.cost.tolist()
        self.days_list: list[float] = self.days.tolist()
        self.freight_list: list[float] = self.freight.tolist()
        pairs = list(zip(self.tail.tolist(), self.head.tolist(), strict=True))
        self.simple = len(set(pairs)) == len(pairs)
        self.pair_arc = {p: i for i, p in enumerate(pairs)}
        self.out: list[list[int]] = [[] for _ in self.node_ids]
        for i, t in enumerate(self.tail):
            self.out[int(t)].append(i)
        self.n = len(self.node_ids)

    def collapsed(self, weight: FloatArray) -> tuple[sparse.csr_matrix, dict[tuple[int, int], int]]:
        """Parallel links collapse to the cheapest one (csgraph would sum duplicates)."""
        if self.simple:
            # A tiny offset keeps zero-cost links as edges (csgraph may drop explicit zeros).
            return sparse.csr_matrix(
                (weight + 1e-9, (self.tail, self.head)), shape=(self.n, self.n)
            ), self.pair_arc
        order = np.lexsort((weight, self.head, self.tail))
        best: dict[tuple[int, int], int] = {}
        for i in order.tolist():
            best.setdefault((int(self.tail[i]), int(self.head[i])), i)
        idx = np.fromiter(best.values(), dtype=np.int64, count=len(best))
        mat = sparse.csr_matrix(
            (weight[idx] + 1e-9, (self.tail[idx], self.head[idx])), shape=(self.n, self.n)
        )
        return mat, best

    def path_nodes(self, arcs: Sequence[int]) -> tuple[int, ...]:
        if not arcs:
            return ()
        return (int(self.tail[arcs[0]]), *(int(self.head[a]) for a in arcs))


def _price_unlimited(
    g: _Graph, reduced: FloatArray, origins: Sequence[int], dests: Sequence[int]
) -> list[tuple[float, tuple[int, ...]] | None]:
    """Cheapest path by reduced cost for each (origin, destination), one Dijkstra per distinct origin."""
    mat, best = g.collapsed(reduced)
    red = reduced.tolist()
    uniq = sorted(set(origins))
    dist, pred = dijkstra(mat, directed=True, indices=uniq, return_predecessors=True)
    row = {o: i for i, o in enumerate(uniq)}
    out: list[tuple[float, tuple[int, ...]] | None] = []
    for o, d in zip(origins, dests, strict=True):
        r = row[o]
        if not math.isfinite(dist[r, d]):
            out.append(None)
            continue
        arcs: list[int] = []
        v = d
        while v != o:
            u = int(pred[r, v])
            arcs.append(best[(u, v)])
            v = u
        arcs.reverse()
        out.append((float(sum(red[a] for a in arcs)), tuple(arcs)))
    return out


def _price_time_limited(
    g: _Graph,
    reduced: FloatArray,
    origin: int,
    dest: int,
    max_days: float,
    h_cost: FloatArray,
    h_days: FloatArray,
) -> tuple[float, tuple[int, ...]] | None:
    """Exact resource-constrained shortest path: A* on reduced cost, pruning by days, Pareto labels per node."""
    if h_days[origin] > max_days + 1e-9:
        return None
    front: dict[int, list[tuple[float, float]]] = {}
    heap: list[tuple[float, float, float, int, tuple[int, ...]]] = [(h_cost[origin], 0.0, 0.0, origin, ())]
    popped = 0
    while heap and popped < _MAX_LABELS:
        _, cost, days, v, arcs = heapq.heappop(heap)
        popped += 1
        if v == dest:
            return cost, arcs
        labels = front.get(v, [])
        if any(c <= cost + 1e-12 and d <= days + 1e-12 for c, d in labels):
            continue
        front[v] = [(c, d) for c, d in labels if not (c >= cost and d >= days)]
        front[v].append((cost, days))
        for a in g.out[v]:
            w = int(g.head[a])
            nd = days + g.days_list[a]
            if nd + h_days[w] > max_days + 1e-9 or not math.isfinite(h_cost[w]):
                continue
            nc = cost + reduced[a]
            heapq.heappush(heap, (nc + h_cost[w], nc, nd, w, (*arcs, a)))
    return None


# ---------------------------------------------------------------- solve


def solve(
    network: Network,
    scenario: Scenario | str = "baseline",
    solver: SolverName | str = "highs",
    *,
    warm_start: Solution | None = None,
    max_iterations: int = 500,
) -> Solution:
    """Route every flow of `network` at least cost under `scenario` (an id or a Scenario); HiGHS by default."""
    scen = network.scenario(scenario) if isinstance(scenario, str) else scenario
    net = network.with_scenario_parameters(scen)
    vot = net.param(VALUE_OF_TIME, 0.0)
    penalty = net.param(STRANDED_PENALTY, DEFAULT_STRANDED_PENALTY)
    g = _Graph(net, scen, vot)
    flows = list(net.flows.values())
    demand = np.array([f.teu_per_year.value or 0.0 for f in flows], dtype=float)
    origins = [g.node_index[f.origin] for f in flows]
    dests = [g.node_index[f.destination] for f in flows]
    limits = [f.max_days.value if f.max_days is not None else None for f in flows]
    prob = _Problem(demand, penalty, g.cap)
    master: _Master
    if solver == "highs":
        master = _HighsMaster(prob)
    elif solver == "ortools":
        master = _OrToolsMaster(prob)
    else:
        raise SolverError(f"unknown solver {solver!r} (use highs or ortools)")

    col_flow: list[int] = []
    col_arcs: list[tuple[int, ...]] = []
    col_cost: list[float] = []
    seen: set[tuple[int, tuple[int, ...]]] = set()
    cap_rows: list[int] = []
    cap_seen: set[int] = set()

    def add(fi: int, arcs: tuple[int, ...]) -> bool:
        if (fi, arcs) in seen:
            return False
        seen.add((fi, arcs))
        col_flow.append(fi)
        col_arcs.append(arcs)
        col_cost.append(sum(g.cost_list[a] for a in arcs))
        for a in arcs:
            if a in g.capacitated and a not in cap_seen:
                cap_seen.add(a)
                cap_rows.append(a)
        return True

    if warm_start is not None:
        for fi, f in enumerate(flows):
            for path in warm_start.columns.get(f.id, ()):
                if all(lid in g.link_index for lid in path):
                    arcs = tuple(g.link_index[lid] for lid in path)
                    lim = limits[fi]
                    if lim is None or sum(g.days_list[a] for a in arcs) <= lim + 1e-9:
                        add(fi, arcs)

    active = [fi for fi in range(len(flows)) if demand[fi] > 0]
    timed = [fi for fi in active if limits[fi] is not None]
    # Lower bounds on days to each time-limited destination (reverse graph), computed once: days never change.
    h_days_by_dest: dict[int, FloatArray] = {}
    if timed:
        dmat, _ = g.collapsed(g.days)
        tdests = sorted({dests[fi] for fi in timed})
        hd = dijkstra(dmat.T.tocsr(), directed=True, indices=tdests)
        h_days_by_dest = {d: hd[i] for i, d in enumerate(tdests)}

    reduced = g.cost.copy()
    duals_flow = np.full(len(flows), math.inf)
    result: _MasterResult | None = None
    iterations = 0
    while True:
        added = 0
        priced = _price_unlimited(g, reduced, [origins[i] for i in active], [dests[i] for i in active])
        candidates: list[tuple[int, tuple[float, tuple[int, ...]] | None]] = []
        hard: list[int] = []
        for fi, found in zip(active, priced, strict=True):
            lim = limits[fi]
            # The unconstrained cheapest path is also the constrained optimum when it is fast enough;
            # only the others need the (slower) label-setting search.
            if lim is None or found is None or sum(g.days_list[a] for a in found[1]) <= lim + 1e-9:
                candidates.append((fi, found))
            else:
                hard.append(fi)
        if hard:
            rmat, _ = g.collapsed(reduced)
            hdests = sorted({dests[fi] for fi in hard})
            hc = dijkstra(rmat.T.tocsr(), directed=True, indices=hdests)
            h_cost = {d: hc[i] for i, d in enumerate(hdests)}
            for fi in hard:
                lim = limits[fi]
                assert lim is not None  # noqa: S101 - only time-limited flows are in `hard`
                d = dests[fi]
                candidates.append(
                    (fi, _price_time_limited(g, reduced, origins[fi], d, lim, h_cost[d], h_days_by_dest[d]))
                )
        for fi, found in candidates:
            if found is None:
                continue
            rc, arcs = found
            sigma = duals_flow[fi]
            if rc - sigma < -1e-7 * max(1.0, abs(sigma) if math.isfinite(sigma) else 1.0) and add(fi, arcs):
                added += 1
        if result is not None and added == 0:
            break
        if iterations >= max_iterations:
            raise SolverError(f"column generation did not converge in {max_iterations} rounds")
        result = master.solve(col_flow, col_arcs, col_cost, cap_rows)
        iterations += 1
        duals_flow = result.duals_flow
        reduced = g.cost.copy()
        if cap_rows:
            # Capacity duals are ≤ 0; charging −dual on a full link steers new paths around it.
            reduced[np.asarray(cap_rows, dtype=int)] -= np.minimum(result.duals_cap, 0.0)
    return _extract(net, scen, str(solver), g, demand, vot, col_flow, col_arcs, result, iterations)


def _extract(
    net: Network,
    scen: Scenario,
    solver: str,
    g: _Graph,
    demand: FloatArray,
    vot: float,
    col_flow: Sequence[int],
    col_arcs: Sequence[tuple[int, ...]],
    result: _MasterResult,
    iterations: int,
) -> Solution:
    flow_list = list(net.flows.values())
    nc = len(col_flow)
    per_flow: dict[int, list[Route]] = {i: [] for i in range(len(flow_list))}
    columns: dict[str, list[tuple[str, ...]]] = {f.id: [] for f in flow_list}
    link_ids = [lk.id for lk in g.links]
    link_teu = [0.0] * len(g.links)
    xs: list[float] = result.x.tolist()
    for j in range(nc):
        fi = col_flow[j]
        arcs = col_arcs[j]
        ids = tuple(link_ids[a] for a in arcs)
        columns[flow_list[fi].id].append(ids)
        x = xs[j]
        if x <= _EPS_TEU * max(1.0, demand[fi]):
            continue
        for a in arcs:
            link_teu[a] += x
        days = sum(g.days_list[a] for a in arcs)
        per_flow[fi].append(
            Route(
                links=ids,
                nodes=tuple(g.node_ids[n] for n in g.path_nodes(arcs)),
                teu=round(x, 3),
                days=round(days, 3),
                freight_cost_usd_per_teu=round(sum(g.freight_list[a] for a in arcs), 2),
                time_cost_usd_per_teu=round(vot * days, 2),
            )
        )
    out: dict[str, FlowResult] = {}
    for fi, f in enumerate(flow_list):
        stranded = float(result.x[nc + fi])
        routes = tuple(sorted(per_flow[fi], key=lambda r: (-r.teu, r.links)))
        out[f.id] = FlowResult(
            flow_id=f.id,
            teu=float(demand[fi]),
            stranded_teu=round(stranded, 3) if stranded > _EPS_TEU * max(1.0, demand[fi]) else 0.0,
            routes=routes,
        )
    return Solution(
        scenario_id=scen.id,
        solver=solver,
        objective=round(result.objective, 2),
        value_of_time=vot,
        flows=out,
        link_teu={link_ids[i]: round(t, 3) for i, t in enumerate(link_teu) if t > 0},
        closed_links=g.closed,
        iterations=iterations,
        columns={k: tuple(sorted(v)) for k, v in columns.items()},
    )
