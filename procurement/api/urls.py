from django.urls import path

from procurement.api import asr, contract_urls, sourcing_urls

urlpatterns = [
    path("asr/", asr.AsrListingList.as_view(), name="asr_listing_list"),
    path("asr/export/", asr.AsrExport.as_view(), name="asr_export"),
    path("asr/<int:pk>/", asr.AsrListingDetail.as_view(), name="asr_listing_detail"),
]

urlpatterns += contract_urls.urlpatterns + sourcing_urls.urlpatterns
