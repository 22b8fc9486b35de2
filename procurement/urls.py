from django.urls import path

from procurement import consultation_views, contract_urls, sourcing_urls, views
from procurement.cpv import urls as cpv_urls
from procurement.spend import urls as spend_urls

app_name = "procurement"

urlpatterns = [
    path("", views.procurement_home, name="home"),
    path("mon-referencement/", views.my_listings, name="my_listings"),
    path("mon-referencement/<int:actor_pk>/", views.listing_edit, name="listing_edit"),
    path("referencements/", views.review_list, name="review_list"),
    path("referencements/<int:pk>/", views.review_detail, name="review_detail"),
    path("annuaire/", views.directory, name="directory"),
    path("annuaire/carte.geojson", views.directory_geojson, name="directory_geojson"),
    path("annuaire/export/", views.directory_export, name="directory_export"),
    path("annuaire/exports/", views.export_log, name="export_log"),
    path("verifier-siret/", views.verify_siret, name="verify_siret"),
    # --- Consultation lists (procurement/consultation_views.py) ---
    path("listes/", consultation_views.consultation_lists, name="consultation_lists"),
    path("listes/ajouter/", consultation_views.consultation_add, name="consultation_add"),
    path("listes/<int:pk>/", consultation_views.consultation_detail, name="consultation_detail"),
    path("listes/<int:pk>/modifier/", consultation_views.consultation_edit, name="consultation_edit"),
    path("listes/<int:pk>/supprimer/", consultation_views.consultation_delete, name="consultation_delete"),
    path("listes/<int:pk>/export/", consultation_views.consultation_export, name="consultation_export"),
    path(
        "listes/<int:pk>/fournisseurs/<int:entry_pk>/note/",
        consultation_views.consultation_entry_note,
        name="consultation_entry_note",
    ),
    path(
        "listes/<int:pk>/fournisseurs/<int:entry_pk>/retirer/",
        consultation_views.consultation_entry_remove,
        name="consultation_entry_remove",
    ),
    # --- End of consultation lists ---
]

# Sourcing requests, share of spend and contracts with insertion clauses live in their own URL modules.
urlpatterns += sourcing_urls.urlpatterns + cpv_urls.urlpatterns + spend_urls.urlpatterns + contract_urls.urlpatterns
