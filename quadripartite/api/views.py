from rest_framework import generics, permissions

from quadripartite.api.serializers import PartnerSerializer
from quadripartite.models import Partner


class PartnerList(generics.ListAPIView):
    """The four collectivities of the quadripartite ESS convention (action 3.1)."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    permission_classes = [permissions.IsAuthenticated]
