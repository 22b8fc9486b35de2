"""URL patterns added to the procurement namespace by procurement/urls.py: sourcing requests, the CPV lookup and
import."""

from django.urls import path

from procurement import cpv_import, sourcing_views, views

urlpatterns = [
    path("sourcing/", sourcing_views.sourcing_list, name="sourcing_list"),
    path("sourcing/nouvelle/", sourcing_views.sourcing_create, name="sourcing_create"),
    path("sourcing/<int:pk>/", sourcing_views.sourcing_detail, name="sourcing_detail"),
    path("sourcing/<int:pk>/modifier/", sourcing_views.sourcing_edit, name="sourcing_edit"),
    path("sourcing/<int:pk>/envoyer/", sourcing_views.sourcing_send, name="sourcing_send"),
    path("sourcing/<int:pk>/cloturer/", sourcing_views.sourcing_close, name="sourcing_close"),
    path("sourcing/<int:pk>/supprimer/", sourcing_views.sourcing_delete, name="sourcing_delete"),
    path("sourcing/<int:pk>/interesses.csv", sourcing_views.sourcing_export, name="sourcing_export"),
    path("sourcing/recues/", sourcing_views.sourcing_received, name="sourcing_received"),
    path("sourcing/recues/<int:pk>/", sourcing_views.sourcing_received_detail, name="sourcing_received_detail"),
    path("cpv/", views.cpv_search, name="cpv_search"),
    path("cpv/import/", cpv_import.cpv_import, name="cpv_import"),
    path("cpv/import/confirmer/", cpv_import.cpv_import_confirm, name="cpv_import_confirm"),
]
