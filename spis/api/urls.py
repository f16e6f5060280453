"""/api/v1/: each app contributes its routes in its own `api.py` (`urlpatterns`); the schema is shared."""

from django.urls import include, path

urlpatterns: list = [
    path("v1/", include("spis.api.v1")),
]
