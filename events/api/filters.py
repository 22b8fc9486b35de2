import django_filters

from actors.models import Commune
from events.models import Event


class EventFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label="Année (début de l’évènement)", field_name="starts_on", lookup_expr="year"
    )
    commune = django_filters.ModelChoiceFilter(
        label="Commune (code INSEE)", queryset=Commune.objects.all(), to_field_name="insee_code"
    )

    class Meta:
        model = Event
        fields = ["kind", "year", "commune", "is_public", "plan_action_code"]
