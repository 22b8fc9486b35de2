"""Read-only API of contracts with insertion clauses (procurement, staff and admins): contracts with their lots,
clauses and hours totals, and the hours reports. Filters are those of the contracts list page."""

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, permissions, serializers

from procurement.contracts.filters import ContractFilter
from procurement.contracts.insertion import lots_with_hours
from procurement.contracts.models import Contract, ContractLot, InsertionClause, InsertionHours
from procurement.permissions import can_manage_contracts


class CanManageContracts(permissions.BasePermission):
    message = "Les marchés avec clause d’insertion sont réservés à la direction des achats et au service ESS."

    def has_permission(self, request, view):
        return can_manage_contracts(request.user)


class InsertionClauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = InsertionClause
        fields = ["id", "hours_required", "public_concerned"]


class ContractLotSerializer(serializers.ModelSerializer):
    insertion_clause = serializers.SerializerMethodField()
    hours_realised = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    beneficiaries = serializers.IntegerField(read_only=True)

    class Meta:
        model = ContractLot
        fields = [
            "id",
            "number",
            "title",
            "amount",
            "holder_name",
            "holder_siret",
            "insertion_clause",
            "hours_realised",
            "beneficiaries",
        ]

    @extend_schema_field(InsertionClauseSerializer(allow_null=True))
    def get_insertion_clause(self, lot):
        clause = getattr(lot, "insertion_clause", None)
        return InsertionClauseSerializer(clause).data if clause is not None else None


class ContractSerializer(serializers.ModelSerializer):
    """A contract, its lots with their clause and hours realised, and its totals at today's date."""

    lots = ContractLotSerializer(many=True, read_only=True, source="lots_with_hours")
    hours_required = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    hours_realised = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    hours_expected = serializers.FloatField(read_only=True, help_text="Heures attendues à ce jour, au prorata.")
    completion = serializers.FloatField(read_only=True, allow_null=True, help_text="Réalisées / exigées, en %.")
    is_late = serializers.BooleanField(read_only=True, help_text="Règle de la page de suivi (80 % du prorata).")

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "title",
            "buying_direction",
            "starts_on",
            "ends_on",
            "amount",
            "facilitator",
            "lots",
            "hours_required",
            "hours_realised",
            "hours_expected",
            "completion",
            "is_late",
        ]


class ContractViewMixin:
    serializer_class = ContractSerializer
    permission_classes = [permissions.IsAuthenticated, CanManageContracts]

    def get_queryset(self):
        return (
            Contract.objects.with_insertion_totals(timezone.localdate())
            .prefetch_related(Prefetch("lots", queryset=lots_with_hours(), to_attr="lots_with_hours"))
            .order_by("-starts_on", "reference")
        )


class ContractList(ContractViewMixin, generics.ListAPIView):
    """Contracts with insertion clauses, filtered like the list page (q, direction, annee, retard=oui, tri)."""

    filterset_class = ContractFilter


class ContractDetail(ContractViewMixin, generics.RetrieveAPIView):
    """One contract with its lots, clauses and totals."""


class InsertionHoursFilter(django_filters.FilterSet):
    marche = django_filters.NumberFilter(label="Marché (identifiant)", field_name="clause__lot__contract")
    du = django_filters.DateFilter(
        label="Périodes se terminant à partir du", field_name="period_end", lookup_expr="gte"
    )
    au = django_filters.DateFilter(
        label="Périodes commençant au plus tard le", field_name="period_start", lookup_expr="lte"
    )

    class Meta:
        model = InsertionHours
        fields = []


class InsertionHoursSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="clause.lot.contract_id", read_only=True)
    lot_number = serializers.IntegerField(source="clause.lot.number", read_only=True)

    class Meta:
        model = InsertionHours
        fields = [
            "id",
            "contract",
            "lot_number",
            "clause",
            "company_name",
            "company_siret",
            "period_start",
            "period_end",
            "hours",
            "beneficiaries",
            "comment",
            "reported_at",
        ]


class InsertionHoursList(generics.ListAPIView):
    """Hours reports, by contract (`marche`) and period (`du`, `au`: the reports overlapping those dates)."""

    serializer_class = InsertionHoursSerializer
    permission_classes = [permissions.IsAuthenticated, CanManageContracts]
    filterset_class = InsertionHoursFilter

    def get_queryset(self):
        return InsertionHours.objects.select_related("clause__lot").order_by(
            "clause__lot__contract__reference", "clause__lot__number", "period_start", "company_name", "pk"
        )
