from django.utils import timezone
from rest_framework import generics, permissions

from fonciere.api.filters import LeaseFilter, PropertyFilter
from fonciere.api.serializers import LeaseSerializer, PropertySerializer
from fonciere.models import Lease, Property
from fonciere.permissions import can_view_fonciere, can_view_own_leases


class CanViewFonciere(permissions.BasePermission):
    message = "La foncière solidaire est réservée aux agents de la Métropole, aux élus et aux partenaires."

    def has_permission(self, request, view):
        return can_view_fonciere(request.user)


class CanViewLeases(permissions.BasePermission):
    """Readers of the foncière, and applicants for their structures' leases (the queryset narrows them)."""

    message = "Les baux de la foncière solidaire ne vous sont pas accessibles."

    def has_permission(self, request, view):
        return can_view_fonciere(request.user) or can_view_own_leases(request.user)


class PropertyViewMixin:
    serializer_class = PropertySerializer
    permission_classes = [permissions.IsAuthenticated, CanViewFonciere]

    def get_queryset(self):
        return (
            Property.objects.with_occupancy(on=timezone.localdate()).select_related("commune").order_by("name", "pk")
        )


class PropertyList(PropertyViewMixin, generics.ListAPIView):
    """The foncière's properties with their occupancy today (surface under a signed lease in force, vacant
    surface, rate in %). Filter by `commune` (INSEE code), `use` and `tenure`.

    Staff, admins, elected officials and partners only.
    """

    filterset_class = PropertyFilter


class PropertyDetail(PropertyViewMixin, generics.RetrieveAPIView):
    """One property of the foncière with its occupancy today."""


class LeaseViewMixin:
    serializer_class = LeaseSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewLeases]

    def get_queryset(self):
        return (
            Lease.objects.visible_to(self.request.user)
            .select_related("property__commune", "occupant")
            .order_by("property__name", "starts_on", "pk")
        )


class LeaseList(LeaseViewMixin, generics.ListAPIView):
    """Leases of the foncière with their in-kind aid per calendar year.

    Readers of the foncière get every lease; an applicant the leases of the structures they are an active member of.
    Filter by `property` (id), `occupant` (actor id), `year` (leases in force during that year) and `is_signed`.
    """

    filterset_class = LeaseFilter


class LeaseDetail(LeaseViewMixin, generics.RetrieveAPIView):
    """One lease with its in-kind aid per year (404 when the user may not see it)."""
