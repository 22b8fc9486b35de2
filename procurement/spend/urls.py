"""URL patterns added to the procurement namespace by procurement/urls.py: the share of ESS spend."""

from django.urls import path

from procurement.spend import views

urlpatterns = [
    path("part-ess/", views.spend_index, name="spend_index"),
    path("part-ess/import/", views.spend_import, name="spend_import"),
    path("part-ess/import/apercu/", views.spend_import_preview, name="spend_import_preview"),
    path("part-ess/import/confirmer/", views.spend_import_confirm, name="spend_import_confirm"),
    path("part-ess/<int:year>/", views.spend_report, name="spend_report"),
    path("part-ess/<int:year>/hors-registre/", views.spend_unmatched, name="spend_unmatched"),
    path("part-ess/<int:year>/achats.csv", views.spend_purchases_csv, name="spend_purchases_csv"),
    path("part-ess/<int:year>/part-ess.xlsx", views.spend_export, name="spend_export"),
]
