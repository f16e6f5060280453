from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("batches/<int:pk>/preview", views.preview, name="preview"),
    path("batches/<int:pk>/confirm", views.confirm, name="confirm"),
    path("batches/<int:pk>/discard", views.discard, name="discard"),
    path("batches/<int:pk>", views.batch_detail, name="batch"),
    path("open-data/<str:fmt>", views.open_data, name="open-data"),
]
