"""URL patterns added to the procurement namespace by procurement/urls.py: contracts with insertion clauses."""

from django.urls import path

from procurement import contract_views

urlpatterns = [
    path("marches/", contract_views.contract_list, name="contract_list"),
    path("marches/suivi/", contract_views.contract_followup, name="contract_followup"),
    path("marches/nouveau/", contract_views.contract_create, name="contract_create"),
    path("marches/export/colonnes/", contract_views.contract_export_columns, name="contract_export_columns"),
    path("marches/export/<str:export_format>/", contract_views.contract_export, name="contract_export"),
    path("marches/<int:pk>/", contract_views.contract_detail, name="contract_detail"),
    path("marches/<int:pk>/modifier/", contract_views.contract_edit, name="contract_edit"),
    path("marches/<int:pk>/heures/declarer/", contract_views.hours_create, name="hours_create"),
    path("marches/<int:pk>/heures/<int:hours_pk>/modifier/", contract_views.hours_edit, name="hours_edit"),
    path("marches/<int:pk>/heures/<int:hours_pk>/supprimer/", contract_views.hours_delete, name="hours_delete"),
]
