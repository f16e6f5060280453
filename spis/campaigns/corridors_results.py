"""Solved corridor scenarios for the pages and the API, cached per (model, updated_at, scenario).

Solving one scenario takes ~0.1–0.5 s and the YAML parse ~0.5 s, so results are kept in Django's cache under a
key that contains the model's `updated_at`: an edit in the admin changes the key, so nothing stale is served
and nothing needs deleting. Reads are public: the scenario file is published data, not person data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.http import Http404
from django.utils.translation import gettext as _

from spis.corridors import Network, closed_link_ids, map_svg, report, sensitivity, sensitivity_svg, solve
from spis.corridors.sensitivity import assumption_keys, headline

from .corridors_actions import ensure_default_corridor_model, parse
from .corridors_models import CorridorModel

CACHE_VERSION = 2  # 2: the solved objects are cached, the SVGs drawn per language
CACHE_SECONDS = 7 * 24 * 3600
SOLVER = "highs"
# The page's default tornado moves only these assumptions (17 of ~160 in the shipped file, ~2 s): the model
# parameters, flow volumes, capacities and background use, which decide where cargo can go. Link days and costs
# (the other ~140) are in the full tornado, `?tornado=all`, computed once per model change (~20 s).
QUICK_FIELDS = ("capacity_teu_per_year", "background_use_teu_per_year", "teu_per_year")
SOURCE_ID = re.compile(r"\bS_[A-Z0-9_]+\b")


def corridor_model(slug: str | None = None) -> CorridorModel:
    """The default model (created from the shipped file on first use), or the one named by `slug` (404)."""
    if not slug:
        return ensure_default_corridor_model()
    model = CorridorModel.objects.filter(slug=slug).first()
    if model is None:
        raise Http404("No such corridor model")
    return model


def _key(model: CorridorModel, *parts: str) -> str:
    return ":".join(["corridors", str(CACHE_VERSION), str(model.pk), model.updated_at.isoformat(), *parts])


@lru_cache(maxsize=8)
def _parsed(yaml_text: str, slug: str) -> Network:
    # Parsing with line tracking takes ~0.5 s; Network is immutable, so one parse per text per process is safe.
    return parse(yaml_text, slug)


def network_for(model: CorridorModel) -> Network:
    """The parsed model; raises ScenarioError if the stored text no longer loads."""
    return _parsed(model.yaml_text, model.slug)


def _scenario_or_404(network: Network, scenario_id: str) -> None:
    if scenario_id not in network.scenarios:
        raise Http404(f"No scenario {scenario_id!r} in this corridor model")


def scenario_list(model: CorridorModel) -> list[dict[str, Any]]:
    """Every scenario in the model with its headline figures (baseline solved once for all)."""
    key = _key(model, "list")
    rows = cache.get(key)
    if rows is None:
        network = network_for(model)
        baseline = solve(network, "baseline", solver=SOLVER)
        rows = []
        for sid, scen in network.scenarios.items():
            rep = report(network, sid, solver=SOLVER, baseline=baseline)
            rows.append(
                {
                    "id": sid,
                    "description": scen.description,
                    "closed_links": sorted(rep.closed_links),
                    "duration_days": scen.duration_days.value if scen.duration_days else None,
                    "headline": headline(rep),
                }
            )
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def _map_text() -> dict[str, str]:
    return {
        "title": _("Corridor map: %(scenario)s against the baseline"),
        "legend": _("Legend"),
        "lost": _("volume lost"),
        "gained": _("volume gained"),
        "same": _("unchanged"),
        "closed_legend": _("closed (dashed)"),
        "width": _("Line width: TEU per year (larger of before/after)."),
        "closed": _("closed"),
    }


def _tornado_text() -> dict[str, str]:
    return {
        "title": _("Sensitivity of %(metric)s (%(scenario)s) to assumptions ±%(swing)s"),
        "base": _("base %(base)s; blue = low value, orange = high value"),
    }


def scenario_report(model: CorridorModel, scenario_id: str) -> dict[str, Any]:
    """`{"report": Report.as_dict(), "map_svg": str}` — the report is the CLI's `run --json` object.

    The solved report is cached; the map is drawn per call in the active language (string work only)."""
    key = _key(model, "report", scenario_id)
    solved = cache.get(key)
    network = network_for(model)
    if solved is None:
        _scenario_or_404(network, scenario_id)
        rep = report(network, scenario_id, solver=SOLVER)
        solved = {"rep": rep, "report": rep.as_dict(), "headline": headline(rep)}
        cache.set(key, solved, CACHE_SECONDS)
    svg = map_svg(network, solved["rep"], text=_map_text())
    return {"report": solved["report"], "headline": solved["headline"], "map_svg": svg}


def quick_keys(network: Network) -> list[str]:
    return [
        key
        for key, _value, _source in assumption_keys(network)
        if key.startswith("model_parameters.") or key.rsplit(".", 1)[-1] in QUICK_FIELDS
    ]


def scenario_sensitivity(model: CorridorModel, scenario_id: str, full: bool = False) -> dict[str, Any]:
    """`{"sensitivity": Sensitivity.as_dict(), "svg": str, "full": bool}`; `full` moves every assumption."""
    key = _key(model, "sensitivity", scenario_id, "all" if full else "quick")
    solved = cache.get(key)
    if solved is None:
        network = network_for(model)
        _scenario_or_404(network, scenario_id)
        sens = sensitivity(network, scenario_id, solver=SOLVER, keys=None if full else quick_keys(network))
        solved = {"sens": sens, "sensitivity": sens.as_dict()}
        cache.set(key, solved, CACHE_SECONDS)
    svg = sensitivity_svg(solved["sens"], text=_tornado_text())
    return {"sensitivity": solved["sensitivity"], "svg": svg, "full": full}


def source_ref(source: str, known: set[str]) -> dict[str, Any]:
    """A source string as the page shows it: the text, whether it is an assumption, and the ids it cites."""
    assumption = source.strip().lower().startswith("assumption")
    # The page prints the word "assumption" in bold itself; `detail` is what follows it.
    detail = source.strip()[len("assumption") :].lstrip(" :") if assumption else source
    return {
        "text": source,
        "detail": detail,
        "assumption": assumption,
        "refs": [sid for sid in dict.fromkeys(SOURCE_ID.findall(source)) if sid in known],
    }


def inputs(network: Network, scenario_id: str) -> dict[str, Any]:
    """The numbers the scenario's result rests on, each with its source, and the source list itself."""
    known = set(network.sources)
    scen = network.scenario(scenario_id)
    closed = closed_link_ids(network, scen)

    def q(quantity: Any) -> dict[str, Any] | None:
        if quantity is None:
            return None
        return {"value": quantity.value, **source_ref(quantity.source, known)}

    return {
        "parameters": [
            {"name": name, **(q(quantity) or {})}
            for name, quantity in network.parameters.items()
            if isinstance(quantity.value, int | float)
        ],
        "duration": q(scen.duration_days),
        "observed": source_ref(scen.observed, known) if scen.observed else None,
        "capacity_overrides": [{"link": lid, **(q(v) or {})} for lid, v in scen.capacity_overrides.items()],
        "parameter_overrides": [{"name": n, **(q(v) or {})} for n, v in scen.parameter_overrides.items()],
        "closed_links": [
            {
                "id": link.id,
                "from": link.from_node,
                "to": link.to_node,
                "crossing": link.crossing or "",
                "days": q(link.days),
                "cost": q(link.cost_usd_per_teu),
                "capacity": q(link.capacity_teu_per_year),
            }
            for link in network.links.values()
            if link.id in closed
        ],
        "flows": [
            {
                "id": flow.id,
                "origin": flow.origin,
                "destination": flow.destination,
                "shipper_group": flow.shipper_group,
                "teu": q(flow.teu_per_year),
                "value": q(flow.value_usd_per_teu),
                "max_days": q(flow.max_days),
            }
            for flow in network.flows.values()
        ],
        "sources": [
            {
                "id": sid,
                "url": str(entry.get("url", "")) if isinstance(entry, Mapping) else "",
                "date": str(entry.get("date", "")) if isinstance(entry, Mapping) else "",
                "note": str(entry.get("note", "")) if isinstance(entry, Mapping) else str(entry),
            }
            for sid, entry in network.sources.items()
        ],
    }
