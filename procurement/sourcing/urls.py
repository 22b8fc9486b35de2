"""URL patterns added to the procurement namespace by procurement/urls.py: sourcing requests."""

from django.urls import path

from procurement.sourcing import views

urlpatterns = [
    path("sourcing/", views.sourcing_list, name="sourcing_list"),
    path("sourcing/nouvelle/", views.sourcing_create, name="sourcing_create"),
    path("sourcing/<int:pk>/", views.sourcing_detail, name="sourcing_detail"),
    path("sourcing/<int:pk>/modifier/", views.sourcing_edit, name="sourcing_edit"),
    path("sourcing/<int:pk>/envoyer/", views.sourcing_send, name="sourcing_send"),
    path("sourcing/<int:pk>/cloturer/", views.sourcing_close, name="sourcing_close"),
    path("sourcing/<int:pk>/supprimer/", views.sourcing_delete, name="sourcing_delete"),
    path("sourcing/<int:pk>/interesses.csv", views.sourcing_export, name="sourcing_export"),
    path("sourcing/recues/", views.sourcing_received, name="sourcing_received"),
    path("sourcing/recues/<int:pk>/", views.sourcing_received_detail, name="sourcing_received_detail"),
]
