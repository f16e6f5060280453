"""/api/v1/campaigns…: campaigns, their compliance and draining series, and the precedents.

Included by spis/api/v1.py when this module exists. Responses are exactly what the CLI prints with --json
(`spis campaign status SLUG --json` carries the same compliance object), so a figure is reproducible.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import re_path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from spis.registry.dates import parse_iso_date

from .compliance import draining_series
from .precedents import precedent_rows, pressure_comparison
from .queries import campaigns_for, get_campaign_for
from .report import campaign_report, campaign_summary

DATE_PARAMS = [
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="YYYY-MM-DD; default today (UTC)."),
    OpenApiParameter("known_on", OpenApiTypes.DATE, description="YYYY-MM-DD: only events recorded by then."),
]


def _date(request: Any, name: str, default: Any = None) -> Any:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return parse_iso_date(raw, name)
    except ValueError as exc:
        raise ValidationError({name: [str(exc)]}) from None


def _campaign(request: Any, slug: str) -> Any:
    try:
        return get_campaign_for(request.user, slug)
    except Http404:
        raise NotFound("No such campaign") from None


class CampaignList(APIView):
    @extend_schema(operation_id="campaigns_list", responses=OpenApiTypes.OBJECT, summary="Campaigns")
    def get(self, request: Any) -> Response:
        return Response(
            [campaign_summary(c) for c in campaigns_for(request.user).prefetch_related("organisers")]
        )


class CampaignDetail(APIView):
    @extend_schema(
        operation_id="campaigns_detail",
        parameters=DATE_PARAMS,
        responses=OpenApiTypes.OBJECT,
        summary="A campaign and its compliance",
    )
    def get(self, request: Any, slug: str) -> Response:
        campaign = _campaign(request, slug)
        as_of = _date(request, "as_of", timezone.now().date())
        return Response(campaign_report(campaign, as_of, _date(request, "known_on"), request.user))


class CampaignSeries(APIView):
    @extend_schema(
        operation_id="campaigns_series",
        parameters=[
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day; default today (UTC)."),
            OpenApiParameter("demand", OpenApiTypes.INT, description="Demand id; default the first."),
            OpenApiParameter("known_on", OpenApiTypes.DATE, description="Only events recorded by then."),
        ],
        responses=OpenApiTypes.OBJECT,
        summary="The scope draining over time against new recognitions",
    )
    def get(self, request: Any, slug: str) -> Response:
        campaign = _campaign(request, slug)
        demands = campaign.demands.all()
        raw = request.query_params.get("demand")
        if raw:
            if not raw.isdigit():
                raise ValidationError({"demand": ["expected a demand id (an integer)"]})
            demands = demands.filter(pk=int(raw))
        demand = demands.first()
        if demand is None:
            raise NotFound("No such demand")
        end = _date(request, "end", timezone.now().date())
        try:
            rows = draining_series(demand, end, known_on=_date(request, "known_on"))
        except ValueError as exc:
            raise ValidationError({"end": [str(exc)]}) from None
        return Response({"campaign": campaign.slug, "demand": demand.pk, "rows": rows})


class PrecedentList(APIView):
    @extend_schema(
        operation_id="campaigns_precedents",
        parameters=[
            OpenApiParameter(name, OpenApiTypes.STR, description=f"Filter: {name} contains")
            for name in ("country", "kind", "pressure", "confidence")
        ],
        responses=OpenApiTypes.OBJECT,
        summary="Precedents beside the Belarusian list",
    )
    def get(self, request: Any) -> Response:
        filters = {k: request.query_params.get(k, "") for k in ("country", "kind", "pressure", "confidence")}
        rows = precedent_rows(filters)
        return Response({"precedents": rows, "comparison": pressure_comparison(rows)})


# Both spellings, with and without the trailing slash: the other /api/v1 routes have none, and
# /api/v1/campaigns/ is the address campaigners are given.
urlpatterns = [
    re_path(r"^campaigns/?$", CampaignList.as_view(), name="api-campaign-list"),
    re_path(r"^campaigns/precedents/?$", PrecedentList.as_view(), name="api-campaign-precedents"),
    re_path(r"^campaigns/(?P<slug>[-\w]+)/series/?$", CampaignSeries.as_view(), name="api-campaign-series"),
    re_path(r"^campaigns/(?P<slug>[-\w]+)/?$", CampaignDetail.as_view(), name="api-campaign-detail"),
]
