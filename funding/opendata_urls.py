"""Open data of the grants, mounted at /donnees-ouvertes/ (public pages, namespace "opendata")."""

from django.urls import path

from funding.views import opendata

app_name = "opendata"

urlpatterns = [
    path("subventions/", opendata.subsidies, name="subsidies"),
    path("subventions-<int:year>.csv", opendata.subsidies_csv, name="subsidies_csv"),
    path("subventions-<int:year>.json", opendata.subsidies_json, name="subsidies_json"),
]
