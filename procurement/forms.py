import re

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from actors.models import Commune, validate_siret
from procurement.asr.models import AsrListing
from procurement.cpv.models import CpvCode, significant_cpv_digits

MAX_CPV_CODES = 30


class CpvCodesField(forms.CharField):
    """CPV codes typed as text, separated by commas or spaces (8 digits, with or without the check digit, or only
    the significant ones); each must be in the reference list. A text field rather than a list to pick from:
    the official nomenclature has more than 9,000 codes. Cleans to a list of `CpvCode`."""

    default_error_messages = {
        "unknown": "Code CPV inconnu : %(codes)s. Vérifiez-le dans la nomenclature (lien « Chercher un code CPV »).",
        "too_many": f"Indiquez au plus {MAX_CPV_CODES} codes CPV.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        """The form's initial codes (model instances or primary keys) as the text the user edits."""
        if isinstance(value, QuerySet | list | tuple):
            codes = [item if isinstance(item, CpvCode) else None for item in value]
            if None in codes:
                codes = list(CpvCode.objects.filter(pk__in=value))
            return ", ".join(sorted(code.full_code for code in codes))
        return value

    def to_python(self, value) -> list[CpvCode]:
        tokens = [token for token in re.split(r"[,;\s]+", super().to_python(value) or "") if token]
        if len(tokens) > MAX_CPV_CODES:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        wanted = {token: significant_cpv_digits(token) for token in tokens}
        found = {code.code: code for code in CpvCode.objects.filter(code__in=set(wanted.values()))}
        unknown = [token for token, digits in wanted.items() if digits not in found]
        if unknown:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"codes": ", ".join(unknown)}
            )
        return sorted({found[digits] for digits in wanted.values()}, key=lambda code: code.code)


CPV_HELP = format_lazy(
    "Codes à 8 chiffres séparés par des virgules, par exemple 90910000, 77313000 ; une division (90000000) couvre "
    'tous ses sous-codes. <a href="{}" target="_blank" rel="noopener">Chercher un code CPV (nouvel onglet)</a>',
    reverse_lazy("procurement:cpv_search"),
)


class AsrListingForm(forms.ModelForm):
    """What a structure declares; capacity in FTE comes from its profile, eligibility from its agréments."""

    cpv_codes = CpvCodesField(label="Codes CPV", help_text=CPV_HELP)
    communes = forms.ModelMultipleChoiceField(
        label="Communes desservies",
        queryset=Commune.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AsrListing
        fields = [
            "offers",
            "cpv_codes",
            "serves_whole_metropole",
            "communes",
            "revenue_band",
            "public_contract_references",
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("serves_whole_metropole") and not cleaned.get("communes"):
            raise forms.ValidationError("Indiquez les communes desservies ou cochez « toute la métropole ».")
        return cleaned


class SendBackForm(forms.Form):
    comment = forms.CharField(label="Ce que la structure doit corriger", widget=forms.Textarea(attrs={"rows": 4}))


class SiretForm(forms.Form):
    siret = forms.CharField(label="Numéro SIRET", max_length=20, help_text="14 chiffres, espaces acceptés.")

    def clean_siret(self):
        siret = "".join(self.cleaned_data["siret"].split())
        validate_siret(siret)
        return siret
