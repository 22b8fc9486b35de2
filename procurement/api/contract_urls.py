"""API URL patterns added by the app's api/urls.py: contracts with insertion clauses and hours reports."""

from django.urls import path

from procurement.api import contracts

urlpatterns = [
    path("marches/", contracts.ContractList.as_view(), name="contract_list"),
    path("marches/<int:pk>/", contracts.ContractDetail.as_view(), name="contract_detail"),
    path("heures-insertion/", contracts.InsertionHoursList.as_view(), name="insertion_hours_list"),
]
