"""Which assumptions drive a headline result: a value-of-time sweep and a ±swing tornado over assumed numbers.

Each number whose source starts with `assumption` is moved down and up by `swing` (default 50%) on its own,
baseline and scenario are both re-solved, and the rows are ranked by how far the headline metric moves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .model import (
    STRANDED_PENALTY,
    TEU_PER_TRAIN,
    VALUE_OF_TIME,
    Network,
    Scenario,
    iter_quantities,
    with_overrides,
)
from .report import Report, report
from .solver import Solution, SolverName, solve

METRICS = ("added_cost_usd", "stranded_teu", "belarus_revenue_change_usd", "added_days")
DEFAULT_VALUES_OF_TIME = (20.0, 50.0, 100.0, 200.0, 400.0)


def headline(rep: Report) -> dict[str, float]:
    """The figures a campaigner quotes: added cost per year, stranded TEU, Belarus's transit revenue change, added days."""
    t = rep.totals
    routed = t.teu - t.stranded_teu
    by = t.by_transit_country.get("BY")
    return {
        "added_cost_usd": t.added_cost_usd,
        "stranded_teu": t.stranded_teu,
        "belarus_revenue_change_usd": by.change_usd if by else 0.0,
        "added_days": round(t.added_teu_days / routed, 3) if routed > 0 else 0.0,
    }


@dataclass(frozen=True)
class VotRow:
    value_of_time_usd_per_teu_day: float
    metrics: dict[str, float]


@dataclass(frozen=True)
class TornadoRow:
    key: str
    source: str
    base_value: float
    low_value: float
    high_value: float
    low_metric: float
    high_metric: float
    effect: float


@dataclass(frozen=True)
class Sensitivity:
    scenario: str
    metric: str
    swing: float
    base: dict[str, float]
    value_of_time: tuple[VotRow, ...]
    tornado: tuple[TornadoRow, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def assumption_keys(network: Network) -> list[tuple[str, float, str]]:
    """Override keys of every positive number sourced `assumption…` that the model actually reads."""
    used_params = {VALUE_OF_TIME, STRANDED_PENALTY, TEU_PER_TRAIN}
    out = []
    for key, q in iter_quantities(network):
        if not q.is_assumption or q.value is None or q.value <= 0:
            continue
        if key.startswith("model_parameters."):
            name = key.split(".", 1)[1]
            if name not in used_params and not name.endswith("_cost_multiplier"):
                continue
        out.append((key, q.value, q.source))
    return out


def _run(
    network: Network, scen: Scenario, solver: str, hint: tuple[Solution, Solution] | None
) -> tuple[Report, Solution, Solution]:
    base = solve(network, "baseline", solver, warm_start=hint[0] if hint else None)
    sol = solve(network, scen, solver, warm_start=hint[1] if hint else None)
    return report(network, scen, solver=solver, baseline=base, solution=sol), base, sol


def sensitivity(
    network: Network,
    scenario: Scenario | str,
    *,
    solver: SolverName | str = "highs",
    metric: str = "added_cost_usd",
    values_of_time: Sequence[float] = DEFAULT_VALUES_OF_TIME,
    swing: float = 0.5,
    keys: Iterable[str] | None = None,
) -> Sensitivity:
    """Recompute the headline across values of time and with each assumption moved by ±swing, ranked by effect."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r} (use one of {', '.join(METRICS)})")
    scen = network.scenario(scenario) if isinstance(scenario, str) else scenario
    rep, base, sol = _run(network, scen, solver, None)
    hint = (base, sol)
    vot_rows = []
    for vot in values_of_time:
        r, _, _ = _run(with_overrides(network, {VALUE_OF_TIME: vot}, "sensitivity"), scen, solver, hint)
        vot_rows.append(VotRow(vot, headline(r)))
    wanted = set(keys) if keys is not None else None
    rows = []
    for key, value, source in assumption_keys(network):
        if wanted is not None and key not in wanted:
            continue
        lo, hi = value * (1 - swing), value * (1 + swing)
        r_lo, _, _ = _run(with_overrides(network, {key: lo}, "sensitivity"), scen, solver, hint)
        r_hi, _, _ = _run(with_overrides(network, {key: hi}, "sensitivity"), scen, solver, hint)
        m_lo, m_hi = headline(r_lo)[metric], headline(r_hi)[metric]
        base_m = headline(rep)[metric]
        effect = max(abs(m_lo - base_m), abs(m_hi - base_m))
        rows.append(TornadoRow(key, source, value, round(lo, 6), round(hi, 6), m_lo, m_hi, round(effect, 2)))
    rows.sort(key=lambda r: (-r.effect, r.key))
    return Sensitivity(scen.id, metric, swing, headline(rep), tuple(vot_rows), tuple(rows))
