from django import forms
from django.utils import timezone

from actors.models import Actor, Commune
from ess_portal.forms import DateInput
from filieres.models import Filiere
from fonciere.committee_models import PremisesRequest
from fonciere.enums import CommitteeDecision, PremisesRequestStatus, PropertyUse
from fonciere.models import Property
from funding.models import Application

NEED_FIELDS = ["surface_needed", "use", "commune", "filiere", "yearly_budget", "needed_from", "description"]


class PremisesRequestForm(forms.ModelForm):
    """A need for premises. Staff name the structure by its number; an applicant chooses among the structures they
    act for (`actors`), and may link one of their applications."""

    class Meta:
        model = PremisesRequest
        fields = ["actor", "application", *NEED_FIELDS]
        widgets = {"needed_from": DateInput, "description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "yearly_budget": "Le loyer annuel, charges comprises, que le projet peut supporter.",
            "description": "L’activité, l’équipe, les contraintes du local (accès, stockage, accueil du public…).",
        }

    def __init__(self, *args, actors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filiere"].queryset = Filiere.objects.all()
        self.fields["filiere"].empty_label = "Non précisée"
        self.fields["commune"].queryset = Commune.objects.all()
        self.fields["commune"].empty_label = "Indifférente"
        self.fields["use"].choices = [("", "Choisissez un usage"), *PropertyUse.choices]
        if actors is None:
            self.fields["actor"] = forms.ModelChoiceField(
                label="Structure (numéro dans le répertoire)", queryset=Actor.objects.all(), widget=forms.NumberInput
            )
            del self.fields["application"]
        else:
            self.fields["actor"].queryset = actors
            self.fields["actor"].empty_label = None
            self.fields["application"].queryset = Application.objects.filter(actor__in=actors).order_by("-pk")
            self.fields["application"].required = False
            self.fields["application"].empty_label = "Aucune"

    def clean(self):
        data = super().clean()
        application, actor = data.get("application"), data.get("actor")
        if application and actor and application.actor_id != actor.pk:
            self.add_error("application", "Choisissez une demande d’aide de la structure qui cherche des locaux.")
        return data


class PremisesRequestFilterForm(forms.Form):
    etat = forms.ChoiceField(
        label="État", choices=[("", "Tous les états"), *PremisesRequestStatus.choices], required=False
    )
    commune = forms.ModelChoiceField(
        label="Commune souhaitée", queryset=Commune.objects.all(), required=False, empty_label="Toutes les communes"
    )
    filiere = forms.ModelChoiceField(
        label="Filière", queryset=Filiere.objects.all(), required=False, empty_label="Toutes les filières"
    )
    usage = forms.ChoiceField(label="Usage", choices=[("", "Tous les usages"), *PropertyUse.choices], required=False)


class CommitteeSittingForm(forms.Form):
    held_on = forms.DateField(label="Date de la séance", widget=DateInput, initial=timezone.localdate)
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    attendees = forms.CharField(
        label="Membres présents",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un membre par ligne, avec son organisme.",
    )
    minutes = forms.CharField(label="Compte rendu", required=False, widget=forms.Textarea(attrs={"rows": 6}))


class AgendaForm(forms.Form):
    request = forms.ModelChoiceField(
        label="Besoin à inscrire à l’ordre du jour",
        queryset=PremisesRequest.objects.none(),
        empty_label="Choisissez un besoin",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = (
            PremisesRequest.objects.awaiting_committee().select_related("actor").order_by("created_at", "pk")
        )
        self.fields["request"].label_from_instance = lambda need: (
            f"{need.actor.name} – {need.surface_needed:.0f} m² de {need.get_use_display()}"
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Avis du comité",
        choices=[choice for choice in CommitteeDecision.choices if choice[0] != CommitteeDecision.PENDING],
        widget=forms.RadioSelect,
    )
    property = forms.ModelChoiceField(
        label="Bien proposé",
        queryset=Property.objects.none(),
        required=False,
        empty_label="Aucun bien pour l’instant",
        help_text="Seulement avec un avis favorable. La surface vacante est celle d’aujourd’hui.",
    )
    reason = forms.CharField(
        label="Motif communiqué à la structure",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour un avis défavorable.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        properties = Property.objects.with_occupancy(on=timezone.localdate()).select_related("commune")
        self.fields["property"].queryset = properties.order_by("name", "pk")
        self.fields["property"].label_from_instance = lambda item: (
            f"{item.name} ({item.commune.name}) – {item.vacant_surface:.0f} m² vacants sur {item.surface:.0f} m²"
        )
