"""Foncière solidaire URLs, mounted at /fonciere/."""

from django.urls import path

from fonciere import views

app_name = "fonciere"

urlpatterns = [
    path("biens/", views.property_list, name="property_list"),
    path("biens/carte.geojson", views.property_geojson, name="property_geojson"),
    path("biens/nouveau/", views.property_create, name="property_create"),
    path("biens/<int:pk>/", views.property_detail, name="property_detail"),
    path("biens/<int:pk>/modifier/", views.property_update, name="property_update"),
    path("biens/<int:pk>/baux/nouveau/", views.lease_create, name="lease_create"),
    path("baux/<int:pk>/", views.lease_detail, name="lease_detail"),
    path("baux/<int:pk>/signer/", views.lease_sign, name="lease_sign"),
    path("baux/export.csv", views.lease_export, name="lease_export"),
    path("baux/export.xlsx", views.lease_export, {"export_format": "xlsx"}, name="lease_export_xlsx"),
    path("baux/export.ods", views.lease_export, {"export_format": "ods"}, name="lease_export_ods"),
    path("mes-locaux/", views.my_leases, name="my_leases"),
    path("capitalisation/", views.capitalisation_list, name="capitalisation_list"),
]
