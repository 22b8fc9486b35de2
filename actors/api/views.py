from rest_framework import generics, permissions

from actors.api.serializers import CommuneSerializer
from actors.models import Commune


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
