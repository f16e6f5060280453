"""Read and validate a corridor scenario file (the format of data/corridors/default_scenario.yaml).

Problems are collected, not raised one by one: a `ScenarioError` lists every unknown id, missing or negative
number, bad source and unreachable destination with its line and column, so a staff member editing the DB copy
can fix them all in one pass.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from .model import (
    STRANDED_PENALTY,
    TEU_PER_TRAIN,
    VALUE_OF_TIME,
    Flow,
    Link,
    Network,
    Problem,
    Quantity,
    Scenario,
    ScenarioError,
)
from .model import Node as NetNode

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "data" / "corridors"
DEFAULT_FILE = DEFAULT_DIR / "default_scenario.yaml"

_SOURCE_ID = re.compile(r"\bS_[A-Z0-9_]+\b")
_FREE_SOURCE_PREFIXES = ("assumption", "derived", "model_parameters.", "override")
# Parameters the solver and report read; any `*_cost_multiplier` is one too.
MODEL_INPUTS = {VALUE_OF_TIME, STRANDED_PENALTY, TEU_PER_TRAIN}


class _Map(dict[Any, Any]):
    """A mapping that remembers where it and each of its values start in the file."""

    line: int | None = None
    column: int | None = None
    marks: dict[Any, tuple[int, int]]


class _Seq(list[Any]):
    line: int | None = None
    column: int | None = None
    marks: list[tuple[int, int]]


class _Loader(yaml.SafeLoader):
    duplicates: list[Problem]


def _construct_map(loader: _Loader, node: MappingNode) -> Iterator[_Map]:
    data = _Map()
    data.line, data.column = node.start_mark.line + 1, node.start_mark.column + 1
    data.marks = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in data:
            mark = key_node.start_mark
            loader.duplicates.append(Problem(f"duplicate key {key!r}", mark.line + 1, mark.column + 1))
        data[key] = loader.construct_object(value_node, deep=True)
        data.marks[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)


def _construct_seq(loader: _Loader, node: SequenceNode) -> Iterator[_Seq]:
    data = _Seq()
    data.line, data.column = node.start_mark.line + 1, node.start_mark.column + 1
    data.marks = []
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.marks.append((item.start_mark.line + 1, item.start_mark.column + 1))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)  # type: ignore[arg-type, unused-ignore]
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)  # type: ignore[arg-type, unused-ignore]


def load_scenario(path: str | Path | None = None) -> Network:
    """Load and validate a scenario file; the default is the shipped data/corridors/default_scenario.yaml."""
    p = Path(path) if path is not None else DEFAULT_FILE
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([Problem(f"cannot read file: {exc.strerror or exc}")], str(p)) from exc
    return load_scenario_text(text, filename=str(p))


def load_scenario_text(text: str, filename: str = "<scenario>") -> Network:
    """Load and validate scenario YAML held in a string (e.g. the staff-editable copy kept in the database)."""
    loader = _Loader(text)
    loader.duplicates = []
    try:
        node: Node | None = loader.get_single_node()
        raw = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise ScenarioError([Problem(f"YAML syntax: {exc.problem}", line, col)], filename) from exc
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(f"YAML: {exc}")], filename) from exc
    finally:
        loader.dispose()
    if not isinstance(raw, _Map):
        raise ScenarioError(
            [Problem("the file must be a mapping with nodes, links and flows", 1, 1)], filename
        )
    return _Builder(raw, filename, list(loader.duplicates)).build()


class _Builder:
    def __init__(self, raw: _Map, filename: str, problems: list[Problem]) -> None:
        self.raw = raw
        self.filename = filename
        self.problems = problems
        self.source_ids: set[str] = set()
        self.param_names: set[str] = set()

    # ---- helpers
    def err(self, msg: str, where: _Map | _Seq | None = None, key: Any = None) -> None:
        line = col = None
        if isinstance(where, _Map):
            line, col = (
                where.marks.get(key, (where.line, where.column))
                if key is not None
                else (where.line, where.column)
            )
        elif isinstance(where, _Seq):
            line, col = where.line, where.column
        self.problems.append(Problem(msg, line, col))

    def section(self, key: str, kind: type, required: bool = True) -> Any:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.err(f"missing section {key!r}", self.raw)
            return kind()
        if not isinstance(value, kind):
            self.err(f"section {key!r} must be a {'list' if kind is _Seq else 'mapping'}", self.raw, key)
            return kind()
        return value

    def items(self, key: str) -> Iterator[_Map]:
        seq = self.section(key, _Seq, required=key != "scenarios")
        for i, item in enumerate(seq):
            if isinstance(item, _Map):
                yield item
            else:
                line, col = seq.marks[i]
                self.problems.append(Problem(f"{key}[{i}] must be a mapping", line, col))

    def text(self, m: _Map, key: str, label: str, required: bool = True, default: str = "") -> str:
        v = m.get(key)
        if v is None:
            if required:
                self.err(f"{label}: missing {key!r}", m)
            return default
        if isinstance(v, (dict, list)):
            self.err(f"{label}: {key!r} must be text", m, key)
            return default
        return str(v)

    def number(self, v: Any, m: _Map, key: Any, label: str, allow_none: bool = False) -> float | None:
        if v is None:
            if not allow_none:
                self.err(f"{label}: missing value", m, key)
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.err(f"{label}: value must be a number, got {v!r}", m, key)
            return None
        if v < 0:
            self.err(f"{label}: value must not be negative, got {v}", m, key)
            return None
        if v != v or v in (float("inf"), float("-inf")):
            self.err(f"{label}: value must be finite", m, key)
            return None
        return float(v)

    def check_source(self, src: str, m: _Map, key: Any, label: str) -> None:
        s = src.strip()
        if not s:
            self.err(f"{label}: empty source", m, key)
            return
        unknown = [i for i in _SOURCE_ID.findall(s) if i not in self.source_ids]
        if unknown:
            self.err(f"{label}: unknown source id(s) {', '.join(unknown)}", m, key)
        elif not s.lower().startswith(_FREE_SOURCE_PREFIXES) and not _SOURCE_ID.search(s):
            self.err(
                f"{label}: source must be an id in 'sources:' or start with 'assumption:' or 'derived:'",
                m,
                key,
            )
        if s.startswith("model_parameters."):
            ref = s.split()[0].removeprefix("model_parameters.")
            if ref not in self.param_names:
                self.err(f"{label}: source refers to unknown model parameter {ref!r}", m, key)

    def quantity(
        self,
        m: _Map,
        key: str,
        label: str,
        required: bool = True,
        allow_none: bool = False,
        default: Any = None,
    ) -> Quantity | None:
        """Read `{v|value: …, s|source: …}`; `default` is used when the key is absent (link_defaults)."""
        raw = m.get(key, default)
        if raw is None:
            if required:
                self.err(f"{label}: missing {key!r}", m)
            return None
        holder = m if key in m else raw
        if not isinstance(raw, dict):
            self.err(f"{label}: {key!r} must be {{v: number, s: source}}", holder, key if key in m else None)
            return None
        has_v = "v" in raw or "value" in raw
        v = raw.get("v", raw.get("value"))
        s = raw.get("s", raw.get("source"))
        if not has_v:
            self.err(f"{label}: {key!r} has no value (v)", holder, key if key in m else None)
            return None
        if s is None or not str(s).strip():
            self.err(f"{label}: {key!r} has no source (s)", holder, key if key in m else None)
        value = self.number(
            v,
            raw if isinstance(raw, _Map) else m,
            "v" if "v" in raw else "value",
            f"{label}.{key}",
            allow_none,
        )
        self.check_source(str(s or "-"), holder, key if key in m else None, f"{label}.{key}")
        line = m.marks[key][0] if key in m else getattr(raw, "line", None)
        return Quantity(value, str(s or ""), line)

    def ids(
        self, m: _Map, key: str, known: set[str] | dict[str, Any], label: str, what: str
    ) -> tuple[str, ...]:
        v = m.get(key) or []
        if not isinstance(v, list):
            self.err(f"{label}: {key!r} must be a list", m, key)
            return ()
        for i in v:
            if str(i) not in known:
                self.err(f"{label}: unknown {what} {i!r} in {key!r}", m, key)
        return tuple(str(i) for i in v)

    # ---- sections
    def build(self) -> Network:
        sources = self.section("sources", _Map, required=False)
        self.source_ids = {str(k) for k in sources}
        params_raw = self.section("model_parameters", _Map)
        self.param_names = {str(k) for k in params_raw}
        params: dict[str, Quantity] = {}
        for name, v in params_raw.items():
            label = f"model_parameters.{name}"
            if not isinstance(v, dict):
                self.err(f"{label} must be {{value, source}}", params_raw, name)
                continue
            raw_value = v.get("value", v.get("v"))
            if isinstance(raw_value, str):
                if str(name) in MODEL_INPUTS or str(name).endswith("_cost_multiplier"):
                    # A parameter the model reads must be a number, or the solver would fall back silently.
                    self.err(f"{label}: value {raw_value!r} is not a number", params_raw, name)
                continue  # notes such as integer_scaling_note are kept in the file but are not model inputs
            q = self.quantity(params_raw, name, "model_parameters", allow_none=False)
            if q is not None:
                params[str(name)] = q

        nodes = self.build_nodes()
        links = self.build_links(nodes)
        flows = self.build_flows(nodes)
        scenarios = self.build_scenarios(nodes, links)
        self.check_reachable(nodes, links, flows)
        if self.problems:
            self.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
            raise ScenarioError(self.problems, self.filename)
        meta = self.raw.get("meta") if isinstance(self.raw.get("meta"), dict) else {}
        name = str((meta or {}).get("name") or Path(self.filename).stem)
        stakeholders = tuple(s for s in self.raw.get("stakeholders") or [] if isinstance(s, dict))
        return Network(
            name=name,
            nodes=nodes,
            links=links,
            flows=flows,
            parameters=params,
            scenarios=scenarios,
            sources={
                str(k): dict(v) if isinstance(v, dict) else {"note": str(v)} for k, v in sources.items()
            },
            meta=dict(meta or {}),
            stakeholders=stakeholders,
            filename=self.filename,
        )

    def build_nodes(self) -> dict[str, NetNode]:
        nodes: dict[str, NetNode] = {}
        for m in self.items("nodes"):
            nid = self.text(m, "id", "node")
            label = f"node {nid or '?'}"
            if nid in nodes:
                self.err(f"{label}: duplicate node id", m, "id")
            coords: list[float] = []
            for key, lo, hi in (("lat", -90, 90), ("lon", -180, 180)):
                v = m.get(key)
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    self.err(f"{label}: {key!r} must be a number", m, key if key in m else None)
                    coords.append(0.0)
                elif not lo <= v <= hi:
                    self.err(f"{label}: {key!r} out of range [{lo}, {hi}]: {v}", m, key)
                    coords.append(0.0)
                else:
                    coords.append(float(v))
            src = self.text(m, "source", label)
            if src:
                self.check_source(src, m, "source", label)
            node = NetNode(
                id=nid,
                name=self.text(m, "name", label, required=False, default=nid),
                country=self.text(m, "country", label),
                kind=self.text(m, "kind", label, required=False, default="hub"),
                lat=coords[0],
                lon=coords[1],
                source=src,
                line=m.line,
            )
            if nid:
                nodes[nid] = node
        return nodes

    def build_links(self, nodes: dict[str, NetNode]) -> dict[str, Link]:
        defaults = self.section("link_defaults", _Map, required=False)
        links: dict[str, Link] = {}
        for m in self.items("links"):
            lid = self.text(m, "id", "link")
            label = f"link {lid or '?'}"
            if lid in links:
                self.err(f"{label}: duplicate link id", m, "id")
            ends = []
            for key in ("from", "to"):
                ref = self.text(m, key, label)
                if ref and ref not in nodes:
                    self.err(f"{label}: unknown node {ref!r} in {key!r}", m, key)
                ends.append(ref)
            if ends[0] and ends[0] == ends[1]:
                self.err(f"{label}: 'from' and 'to' are the same node", m, "to")
            days = self.quantity(m, "days", label)
            cost = self.quantity(m, "cost_usd_per_teu", label)
            cap = self.quantity(
                m,
                "capacity_teu_per_year",
                label,
                required=False,
                allow_none=True,
                default=defaults.get("capacity_teu_per_year"),
            )
            # Without link_defaults, an absent capacity is unlimited and an absent background use is zero.
            bg = self.quantity(
                m,
                "background_use_teu_per_year",
                label,
                required=False,
                default=defaults.get("background_use_teu_per_year"),
            )
            cap = cap or Quantity(None, "assumption: not binding at corridor scale")
            bg = bg or Quantity(0.0, "assumption: none modelled")
            if days is None or cost is None:
                continue
            links[lid] = Link(
                id=lid,
                from_node=ends[0],
                to_node=ends[1],
                mode=self.text(m, "mode", label),
                corridor=self.text(m, "corridor", label, required=False),
                countries=tuple(str(c) for c in m.get("countries") or []),
                operators=tuple(str(c) for c in m.get("operators") or []),
                days=days,
                cost_usd_per_teu=cost,
                capacity_teu_per_year=cap,
                background_use_teu_per_year=bg,
                crossing=str(m["crossing"]) if m.get("crossing") else None,
                eu_belarus_crossing=bool(m.get("eu_belarus_crossing", False)),
                chokepoint=str(m["chokepoint"]) if m.get("chokepoint") else None,
                note=str(m["note"]) if m.get("note") else None,
                line=m.line,
            )
        return links

    def build_flows(self, nodes: dict[str, NetNode]) -> dict[str, Flow]:
        flows: dict[str, Flow] = {}
        for m in self.items("flows"):
            fid = self.text(m, "id", "flow")
            label = f"flow {fid or '?'}"
            if fid in flows:
                self.err(f"{label}: duplicate flow id", m, "id")
            ends = []
            for key in ("origin", "destination"):
                ref = self.text(m, key, label)
                if ref and ref not in nodes:
                    self.err(f"{label}: unknown node {ref!r} in {key!r}", m, key)
                ends.append(ref)
            teu = self.quantity(m, "teu_per_year", label)
            value = self.quantity(m, "value_usd_per_teu", label)
            max_days = self.quantity(m, "max_days", label, required=False)
            if teu is None or value is None:
                continue
            flows[fid] = Flow(
                id=fid,
                origin=ends[0],
                destination=ends[1],
                teu_per_year=teu,
                value_usd_per_teu=value,
                shipper_group=self.text(m, "shipper_group", label, required=False, default="unassigned"),
                consignee_country=self.text(
                    m,
                    "consignee_country",
                    label,
                    required=False,
                    default=nodes[ends[1]].country if ends[1] in nodes else "",
                ),
                max_days=max_days,
                background=bool(m.get("background", False)),
                line=m.line,
            )
        return flows

    def build_scenarios(self, nodes: dict[str, NetNode], links: dict[str, Link]) -> dict[str, Scenario]:
        scenarios: dict[str, Scenario] = {}
        countries = {n.country for n in nodes.values()}
        for m in self.items("scenarios"):
            sid = self.text(m, "id", "scenario")
            label = f"scenario {sid or '?'}"
            if sid in scenarios:
                self.err(f"{label}: duplicate scenario id", m, "id")
            pairs: list[tuple[str, str]] = []
            for p in m.get("closed_country_pairs") or []:
                parts = (
                    re.split(r"\s*[-–/]\s*", p)
                    if isinstance(p, str)
                    else list(p)
                    if isinstance(p, list)
                    else []
                )
                if len(parts) != 2:
                    self.err(f"{label}: country pair {p!r} must look like 'BY-PL'", m, "closed_country_pairs")
                    continue
                a, b = (str(x).strip().upper() for x in parts)
                for c in (a, b):
                    if c not in countries:
                        self.err(
                            f"{label}: no node in country {c!r} (closed_country_pairs)",
                            m,
                            "closed_country_pairs",
                        )
                pairs.append((a, b))
            overrides: dict[str, Quantity] = {}
            caps = m.get("capacity_overrides") or {}
            if isinstance(caps, _Map):
                for lid in caps:
                    if lid not in links:
                        self.err(f"{label}: unknown link {lid!r} in capacity_overrides", caps, lid)
                    q = self.quantity(caps, lid, f"{label}.capacity_overrides", allow_none=True)
                    if q is not None:
                        overrides[str(lid)] = q
            params: dict[str, Quantity] = {}
            praw = m.get("parameters") or {}
            if isinstance(praw, _Map):
                for name in praw:
                    if name not in self.param_names:
                        self.err(f"{label}: unknown model parameter {name!r}", praw, name)
                    q = self.quantity(praw, name, f"{label}.parameters")
                    if q is not None:
                        params[str(name)] = q
            scenarios[sid] = Scenario(
                id=sid,
                description=self.text(m, "description", label, required=False),
                closed_links=self.ids(m, "closed_links", links, label, "link"),
                closed_nodes=self.ids(m, "closed_nodes", nodes, label, "node"),
                closed_country_pairs=tuple(pairs),
                capacity_overrides=overrides,
                parameter_overrides=params,
                duration_days=self.quantity(m, "duration_days", label, required=False),
                observed=str(m["observed"]) if m.get("observed") else None,
                line=m.line,
            )
        return scenarios

    def check_reachable(
        self, nodes: dict[str, NetNode], links: dict[str, Link], flows: dict[str, Flow]
    ) -> None:
        """Every flow must have at least one route with all links open; otherwise the file is wrong, not the scenario."""
        out: dict[str, list[str]] = {}
        for link in links.values():
            out.setdefault(link.from_node, []).append(link.to_node)
        for flow in flows.values():
            if flow.origin not in nodes or flow.destination not in nodes:
                continue
            seen = {flow.origin}
            todo = deque([flow.origin])
            while todo:
                for nxt in out.get(todo.popleft(), []):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            if flow.destination not in seen:
                self.problems.append(
                    Problem(
                        f"flow {flow.id}: destination {flow.destination} is unreachable from origin {flow.origin}",
                        flow.line,
                        None,
                    )
                )
