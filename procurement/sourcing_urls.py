"""URL patterns added to the procurement namespace by procurement/urls.py: sourcing requests."""

from django.urls import path

from procurement import sourcing_views

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
]
