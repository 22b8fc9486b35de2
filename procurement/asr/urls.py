"""URL patterns added to the procurement namespace by procurement/urls.py: the app's home, a structure's own listing,
staff review, the buyer directory and its exports, the SIRET check, the consultation lists."""

from django.urls import path

from procurement.asr import views

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
    path("listes/", views.consultation_lists, name="consultation_lists"),
    path("listes/ajouter/", views.consultation_add, name="consultation_add"),
    path("listes/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("listes/<int:pk>/modifier/", views.consultation_edit, name="consultation_edit"),
    path("listes/<int:pk>/supprimer/", views.consultation_delete, name="consultation_delete"),
    path("listes/<int:pk>/export/", views.consultation_export, name="consultation_export"),
    path(
        "listes/<int:pk>/fournisseurs/<int:entry_pk>/note/",
        views.consultation_entry_note,
        name="consultation_entry_note",
    ),
    path(
        "listes/<int:pk>/fournisseurs/<int:entry_pk>/retirer/",
        views.consultation_entry_remove,
        name="consultation_entry_remove",
    ),
]
