from django.urls import path

from . import corridors_views, views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("precedents/", views.precedent_list, name="campaign-precedents"),
    path("corridors/", corridors_views.corridor_list, name="corridor-list"),
    path("corridors/<slug:slug>/", corridors_views.corridor_detail, name="corridor-detail"),
    path("<slug:slug>/", views.campaign_detail, name="campaign-detail"),
]
