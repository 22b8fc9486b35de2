"""Staff forms of the actor registry: the actor itself, its agréments and its contacts (inline formsets)."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from actors.models import Actor, Agrement, Contact, validate_siret
from ess_portal.forms import DateInput
from filieres.models import Segment


class SiretField(forms.CharField):
    """A SIRET typed with spaces or dots (« 123 456 789 00012 ») is kept as its 14 digits."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(char for char in value if char not in " .-\u00a0\u202f")


class ActorForm(forms.ModelForm):
    siret = SiretField(
        label="SIRET",
        required=False,
        max_length=20,
        validators=[validate_siret],
        help_text="14 chiffres ; le SIREN (9 premiers chiffres) en est déduit.",
    )
    website = forms.URLField(
        label="Site web", required=False, assume_scheme="https", help_text="Par exemple : https://www.exemple.fr"
    )
    is_verified = forms.BooleanField(
        label="Fiche vérifiée par le service",
        required=False,
        help_text="Cochez quand les informations ont été contrôlées (SIRET, agréments, adresse).",
    )

    class Meta:
        model = Actor
        fields = [
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
        widgets = {
            "filieres": forms.CheckboxSelectMultiple,
            "segments": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "address": "Numéro et voie ; la position sur la carte est recalculée à chaque changement d’adresse.",
            "segments": "Chaque segment doit appartenir à l’une des filières cochées.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = Segment.objects.select_related("filiere")
        self.fields["segments"].label_from_instance = lambda segment: f"{segment.filiere} – {segment.name}"
        self.fields["is_verified"].initial = bool(self.instance.verified_at)
        self.fields["postal_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})
        self.fields["siret"].widget.attrs.update({"inputmode": "numeric"})

    def clean_siret(self):
        siret = self.cleaned_data["siret"]
        if not siret:
            return siret
        duplicate = Actor.objects.filter(siret=siret).exclude(pk=self.instance.pk).only("pk", "name").first()
        if duplicate is not None:
            raise forms.ValidationError(
                format_html(
                    'Un acteur avec ce SIRET existe déjà : <a href="{}">{}</a>',
                    reverse("actors:actor_detail", args=[duplicate.pk]),
                    duplicate.name,
                ),
                code="duplicate_siret",
            )
        return siret

    def clean(self):
        cleaned_data = super().clean()
        filieres = cleaned_data.get("filieres")
        segments = cleaned_data.get("segments")
        if filieres is not None and segments:
            chosen = {filiere.pk for filiere in filieres}
            strays = [segment for segment in segments if segment.filiere_id not in chosen]
            if strays:
                self.add_error(
                    "segments",
                    forms.ValidationError(
                        "Ces segments n’appartiennent à aucune des filières choisies : %(segments)s. "
                        "Cochez leur filière ou décochez-les.",
                        params={"segments": ", ".join(f"« {segment.name} »" for segment in strays)},
                        code="segment_outside_filieres",
                    ),
                )
        return cleaned_data


class AgrementForm(forms.ModelForm):
    class Meta:
        model = Agrement
        fields = ["kind", "siae_type", "obtained_on", "expires_on", "reference"]
        widgets = {"obtained_on": DateInput, "expires_on": DateInput}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "is_public"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }


AgrementFormSet = forms.inlineformset_factory(
    Actor, Agrement, form=AgrementForm, extra=1, can_delete=True, max_num=len(Agrement._meta.get_field("kind").choices)
)
ContactFormSet = forms.inlineformset_factory(Actor, Contact, form=ContactForm, extra=1, can_delete=True)
