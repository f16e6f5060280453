from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="access-login"),
    path("logout/", auth_views.LogoutView.as_view(), name="access-logout"),
    path("two-factor/", views.two_factor, name="access-two-factor"),
]
