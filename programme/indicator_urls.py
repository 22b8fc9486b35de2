"""URL patterns added to the programme namespace by programme/urls.py: /plan/indicateurs/."""

from django.urls import path

from programme import indicator_views as views

urlpatterns = [
    path("indicateurs/", views.indicator_list, name="indicator_list"),
    path("indicateurs/nouveau/", views.indicator_create, name="indicator_create"),
    path("indicateurs/recalculer/", views.indicator_refresh_all, name="indicator_refresh_all"),
    path("indicateurs/<slug:code>/", views.indicator_detail, name="indicator_detail"),
    path("indicateurs/<slug:code>/modifier/", views.indicator_update, name="indicator_update"),
    path("indicateurs/<slug:code>/cibles/", views.target_set, name="indicator_target_set"),
    path("indicateurs/<slug:code>/mesures/", views.measurement_create, name="indicator_measurement_create"),
    path("indicateurs/<slug:code>/mesures/<int:pk>/", views.measurement_update, name="indicator_measurement_update"),
    path("indicateurs/<slug:code>/recalculer/", views.indicator_refresh, name="indicator_refresh"),
]
