"""URL patterns added to the procurement namespace by procurement/urls.py: contracts with insertion clauses."""

from django.urls import path

from procurement.contracts import views

urlpatterns = [
    path("marches/", views.contract_list, name="contract_list"),
    path("marches/suivi/", views.contract_followup, name="contract_followup"),
    path("marches/nouveau/", views.contract_create, name="contract_create"),
    path("marches/export/colonnes/", views.contract_export_columns, name="contract_export_columns"),
    path("marches/export/<str:export_format>/", views.contract_export, name="contract_export"),
    path("marches/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("marches/<int:pk>/modifier/", views.contract_edit, name="contract_edit"),
    path("marches/<int:pk>/heures/declarer/", views.hours_create, name="hours_create"),
    path("marches/<int:pk>/heures/<int:hours_pk>/modifier/", views.hours_edit, name="hours_edit"),
    path("marches/<int:pk>/heures/<int:hours_pk>/supprimer/", views.hours_delete, name="hours_delete"),
]
