from django.urls import path

from quadripartite.api import views

urlpatterns = [
    path("partenaires/", views.PartnerList.as_view(), name="partner_list"),
]
