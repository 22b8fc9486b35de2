"""Forms of the share of ESS spend: the purchases file of a year (parsing only, rules in
procurement/spend/importing.py)."""

from django import forms
from django.utils import timezone

from procurement.enums import SiretMatch
from procurement.spend import importing


class PurchaseImportForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Année des achats",
        coerce=int,
        help_text="Chaque date du fichier doit appartenir à cette année. Un nouvel import de la même année "
        "remplace le précédent.",
        error_messages={
            "required": "Choisissez l’année des achats.",
            "invalid_choice": "Choisissez une année de la liste.",
        },
    )
    file = forms.FileField(
        label="Fichier des achats",
        help_text="CSV (séparateur « ; » ou « , », UTF-8 de préférence) ou classeur Excel .xlsx, "
        f"{importing.MAX_FILE_SIZE // (1024 * 1024)} Mo au plus. La première ligne nomme les colonnes : SIRET, "
        "Montant HT, Date, Direction, et si vous les avez CPV et Fournisseur.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": "Choisissez le fichier à importer.", "empty": "Le fichier est vide."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = importing.importable_years()
        self.fields["year"].choices = [(year, str(year)) for year in years]
        # The SPASER report looks back on the past year: it is the usual choice.
        self.fields["year"].initial = timezone.localdate().year - 1


class UnmatchedFilterForm(forms.Form):
    """Which purchases outside the registry to list: unknown SIRET, malformed SIRET, or both."""

    rapprochement = forms.ChoiceField(
        label="Rapprochement",
        required=False,
        choices=[("", "Tous les achats hors registre")]
        + [(value, label) for value, label in SiretMatch.choices if value != SiretMatch.MATCHED],
    )

    @property
    def siret_match(self) -> str:
        return self.cleaned_data.get("rapprochement", "") if self.is_valid() else ""
