"""Actor URLs. Three parts, each with its own views module in actors/views/."""

from django.urls import path  # noqa: F401

from actors.views import imports, public, registry  # noqa: F401

app_name = "actors"

urlpatterns = [
    # --- Staff registry (actors/views/registry.py) ---
    # --- end of staff registry ---
    # --- Public directory, map and GeoJSON (actors/views/public.py) ---
    # --- end of public directory ---
    # --- Import (actors/views/imports.py) ---
    # --- end of import ---
]
