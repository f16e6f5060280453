from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="web-home"),
    path("people/", views.person_list, name="web-people"),
    path("people/<str:public_id>/", views.person_detail, name="web-person"),
    path("facilities/", views.facility_list, name="web-facilities"),
    path("facilities/<int:pk>/", views.facility_detail, name="web-facility"),
    path("statistics/", views.statistics, name="web-statistics"),
    path("statistics/<slug:dimension>.csv", views.statistics_csv, name="web-statistics-csv"),
    path("open-data/", views.open_data, name="web-open-data"),
    path("birthdays/", views.birthdays, name="web-birthdays"),
    path("releases/", views.releases, name="web-releases"),
]
