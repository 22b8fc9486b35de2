from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import generics, permissions

from quadripartite.api.serializers import CommitteeDecisionSerializer, MeetingSerializer, PartnerSerializer
from quadripartite.enums import CommitteeKind
from quadripartite.models import Attendee, Decision, Meeting, Partner
from quadripartite.permissions import can_read_quadripartite


class PartnerList(generics.ListAPIView):
    """The four signatory collectivities of the quadripartite ESS convention (action 3.1) and the plan's other
    partner bodies."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    permission_classes = [permissions.IsAuthenticated]


class CanReadQuadripartite(permissions.BasePermission):
    message = "L’espace de la convention quadripartite est réservé aux agents, aux élus et aux partenaires."

    def has_permission(self, request, view):
        return can_read_quadripartite(request.user)


class MeetingFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="held_on", lookup_expr="year", label="Année")
    committee = filters.ChoiceFilter(choices=CommitteeKind.choices, label="Comité")

    class Meta:
        model = Meeting
        fields = ["year", "committee"]


class MeetingList(generics.ListAPIView):
    """The meetings of the steering and follow-up committees with attendees, minutes and decisions, latest first.
    Filter by `year` and `committee`. Staff, admins, elected officials and partners."""

    serializer_class = MeetingSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadQuadripartite]
    filterset_class = MeetingFilter

    def get_queryset(self):
        return (
            Meeting.objects.select_related("organiser")
            .prefetch_related(
                Prefetch("attendees", queryset=Attendee.objects.select_related("partner")),
                Prefetch("decisions", queryset=Decision.objects.select_related("owner").order_by("pk")),
            )
            .order_by("-held_on", "-pk")
        )


class DecisionFilter(filters.FilterSet):
    open = filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", label="À faire")
    owner = filters.CharFilter(field_name="owner__slug", label="Partenaire en charge (identifiant)")

    class Meta:
        model = Decision
        fields = ["open", "owner"]


class DecisionList(generics.ListAPIView):
    """The decisions of every meeting in follow-up order (late first). Filter by `open` and `owner` (slug)."""

    serializer_class = CommitteeDecisionSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadQuadripartite]
    filterset_class = DecisionFilter

    def get_queryset(self):
        return Decision.objects.select_related("owner").follow_up_order()
