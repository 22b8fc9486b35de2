from django.utils import timezone
from rest_framework import generics, permissions

from procurement.api.serializers import AsrListingSerializer
from procurement.filters import AsrListingFilter
from procurement.models import AsrListing
from procurement.permissions import can_use_buyer_directory


class CanUseBuyerDirectory(permissions.BasePermission):
    message = "L’annuaire ASR est réservé à la direction des achats et au service ESS."

    def has_permission(self, request, view):
        return can_use_buyer_directory(request.user)


class AsrListingViewMixin:
    serializer_class = AsrListingSerializer
    permission_classes = [permissions.IsAuthenticated, CanUseBuyerDirectory]

    def get_queryset(self):
        today = timezone.localdate()
        return AsrListing.objects.published(today).with_card_data(today).order_by("actor__name", "pk")


class AsrListingList(AsrListingViewMixin, generics.ListAPIView):
    """Published ASR listings (verified within 12 months), filtered like the buyer directory
    (q, cpv, filiere, commune, article, forme, agrement, etp_min)."""

    filterset_class = AsrListingFilter


class AsrListingDetail(AsrListingViewMixin, generics.RetrieveAPIView):
    """One published ASR listing (404 when it is not published or expired)."""
