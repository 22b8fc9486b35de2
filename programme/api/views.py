from rest_framework import generics, permissions

from programme.api.serializers import ActionSerializer
from programme.models import Action


class ActionList(generics.ListAPIView):
    """The actions of the 2022–2026 plan in plan order, sub-actions (1.1.1…, 3.1.1…) with their parent's code."""

    queryset = Action.objects.select_related("sheet__axis", "parent")
    serializer_class = ActionSerializer
    permission_classes = [permissions.IsAuthenticated]


class ActionDetail(generics.RetrieveAPIView):
    """One action, by code (e.g. `2.3`)."""

    queryset = Action.objects.select_related("sheet__axis", "parent")
    serializer_class = ActionSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "code"
