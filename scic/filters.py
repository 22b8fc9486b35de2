"""The register's filters, all in the URL (GET parameters with French names)."""

import django_filters

from actors.models import Actor, Commune
from filieres.models import Filiere
from scic.models import Scic


class ScicFilter(django_filters.FilterSet):
    commune = django_filters.ModelChoiceFilter(
        label="Commune",
        field_name="actor__commune",
        queryset=Commune.objects.order_by("name"),
        to_field_name="insee_code",
        empty_label="Toutes",
    )
    filiere = django_filters.ModelChoiceFilter(
        label="Filière",
        queryset=Filiere.objects.all(),
        to_field_name="slug",
        empty_label="Toutes",
        method="filter_filiere",
    )

    class Meta:
        model = Scic
        fields = []

    def filter_filiere(self, queryset, name, value):
        # Through a subquery so that a SCIC of several filières stays one row.
        return queryset.filter(actor__in=Actor.objects.filter(filieres=value))
