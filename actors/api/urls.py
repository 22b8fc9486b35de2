from django.urls import path

from actors.api import views

urlpatterns = [
    path("communes/", views.CommuneList.as_view(), name="commune_list"),
    path("communes/<str:insee_code>/", views.CommuneDetail.as_view(), name="commune_detail"),
    path("acteurs/", views.ActorList.as_view(), name="actor_list"),
    path("acteurs/geojson/", views.ActorGeoJson.as_view(), name="actor_geojson"),
    path("acteurs/<int:pk>/", views.ActorDetail.as_view(), name="actor_detail"),
]
