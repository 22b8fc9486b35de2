from rest_framework import serializers

from actors.models import Actor, Commune
from fonciere.models import Lease, Property

SURFACE = {"max_digits": 10, "decimal_places": 2, "read_only": True}


class FonciereCommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["insee_code", "name"]


class PropertySerializer(serializers.ModelSerializer):
    """A property of the foncière with its occupancy today (signed leases in force, summed in SQL)."""

    commune = FonciereCommuneSerializer(read_only=True)
    use_label = serializers.CharField(source="get_use_display", read_only=True)
    tenure_label = serializers.CharField(source="get_tenure_display", read_only=True)
    occupied_surface = serializers.DecimalField(**SURFACE)
    vacant_surface = serializers.DecimalField(**SURFACE)
    occupancy_rate = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True)

    class Meta:
        model = Property
        fields = [
            "id",
            "name",
            "address",
            "commune",
            "latitude",
            "longitude",
            "surface",
            "use",
            "use_label",
            "tenure",
            "tenure_label",
            "acquisition_price",
            "works_amount",
            "occupied_surface",
            "vacant_surface",
            "occupancy_rate",
        ]
        read_only_fields = fields


class LeasePropertySerializer(serializers.ModelSerializer):
    commune = FonciereCommuneSerializer(read_only=True)

    class Meta:
        model = Property
        fields = ["id", "name", "commune"]


class LeaseOccupantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "siret"]


class YearlyAidSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class LeaseSerializer(serializers.ModelSerializer):
    """A lease with its in-kind aid per calendar year ((market rent − rent) × m² × days / days in the year; an
    open-ended lease up to the end of the current year; none for an unsigned lease). Who entered it is left out."""

    property = LeasePropertySerializer(read_only=True)
    occupant = LeaseOccupantSerializer(read_only=True)
    is_signed = serializers.BooleanField(read_only=True)
    discount_rate = serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True, allow_null=True)
    in_kind_aid = serializers.SerializerMethodField()

    class Meta:
        model = Lease
        fields = [
            "id",
            "property",
            "occupant",
            "surface",
            "starts_on",
            "ends_on",
            "rent",
            "market_rent",
            "discount_rate",
            "signed_on",
            "is_signed",
            "in_kind_aid",
        ]
        read_only_fields = fields

    def get_in_kind_aid(self, lease) -> list[dict]:
        rows = [{"year": year, "amount": amount} for year, amount in sorted(lease.in_kind_aid_by_year().items())]
        return YearlyAidSerializer(rows, many=True).data
