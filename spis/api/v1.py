"""Routes of /api/v1/. Published routes are never broken (docs/openapi.yaml is the contract).

Other apps contribute their own routes without editing this file: a module `spis.<app>.api` (or
`spis.campaigns.corridors_api`) with a `urlpatterns` list is included here when it exists.
"""

from importlib import import_module
from importlib.util import find_spec

from django.urls import include, path

from . import views

urlpatterns: list = [
    path("", views.ApiRoot.as_view(), name="api-root"),
    path("ping", views.Ping.as_view(), name="api-ping"),
    path("people", views.PersonList.as_view(), name="api-person-list"),
    path("people/<str:public_id>", views.PersonDetail.as_view(), name="api-person-detail"),
    path("people/<str:public_id>/events", views.PersonEvents.as_view(), name="api-person-events"),
    path("events", views.EventList.as_view(), name="api-event-list"),
    path("facilities", views.FacilityList.as_view(), name="api-facility-list"),
    path("facilities/<int:pk>", views.FacilityDetail.as_view(), name="api-facility-detail"),
    path("stats", views.StatsView.as_view(), name="api-stats"),
    path("stats/series", views.SeriesView.as_view(), name="api-stats-series"),
    path("stats/breakdowns/<str:dimension>", views.BreakdownView.as_view(), name="api-stats-breakdown"),
    path("changes", views.ChangesView.as_view(), name="api-changes"),
    path("match", views.MatchView.as_view(), name="api-match"),
]


def _contributed(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


# Each contributing module owns its URL names and must not reuse the paths above.
for _module in ("spis.campaigns.api", "spis.campaigns.corridors_api", "spis.outreach.api", "spis.intake.api"):
    if _contributed(_module) and hasattr(import_module(_module), "urlpatterns"):
        urlpatterns.append(path("", include(_module)))
