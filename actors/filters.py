"""The actor search, shared by the staff registry, the public directory, the GeoJSON and the API.

Every filter lives in the URL (GET parameters with French names) so a search can be bookmarked and shared.
"""

import django_filters
from django import forms

from actors.enums import AgrementKind, LegalForm
from actors.models import Actor, Commune
from filieres.models import Filiere, Segment


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Recherche", method="filter_text", help_text="Nom, SIRET ou mots de la présentation."
    )
    commune = django_filters.ModelChoiceFilter(
        label="Commune", queryset=Commune.objects.all(), to_field_name="insee_code", empty_label="Toutes"
    )
    forme = django_filters.ChoiceFilter(
        label="Forme juridique", field_name="legal_form", choices=LegalForm.choices, empty_label="Toutes"
    )
    agrement = django_filters.ChoiceFilter(
        label="Agrément", choices=AgrementKind.choices, method="filter_agrement", empty_label="Tous"
    )
    filiere = django_filters.ModelChoiceFilter(
        label="Filière",
        field_name="filieres",
        queryset=Filiere.objects.all(),
        to_field_name="slug",
        empty_label="Toutes",
    )
    segment = django_filters.ModelChoiceFilter(
        label="Segment",
        field_name="segments",
        queryset=Segment.objects.select_related("filiere"),
        empty_label="Tous",
    )
    etp_min = django_filters.NumberFilter(label="ETP minimum", field_name="fte", lookup_expr="gte", min_value=0)
    etp_max = django_filters.NumberFilter(label="ETP maximum", field_name="fte", lookup_expr="lte", min_value=0)
    tri = django_filters.OrderingFilter(
        label="Trier par",
        fields=[
            ("name", "nom"),
            ("commune__name", "commune"),
            ("legal_form", "forme"),
            ("fte", "etp"),
            ("founded_year", "creation"),
            ("updated_at", "modification"),
        ],
        field_labels={
            "name": "Nom",
            "commune__name": "Commune",
            "legal_form": "Forme juridique",
            "fte": "Effectif (ETP)",
            "founded_year": "Année de création",
            "updated_at": "Dernière modification",
        },
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Actor
        fields = []

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_agrement(self, queryset, name, value):
        # One agrément of each kind per actor (unique constraint): the join never repeats an actor.
        return queryset.filter(agrements__kind=value)
