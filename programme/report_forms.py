import datetime

from django import forms
from django.utils import timezone

from ess_portal.forms import DateInput
from programme.enums import ReportPeriodKind
from programme.reports import (
    FIRST_DAY,
    Period,
    period_between,
    period_errors,
    quarter,
    quarter_before,
    year_before,
)


def _quarter_choices(today: datetime.date) -> list[tuple[str, str]]:
    """Every quarter over since the plan began, the latest first: (« 2024-2 », « 2e trimestre 2024 »)."""
    choices = []
    period = quarter_before(today)
    while period.starts_on >= FIRST_DAY:
        number = (period.starts_on.month - 1) // 3 + 1
        choices.append((f"{period.starts_on.year}-{number}", period.label))
        period = quarter_before(period.starts_on)
    return choices


def _year_choices(today: datetime.date) -> list[tuple[str, str]]:
    last = year_before(today).starts_on.year
    return [(str(year), str(year)) for year in range(last, FIRST_DAY.year - 1, -1)]


class ReportRequestForm(forms.Form):
    """The period of an on-demand indicator report: a quarter or a year that is over, or any two dates."""

    kind = forms.ChoiceField(
        label="Période du rapport",
        choices=ReportPeriodKind.choices,
        initial=ReportPeriodKind.QUARTERLY,
        widget=forms.RadioSelect,
    )
    quarter = forms.ChoiceField(label="Trimestre", required=False, help_text="Pour un rapport trimestriel.")
    year = forms.ChoiceField(label="Année", required=False, help_text="Pour un rapport annuel.")
    starts_on = forms.DateField(
        label="Du", required=False, widget=DateInput, help_text="Pour une période choisie : premier jour inclus."
    )
    ends_on = forms.DateField(label="Au", required=False, widget=DateInput, help_text="Dernier jour inclus.")

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["quarter"].choices = [("", "Choisir un trimestre")] + _quarter_choices(self.today)
        self.fields["year"].choices = [("", "Choisir une année")] + _year_choices(self.today)
        self.fields["kind"].choices = [
            (ReportPeriodKind.QUARTERLY, "Un trimestre"),
            (ReportPeriodKind.ANNUAL, "Une année"),
            (ReportPeriodKind.CUSTOM, "Entre deux dates"),
        ]

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        if kind == ReportPeriodKind.QUARTERLY:
            if not cleaned_data.get("quarter"):
                self.add_error("quarter", "Choisissez le trimestre du rapport.")
            else:
                year, number = (int(part) for part in cleaned_data["quarter"].split("-"))
                cleaned_data["period"] = quarter(year, number)
        elif kind == ReportPeriodKind.ANNUAL:
            if not cleaned_data.get("year"):
                self.add_error("year", "Choisissez l’année du rapport.")
            else:
                year = int(cleaned_data["year"])
                cleaned_data["period"] = Period(
                    ReportPeriodKind.ANNUAL, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
                )
        elif kind == ReportPeriodKind.CUSTOM:
            cleaned_data["period"] = self._custom_period(cleaned_data)
        return cleaned_data

    def _custom_period(self, cleaned_data) -> Period | None:
        starts_on, ends_on = cleaned_data.get("starts_on"), cleaned_data.get("ends_on")
        for name, value in (("starts_on", starts_on), ("ends_on", ends_on)):
            if value is None and name not in self.errors:
                self.add_error(name, "Indiquez une date (jj/mm/aaaa).")
        if starts_on is None or ends_on is None:
            return None
        errors = period_errors(starts_on, ends_on, today=self.today)
        for name, message in errors:
            self.add_error(name, message)
        return None if errors else period_between(starts_on, ends_on)
