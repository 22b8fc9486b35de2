from rest_framework import serializers

from actors.models import Actor, Agrement, Commune, Contact


class CommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["insee_code", "name", "slug", "latitude", "longitude"]


class ActorCommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["insee_code", "name"]


class AgrementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agrement
        fields = ["kind", "siae_type", "obtained_on", "expires_on"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "role", "email", "phone", "is_public"]


class ActorSerializer(serializers.ModelSerializer):
    """An ESS actor, without any personal data (what every logged-in user may read)."""

    siren = serializers.CharField(read_only=True)
    legal_form_label = serializers.CharField(source="get_legal_form_display", read_only=True)
    commune = ActorCommuneSerializer(read_only=True)
    filieres = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    segments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    agrements = AgrementSerializer(many=True, read_only=True)

    class Meta:
        model = Actor
        fields = [
            "id",
            "name",
            "siret",
            "siren",
            "legal_form",
            "legal_form_label",
            "commune",
            "address",
            "postal_code",
            "latitude",
            "longitude",
            "location_precision",
            "fte",
            "founded_year",
            "website",
            "description",
            "filieres",
            "segments",
            "agrements",
            "is_public",
            "is_archived",
            "updated_at",
        ]
        read_only_fields = fields


class ActorWithContactsSerializer(ActorSerializer):
    """The same, with the contacts (personal data): staff only (`can_view_contacts`)."""

    contacts = ContactSerializer(many=True, read_only=True)

    class Meta(ActorSerializer.Meta):
        fields = [*ActorSerializer.Meta.fields, "contacts"]
        read_only_fields = fields
