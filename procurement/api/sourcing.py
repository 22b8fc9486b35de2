"""API of sourcing requests: a buyer reads their own requests with every recipient and its answer (read-only)."""

from django.db.models import Prefetch
from rest_framework import generics, permissions, serializers

from procurement.api.asr import CanUseBuyerDirectory, CpvCodeSerializer
from procurement.sourcing.models import SourcingRecipient, SourcingRequest


class SourcingRecipientSerializer(serializers.ModelSerializer):
    listing_id = serializers.IntegerField(read_only=True)
    actor_id = serializers.IntegerField(source="listing.actor_id", read_only=True)
    actor_name = serializers.CharField(source="listing.actor.name", read_only=True)
    siret = serializers.CharField(source="listing.actor.siret", read_only=True)
    answer_label = serializers.CharField(source="get_answer_display", read_only=True)

    class Meta:
        model = SourcingRecipient
        fields = [
            "id",
            "listing_id",
            "actor_id",
            "actor_name",
            "siret",
            "notified_at",
            "viewed_at",
            "answer",
            "answer_label",
            "answer_message",
            "answered_at",
        ]


class SourcingRequestSerializer(serializers.ModelSerializer):
    """A buyer's sourcing request; `recipients` are the suppliers it was sent to (empty before sending)."""

    cpv_codes = CpvCodeSerializer(many=True, read_only=True)
    communes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="insee_code")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    recipient_count = serializers.IntegerField(read_only=True)
    interested_count = serializers.IntegerField(read_only=True)
    recipients = SourcingRecipientSerializer(many=True, read_only=True)

    class Meta:
        model = SourcingRequest
        fields = [
            "id",
            "title",
            "description",
            "buying_direction",
            "cpv_codes",
            "communes",
            "reserved_article",
            "answer_by",
            "status",
            "status_label",
            "created_at",
            "sent_at",
            "recipient_count",
            "interested_count",
            "recipients",
        ]


class SourcingRequestViewMixin:
    serializer_class = SourcingRequestSerializer
    permission_classes = [permissions.IsAuthenticated, CanUseBuyerDirectory]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is built without a user
            return SourcingRequest.objects.none()
        recipients = SourcingRecipient.objects.select_related("listing__actor").order_by("listing__actor__name", "pk")
        return (
            SourcingRequest.objects.of_buyer(self.request.user)
            .with_answer_counts()
            .prefetch_related("cpv_codes", "communes", Prefetch("recipients", queryset=recipients))
            .order_by("-created_at", "-pk")
        )


class SourcingRequestList(SourcingRequestViewMixin, generics.ListAPIView):
    """The sourcing requests of the authenticated buyer, newest first, with recipients and answers."""


class SourcingRequestDetail(SourcingRequestViewMixin, generics.RetrieveAPIView):
    """One of the buyer's sourcing requests (404 for another buyer's)."""
