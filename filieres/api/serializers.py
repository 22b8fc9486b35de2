from rest_framework import serializers

from filieres.models import Filiere, HeadOfNetwork, Segment


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Segment
        fields = ["id", "name", "slug", "position"]


class HeadOfNetworkSerializer(serializers.ModelSerializer):
    actor_id = serializers.IntegerField(read_only=True)
    actor_name = serializers.CharField(source="actor.name", read_only=True)

    class Meta:
        model = HeadOfNetwork
        fields = ["actor_id", "actor_name", "since_on", "role_description"]


class FiliereSerializer(serializers.ModelSerializer):
    segments = SegmentSerializer(many=True, read_only=True)
    partner_directions = serializers.ListField(
        source="partner_direction_list",
        child=serializers.CharField(),
        read_only=True,
        help_text="Directions de la Métropole partenaires de la filière.",
    )
    heads_of_network = HeadOfNetworkSerializer(
        source="visible_heads",
        many=True,
        read_only=True,
        help_text="Têtes de filière, parmi les acteurs que l’utilisateur peut voir.",
    )

    class Meta:
        model = Filiere
        fields = ["id", "code", "name", "slug", "description", "partner_directions", "segments", "heads_of_network"]
