from django.urls import path

from procurement.api import asr, contracts, sourcing

urlpatterns = [
    path("asr/", asr.AsrListingList.as_view(), name="asr_listing_list"),
    path("asr/export/", asr.AsrExport.as_view(), name="asr_export"),
    path("asr/<int:pk>/", asr.AsrListingDetail.as_view(), name="asr_listing_detail"),
    path("marches/", contracts.ContractList.as_view(), name="contract_list"),
    path("marches/<int:pk>/", contracts.ContractDetail.as_view(), name="contract_detail"),
    path("heures-insertion/", contracts.InsertionHoursList.as_view(), name="insertion_hours_list"),
    path("sourcing/", sourcing.SourcingRequestList.as_view(), name="sourcing_request_list"),
    path("sourcing/<int:pk>/", sourcing.SourcingRequestDetail.as_view(), name="sourcing_request_detail"),
]
