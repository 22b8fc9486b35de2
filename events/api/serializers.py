from rest_framework import serializers

from actors.models import Actor, Commune
from events.models import Event
from quadripartite.models import Partner


class EventCommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["insee_code", "name"]


class EventPartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["slug", "name"]


class EventActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name"]


class EventSerializer(serializers.ModelSerializer):
    """An ESS event with its organisers, the actors involved and its attendance by audience (empty until recorded
    after the event). Who entered it is left out."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    commune = EventCommuneSerializer(read_only=True)
    organising_partners = EventPartnerSerializer(many=True, read_only=True)
    organising_communes = EventCommuneSerializer(many=True, read_only=True)
    actors = EventActorSerializer(many=True, read_only=True)
    participant_count = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "commune",
            "organising_partners",
            "organising_communes",
            "actors",
            "plan_action_code",
            "is_public",
            "description",
            "elected_count",
            "staff_count",
            "public_count",
            "participant_count",
        ]
        read_only_fields = fields
