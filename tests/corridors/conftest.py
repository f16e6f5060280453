"""Small hand-solvable networks written in the shipped file format, so the loader is exercised too."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from spis.corridors import Network, available_solvers, load_scenario_text

SOLVERS = [
    "highs",
    pytest.param(
        "ortools",
        marks=pytest.mark.skipif(
            "ortools" not in available_solvers(),
            reason="OR-Tools not installed (bench extra: pip install -e '.[bench]')",
        ),
    ),
]


def q(v: float | None, s: str = "assumption: test") -> str:
    return "{{v: {}, s: {!r}}}".format("null" if v is None else v, s)


def build_yaml(
    nodes: list[str],
    links: list[tuple[str, str, str, float, float, float | None]],
    flows: list[tuple[str, str, str, float] | tuple[str, str, str, float, float]],
    scenarios: str = "",
    vot: float = 0.0,
    penalty: float = 1000.0,
) -> str:
    """links: (id, from, to, cost, days, capacity); flows: (id, origin, destination, teu[, max_days])."""
    out = [
        "model_parameters:",
        f"  value_of_time_usd_per_teu_day: {{value: {vot}, source: 'assumption: test'}}",
        f"  stranded_penalty_usd_per_teu: {{value: {penalty}, source: 'assumption: test'}}",
        "  teu_per_train: {value: 100, source: 'assumption: test'}",
        "nodes:",
    ]
    for i, n in enumerate(nodes):
        country = n.split("_")[0] if "_" in n else "XX"
        out.append(
            f"  - {{id: {n}, name: {n}, country: {country}, lat: {50 + i}, lon: {10 + 2 * i}, source: 'assumption: test'}}"
        )
    out.append("links:")
    for lid, a, b, cost, days, cap in links:
        out.append(
            f"  - {{id: {lid}, from: {a}, to: {b}, mode: rail, countries: [{a.split('_')[0]}], "
            f"days: {q(days)}, cost_usd_per_teu: {q(cost)}, capacity_teu_per_year: {q(cap)}}}"
        )
    out.append("flows:")
    for f in flows:
        extra = f", max_days: {q(f[4])}" if len(f) == 5 else ""
        out.append(
            f"  - {{id: {f[0]}, origin: {f[1]}, destination: {f[2]}, teu_per_year: {q(f[3])}, "
            f"value_usd_per_teu: {q(1000)}, shipper_group: g{f[0]}{extra}}}"
        )
    out.append("scenarios:")
    out.append(scenarios or "  - {id: baseline}")
    return "\n".join(out) + "\n"


@pytest.fixture
def make_network() -> Callable[..., Network]:
    def make(*args: object, **kwargs: object) -> Network:
        return load_scenario_text(build_yaml(*args, **kwargs), filename="test.yaml")  # type: ignore[arg-type]

    return make
