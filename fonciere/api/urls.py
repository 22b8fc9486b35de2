from django.urls import path

from fonciere.api import views

urlpatterns = [
    path("fonciere/biens/", views.PropertyList.as_view(), name="fonciere_property_list"),
    path("fonciere/biens/<int:pk>/", views.PropertyDetail.as_view(), name="fonciere_property_detail"),
    path("fonciere/baux/", views.LeaseList.as_view(), name="fonciere_lease_list"),
    path("fonciere/baux/<int:pk>/", views.LeaseDetail.as_view(), name="fonciere_lease_detail"),
]
