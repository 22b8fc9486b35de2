from rest_framework import serializers

from quadripartite.models import Partner


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "short_name", "slug", "kind", "position"]
