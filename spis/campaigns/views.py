"""Public pages: /campaigns/, /campaigns/<slug>/ (compliance and the draining chart), /campaigns/precedents/."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from spis.access.pagecache import public_page
from spis.registry.dates import parse_iso_date
from spis.stats import charts

from .compliance import draining_series, with_local_facilities
from .models import Precedent
from .precedents import precedent_rows, pressure_comparison, sentence
from .queries import campaigns_for, get_campaign_for
from .report import campaign_report

SERIES_KEYS = ["scope_held", "new_held", "list"]


def _date(request: HttpRequest, name: str, default: dt.date | None) -> dt.date | None:
    raw = request.GET.get(name)
    return parse_iso_date(raw, name) if raw else default


@public_page
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "campaigns/list.html", {"campaigns": campaigns_for(request.user)})


@public_page
def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = get_campaign_for(request.user, slug)
    today = timezone.now().date()
    try:
        as_of = _date(request, "as_of", today) or today
        known_on = _date(request, "known_on", None)
    except ValueError as exc:
        return HttpResponseBadRequest(escape(str(exc)))
    report = campaign_report(campaign, as_of, known_on, request.user)
    labels = {
        "scope_held": _("In scope, still held"),
        "new_held": _("Recognised since, held"),
        "list": _("Whole list"),
    }
    for entry, demand in zip(report["demands"], campaign.demands.all(), strict=True):
        if entry["compliance"] is None:
            continue
        rows = draining_series(demand, as_of, known_on=known_on)
        entry["chart"] = charts.line_chart_svg(
            rows, SERIES_KEYS, title=_("The list since the scope date"), labels=labels
        )
        entry["table"] = charts.chart_table(rows, SERIES_KEYS)
        entry["released_rows"] = [
            (kind, n) for kind, n in entry["compliance"]["released"].items() if kind != "total"
        ]
        entry["compliance"] = {
            **entry["compliance"],
            "still_held_named": with_local_facilities(
                entry["compliance"]["still_held_named"], get_language()
            ),
        }
    return render(request, "campaigns/detail.html", {"campaign": campaign, "report": report})


@public_page
def precedent_list(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("country", "kind", "pressure", "confidence")}
    rows = precedent_rows(filters)
    for row in rows:
        row["sentence"] = sentence(row)
    beside = None
    slug = request.GET.get("campaign")
    if slug:
        campaign = get_campaign_for(request.user, slug)
        report = campaign_report(campaign, timezone.now().date(), None, request.user)
        first = next((d for d in report["demands"] if d["compliance"]), None)
        if first:
            c = first["compliance"]
            share = round(100 * c["released"]["total"] / c["in_scope"], 1) if c["in_scope"] else None
            beside = {"campaign": campaign, "compliance": c, "share": share}
    return render(
        request,
        "campaigns/precedents.html",
        {
            "rows": rows,
            "filters": filters,
            "comparison": pressure_comparison(rows),
            "countries": Precedent.objects.order_by("country").values_list("country", flat=True).distinct(),
            "confidences": Precedent.Confidence.values,
            "campaigns": campaigns_for(request.user),
            "beside": beside,
        },
    )
