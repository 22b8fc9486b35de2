from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.exceptions import ValidationError

from programme.api.serializers import ActionSerializer, IndicatorDetailSerializer, IndicatorSerializer
from programme.models import Action, Indicator, IndicatorTarget, Measurement
from programme.permissions import can_view_plan
from programme.services import FIRST_YEAR, LAST_YEAR


class CanViewPlan(permissions.BasePermission):
    """The plan's tracking and indicators: staff, elected officials, partners and admins (as on the web pages)."""

    message = "Le suivi du plan d’actions est réservé aux agents, élus et partenaires."

    def has_permission(self, request, view):
        return can_view_plan(request.user)


def with_sub_actions(actions: list[Action]) -> list[Action]:
    """Load the plan's tree once (one query) so that each action's rolled-up progress and state need no further
    query."""
    tree = list(Action.objects.only("id", "parent_id", "status", "progress", "rollup", "weight"))
    children = {}
    for node in tree:
        children.setdefault(node.parent_id, []).append(node)
    for node in [*tree, *actions]:
        node.sub_actions = children.get(node.pk, [])
    return actions


class ActionViewMixin:
    queryset = Action.objects.select_related("sheet__axis", "parent").prefetch_related("milestones")
    serializer_class = ActionSerializer
    permission_classes = [CanViewPlan]


class ActionList(ActionViewMixin, generics.ListAPIView):
    """The actions of the 2022–2026 plan in plan order, sub-actions (1.1.1…, 3.1.1…) with their parent's code, with
    their tracking: status, progress (rolled up from sub-actions), responsible service and milestones."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return with_sub_actions(page) if page is not None else None


class ActionDetail(ActionViewMixin, generics.RetrieveAPIView):
    """One action, by code (e.g. `2.3`), with its tracking."""

    lookup_field = "code"

    def get_object(self):
        return with_sub_actions([super().get_object()])[0]


class IndicatorList(generics.ListAPIView):
    """The active indicators of the plan (activity, result, impact) with their yearly targets."""

    queryset = (
        Indicator.objects.active()
        .select_related("action")
        .prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")))
    )
    serializer_class = IndicatorSerializer
    permission_classes = [CanViewPlan]


@extend_schema(
    parameters=[
        OpenApiParameter("annee", int, description=f"Seulement les mesures de cette année ({FIRST_YEAR}–{LAST_YEAR}).")
    ]
)
class IndicatorDetail(generics.RetrieveAPIView):
    """One indicator, by code, with its targets and its measurements (the total of a year has an empty
    `breakdown`); `?annee=` keeps the measurements of one year."""

    serializer_class = IndicatorDetailSerializer
    permission_classes = [CanViewPlan]
    lookup_field = "code"

    def get_queryset(self):
        measurements = Measurement.objects.order_by("year", "pk")
        year = self.request.query_params.get("annee")
        if year is not None:
            try:
                year = int(year)
            except ValueError:
                raise ValidationError({"annee": "L’année doit être un nombre, par exemple 2025."}) from None
            measurements = measurements.filter(year=year)
        return Indicator.objects.select_related("action").prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")),
            Prefetch("measurements", queryset=measurements),
        )
