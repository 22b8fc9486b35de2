from django.urls import path

from procurement.api import contract_urls, sourcing_urls, views

urlpatterns = [
    path("asr/", views.AsrListingList.as_view(), name="asr_listing_list"),
    path("asr/export/", views.AsrExport.as_view(), name="asr_export"),
    path("asr/<int:pk>/", views.AsrListingDetail.as_view(), name="asr_listing_detail"),
]

urlpatterns += contract_urls.urlpatterns + sourcing_urls.urlpatterns
