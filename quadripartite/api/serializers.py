from rest_framework import serializers

from quadripartite.models import Attendee, Decision, Meeting, Partner


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "short_name", "slug", "kind", "is_signatory", "rotation_order", "position"]


class CommitteeDecisionSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "text", "owner", "due_on", "done_on"]


class AttendeeSerializer(serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Attendee
        fields = ["partner", "name", "audience"]


class MeetingSerializer(serializers.ModelSerializer):
    organiser = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    attendees = AttendeeSerializer(many=True, read_only=True)
    decisions = CommitteeDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "committee", "held_on", "place", "organiser", "agenda", "minutes", "attendees", "decisions"]
