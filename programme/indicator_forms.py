"""Forms of the indicator pages (staff): definitions, yearly targets, entered measurements. Parsing only: the rules
live in programme/services.py (years, values ≥ 0, no entry on a computed indicator)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ess_portal.forms import DateInput
from programme.enums import MeasurementSource
from programme.indicators import computation_choices
from programme.models import Action, Indicator
from programme.services import FIRST_YEAR, LAST_YEAR

YEAR_ERROR = f"L’année doit être comprise entre {FIRST_YEAR} et {LAST_YEAR}."
NEGATIVE_ERROR = "La valeur ne peut pas être négative."
# Codes that would hide a page of /plan/indicateurs/.
RESERVED_CODES = {"nouveau", "recalculer"}


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label="Année",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"min_value": YEAR_ERROR, "max_value": YEAR_ERROR, "invalid": YEAR_ERROR},
        **kwargs,
    )


def value_field(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        error_messages={"min_value": NEGATIVE_ERROR},
        localize=True,
        **kwargs,
    )


class IndicatorForm(forms.ModelForm):
    """The definition of an indicator; its code, used in addresses and the API, is fixed once created."""

    computation = forms.ChoiceField(
        label="Calcul automatique",
        required=False,
        choices=[("", "Aucun : mesures saisies par le service"), *computation_choices()],
        help_text="Un indicateur calculé est mis à jour chaque nuit à partir des données du portail.",
    )

    class Meta:
        model = Indicator
        fields = ["code", "name", "kind", "unit", "description", "computation", "action", "position", "is_active"]
        help_texts = {
            "code": "Identifiant court en minuscules, chiffres et tirets (par exemple : emplois-crees). "
            "Il ne peut plus être modifié ensuite.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.order_by("position", "code")
        self.fields["action"].empty_label = "Aucune action en particulier"
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in RESERVED_CODES:
            raise ValidationError("Ce code est réservé par le portail : choisissez-en un autre.")
        return code

    def clean_computation(self):
        computation = self.cleaned_data["computation"]
        if (
            computation
            and self.instance.pk
            and self.instance.measurements.filter(source=MeasurementSource.ENTERED).exists()
        ):
            raise ValidationError(
                "Cet indicateur a des mesures saisies : le calcul automatique les remplacerait. Créez plutôt un "
                "nouvel indicateur calculé."
            )
        return computation


class TargetForm(forms.Form):
    year = year_field()
    value = value_field("Cible", required=False, help_text="Laissez vide pour supprimer la cible de cette année.")


class MeasurementForm(forms.Form):
    """A new measurement, or the correction of an existing one (`fixed=True`: its year and breakdown stay)."""

    year = year_field()
    breakdown_label = forms.CharField(
        label="Ventilation",
        max_length=200,
        required=False,
        help_text="Laissez vide pour le total de l’année ; sinon la partie mesurée (par exemple une filière).",
    )
    value = value_field("Valeur")
    measured_on = forms.DateField(label="Mesurée le", widget=DateInput())
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Source, méthode…"
    )

    def __init__(self, *args, fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].initial = timezone.localdate
        if fixed:
            self.fields["year"].disabled = True
            self.fields["breakdown_label"].disabled = True

    def clean_measured_on(self):
        measured_on = self.cleaned_data["measured_on"]
        if measured_on > timezone.localdate():
            raise ValidationError("La date de mesure ne peut pas être dans le futur.")
        return measured_on


class RefreshForm(forms.Form):
    year = year_field()
