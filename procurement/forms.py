from django import forms

from actors.models import Commune, validate_siret
from procurement.asr.models import AsrListing
from procurement.cpv.forms import CPV_HELP, CpvCodesField


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
