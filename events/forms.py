from django import forms

from actors.models import Actor, Commune
from ess_portal.forms import DateInput
from ess_portal.uploads import ACCEPT_ATTRIBUTE, ALLOWED_TYPES_TEXT, MAX_DOCUMENT_SIZE, validate_document
from events.enums import EventKind
from events.models import (
    Event,
    GsefParticipation,
    JuryMember,
    Laureate,
    PrizeCandidate,
    PrizeCategory,
    PrizeEdition,
)


class EventFilterForm(forms.Form):
    """The register's filters, all in the URL."""

    annee = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)
    type = forms.ChoiceField(label="Type", choices=[("", "Tous les types"), *EventKind.choices], required=False)
    commune = forms.ModelChoiceField(
        label="Commune", queryset=Commune.objects.all(), required=False, empty_label="Toutes les communes"
    )


class ActorIdsInput(forms.TextInput):
    """The actors' numbers in the registry, separated by commas (the registry is too large for a select)."""

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(getattr(item, "pk", item)) for item in value)
        return super().format_value(value)


class ActorIdsField(forms.ModelMultipleChoiceField):
    widget = ActorIdsInput

    def clean(self, value):
        if isinstance(value, str):
            value = [part for part in value.replace(";", ",").replace(" ", ",").split(",") if part]
        return super().clean(value)


class EventForm(forms.ModelForm):
    actors = ActorIdsField(
        label="Acteurs impliqués",
        queryset=Actor.objects.all(),
        required=False,
        help_text="Numéros des structures dans le répertoire, séparés par des virgules.",
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "commune",
            "organising_partners",
            "organising_communes",
            "actors",
            "plan_action_code",
            "is_public",
            "description",
        ]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "organising_partners": forms.CheckboxSelectMultiple,
        }
        help_texts = {"organising_communes": "Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."}


class AttendanceForm(forms.Form):
    elected = forms.IntegerField(label="Élus", min_value=0)
    staff = forms.IntegerField(label="Techniciens et agents", min_value=0)
    public = forms.IntegerField(label="Grand public et acteurs", min_value=0)


class PrizeEditionForm(forms.ModelForm):
    class Meta:
        model = PrizeEdition
        fields = ["year", "ceremony", "notes"]


class PrizeCategoryForm(forms.ModelForm):
    # The edition page holds five forms: each has its prefix, so that their fields keep distinct names and ids.
    prefix = "category"

    class Meta:
        model = PrizeCategory
        fields = ["name", "position"]


class PrizeCandidateForm(forms.ModelForm):
    prefix = "candidate"

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.all()
        self.fields["actor"].widget = forms.NumberInput()
        self.fields["actor"].label = "Structure (numéro dans le répertoire)"

    class Meta:
        model = PrizeCandidate
        fields = ["category", "actor", "project"]


class JuryMemberForm(forms.ModelForm):
    prefix = "jury"

    class Meta:
        model = JuryMember
        fields = ["name", "organisation"]


class LaureateForm(forms.Form):
    """A laureate among the candidates of a category; the rules live in `services.award_prize`."""

    prefix = "laureate"

    category = forms.ModelChoiceField(label="Catégorie", queryset=PrizeCategory.objects.none())
    actor = forms.ModelChoiceField(
        label="Structure lauréate (numéro dans le répertoire)", queryset=Actor.objects.all(), widget=forms.NumberInput
    )
    amount = forms.DecimalField(label="Dotation (€)", max_digits=12, decimal_places=2, min_value=0.01)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.all()


class PrizePaymentForm(forms.Form):
    prefix = "payment"

    laureate = forms.ModelChoiceField(label="Lauréat", queryset=Laureate.objects.none())
    paid_on = forms.DateField(label="Payé le", widget=DateInput)
    payment_order_number = forms.CharField(label="Numéro de mandat", max_length=50)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        laureates = Laureate.objects.filter(candidate__category__edition=edition)
        self.fields["laureate"].queryset = laureates.select_related("candidate__actor", "candidate__category__edition")


class GsefParticipationForm(forms.ModelForm):
    class Meta:
        model = GsefParticipation
        fields = ["kind", "title", "held_on", "place", "attendees", "notes"]
        widgets = {"held_on": DateInput}


class GsefDocumentForm(forms.Form):
    file = forms.FileField(
        label="Document",
        validators=[validate_document],
        help_text=f"Formats acceptés : {ALLOWED_TYPES_TEXT} ; {MAX_DOCUMENT_SIZE // (1024 * 1024)} Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
