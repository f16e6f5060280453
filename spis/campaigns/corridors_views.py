"""Public pages /campaigns/corridors/ (every scenario with its headline) and /campaigns/corridors/<id>/.

Both read the default CorridorModel (or `?model=<slug>`), solved through corridors_results (cached). Every
figure on the detail page sits beside the inputs it rests on, each with its source or `assumption:` mark.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from spis.corridors import ScenarioError

from . import corridors_results as results


def _model_or_error(request: HttpRequest) -> tuple[Any, Any, HttpResponse | None]:
    model = results.corridor_model(request.GET.get("model") or None)
    try:
        network = results.network_for(model)
    except ScenarioError as exc:
        # Saved text is validated, but a newer loader may reject an old copy: say so instead of a bare 500.
        page = render(
            request, "campaigns/corridors_error.html", {"model": model, "error": exc.render()}, status=503
        )
        return model, None, page
    return model, network, None


def corridor_list(request: HttpRequest) -> HttpResponse:
    model, network, error = _model_or_error(request)
    if error is not None:
        return error
    return render(
        request,
        "campaigns/corridors_list.html",
        {"model": model, "network": network, "scenarios": results.scenario_list(model)},
    )


def corridor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    model, network, error = _model_or_error(request)
    if error is not None:
        return error
    solved = results.scenario_report(model, slug)
    full = request.GET.get("tornado") == "all"
    sens = results.scenario_sensitivity(model, slug, full=full)
    rep = solved["report"]
    totals = rep["totals"]
    context = {
        "model": model,
        "network": network,
        "scenario": network.scenarios[slug],
        "report": rep,
        "headline": solved["headline"],
        "map_svg": solved["map_svg"],
        "sensitivity": sens["sensitivity"],
        "sensitivity_svg": sens["svg"],
        "tornado_full": sens["full"],
        "by_shipper_group": sorted(totals["by_shipper_group"].items()),
        "by_transit_country": sorted(totals["by_transit_country"].items()),
        "by_crossing": sorted(totals["by_crossing"].items()),
        "inputs": results.inputs(network, slug),
        "parameters": {
            name: results.source_ref(q.source, set(network.sources)) for name, q in network.parameters.items()
        },
    }
    return render(request, "campaigns/corridors_detail.html", context)
