from rest_framework import serializers

from actors.models import Actor, Commune
from scic.models import Representative, Scic, ShareMovement

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}
PERCENT = {"max_digits": 4, "decimal_places": 1, "read_only": True, "allow_null": True}


class ScicActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "siret"]


class ScicCommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["insee_code", "name"]


class RepresentativeSerializer(serializers.ModelSerializer):
    body_label = serializers.CharField(source="get_body_display", read_only=True)

    class Meta:
        model = Representative
        fields = ["id", "person_name", "body", "body_label", "mandate_start_on", "mandate_end_on"]


class ScicSerializer(serializers.ModelSerializer):
    """A SCIC of the register with its figures today (computed in SQL), without personal data."""

    actor = ScicActorSerializer(read_only=True)
    commune = ScicCommuneSerializer(source="actor.commune", read_only=True)
    capital_amount = serializers.DecimalField(**MONEY)
    metropole_shares = serializers.IntegerField(read_only=True)
    metropole_amount = serializers.DecimalField(**MONEY)
    metropole_percent = serializers.DecimalField(**PERCENT)
    other_public_amount = serializers.DecimalField(**MONEY)
    public_amount = serializers.DecimalField(**MONEY)
    public_percent = serializers.DecimalField(**PERCENT)
    is_over_cap = serializers.BooleanField(read_only=True)

    class Meta:
        model = Scic
        fields = [
            "id",
            "actor",
            "commune",
            "framework_deliberation_number",
            "framework_deliberation_on",
            "capital_amount",
            "metropole_shares",
            "metropole_amount",
            "metropole_percent",
            "other_public_amount",
            "public_amount",
            "public_percent",
            "is_over_cap",
        ]
        read_only_fields = fields


class StaffScicSerializer(ScicSerializer):
    """The same, with the Métropole's representatives in the SCIC's bodies (their names): staff only."""

    representatives = RepresentativeSerializer(many=True, read_only=True)

    class Meta(ScicSerializer.Meta):
        fields = [*ScicSerializer.Meta.fields, "representatives"]
        read_only_fields = fields


class ShareMovementSerializer(serializers.ModelSerializer):
    """A movement of the Métropole's shares in a SCIC (who recorded it is left out)."""

    scic_name = serializers.CharField(source="scic.actor.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ShareMovement
        fields = [
            "id",
            "scic",
            "scic_name",
            "kind",
            "kind_label",
            "moved_on",
            "shares",
            "nominal",
            "amount",
            "deliberation_number",
            "deliberation_on",
        ]
        read_only_fields = fields
