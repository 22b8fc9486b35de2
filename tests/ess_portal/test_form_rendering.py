import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_field_errors_are_tied_to_their_input_and_required_fields_are_marked(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "pas-une-adresse",
            "first_name": "Ana",
            "last_name": "Lopez",
            "password1": "court",
            "password2": "court",
        },
    )
    page = response.content.decode()
    email_input = re.search(r"<input[^>]*name=\"email\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in email_input
    assert "id_email_error" in email_input
    assert 'id="id_email_error"' in page
    assert '<label for="id_email">Adresse e-mail <span class="required" aria-hidden="true">*</span>' in page
    assert "(obligatoire)" in page


def test_checkboxes_come_before_their_label(client):
    page = client.get(reverse("accounts:signup")).content.decode()
    assert re.search(r'<div class="checkbox-row"><input type="checkbox"[^>]*><label for=', page)


def test_date_pickers_get_iso_values_whatever_the_page_language():
    import datetime

    from django import forms

    from ess_portal.forms import DateInput

    class Form(forms.Form):
        day = forms.DateField(widget=DateInput())

    html = str(Form(initial={"day": datetime.date(2026, 11, 26)})["day"])
    assert 'type="date"' in html and 'value="2026-11-26"' in html
