"""URL patterns added to the procurement namespace by procurement/urls.py: the CPV lookup and import."""

from django.urls import path

from procurement.cpv import views

urlpatterns = [
    path("cpv/", views.cpv_search, name="cpv_search"),
    path("cpv/import/", views.cpv_import, name="cpv_import"),
    path("cpv/import/confirmer/", views.cpv_import_confirm, name="cpv_import_confirm"),
]
