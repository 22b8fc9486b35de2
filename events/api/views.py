from rest_framework import generics, permissions

from events.api.filters import EventFilter
from events.api.serializers import EventSerializer
from events.models import Event
from events.permissions import can_view_events


class CanViewEvents(permissions.BasePermission):
    message = "Le registre des évènements ESS est réservé aux agents de la Métropole, aux élus et aux partenaires."

    def has_permission(self, request, view):
        return can_view_events(request.user)


class EventViewMixin:
    serializer_class = EventSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewEvents]

    def get_queryset(self):
        return (
            Event.objects.select_related("commune")
            .prefetch_related("organising_partners", "organising_communes", "actors")
            .order_by("-starts_on", "pk")
        )


class EventList(EventViewMixin, generics.ListAPIView):
    """ESS events (public and internal) with their organisers and attendance. Filter by `kind`, `year`, `commune`
    (INSEE code), `is_public` and `plan_action_code`.

    Staff, admins, elected officials and partners only.
    """

    filterset_class = EventFilter


class EventDetail(EventViewMixin, generics.RetrieveAPIView):
    """One ESS event."""
