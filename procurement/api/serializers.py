from rest_framework import serializers

from actors.api.serializers import ActorCommuneSerializer, AgrementSerializer
from actors.models import Actor
from procurement.asr.models import AsrListing
from procurement.cpv.models import CpvCode


class CpvCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CpvCode
        fields = ["code", "full_code", "label"]


class ListingActorSerializer(serializers.ModelSerializer):
    legal_form_label = serializers.CharField(source="get_legal_form_display", read_only=True)
    commune = ActorCommuneSerializer(read_only=True)
    agrements = AgrementSerializer(source="agrements_in_force", many=True, read_only=True)

    class Meta:
        model = Actor
        fields = ["id", "name", "siret", "legal_form", "legal_form_label", "commune", "fte", "website", "agrements"]


class AsrListingSerializer(serializers.ModelSerializer):
    """A published ASR listing; `reserved_articles` are derived from the actor's legal form and agréments."""

    actor = ListingActorSerializer(read_only=True)
    cpv_codes = CpvCodeSerializer(many=True, read_only=True)
    communes = ActorCommuneSerializer(many=True, read_only=True)
    reserved_articles = serializers.SerializerMethodField()
    revenue_band_label = serializers.CharField(source="get_revenue_band_display", read_only=True)

    class Meta:
        model = AsrListing
        fields = [
            "id",
            "actor",
            "offers",
            "cpv_codes",
            "serves_whole_metropole",
            "communes",
            "revenue_band",
            "revenue_band_label",
            "public_contract_references",
            "reserved_articles",
            "last_verified_on",
        ]

    def get_reserved_articles(self, listing) -> list[str]:
        return listing.reserved_articles()
