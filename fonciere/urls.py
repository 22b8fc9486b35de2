"""Foncière solidaire URLs, mounted at /fonciere/."""

from django.urls import path

from fonciere import committee_views, views

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
    # The comité d'engagement: needs for premises, sittings, opinions.
    path("besoins/", committee_views.premises_request_list, name="premises_request_list"),
    path("besoins/export.csv", committee_views.premises_request_export, name="premises_request_export"),
    path(
        "besoins/export.xlsx",
        committee_views.premises_request_export,
        {"export_format": "xlsx"},
        name="premises_request_export_xlsx",
    ),
    path(
        "besoins/export.ods",
        committee_views.premises_request_export,
        {"export_format": "ods"},
        name="premises_request_export_ods",
    ),
    path("besoins/nouveau/", committee_views.premises_request_create, name="premises_request_create"),
    path("besoins/<int:pk>/", committee_views.premises_request_detail, name="premises_request_detail"),
    path("besoins/<int:pk>/retirer/", committee_views.premises_request_withdraw, name="premises_request_withdraw"),
    path("mes-locaux/besoin/", committee_views.my_premises_request_create, name="my_premises_request_create"),
    path("comite/", committee_views.committee_sitting_list, name="committee_sitting_list"),
    path("comite/nouvelle-seance/", committee_views.committee_sitting_create, name="committee_sitting_create"),
    path("comite/<int:pk>/", committee_views.committee_sitting_detail, name="committee_sitting_detail"),
    path("comite/<int:pk>/modifier/", committee_views.committee_sitting_update, name="committee_sitting_update"),
    path("comite/<int:pk>/ordre-du-jour/", committee_views.committee_agenda_add, name="committee_agenda_add"),
    path(
        "comite/propositions/<int:pk>/avis/",
        committee_views.committee_proposal_decide,
        name="committee_proposal_decide",
    ),
    path("rapport-annuel/", views.annual_report_request, name="annual_report_request"),
    path("baux/<int:pk>/modifier/", views.lease_update, name="lease_update"),
    path("baux/<int:pk>/fin-anticipee/", views.lease_end, name="lease_end"),
]
