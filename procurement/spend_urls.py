"""URL patterns added to the procurement namespace by procurement/urls.py: the share of ESS spend."""

from django.urls import path

from procurement import spend_views

urlpatterns = [
    path("part-ess/", spend_views.spend_index, name="spend_index"),
    path("part-ess/import/", spend_views.spend_import, name="spend_import"),
    path("part-ess/import/apercu/", spend_views.spend_import_preview, name="spend_import_preview"),
    path("part-ess/import/confirmer/", spend_views.spend_import_confirm, name="spend_import_confirm"),
    path("part-ess/<int:year>/", spend_views.spend_report, name="spend_report"),
    path("part-ess/<int:year>/hors-registre/", spend_views.spend_unmatched, name="spend_unmatched"),
    path("part-ess/<int:year>/achats.csv", spend_views.spend_purchases_csv, name="spend_purchases_csv"),
    path("part-ess/<int:year>/part-ess.xlsx", spend_views.spend_export, name="spend_export"),
]
