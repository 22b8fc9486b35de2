from django.db.models import Prefetch
from rest_framework import generics, permissions

from scic.api.filters import ScicApiFilter, ShareMovementFilter
from scic.api.serializers import ScicSerializer, ShareMovementSerializer, StaffScicSerializer
from scic.models import Representative, Scic, ShareMovement
from scic.permissions import can_manage_scic, can_view_scic


class CanViewScic(permissions.BasePermission):
    message = "Le registre des SCIC est réservé aux agents de la Métropole, aux élus et aux partenaires."

    def has_permission(self, request, view):
        return can_view_scic(request.user)


class ScicViewMixin:
    permission_classes = [permissions.IsAuthenticated, CanViewScic]

    def get_queryset(self):
        scics = Scic.objects.for_register()
        if can_manage_scic(self.request.user):
            scics = scics.prefetch_related(
                Prefetch("representatives", queryset=Representative.objects.order_by("body", "person_name", "pk"))
            )
        return scics

    def get_serializer_class(self):
        # The schema documents the fuller shape; `representatives` (personal data) is only sent to staff.
        if getattr(self, "swagger_fake_view", False) or can_manage_scic(self.request.user):
            return StaffScicSerializer
        return ScicSerializer


class ScicList(ScicViewMixin, generics.ListAPIView):
    """The SCIC register with each SCIC's capital and public share today; filter by `commune` (INSEE code) and
    `filiere` (identifier), like the register's page.

    Staff, admins, elected officials and partners only. `representatives` (names) is only included for staff.
    """

    filterset_class = ScicApiFilter


class ScicDetail(ScicViewMixin, generics.RetrieveAPIView):
    """One SCIC of the register with its figures today. `representatives` is only included for staff."""


class ShareMovementList(generics.ListAPIView):
    """The Métropole's share movements (subscriptions, paying-up, redemptions, transfers), latest first.

    Filter by `scic` (id), `kind` and `year` (of the movement). Staff, admins, elected officials and partners only.
    """

    serializer_class = ShareMovementSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewScic]
    filterset_class = ShareMovementFilter

    def get_queryset(self):
        return ShareMovement.objects.select_related("scic__actor").order_by("-moved_on", "-pk")
