from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("precedents/", views.precedent_list, name="campaign-precedents"),
    path("<slug:slug>/", views.campaign_detail, name="campaign-detail"),
]
