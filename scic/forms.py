"""Forms of the SCIC register: they parse input; the rules live in `scic/services.py`. `form_key` (a hidden UUID)
becomes the idempotency key of the write, so a double submit writes once."""

from django import forms
from django.db.models import Q

from actors.enums import LegalForm
from actors.models import Actor
from ess_portal.forms import DateInput, KeyedForm
from scic.enums import Body, CollectivityKind, MovementKind


class ScicDeclarationForm(KeyedForm):
    actor = forms.ModelChoiceField(
        label="Structure (forme juridique SCIC)",
        queryset=Actor.objects.active().filter(legal_form=LegalForm.SCIC).order_by("name"),
        empty_label="Choisissez une structure",
        help_text="Les structures du répertoire de forme juridique SCIC.",
    )
    framework_deliberation_number = forms.CharField(
        label="Numéro de la délibération cadre", max_length=50, required=False
    )
    framework_deliberation_on = forms.DateField(
        label="Date de la délibération cadre", widget=DateInput, required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CapitalForm(forms.Form):
    recorded_on = forms.DateField(label="Date", widget=DateInput)
    amount = forms.DecimalField(label="Capital social (€)", max_digits=14, decimal_places=2, min_value=0)
    source = forms.CharField(label="Source", max_length=200, required=False, help_text="Comptes annuels, PV d’AG…")


class PublicHoldingForm(KeyedForm):
    holder_name = forms.CharField(label="Collectivité", max_length=200)
    holder_kind = forms.ChoiceField(label="Nature", choices=CollectivityKind.choices)
    amount = forms.DecimalField(label="Capital détenu (€)", max_digits=14, decimal_places=2, min_value=0.01)
    held_from = forms.DateField(label="Détenu depuis le", widget=DateInput)
    held_until = forms.DateField(label="Détenu jusqu’au", widget=DateInput, required=False)


class SubscriptionForm(KeyedForm):
    shares = forms.IntegerField(label="Nombre de parts", min_value=1)
    nominal = forms.DecimalField(
        label="Valeur nominale d’une part (€)", max_digits=10, decimal_places=2, min_value=0.01
    )
    subscribed_on = forms.DateField(label="Date de souscription", widget=DateInput)
    fund_year = forms.IntegerField(label="Exercice du fonds SCIC", min_value=2022, max_value=2100)
    deliberation_number = forms.CharField(label="Numéro de délibération", max_length=50)
    deliberation_on = forms.DateField(label="Date de la délibération", widget=DateInput)


class MovementForm(KeyedForm):
    kind = forms.ChoiceField(
        label="Nature",
        choices=[(value, label) for value, label in MovementKind.choices if value != MovementKind.SUBSCRIPTION],
    )
    shares = forms.IntegerField(label="Nombre de parts", min_value=1)
    nominal = forms.DecimalField(
        label="Valeur nominale d’une part (€)", max_digits=10, decimal_places=2, min_value=0.01
    )
    moved_on = forms.DateField(label="Date", widget=DateInput)
    payment_order_number = forms.CharField(
        label="Numéro de mandat",
        max_length=30,
        required=False,
        help_text="Pour une libération : le versement est enregistré sur l’engagement de la souscription.",
    )
    deliberation_number = forms.CharField(label="Numéro de délibération", max_length=50, required=False)
    deliberation_on = forms.DateField(label="Date de la délibération", widget=DateInput, required=False)


class RepresentativeForm(KeyedForm):
    person_name = forms.CharField(label="Nom", max_length=200)
    body = forms.ChoiceField(label="Instance", choices=Body.choices)
    deliberation_number = forms.CharField(label="Délibération de désignation", max_length=50, required=False)
    deliberation_on = forms.DateField(label="Date de la délibération", widget=DateInput, required=False)
    mandate_start_on = forms.DateField(label="Début du mandat", widget=DateInput)
    mandate_end_on = forms.DateField(label="Fin du mandat", widget=DateInput, required=False)


class LiaisonMeetingForm(KeyedForm):
    held_on = forms.DateField(label="Date du comité", widget=DateInput)
    participants = forms.CharField(label="Participants", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    minutes = forms.CharField(label="Compte rendu", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    decisions = forms.CharField(label="Décisions", widget=forms.Textarea(attrs={"rows": 3}), required=False)


# Corrections: the same fields as the creation forms; a correction sets values, so a double submit is harmless and
# needs no key.


class ScicUpdateForm(ScicDeclarationForm):
    form_key = None

    def __init__(self, *args, scic, **kwargs):
        super().__init__(*args, **kwargs)
        # The SCIC's own structure stays a choice even if archived since.
        self.fields["actor"].queryset = Actor.objects.filter(
            Q(pk=scic.actor_id) | Q(is_archived=False), legal_form=LegalForm.SCIC
        ).order_by("name")
        self.fields[
            "actor"
        ].help_text = (
            "Les structures du répertoire de forme juridique SCIC ; son nom se corrige sur sa fiche du répertoire."
        )


class PublicHoldingUpdateForm(PublicHoldingForm):
    form_key = None


class RepresentativeUpdateForm(RepresentativeForm):
    form_key = None


class EndMandateForm(forms.Form):
    mandate_end_on = forms.DateField(label="Fin du mandat", widget=DateInput)
