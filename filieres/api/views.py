from django.db.models import Prefetch
from rest_framework import generics, permissions

from filieres.api.serializers import FiliereSerializer
from filieres.models import Filiere, Segment


def filieres_with_segments():
    # Ordered without the filière join of Segment's default ordering: one query for all segments.
    segments = Segment.objects.order_by("position", "name")
    return Filiere.objects.prefetch_related(Prefetch("segments", queryset=segments))


class FiliereList(generics.ListAPIView):
    """The four priority filières of the plan (action 1.1), each with its segments."""

    queryset = filieres_with_segments()
    serializer_class = FiliereSerializer
    permission_classes = [permissions.IsAuthenticated]


class FiliereDetail(generics.RetrieveAPIView):
    """One filière, by slug, with its segments."""

    queryset = filieres_with_segments()
    serializer_class = FiliereSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "slug"
