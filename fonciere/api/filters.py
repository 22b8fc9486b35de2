import django_filters

from actors.models import Commune
from fonciere.models import Lease, Property


class PropertyFilter(django_filters.FilterSet):
    commune = django_filters.ModelChoiceFilter(
        label="Commune (code INSEE)", queryset=Commune.objects.all(), to_field_name="insee_code"
    )

    class Meta:
        model = Property
        fields = ["commune", "use", "tenure"]


class LeaseFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="Année (baux en cours cette année-là)", method="filter_year")
    is_signed = django_filters.BooleanFilter(field_name="signed_on", lookup_expr="isnull", exclude=True, label="Signé")

    class Meta:
        model = Lease
        fields = ["property", "occupant", "year", "is_signed"]

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(starts_on__year__lte=year).exclude(ends_on__year__lt=year)
