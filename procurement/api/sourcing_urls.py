"""API URL patterns added by the app's api/urls.py: the buyer's sourcing requests (read-only)."""

from django.urls import path

from procurement.api import sourcing

urlpatterns = [
    path("sourcing/", sourcing.SourcingRequestList.as_view(), name="sourcing_request_list"),
    path("sourcing/<int:pk>/", sourcing.SourcingRequestDetail.as_view(), name="sourcing_request_detail"),
]
