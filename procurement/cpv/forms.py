"""Forms of CPV codes: the field in which people type codes, and the upload of the official CPV list."""

import re

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from procurement.cpv.importing import MAX_FILE_SIZE
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


class CpvUploadForm(forms.Form):
    file = forms.FileField(
        label="Nomenclature CPV (classeur XLSX)",
        help_text="Le fichier officiel de l’Union européenne (CPV 2008) : une feuille avec une colonne « CODE » "
        f"(ex. 45000000-7) et une colonne par langue, dont « FR ». {MAX_FILE_SIZE // (1024 * 1024)} Mo au plus.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": "Choisissez le fichier à importer.", "empty": "Le fichier est vide."},
    )
