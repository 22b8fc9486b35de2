from django import forms
from django.utils import timezone

from ess_portal.forms import DateInput
from ess_portal.uploads import ACCEPT_ATTRIBUTE, validate_document
from quadripartite.enums import Audience, CommitteeKind, ConventionDocumentKind
from quadripartite.models import Partner


class MeetingFilterForm(forms.Form):
    annee = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)
    comite = forms.ChoiceField(
        label="Comité", choices=[("", "Tous les comités"), *CommitteeKind.choices], required=False
    )


class MeetingForm(forms.Form):
    """A meeting; the attendees are typed per partner, one « Nom – qualité » per line (see `attendees`)."""

    committee = forms.ChoiceField(label="Comité", choices=CommitteeKind.choices)
    held_on = forms.DateField(label="Date", widget=DateInput, initial=timezone.localdate)
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    organiser = forms.ModelChoiceField(
        label="Collectivité organisatrice",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="Celle de l’année (rotation)",
    )
    agenda = forms.CharField(label="Ordre du jour", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(label="Compte rendu", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    minutes_file = forms.FileField(
        label="Compte rendu (fichier)",
        required=False,
        validators=[validate_document],
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text="PDF, ODT ou DOCX, 10 Mo au plus.",
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = list(partners)
        self.fields["organiser"].queryset = Partner.objects.signatories()
        for partner in self.partners:
            self.fields[f"attendees_{partner.pk}"] = forms.CharField(
                label=f"Participants – {partner.short_name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Un par ligne : « Nom – élu » ou « Nom – technicien » (technicien par défaut).",
            )

    AUDIENCE_WORDS = {
        "élu": Audience.ELECTED,
        "élue": Audience.ELECTED,
        "élu·e": Audience.ELECTED,
        "invité": Audience.OTHER,
    }

    def attendees(self) -> list[tuple[Partner, str, str]]:
        rows = []
        for partner in self.partners:
            for line in self.cleaned_data.get(f"attendees_{partner.pk}", "").splitlines():
                name, _, quality = line.partition("–") if "–" in line else line.partition(" - ")
                if name.strip():
                    audience = self.AUDIENCE_WORDS.get(quality.strip().lower(), Audience.TECHNICIAN)
                    rows.append((partner, name.strip(), audience))
        return rows

    @staticmethod
    def initial_attendees(meeting) -> dict:
        lines = {}
        for attendee in meeting.attendees.all():
            quality = "élu" if attendee.audience == Audience.ELECTED else attendee.get_audience_display()
            lines.setdefault(f"attendees_{attendee.partner_id}", []).append(f"{attendee.name} – {quality}")
        return {key: "\n".join(value) for key, value in lines.items()}


class DecisionForm(forms.Form):
    text = forms.CharField(label="Décision", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    owner = forms.ModelChoiceField(
        label="Partenaire en charge", queryset=Partner.objects.all(), empty_label="Choisissez le partenaire"
    )
    due_on = forms.DateField(label="Échéance", required=False, widget=DateInput)


class DecisionFilterForm(forms.Form):
    STATES = [("", "Toutes"), ("ouvertes", "À faire"), ("en-retard", "En retard"), ("realisees", "Réalisées")]
    etat = forms.ChoiceField(label="État", choices=STATES, required=False)
    partenaire = forms.ModelChoiceField(
        label="Partenaire en charge", queryset=Partner.objects.all(), required=False, empty_label="Tous"
    )


class OrganiserOverrideForm(forms.Form):
    year = forms.IntegerField(label="Année", min_value=2022, max_value=2100)
    partner = forms.ModelChoiceField(label="Collectivité organisatrice", queryset=Partner.objects.signatories())
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class ConventionDocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Nature", choices=ConventionDocumentKind.choices)
    title = forms.CharField(label="Intitulé", max_length=250)
    signed_on = forms.DateField(label="Signé le", widget=DateInput)
    summary = forms.CharField(label="Objet", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    upload = forms.FileField(
        label="Fichier signé",
        required=False,
        validators=[validate_document],
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
