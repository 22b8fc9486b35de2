from django.urls import path

from procurement.api import views

urlpatterns = [
    path("asr/", views.AsrListingList.as_view(), name="asr_listing_list"),
    path("asr/<int:pk>/", views.AsrListingDetail.as_view(), name="asr_listing_detail"),
]
