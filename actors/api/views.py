from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from actors.api.serializers import ActorSerializer, ActorWithContactsSerializer, CommuneSerializer
from actors.filters import ActorFilter
from actors.location import MAX_FEATURES, actor_url_name, feature_collection, stable_order
from actors.models import Actor, Commune, Contact
from actors.permissions import can_view_contacts, can_view_registry


class CommuneList(generics.ListAPIView):
    """The 28 communes of Bordeaux Métropole with their INSEE code and centre."""

    queryset = Commune.objects.all()
    serializer_class = CommuneSerializer
    permission_classes = [permissions.IsAuthenticated]


class CommuneDetail(generics.RetrieveAPIView):
    """One commune, by INSEE code."""

    queryset = Commune.objects.all()
    serializer_class = CommuneSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "insee_code"


def visible_actors(user):
    """The registry (every active actor) for staff and the métropole's read-only roles; public actors otherwise."""
    return Actor.objects.active() if can_view_registry(user) else Actor.objects.public()


class ActorViewMixin:
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ActorFilter

    def get_queryset(self):
        actors = visible_actors(self.request.user).select_related("commune")
        actors = actors.prefetch_related("filieres", "segments", "agrements")
        if can_view_contacts(self.request.user):
            actors = actors.prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk")))
        return actors

    def get_serializer_class(self):
        # The schema documents the fuller shape; `contacts` is only sent to staff.
        if getattr(self, "swagger_fake_view", False) or can_view_contacts(self.request.user):
            return ActorWithContactsSerializer
        return ActorSerializer


class ActorList(ActorViewMixin, generics.ListAPIView):
    """ESS actors, filtered like the registry (q, commune, forme, agrement, filiere, segment, etp_min, etp_max, tri).

    Staff and the métropole's read-only roles get every active actor, other users the public directory.
    `contacts` (personal data) is only included for staff.
    """

    def filter_queryset(self, queryset):
        return stable_order(super().filter_queryset(queryset))


class ActorDetail(ActorViewMixin, generics.RetrieveAPIView):
    """One ESS actor (404 when the user may not see it). `contacts` is only included for staff."""

    filterset_class = None


class ActorGeoJson(generics.GenericAPIView):
    """The located actors matching the filters, as a GeoJSON FeatureCollection.

    At most 5,000 features: beyond that `truncated` is true and `total` counts them all (narrow the filters).
    Each feature's `url` is the actor's page for the user.
    """

    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ActorFilter
    pagination_class = None
    renderer_classes = [JSONRenderer]  # GeoJSON is plain JSON, sent as application/geo+json

    def get_queryset(self):
        return visible_actors(self.request.user)

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="GeoJSON FeatureCollection")},
    )
    def get(self, request):
        actors = self.filter_queryset(self.get_queryset())
        url_name = actor_url_name(full_registry=can_view_registry(request.user))
        return Response(
            feature_collection(actors, url_name=url_name, limit=MAX_FEATURES), content_type="application/geo+json"
        )
