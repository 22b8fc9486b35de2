"""The buyer directory's search (GET parameters with French names, shared by the page, the exports and the API)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from actors.enums import AgrementKind, LegalForm
from actors.models import Agrement, Commune
from filieres.models import Filiere
from procurement.asr.eligibility import eligible_to_article
from procurement.asr.models import AsrListing, ExportLog
from procurement.cpv.models import significant_cpv_digits
from procurement.enums import ExportFormat, ReservedArticle


@extend_schema_field(OpenApiTypes.STR)
class CommuneServedFilter(django_filters.ModelChoiceFilter):
    """A commune (INSEE code) served by the listing, or by the whole métropole."""


class AsrListingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Recherche", method="filter_text", help_text="Offre, code ou libellé CPV, nom."
    )
    cpv = django_filters.CharFilter(
        label="Code CPV", method="filter_cpv", help_text="Début du code : 90 (division), 9091 (classe)…"
    )
    filiere = django_filters.ModelChoiceFilter(
        label="Filière",
        field_name="actor__filieres",
        queryset=Filiere.objects.all(),
        to_field_name="slug",
        empty_label="Toutes",
    )
    commune = CommuneServedFilter(
        label="Commune desservie",
        queryset=Commune.objects.all(),
        to_field_name="insee_code",
        method="filter_commune",
        empty_label="Toutes",
    )
    article = django_filters.ChoiceFilter(
        label="Marché réservé", choices=ReservedArticle.choices, method="filter_article", empty_label="Tous"
    )
    forme = django_filters.ChoiceFilter(
        label="Forme juridique", field_name="actor__legal_form", choices=LegalForm.choices, empty_label="Toutes"
    )
    agrement = django_filters.ChoiceFilter(
        label="Agrément", choices=AgrementKind.choices, method="filter_agrement", empty_label="Tous"
    )
    etp_min = django_filters.NumberFilter(label="ETP minimum", field_name="actor__fte", lookup_expr="gte", min_value=0)

    class Meta:
        model = AsrListing
        fields = []

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_cpv(self, queryset, name, value):
        prefix = significant_cpv_digits(value)
        if not prefix:
            return queryset
        through = AsrListing.cpv_codes.through.objects.filter(
            asrlisting=OuterRef("pk"), cpvcode__code__startswith=prefix
        )
        return queryset.filter(Exists(through))

    def filter_commune(self, queryset, name, value):
        through = AsrListing.communes.through.objects.filter(asrlisting=OuterRef("pk"), commune=value)
        return queryset.filter(Q(serves_whole_metropole=True) | Q(Exists(through)))

    def filter_article(self, queryset, name, value):
        return queryset.filter(eligible_to_article(value, timezone.localdate()))

    def filter_agrement(self, queryset, name, value):
        in_force = Agrement.objects.valid_on(timezone.localdate()).filter(actor=OuterRef("actor"), kind=value)
        return queryset.filter(Exists(in_force))


def directory_filters(query) -> dict:
    """The directory's filters present in a query string, as logged with an export and passed to its job."""
    return {key: value for key, value in query.items() if key in AsrListingFilter.base_filters and value}


class ExportLogFilter(django_filters.FilterSet):
    """The export log: by buyer (auditors only), period and format."""

    par = django_filters.CharFilter(label="Acheteur", method="filter_user", help_text="Nom ou adresse e-mail.")
    du = django_filters.DateFilter(
        label="Du", field_name="created_at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    au = django_filters.DateFilter(
        label="Au", field_name="created_at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    format = django_filters.ChoiceFilter(
        label="Format", field_name="file_format", choices=ExportFormat.choices, empty_label="Tous"
    )

    class Meta:
        model = ExportLog
        fields = []

    def filter_user(self, queryset, name, value):
        condition = Q()
        for word in value.split():
            by_word = Q(user__email__icontains=word) | Q(user__first_name__icontains=word)
            condition &= by_word | Q(user__last_name__icontains=word)
        return queryset.filter(condition)
