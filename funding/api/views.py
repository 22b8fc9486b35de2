from decimal import Decimal

import django_filters
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from rest_framework import generics, permissions

from funding.api.filters import ApplicationFilter, BudgetExecutionFilter, BudgetLineFilter, DecisionFilter
from funding.api.serializers import (
    ApplicationSerializer,
    BudgetExecutionSerializer,
    BudgetLineSerializer,
    CoFinancingSerializer,
    DecisionSerializer,
    StaffApplicationSerializer,
    SupportSchemeSerializer,
)
from funding.enums import ApplicationStatus
from funding.models import Application, BudgetLine, CoFinancing, Decision, SupportScheme
from funding.permissions import can_read_cofinancing, can_view_budget, can_view_instruction
from quadripartite.models import partner_of


class BudgetLineList(generics.ListAPIView):
    """Voted budget lines of the ESS programme; filter by `year`, `section` and `is_in_plan`."""

    queryset = BudgetLine.objects.all()
    serializer_class = BudgetLineSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = BudgetLineFilter


class BudgetLineDetail(generics.RetrieveAPIView):
    """One budget line."""

    queryset = BudgetLine.objects.all()
    serializer_class = BudgetLineSerializer
    permission_classes = [permissions.IsAuthenticated]


class SchemeViewMixin:
    queryset = SupportScheme.objects.published().select_related("budget_line").prefetch_related("filieres")
    serializer_class = SupportSchemeSerializer
    permission_classes = [permissions.AllowAny]


class SupportSchemeList(SchemeViewMixin, generics.ListAPIView):
    """The published support schemes (dispositifs), open or not: public, no login needed."""

    def get_queryset(self):
        return super().get_queryset().order_by("-opens_on", "title", "pk")


class SupportSchemeDetail(SchemeViewMixin, generics.RetrieveAPIView):
    """One published support scheme, by its identifier (slug)."""

    lookup_field = "slug"


def visible_applications(user):
    """Staff and elected officials: every submitted application; other users: their structures' ones."""
    if can_view_instruction(user):
        return Application.objects.exclude(status=ApplicationStatus.DRAFT)
    if not user.is_authenticated:  # the schema generator asks without a user
        return Application.objects.none()
    return Application.objects.of_user(user)


class ApplicationViewMixin:
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            visible_applications(self.request.user)
            .select_related("actor", "scheme", "instructor", "council_session")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        # The schema documents the fuller shape; the instruction's fields are only sent to staff.
        if getattr(self, "swagger_fake_view", False) or can_view_instruction(self.request.user):
            return StaffApplicationSerializer
        return ApplicationSerializer


class ApplicationList(ApplicationViewMixin, generics.ListAPIView):
    """Grant applications: staff and elected officials see every submitted one, applicants their structures' ones.

    Filter by `status`, `actor` (id) and `scheme` (identifier). `instructor`, `proposed_amount` and
    `council_session` are only included for staff and elected officials.
    """

    filterset_class = ApplicationFilter


class ApplicationDetail(ApplicationViewMixin, generics.RetrieveAPIView):
    """One grant application (404 when the user may not see it)."""


class DecisionViewMixin:
    serializer_class = DecisionSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        decisions = Decision.objects.select_related("council_session").order_by("-decided_on", "-pk")
        if can_view_instruction(self.request.user):
            return decisions
        return decisions.filter(application__in=visible_applications(self.request.user))


class DecisionList(DecisionViewMixin, generics.ListAPIView):
    """Council decisions on applications: all for staff and elected officials, their own for applicants.

    Filter by `is_approved`, `council_session` (id) and `year` (of the decision).
    """

    filterset_class = DecisionFilter


class DecisionDetail(DecisionViewMixin, generics.RetrieveAPIView):
    """One council decision (404 when the user may not see it)."""


class CanViewBudget(permissions.BasePermission):
    message = "L’exécution budgétaire est réservée au service ESS et aux élus."

    def has_permission(self, request, view):
        return can_view_budget(request.user)


class BudgetExecutionList(generics.ListAPIView):
    """Execution of the budget of one year (`year` is required): per line, voted, committed, paid and available.

    Committed is the line's committed total (kept by the commitments' conditional updates); paid is summed in SQL
    over the line's commitments; available is voted − committed.
    """

    serializer_class = BudgetExecutionSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewBudget]
    filterset_class = BudgetExecutionFilter
    pagination_class = None

    def get_queryset(self):
        money = DecimalField(max_digits=14, decimal_places=2)
        return BudgetLine.objects.annotate(
            paid_amount=Coalesce(Sum("commitments__paid_amount"), Value(Decimal("0.00")), output_field=money)
        ).order_by("section", "-is_in_plan", "position", "pk")


class CanReadCoFinancing(permissions.BasePermission):
    message = "Le tableau des cofinancements est réservé aux agents, aux élus et aux partenaires."

    def has_permission(self, request, view):
        return can_read_cofinancing(request.user)


class CoFinancingFilter(django_filters.FilterSet):
    partner = django_filters.CharFilter(field_name="partner__slug", label="Partenaire (identifiant)")

    class Meta:
        model = CoFinancing
        fields = ["year", "partner", "application"]


class CoFinancingList(generics.ListAPIView):
    """The partners' co-financing per application and year (pledged, decided, paid). Staff, admins and elected
    officials read every row; a partner user the rows of their own collectivity. Filter by `year`, `partner` (slug)
    and `application`."""

    serializer_class = CoFinancingSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadCoFinancing]
    filterset_class = CoFinancingFilter

    def get_queryset(self):
        rows = CoFinancing.objects.select_related("partner", "application__actor").order_by(
            "-year", "partner__position", "application_id"
        )
        if can_view_instruction(self.request.user):
            return rows
        partner = partner_of(self.request.user)
        return rows.filter(partner=partner) if partner else rows.none()
