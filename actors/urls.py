"""Actor URLs. Three parts, each with its own views module in actors/views/."""

from django.urls import path  # noqa: F401

from actors.views import imports, public, registry  # noqa: F401

app_name = "actors"

urlpatterns = [
    # --- Staff registry (actors/views/registry.py) ---
    path("acteurs/", registry.actor_list, name="actor_list"),
    path("acteurs/nouveau/", registry.actor_create, name="actor_create"),
    path("acteurs/export/<slug:export_format>/", registry.actor_export, name="actor_export"),
    path("acteurs/<int:pk>/", registry.actor_detail, name="actor_detail"),
    path("acteurs/<int:pk>/modifier/", registry.actor_update, name="actor_update"),
    path("acteurs/<int:pk>/archiver/", registry.actor_archive, name="actor_archive"),
    # --- end of staff registry ---
    # --- Public directory, map and GeoJSON (actors/views/public.py) ---
    path("annuaire/", public.directory, name="directory"),
    path("annuaire/carte.geojson", public.directory_geojson, name="directory_geojson"),
    path("annuaire/<int:pk>/", public.public_detail, name="public_detail"),
    # --- end of public directory ---
    # --- Import (actors/views/imports.py) ---
    path("acteurs/import/", imports.import_list, name="import_list"),
    path("acteurs/import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("acteurs/import/<int:pk>/colonnes/", imports.import_mapping, name="import_mapping"),
    path("acteurs/import/<int:pk>/apercu/", imports.import_preview, name="import_preview"),
    path("acteurs/import/<int:pk>/confirmer/", imports.import_confirm, name="import_confirm"),
    path("acteurs/import/<int:pk>/rapport.csv", imports.import_report, name="import_report"),
    # --- end of import ---
]
