"""The corridor network as typed, immutable values: nodes, links, flows, parameters and scenarios.

Every number is a `Quantity` that keeps its `source` (a registry id, `assumption: …` or `derived: …`) and the
line it came from, so a result can always be traced back to the figure and the reason behind it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file, with its 1-based position when known."""

    message: str
    line: int | None = None
    column: int | None = None

    def where(self, filename: str) -> str:
        if self.line is None:
            return filename
        return f"{filename}:{self.line}:{self.column or 1}"


class ScenarioError(ValueError):
    """A scenario file (or an override) is invalid; `problems` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem], filename: str = "<scenario>") -> None:
        self.problems = problems
        self.filename = filename
        super().__init__(self.render())

    def render(self) -> str:
        head = f"{self.filename}: {len(self.problems)} problem(s) in the corridor scenario"
        return "\n".join([head, *(f"  {p.where(self.filename)}: {p.message}" for p in self.problems)])


@dataclass(frozen=True)
class Quantity:
    """A number with its source; `value` is None only where the file says so (e.g. unlimited capacity)."""

    value: float | None
    source: str
    line: int | None = None

    @property
    def is_assumption(self) -> bool:
        return self.source.strip().lower().startswith("assumption")


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    source: str
    line: int | None = None


@dataclass(frozen=True)
class Link:
    id: str
    from_node: str
    to_node: str
    mode: str
    corridor: str
    countries: tuple[str, ...]
    operators: tuple[str, ...]
    days: Quantity
    cost_usd_per_teu: Quantity
    capacity_teu_per_year: Quantity
    background_use_teu_per_year: Quantity
    crossing: str | None = None
    eu_belarus_crossing: bool = False
    chokepoint: str | None = None
    note: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Flow:
    id: str
    origin: str
    destination: str
    teu_per_year: Quantity
    value_usd_per_teu: Quantity
    shipper_group: str
    consignee_country: str
    max_days: Quantity | None = None
    background: bool = False
    line: int | None = None


@dataclass(frozen=True)
class Scenario:
    id: str
    description: str = ""
    closed_links: tuple[str, ...] = ()
    closed_nodes: tuple[str, ...] = ()
    closed_country_pairs: tuple[tuple[str, str], ...] = ()
    capacity_overrides: Mapping[str, Quantity] = field(default_factory=dict)
    parameter_overrides: Mapping[str, Quantity] = field(default_factory=dict)
    duration_days: Quantity | None = None
    observed: str | None = None
    line: int | None = None


BASELINE = Scenario(id="baseline", description="All links open.")

# Parameters the model reads; a file may carry others (notes, alternative values), which are kept but unused.
VALUE_OF_TIME = "value_of_time_usd_per_teu_day"
STRANDED_PENALTY = "stranded_penalty_usd_per_teu"
TEU_PER_TRAIN = "teu_per_train"
_MULTIPLIER_SUFFIX = "_cost_multiplier"
DEFAULT_STRANDED_PENALTY = 100_000.0


@dataclass(frozen=True)
class Network:
    """A whole scenario file: the network, its flows, parameters and the scenarios defined on it."""

    name: str
    nodes: Mapping[str, Node]
    links: Mapping[str, Link]
    flows: Mapping[str, Flow]
    parameters: Mapping[str, Quantity]
    scenarios: Mapping[str, Scenario] = field(default_factory=dict)
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)
    stakeholders: tuple[Mapping[str, Any], ...] = ()
    filename: str = "<scenario>"

    def param(self, name: str, default: float | None = None) -> float:
        q = self.parameters.get(name)
        if q is None or q.value is None:
            if default is None:
                raise KeyError(f"model parameter {name!r} is not set")
            return default
        return q.value

    def scenario(self, scenario_id: str) -> Scenario:
        if scenario_id in self.scenarios:
            return self.scenarios[scenario_id]
        if scenario_id == BASELINE.id:
            return BASELINE
        known = ", ".join(sorted(self.scenarios)) or "none"
        raise ScenarioError([Problem(f"unknown scenario {scenario_id!r} (known: {known})")], self.filename)

    def cost_multiplier(self, mode: str) -> float:
        """`rail_cost_multiplier` applies to mode `rail` and every `rail_*` mode (rail_border …)."""
        best, best_len = 1.0, -1
        for name, q in self.parameters.items():
            if not name.endswith(_MULTIPLIER_SUFFIX) or q.value is None:
                continue
            prefix = name[: -len(_MULTIPLIER_SUFFIX)]
            # The longest matching prefix wins, so `rail_border_cost_multiplier` beats `rail_cost_multiplier`.
            if (mode == prefix or mode.startswith(prefix + "_")) and len(prefix) > best_len:
                best, best_len = q.value, len(prefix)
        return best

    def freight_cost(self, link: Link) -> float:
        return (link.cost_usd_per_teu.value or 0.0) * self.cost_multiplier(link.mode)

    def with_scenario_parameters(self, scenario: Scenario) -> Network:
        if not scenario.parameter_overrides:
            return self
        return replace(self, parameters={**self.parameters, **scenario.parameter_overrides})


def closed_link_ids(network: Network, scenario: Scenario) -> frozenset[str]:
    """Links closed by the scenario: listed links, links touching closed nodes, links crossing closed country pairs.

    A country pair closes a link whose two end nodes lie in those two countries (either direction), so
    `BY-PL` closes Brest–Malaszewicze but not the Kaliningrad–Braniewo link.
    """
    closed = set(scenario.closed_links)
    nodes = set(scenario.closed_nodes)
    pairs = {frozenset(p) for p in scenario.closed_country_pairs}
    for link in network.links.values():
        if link.from_node in nodes or link.to_node in nodes:
            closed.add(link.id)
            continue
        ends = frozenset((network.nodes[link.from_node].country, network.nodes[link.to_node].country))
        if len(ends) == 2 and ends in pairs:
            closed.add(link.id)
    return frozenset(closed)


def residual_capacity(link: Link, scenario: Scenario) -> float | None:
    """Capacity left for the modelled flows (capacity minus background use); None means unlimited."""
    cap = scenario.capacity_overrides.get(link.id, link.capacity_teu_per_year).value
    if cap is None:
        return None
    return max(0.0, cap - (link.background_use_teu_per_year.value or 0.0))


# ---------------------------------------------------------------- overrides (--set, sensitivity)

_LINK_FIELDS = ("days", "cost_usd_per_teu", "capacity_teu_per_year", "background_use_teu_per_year")
_FLOW_FIELDS = ("teu_per_year", "value_usd_per_teu", "max_days")


def iter_quantities(network: Network) -> Iterator[tuple[str, Quantity]]:
    """Every model input number with its override key (`model_parameters.X`, `links.ID.FIELD`, `flows.ID.FIELD`)."""
    for name in sorted(network.parameters):
        yield f"model_parameters.{name}", network.parameters[name]
    for link in network.links.values():
        for f in _LINK_FIELDS:
            yield f"links.{link.id}.{f}", getattr(link, f)
    for flow in network.flows.values():
        for f in _FLOW_FIELDS:
            q = getattr(flow, f)
            if q is not None:
                yield f"flows.{flow.id}.{f}", q


def _resolve_key(network: Network, key: str) -> tuple[str, str, str]:
    """Normalise an override key to (table, id, field); accepts `NAME`, `ID.FIELD` or the full form."""
    parts = key.split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[0] == "model_parameters"):
        name = parts[-1]
        if name in network.parameters:
            return "model_parameters", "", name
        raise KeyError(f"unknown model parameter {name!r} (known: {', '.join(sorted(network.parameters))})")
    if len(parts) == 2:
        parts = ["links" if parts[0] in network.links else "flows", *parts]
    if len(parts) == 3:
        table, ident, fld = parts
        if table == "links" and ident in network.links and fld in _LINK_FIELDS:
            return table, ident, fld
        if table == "flows" and ident in network.flows and fld in _FLOW_FIELDS:
            return table, ident, fld
        allowed = _LINK_FIELDS if table == "links" else _FLOW_FIELDS
        if table not in ("links", "flows") or ident not in (
            network.links if table == "links" else network.flows
        ):
            raise KeyError(f"unknown link or flow {ident!r} in {key!r}")
        raise KeyError(f"unknown field {fld!r} in {key!r} (allowed: {', '.join(allowed)})")
    raise KeyError(f"cannot read {key!r}: use NAME, LINK.FIELD, FLOW.FIELD or links.ID.FIELD")


def get_quantity(network: Network, key: str) -> Quantity | None:
    table, ident, fld = _resolve_key(network, key)
    if table == "model_parameters":
        return network.parameters[fld]
    obj: Link | Flow = network.links[ident] if table == "links" else network.flows[ident]
    q: Quantity | None = getattr(obj, fld)
    return q


def with_overrides(network: Network, overrides: Mapping[str, float], source: str = "override") -> Network:
    """A copy of the network with some numbers replaced; unknown keys or negative values raise ScenarioError."""
    problems: list[Problem] = []
    params = dict(network.parameters)
    links = dict(network.links)
    flows = dict(network.flows)
    for key, value in overrides.items():
        try:
            table, ident, fld = _resolve_key(network, key)
        except KeyError as exc:
            problems.append(Problem(f"--set {key}: {exc.args[0]}"))
            continue
        if value < 0:
            problems.append(Problem(f"--set {key}: value must not be negative, got {value}"))
            continue
        q = Quantity(float(value), f"{source}: {key}={value:g}")
        if table == "model_parameters":
            params[fld] = q
        elif table == "links":
            links[ident] = replace(links[ident], **cast(dict[str, Any], {fld: q}))
        else:
            flows[ident] = replace(flows[ident], **cast(dict[str, Any], {fld: q}))
    if problems:
        raise ScenarioError(problems, network.filename)
    return replace(network, parameters=params, links=links, flows=flows)
