from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("spis.access.urls")),
    path("api/", include("spis.api.urls")),
    path("campaigns/", include("spis.campaigns.urls")),
    path("outreach/", include("spis.outreach.urls")),
    path("intake/", include("spis.intake.urls")),
    path("", include("spis.web.urls")),
]
