from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.index, name="index"),
    path("write/", views.write_list, name="write-list"),
    path("write/<str:public_id>/", views.write_person, name="write-person"),
    path("<slug:slug>/document/", views.document, name="document"),
]
