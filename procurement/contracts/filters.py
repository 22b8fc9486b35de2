"""Filters of the contracts list, its PLIE export and the API: every filter lives in the URL (French names)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from procurement.contracts.models import ContractLot


class ContractFilter(django_filters.FilterSet):
    """Filter contracts annotated by `Contract.objects.with_insertion_totals` (late flag, hours, completion).

    `annee` is the year execution starts (a contract counts in one year only, so totals per year add up).
    """

    q = django_filters.CharFilter(label="Recherche", method="filter_text", help_text="Référence, objet ou titulaire.")
    direction = django_filters.ChoiceFilter(
        label="Direction acheteuse", field_name="buying_direction", choices=[], empty_label="Toutes"
    )
    annee = django_filters.ChoiceFilter(label="Année de début", choices=[], empty_label="Toutes", method="filter_year")
    retard = django_filters.ChoiceFilter(
        label="Situation",
        choices=[("oui", "En retard uniquement")],
        empty_label="Tous les marchés",
        method="filter_late",
    )
    tri = django_filters.OrderingFilter(
        label="Trier par",
        fields=[
            ("reference", "reference"),
            ("title", "objet"),
            ("buying_direction", "direction"),
            ("starts_on", "debut"),
            ("ends_on", "fin"),
            ("hours_required", "exigees"),
            ("hours_realised", "realisees"),
            ("completion", "taux"),
        ],
        widget=forms.HiddenInput,
    )

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        base = queryset.order_by()
        directions = base.values_list("buying_direction", flat=True).distinct().order_by("buying_direction")
        years = sorted({day.year for day in base.dates("starts_on", "year")}, reverse=True)
        # On this instance's form: the filters' own fields are built once and may be shared (API schema).
        self.form.fields["direction"].choices = [(direction, direction) for direction in directions]
        self.form.fields["annee"].choices = [(str(year), str(year)) for year in years]

    def filter_text(self, queryset, name, value: str):
        """Every word must appear in the reference, the title or the name of a lot's holder."""
        for word in value.split():
            holder = ContractLot.objects.filter(contract=OuterRef("pk"), holder_name__icontains=word)
            queryset = queryset.filter(Q(reference__icontains=word) | Q(title__icontains=word) | Exists(holder))
        return queryset

    def filter_year(self, queryset, name, value: str):
        return queryset.filter(starts_on__year=int(value))

    def filter_late(self, queryset, name, value: str):
        return queryset.filter(is_late=True) if value == "oui" else queryset
