"""URL patterns added to the programme namespace by programme/urls.py."""

from django.urls import path

from programme import dashboard_views

urlpatterns = [
    path("tableau-de-bord/", dashboard_views.dashboard, name="dashboard"),
]
