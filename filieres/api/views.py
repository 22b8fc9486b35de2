from django.db.models import Prefetch
from rest_framework import generics, permissions

from actors.api.views import visible_actors
from filieres.api.serializers import FiliereSerializer
from filieres.models import Filiere, HeadOfNetwork, Segment


def filieres_with_segments(user):
    # Ordered without the filière join of Segment's default ordering: one query for all segments.
    segments = Segment.objects.order_by("position", "name")
    # Têtes de filière among the actors the user may see (the public directory for an applicant).
    heads = HeadOfNetwork.objects.filter(actor__in=visible_actors(user)).select_related("actor")
    return Filiere.objects.prefetch_related(
        Prefetch("segments", queryset=segments),
        Prefetch("heads_of_network", queryset=heads.order_by("actor__name"), to_attr="visible_heads"),
    )


class FiliereList(generics.ListAPIView):
    """The four priority filières of the plan (action 1.1), each with its segments and têtes de filière."""

    serializer_class = FiliereSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return filieres_with_segments(self.request.user)


class FiliereDetail(generics.RetrieveAPIView):
    """One filière, by slug, with its segments and têtes de filière."""

    serializer_class = FiliereSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "slug"

    def get_queryset(self):
        return filieres_with_segments(self.request.user)
