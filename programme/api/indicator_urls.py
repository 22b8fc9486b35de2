"""API URL patterns added by the app's api/urls.py: the plan's indicators and their measurements."""

from django.urls import path

from programme.api import views

urlpatterns = [
    path("indicateurs/", views.IndicatorList.as_view(), name="indicator_list"),
    path("indicateurs/<slug:code>/", views.IndicatorDetail.as_view(), name="indicator_detail"),
]
