"""/api/v1/corridors/ (scenarios with headlines) and /api/v1/corridors/<scenario_id> (the full report).

Included by spis/api/v1.py when this module exists. The report object is exactly what
`spis corridors run --scenario ID --json` prints for the same scenario file, so a figure is reproducible.
Public read: the scenario file is published data; `?model=<slug>` reads another staff copy.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import re_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from spis.corridors import ScenarioError

from . import corridors_results as results

MODEL_PARAM = OpenApiParameter(
    "model", OpenApiTypes.STR, description="Slug of a corridor model; default: the default model."
)


class ModelUnavailable(APIException):
    status_code = 503
    default_detail = "The corridor model does not load; staff must correct it."


class HeadlineSerializer(serializers.Serializer):
    added_cost_usd = serializers.FloatField(help_text="Added freight and time cost per year, USD.")
    stranded_teu = serializers.FloatField(help_text="TEU per year that find no route.")
    belarus_revenue_change_usd = serializers.FloatField(help_text="Change of Belarus's transit revenue, USD.")
    added_days = serializers.FloatField(help_text="Added days per routed TEU.")


class ScenarioSummarySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Scenario id, as in the file.")
    description = serializers.CharField(help_text="What the scenario closes or changes.")
    closed_links = serializers.ListField(child=serializers.CharField(), help_text="Links closed.")
    duration_days = serializers.FloatField(
        allow_null=True, help_text="Closure length, if the file gives one."
    )
    headline = HeadlineSerializer(help_text="Headline results against the baseline.")


class ScenarioListSerializer(serializers.Serializer):
    model = serializers.CharField(help_text="Slug of the corridor model used.")
    model_updated_at = serializers.DateTimeField(help_text="When that model last changed (UTC).")
    scenarios = ScenarioSummarySerializer(many=True, help_text="Every scenario in the model.")


def _model(request: Any) -> Any:
    try:
        model = results.corridor_model(request.query_params.get("model") or None)
    except Http404:
        raise NotFound("No such corridor model") from None
    try:
        results.network_for(model)
    except ScenarioError as exc:
        raise ModelUnavailable(exc.render()) from None
    return model


class CorridorScenarioList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[MODEL_PARAM],
        responses=ScenarioListSerializer,
        summary="Corridor scenarios",
        operation_id="corridors_list",
    )
    def get(self, request: Any) -> Response:
        model = _model(request)
        return Response(
            {
                "model": model.slug,
                "model_updated_at": model.updated_at,
                "scenarios": results.scenario_list(model),
            }
        )


class CorridorScenarioDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[MODEL_PARAM],
        responses=OpenApiTypes.OBJECT,
        operation_id="corridors_detail",
        summary="One corridor scenario against the baseline (the `spis corridors run --json` object)",
    )
    def get(self, request: Any, scenario_id: str) -> Response:
        model = _model(request)
        try:
            return Response(results.scenario_report(model, scenario_id)["report"])
        except Http404:
            raise NotFound("No such scenario") from None


# With and without the trailing slash, as /api/v1/campaigns does.
urlpatterns = [
    re_path(r"^corridors/?$", CorridorScenarioList.as_view(), name="api-corridor-list"),
    re_path(
        r"^corridors/(?P<scenario_id>[-\w]+)/?$", CorridorScenarioDetail.as_view(), name="api-corridor-detail"
    ),
]
