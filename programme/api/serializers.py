from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programme.models import Action, Indicator, IndicatorTarget, Measurement, Milestone


class MilestoneSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField(help_text="Échéance passée et jalon non réalisé.")

    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on", "overdue"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, milestone) -> bool:
        return milestone.is_overdue(today=timezone.localdate())


class ActionSerializer(serializers.ModelSerializer):
    axis = serializers.IntegerField(source="sheet.axis.number", read_only=True, help_text="Numéro de l’axe.")
    sheet = serializers.IntegerField(source="sheet.number", read_only=True, help_text="Numéro de la fiche action.")
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="Code de l’action parente.")
    modalities = serializers.ListField(source="modality_list", child=serializers.CharField(), read_only=True)
    calendar = serializers.ListField(source="calendar_list", child=serializers.CharField(), read_only=True)
    status = serializers.ChoiceField(
        source="status_value",
        choices=Action._meta.get_field("status").choices,
        read_only=True,
        help_text="État ; pour une action qui a des sous-actions, calculé à partir d’elles.",
    )
    status_label = serializers.CharField(read_only=True, help_text="État, en clair.")
    progress = serializers.IntegerField(
        source="progress_value",
        read_only=True,
        help_text="Avancement en % ; pour une action qui a des sous-actions, calculé à partir d’elles.",
    )
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "code",
            "title",
            "axis",
            "sheet",
            "parent",
            "objectives",
            "modalities",
            "calendar",
            "status",
            "status_label",
            "progress",
            "rollup",
            "weight",
            "responsible_service",
            "milestones",
        ]


class IndicatorTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["year", "value"]


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["year", "breakdown", "breakdown_label", "value", "source", "measured_on", "comment"]
        extra_kwargs = {"breakdown": {"help_text": "Vide pour le total de l’année ; sinon la partie mesurée."}}


class IndicatorSerializer(serializers.ModelSerializer):
    action = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Code de l’action du plan mesurée."
    )
    is_computed = serializers.BooleanField(read_only=True, help_text="Mesures calculées par le portail.")
    targets = IndicatorTargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "kind", "unit", "description", "computation", "is_computed", "action", "targets"]


class IndicatorDetailSerializer(IndicatorSerializer):
    measurements = MeasurementSerializer(many=True, read_only=True)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "is_active", "measurements"]
