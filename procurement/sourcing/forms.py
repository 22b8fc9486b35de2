"""Forms of sourcing requests: the buyer's need, the supplier's answer (parsing only, rules in models)."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy

from actors.models import Commune
from ess_portal.forms import DateInput
from procurement.cpv.forms import CPV_HELP, CpvCodesField
from procurement.enums import SourcingAnswer
from procurement.sourcing.models import SourcingRequest


class SourcingRequestForm(forms.ModelForm):
    cpv_codes = CpvCodesField(
        label="Codes CPV",
        help_text=format_lazy(
            "Un fournisseur correspond quand l’un de ses codes commence par l’un des vôtres, ou l’inverse ; aucun "
            "code : tous les fournisseurs référencés. {}",
            CPV_HELP,
        ),
    )
    communes = forms.ModelMultipleChoiceField(
        label="Communes d’exécution",
        queryset=Commune.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune commune cochée : toute la métropole. Les fournisseurs qui interviennent sur toute la "
        "métropole sont toujours retenus.",
    )

    class Meta:
        model = SourcingRequest
        fields = ["title", "description", "buying_direction", "cpv_codes", "communes", "reserved_article", "answer_by"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "answer_by": DateInput,
        }
        help_texts = {
            "description": "Ce que vous souhaitez acheter, les quantités, le calendrier envisagé : les fournisseurs "
            "liront ce texte.",
            "reserved_article": "Seules les structures éligibles à cet article (forme juridique, agréments en "
            "vigueur) recevront la demande.",
        }
        error_messages = {
            "title": {"required": "Indiquez l’objet du besoin."},
            "description": {"required": "Décrivez votre besoin pour les fournisseurs."},
            "answer_by": {"required": "Indiquez la date limite de réponse.", "invalid": "Saisissez une date valide."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reserved_article"].choices = [("", "Non : marché ouvert à tous les fournisseurs")] + [
            choice for choice in self.fields["reserved_article"].choices if choice[0]
        ]

    def clean_answer_by(self):
        answer_by = self.cleaned_data["answer_by"]
        if answer_by <= timezone.localdate():
            raise forms.ValidationError("La date limite de réponse doit être postérieure à aujourd’hui.")
        return answer_by


class SourcingAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Votre réponse",
        choices=SourcingAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez si votre structure est intéressée ou non."},
    )
    message = forms.CharField(
        label="Message à l’acheteur",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Facultatif : vos références, votre capacité, une personne à contacter.",
    )


class InterestedFilterForm(forms.Form):
    """On the buyer's request page: show every recipient or only the interested ones (in the URL)."""

    reponse = forms.ChoiceField(
        label="Afficher",
        required=False,
        choices=[("", "Tous les fournisseurs sollicités"), ("interesse", "Seulement les fournisseurs intéressés")],
    )
