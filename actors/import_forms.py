"""Forms of the actor import: the uploaded file and the column mapping (parsing only, rules in actors/importing/)."""

from django import forms

from actors.importing.mapping import FIELDS, FIELDS_BY_KEY, column_label
from actors.importing.reading import MAX_FILE_SIZE


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier des acteurs",
        help_text="CSV (séparateur « ; » ou « , », UTF-8 de préférence) ou classeur Excel .xlsx, "
        f"{MAX_FILE_SIZE // (1024 * 1024)} Mo au plus. La première ligne contient les intitulés "
        "des colonnes.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": "Choisissez le fichier à importer.", "empty": "Le fichier est vide."},
    )


class ColumnMappingForm(forms.Form):
    """One select per portal field: which column of the file holds it."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", "— ne pas importer —")] + [
            (str(index), column_label(index, header)) for index, header in enumerate(headers)
        ]
        for import_field in FIELDS:
            self.fields[import_field.key] = forms.TypedChoiceField(
                label=import_field.label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=import_field.required,
                help_text=import_field.help_text,
                error_messages={"required": "Choisissez la colonne qui contient ce champ obligatoire."},
            )

    def clean(self):
        cleaned_data = super().clean()
        fields_of_column: dict[int, list[str]] = {}
        for key, column in cleaned_data.items():
            if column is not None:
                fields_of_column.setdefault(column, []).append(key)
        for column, keys in fields_of_column.items():
            if len(keys) > 1:
                labels = " et ".join(FIELDS_BY_KEY[key].label for key in keys)
                for key in keys:
                    self.add_error(
                        key,
                        f"La colonne « {self.headers[column] or column + 1} » est choisie pour plusieurs champs "
                        f"({labels}) : une colonne ne sert qu’une fois.",
                    )
        return cleaned_data

    @property
    def mapping(self) -> dict[str, int]:
        return {key: column for key, column in self.cleaned_data.items() if column is not None}
