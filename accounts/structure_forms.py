"""Self-service forms of applicants: declare a structure, claim an existing one, edit its profile."""

from django import forms

from actors.forms import SiretField
from actors.models import Actor, validate_siret
from filieres.models import Segment

PROFILE_FIELDS = [
    "name",
    "siret",
    "legal_form",
    "commune",
    "address",
    "postal_code",
    "website",
    "fte",
    "founded_year",
    "description",
    "filieres",
    "segments",
    "is_public",
]
# Identity of a structure: frozen once the service has verified it.
IDENTITY_FIELDS = ["name", "siret", "legal_form"]


class StructureProfileForm(forms.ModelForm):
    """The public profile of a structure, as its members may edit it (never its agréments)."""

    siret = SiretField(
        label="SIRET",
        max_length=20,
        validators=[validate_siret],
        help_text="14 chiffres, sur vos statuts ou sur annuaire-entreprises.data.gouv.fr.",
    )
    website = forms.URLField(
        label="Site web", required=False, assume_scheme="https", help_text="Par exemple : https://www.exemple.fr"
    )

    class Meta:
        model = Actor
        fields = PROFILE_FIELDS
        localized_fields = ["fte"]  # « 2,5 » as French people type it
        widgets = {
            "filieres": forms.CheckboxSelectMultiple,
            "segments": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"is_public": "Paraître dans l’annuaire public des acteurs de l’ESS"}
        help_texts = {
            "is_public": "Le nom, la commune, l’adresse, la présentation, les filières et le site web de la "
            "structure seront visibles de tous. Les coordonnées des personnes ne sont jamais publiées.",
            "segments": "Cochez aussi la filière de chaque segment choisi.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = Segment.objects.select_related("filiere")
        self.fields["segments"].label_from_instance = lambda segment: f"{segment.filiere} – {segment.name}"
        self.fields["postal_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})
        self.fields["siret"].widget.attrs.update({"inputmode": "numeric"})
        if self.instance.pk and self.instance.verified_at:
            for name in IDENTITY_FIELDS:
                self.fields[name].disabled = True
                self.fields[
                    name
                ].help_text = "Vérifié par le service ESS : écrivez-lui pour corriger cette information."

    def clean_siret(self):
        siret = self.cleaned_data["siret"]
        self.existing_actor = Actor.objects.filter(siret=siret).exclude(pk=self.instance.pk).first()
        if self.existing_actor is not None:
            raise forms.ValidationError(
                "Une structure avec ce SIRET est déjà enregistrée dans le portail : demandez plutôt à y être "
                "rattaché·e.",
                code="duplicate_siret",
            )
        return siret

    def clean(self):
        cleaned_data = super().clean()
        filieres = cleaned_data.get("filieres")
        segments = cleaned_data.get("segments")
        if filieres is not None and segments:
            chosen = {filiere.pk for filiere in filieres}
            strays = [segment.name for segment in segments if segment.filiere_id not in chosen]
            if strays:
                self.add_error(
                    "segments",
                    "Ces segments n’appartiennent à aucune des filières cochées : "
                    + ", ".join(f"« {name} »" for name in strays)
                    + ". Cochez leur filière ou décochez-les.",
                )
        return cleaned_data


class StructureCreateForm(StructureProfileForm):
    position = forms.CharField(
        label="Votre fonction dans la structure", max_length=120, help_text="Par exemple : présidente, directeur."
    )


class ClaimSearchForm(forms.Form):
    q = forms.CharField(
        label="SIRET ou nom de la structure",
        max_length=200,
        min_length=3,
        error_messages={"min_length": "Saisissez au moins 3 caractères."},
    )


class ClaimForm(forms.Form):
    position = forms.CharField(label="Votre fonction dans la structure", max_length=120)
    message = forms.CharField(
        label="Message au service ESS",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Aidez le service à vérifier votre demande (par exemple : mandat du conseil d’administration).",
    )


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("approve", "Valider le rattachement"), ("reject", "Refuser le rattachement")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire en cas de refus : il est envoyé au demandeur.",
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("decision") == "reject" and not cleaned_data.get("comment", "").strip():
            self.add_error("comment", "Indiquez le motif du refus : il est envoyé au demandeur.")
        return cleaned_data
