from rest_framework import generics, permissions

from funding.api.filters import BudgetLineFilter
from funding.api.serializers import BudgetLineSerializer
from funding.models import BudgetLine


class BudgetLineList(generics.ListAPIView):
    """Voted budget lines of the ESS programme; filter by `year`, `section` and `is_in_plan`."""

    queryset = BudgetLine.objects.all()
    serializer_class = BudgetLineSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = BudgetLineFilter


class BudgetLineDetail(generics.RetrieveAPIView):
    """One budget line."""

    queryset = BudgetLine.objects.all()
    serializer_class = BudgetLineSerializer
    permission_classes = [permissions.IsAuthenticated]
