"""The instruction queue's filters: every filter lives in the URL (GET parameters with French names)."""

import django_filters
from django import forms
from django.db.models import Q

from accounts.enums import Role
from accounts.models import User
from actors.models import Commune, normalize_search_text
from filieres.models import Filiere
from funding.enums import ApplicationStatus, CommitmentKind
from funding.models import Application, BudgetLine, Commitment, CouncilSession, SupportScheme

# Special values of the `instructeur` parameter, beside an instructor's id.
UNASSIGNED = "aucun"
MINE = "moi"


def staff_choices() -> list[tuple[str, str]]:
    """The active agents of the ESS service, who instruct applications (one query)."""
    staff = User.objects.filter(groups__name=Role.STAFF, is_active=True).order_by("last_name", "first_name", "pk")
    return [(str(user.pk), user.get_full_name() or user.email) for user in staff]


class ApplicationQueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Recherche", method="filter_text", help_text="Projet, structure ou SIRET.")
    dispositif = django_filters.ModelChoiceFilter(
        label="Dispositif", field_name="scheme", queryset=SupportScheme.objects.order_by("title"), empty_label="Tous"
    )
    etat = django_filters.ChoiceFilter(
        label="État", field_name="status", choices=ApplicationStatus.choices, empty_label="Tous"
    )
    filiere = django_filters.ModelChoiceFilter(
        label="Filière", queryset=Filiere.objects.all(), to_field_name="slug", empty_label="Toutes"
    )
    commune = django_filters.ModelChoiceFilter(
        label="Commune de la structure",
        field_name="actor__commune",
        queryset=Commune.objects.all(),
        to_field_name="insee_code",
        empty_label="Toutes",
    )
    instructeur = django_filters.ChoiceFilter(
        label="Instructeur", choices=[], method="filter_instructor", empty_label="Tous"
    )
    seance = django_filters.ModelChoiceFilter(
        label="Séance du conseil",
        field_name="council_session",
        queryset=CouncilSession.objects.all(),
        empty_label="Toutes",
    )
    tri = django_filters.OrderingFilter(
        label="Trier par",
        fields=[("submitted_at", "depot"), ("requested_amount", "montant"), ("actor__name", "structure")],
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Application
        fields = []

    def __init__(self, *args, staff: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once: a callable would be evaluated again each time the choices are iterated.
        self.staff = staff_choices() if staff is None else staff
        self.filters["instructeur"].extra["choices"] = [(MINE, "Moi"), (UNASSIGNED, "Non attribué"), *self.staff]

    def filter_text(self, queryset, name, value):
        """Every word must appear in the project's title, or the structure's name or SIRET (accents ignored)."""
        for word in value.split():
            normalized = normalize_search_text(word)
            queryset = queryset.filter(Q(title__icontains=word) | Q(actor__search_text__contains=normalized))
        return queryset

    def filter_instructor(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(instructor__isnull=True)
        if value == MINE:
            return queryset.filter(instructor=self.request.user)
        return queryset.filter(instructor_id=value)

    def queryset_without_status(self):
        """The applications matching every filter but the state: what the per-state counts are taken from."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in ("etat", "tri"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("tri"):
            # Oldest submissions first: they have waited the longest.
            queryset = queryset.order_by("submitted_at", "pk")
        return queryset.order_by(*queryset.query.order_by, "pk")


class SpendingFilter(django_filters.FilterSet):
    """The year's spending commitments (not grants), by kind and budget line; `year` limits the lines offered."""

    nature = django_filters.ChoiceFilter(
        label="Nature", field_name="kind", choices=CommitmentKind.spending_choices(), empty_label="Toutes"
    )
    ligne = django_filters.ModelChoiceFilter(
        label="Ligne budgétaire", field_name="budget_line", queryset=BudgetLine.objects.none(), empty_label="Toutes"
    )

    class Meta:
        model = Commitment
        fields = []

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["ligne"].queryset = BudgetLine.objects.for_year(year)
