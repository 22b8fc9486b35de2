"""Form pieces shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """A native date picker: `<input type="date">` needs the ISO value whatever the language of the page."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
