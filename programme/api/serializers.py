from rest_framework import serializers

from programme.models import Action


class ActionSerializer(serializers.ModelSerializer):
    axis = serializers.IntegerField(source="sheet.axis.number", read_only=True, help_text="Numéro de l’axe.")
    sheet = serializers.IntegerField(source="sheet.number", read_only=True, help_text="Numéro de la fiche action.")
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="Code de l’action parente.")
    modalities = serializers.ListField(source="modality_list", child=serializers.CharField(), read_only=True)
    calendar = serializers.ListField(source="calendar_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Action
        fields = ["id", "code", "title", "axis", "sheet", "parent", "objectives", "modalities", "calendar"]
