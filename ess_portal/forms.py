"""Form pieces shared by every app."""

import uuid

from django import forms


class DateInput(forms.DateInput):
    """A native date picker: `<input type="date">` needs the ISO value whatever the language of the page."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class KeyedForm(forms.Form):
    """A form whose hidden `form_key` becomes the idempotency key of the write: a double submit writes once."""

    form_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def add_service_error(form, error, *, fields_by_code: dict[str, str]) -> None:
    """Show a service's `ValidationError` next to the field its code names, or above the form."""
    field = fields_by_code.get(getattr(error, "code", None))
    form.add_error(field if field in form.fields else None, error)
