import django_filters

from filieres.models import Filiere
from scic.filters import ScicFilter
from scic.models import ShareMovement


class ScicApiFilter(ScicFilter):
    """The register's filters (`commune` by INSEE code, `filiere` by identifier)."""

    def filter_filiere(self, queryset, name, value: Filiere):
        # The hint tells the schema generator that `filiere` is an identifier, not a field of Scic.
        return super().filter_filiere(queryset, name, value)


class ShareMovementFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="moved_on", lookup_expr="year", label="Année du mouvement")

    class Meta:
        model = ShareMovement
        fields = ["scic", "kind", "year"]
