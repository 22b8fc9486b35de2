from django.urls import path

from procurement.api import asr, contract_urls, sourcing

urlpatterns = [
    path("asr/", asr.AsrListingList.as_view(), name="asr_listing_list"),
    path("asr/export/", asr.AsrExport.as_view(), name="asr_export"),
    path("asr/<int:pk>/", asr.AsrListingDetail.as_view(), name="asr_listing_detail"),
]

urlpatterns += contract_urls.urlpatterns

urlpatterns += [
    path("sourcing/", sourcing.SourcingRequestList.as_view(), name="sourcing_request_list"),
    path("sourcing/<int:pk>/", sourcing.SourcingRequestDetail.as_view(), name="sourcing_request_detail"),
]
