import django_filters

from funding.models import Application, BudgetLine, Decision


class BudgetLineFilter(django_filters.FilterSet):
    class Meta:
        model = BudgetLine
        fields = ["year", "section", "is_in_plan"]


class BudgetExecutionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="year", required=True, label="Exercice")

    class Meta:
        model = BudgetLine
        fields = ["year", "section", "is_in_plan"]


class ApplicationFilter(django_filters.FilterSet):
    scheme = django_filters.CharFilter(field_name="scheme__slug", label="Dispositif (identifiant)")

    class Meta:
        model = Application
        fields = ["status", "actor", "scheme"]


class DecisionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="decided_on", lookup_expr="year", label="Année de la décision")

    class Meta:
        model = Decision
        fields = ["is_approved", "council_session", "year"]
