from rest_framework import serializers

from funding.models import Application, BudgetLine, CoFinancing, CouncilSession, Decision, SupportScheme


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "year", "section", "is_in_plan", "code", "label", "voted_amount", "position"]


class SupportSchemeSerializer(serializers.ModelSerializer):
    """A published support scheme (dispositif), as shown on the public list."""

    filieres = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    state_aid_regime_label = serializers.CharField(source="get_state_aid_regime_display", read_only=True)
    budget_year = serializers.IntegerField(source="budget_line.year", read_only=True)

    class Meta:
        model = SupportScheme
        fields = [
            "id",
            "slug",
            "title",
            "description",
            "filieres",
            "eligible_legal_forms",
            "state_aid_regime",
            "state_aid_regime_label",
            "opens_on",
            "closes_on",
            "ceiling_amount",
            "required_documents",
            "budget_year",
        ]


class CouncilSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CouncilSession
        fields = ["id", "title", "sits_on"]


class ApplicationActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    siret = serializers.CharField()


class ApplicationSerializer(serializers.ModelSerializer):
    """An application as its structure's members see it (no internal instruction data)."""

    actor = ApplicationActorSerializer(read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "actor",
            "scheme",
            "title",
            "summary",
            "starts_on",
            "ends_on",
            "requested_amount",
            "status",
            "status_label",
            "submitted_at",
            "agreement_signed_on",
            "closed_at",
        ]


class StaffApplicationSerializer(ApplicationSerializer):
    """An application with the instruction's data (instructor, proposed amount, council session): staff only."""

    instructor = serializers.EmailField(source="instructor.email", read_only=True, allow_null=True, default=None)
    council_session = CouncilSessionSerializer(read_only=True, allow_null=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "instructor", "proposed_amount", "council_session"]


class DecisionSerializer(serializers.ModelSerializer):
    council_session = CouncilSessionSerializer(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "application",
            "council_session",
            "deliberation_number",
            "decided_on",
            "is_approved",
            "granted_amount",
            "refusal_reason",
        ]


class BudgetExecutionSerializer(serializers.ModelSerializer):
    """A budget line with its execution: voted, committed, paid and still available (summed in SQL)."""

    paid_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    available_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "year",
            "section",
            "is_in_plan",
            "code",
            "label",
            "voted_amount",
            "committed_amount",
            "paid_amount",
            "available_amount",
        ]


class CoFinancingSerializer(serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    application = serializers.PrimaryKeyRelatedField(read_only=True)
    application_title = serializers.CharField(source="application.title", read_only=True)
    actor_name = serializers.CharField(source="application.actor.name", read_only=True)

    class Meta:
        model = CoFinancing
        fields = [
            "id",
            "application",
            "application_title",
            "actor_name",
            "partner",
            "year",
            "pledged",
            "decided",
            "paid",
        ]
