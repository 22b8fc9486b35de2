"""Forms of the ASR pages: a structure's listing, staff review, the SIRET check, the buyers' consultation lists."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.enums import Role
from actors.models import Commune, validate_siret
from procurement.asr.models import AsrListing, ConsultationEntry, ConsultationList
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


class AddToConsultationListForm(forms.Form):
    """From a directory card: add a published supplier to one of my lists, found by its name or created."""

    listing = forms.ModelChoiceField(queryset=AsrListing.objects.none(), widget=forms.HiddenInput)
    name = forms.CharField(
        label="Liste de consultation",
        max_length=200,
        help_text="Nom d’une de vos listes, ou d’une nouvelle liste à créer.",
    )

    def __init__(self, *args, listings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = listings

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class ConsultationListForm(forms.ModelForm):
    shared_with = forms.ModelMultipleChoiceField(
        label="Partager avec",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ces collègues pourront consulter et exporter la liste, sans la modifier.",
    )

    class Meta:
        model = ConsultationList
        fields = ["name", "notes", "shared_with"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = (
            get_user_model()
            .objects.filter(Q(groups__name=Role.PROCUREMENT) | Q(groups__name=Role.STAFF), is_active=True)
            .exclude(pk=owner.pk)
            .distinct()
            .order_by("last_name", "first_name", "email")
        )


class ConsultationEntryNoteForm(forms.ModelForm):
    class Meta:
        model = ConsultationEntry
        fields = ["note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        labels = {"note": "Note sur ce fournisseur"}
