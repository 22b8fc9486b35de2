from rest_framework import serializers

from filieres.models import Filiere, Segment


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "slug", "position"]


class FiliereSerializer(serializers.ModelSerializer):
    segments = SegmentSerializer(many=True, read_only=True)
    partner_directions = serializers.ListField(
        source="partner_direction_list",
        child=serializers.CharField(),
        read_only=True,
        help_text="Directions de la Métropole partenaires de la filière.",
    )

    class Meta:
        model = Filiere
        fields = ["id", "code", "name", "slug", "description", "partner_directions", "segments"]
