import django_filters

from funding.models import BudgetLine


class BudgetLineFilter(django_filters.FilterSet):
    class Meta:
        model = BudgetLine
        fields = ["year", "section", "is_in_plan"]
