from django.urls import path

from procurement import views

app_name = "procurement"

urlpatterns = [
    path("mon-referencement/", views.my_listings, name="my_listings"),
    path("mon-referencement/<int:actor_pk>/", views.listing_edit, name="listing_edit"),
    path("referencements/", views.review_list, name="review_list"),
    path("referencements/<int:pk>/", views.review_detail, name="review_detail"),
    path("annuaire/", views.directory, name="directory"),
    path("annuaire/carte.geojson", views.directory_geojson, name="directory_geojson"),
    path("annuaire/export/", views.directory_export, name="directory_export"),
    path("verifier-siret/", views.verify_siret, name="verify_siret"),
]
