from rest_framework import serializers

from actors.models import Commune


class CommuneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["insee_code", "name", "slug", "latitude", "longitude"]
