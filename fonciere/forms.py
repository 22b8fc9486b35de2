from django import forms

from actors.models import Actor, Commune
from ess_portal.forms import DateInput, KeyedForm
from fonciere.enums import PropertyUse
from fonciere.models import Property


class PropertyFilterForm(forms.Form):
    """The register's filters, all in the URL."""

    commune = forms.ModelChoiceField(
        label="Commune", queryset=Commune.objects.all(), required=False, empty_label="Toutes les communes"
    )
    usage = forms.ChoiceField(label="Usage", choices=[("", "Tous les usages"), *PropertyUse.choices], required=False)


class PropertyForm(forms.ModelForm):
    class Meta:
        model = Property
        fields = [
            "name",
            "address",
            "commune",
            "latitude",
            "longitude",
            "surface",
            "use",
            "tenure",
            "acquisition_price",
            "works_amount",
            "exit_price_cap_clause",
        ]


class LeaseForm(forms.Form):
    """A lease of part of the property of the page; the surface rule lives in `services.create_lease`."""

    occupant = forms.ModelChoiceField(
        label="Structure occupante (numéro dans le répertoire)", queryset=Actor.objects.all(), widget=forms.NumberInput
    )
    surface = forms.DecimalField(label="Surface louée (m²)", max_digits=10, decimal_places=2, min_value=0.01)
    starts_on = forms.DateField(label="Début du bail", widget=DateInput)
    ends_on = forms.DateField(
        label="Fin du bail", required=False, widget=DateInput, help_text="Vide : sans terme fixé."
    )
    rent = forms.DecimalField(label="Loyer (€/m²/an)", max_digits=12, decimal_places=2, min_value=0)
    market_rent = forms.DecimalField(label="Loyer de marché (€/m²/an)", max_digits=12, decimal_places=2, min_value=0)
    signed_on = forms.DateField(
        label="Signé le", required=False, widget=DateInput, help_text="Vide s’il reste à signer."
    )


class SignLeaseForm(forms.Form):
    signed_on = forms.DateField(label="Date de signature", widget=DateInput)


class CapitalisationForm(KeyedForm):
    """An instalment of the capitalisation; `form_key` makes a double submit commit it once."""

    year = forms.IntegerField(label="Exercice budgétaire", min_value=2022, max_value=2100)
    amount = forms.DecimalField(label="Montant (€)", max_digits=12, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label="Date du versement", widget=DateInput)
    deliberation_number = forms.CharField(label="Numéro de délibération", max_length=50)
    deliberation_on = forms.DateField(label="Date de la délibération", required=False, widget=DateInput)


class AnnualReportForm(KeyedForm):
    """The year of the foncière's yearly report, among `years` (most recent first, the current year by default)."""

    year = forms.TypedChoiceField(label="Année du rapport", coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].initial = years[0]


class LeaseUpdateForm(LeaseForm):
    """The terms of a lease not signed yet; the occupant and the signature are not changed here."""

    occupant = None
    signed_on = None


class EndLeaseForm(forms.Form):
    """The early end of a lease; the rules (between its start and its current end) live in `services.end_lease`."""

    ends_on = forms.DateField(label="Nouvelle date de fin", widget=DateInput)
    end_reason = forms.CharField(
        label="Motif de la fin anticipée", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
