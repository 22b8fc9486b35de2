"""Periods of the indicator reports: quarters and years containing or preceding a date, the request form's
choices and its French validation."""

import datetime

import pytest

from programme.enums import ReportPeriodKind
from programme.report_forms import ReportRequestForm
from programme.reports import (
    Period,
    period_between,
    quarter_before,
    quarter_containing,
    year_before,
    year_containing,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "starts_on", "ends_on", "label"),
    [
        (D(2024, 1, 1), D(2024, 1, 1), D(2024, 3, 31), "1er trimestre 2024"),
        (D(2024, 5, 17), D(2024, 4, 1), D(2024, 6, 30), "2e trimestre 2024"),
        (D(2024, 9, 30), D(2024, 7, 1), D(2024, 9, 30), "3e trimestre 2024"),
        (D(2024, 12, 31), D(2024, 10, 1), D(2024, 12, 31), "4e trimestre 2024"),
    ],
)
def test_the_quarter_containing_a_day(day, starts_on, ends_on, label):
    period = quarter_containing(day)
    assert (period.kind, period.starts_on, period.ends_on, period.label) == (
        ReportPeriodKind.QUARTERLY,
        starts_on,
        ends_on,
        label,
    )


@pytest.mark.parametrize(
    ("day", "starts_on", "ends_on"),
    [
        (D(2024, 4, 1), D(2024, 1, 1), D(2024, 3, 31)),  # the day after the quarter ends
        (D(2024, 6, 30), D(2024, 1, 1), D(2024, 3, 31)),  # the 2nd quarter is not over yet
        (D(2024, 1, 1), D(2023, 10, 1), D(2023, 12, 31)),  # across the year
        (D(2024, 3, 1), D(2023, 10, 1), D(2023, 12, 31)),  # a leap year's February is inside
    ],
)
def test_the_quarter_before_a_day_is_the_last_one_over(day, starts_on, ends_on):
    assert (quarter_before(day).starts_on, quarter_before(day).ends_on) == (starts_on, ends_on)


def test_years_containing_and_before_a_day():
    assert year_containing(D(2024, 7, 14)) == Period(ReportPeriodKind.ANNUAL, D(2024, 1, 1), D(2024, 12, 31))
    assert year_before(D(2025, 1, 1)) == Period(ReportPeriodKind.ANNUAL, D(2024, 1, 1), D(2024, 12, 31))
    assert year_before(D(2025, 1, 1)).title == "Rapport annuel d’indicateurs – 2024"
    assert quarter_before(D(2024, 7, 1)).title == "Rapport trimestriel d’indicateurs – 2e trimestre 2024"


def test_two_dates_that_are_exactly_a_quarter_or_a_year_are_that_period():
    assert period_between(D(2024, 4, 1), D(2024, 6, 30)).kind == ReportPeriodKind.QUARTERLY
    assert period_between(D(2024, 1, 1), D(2024, 12, 31)).kind == ReportPeriodKind.ANNUAL
    chosen = period_between(D(2024, 2, 1), D(2024, 5, 15))
    assert chosen.kind == ReportPeriodKind.CUSTOM
    assert chosen.title == "Rapport d’indicateurs du 01/02/2024 au 15/05/2024"
    assert chosen.year == 2024


TODAY = D(2024, 8, 20)


def form(**data):
    request_form = ReportRequestForm(data, today=TODAY)
    request_form.is_valid()
    return request_form


def test_the_form_offers_the_quarters_and_years_over_since_2022_only():
    request_form = ReportRequestForm(today=TODAY)
    quarters = [value for value, _ in request_form.fields["quarter"].choices if value]
    assert quarters[0] == "2024-2" and quarters[-1] == "2022-1" and len(quarters) == 10
    assert [value for value, _ in request_form.fields["year"].choices if value] == ["2023", "2022"]


def test_a_quarter_a_year_or_two_dates_give_their_period():
    assert form(kind="quarterly", quarter="2024-2").cleaned_data["period"] == quarter_containing(D(2024, 5, 1))
    assert form(kind="annual", year="2023").cleaned_data["period"] == year_containing(D(2023, 5, 1))
    chosen = form(kind="custom", starts_on="2024-02-01", ends_on="2024-08-20")
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["period"] == Period(ReportPeriodKind.CUSTOM, D(2024, 2, 1), D(2024, 8, 20))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "quarterly"}, "quarter", "Choisissez le trimestre du rapport."),
        ({"kind": "quarterly", "quarter": "2024-3"}, "quarter", "Sélectionnez un choix valide."),
        ({"kind": "annual"}, "year", "Choisissez l’année du rapport."),
        ({"kind": "annual", "year": "2024"}, "year", "Sélectionnez un choix valide."),
        ({"kind": "custom", "ends_on": "2024-03-01"}, "starts_on", "Indiquez une date (jj/mm/aaaa)."),
        (
            {"kind": "custom", "starts_on": "2024-05-01", "ends_on": "2024-03-01"},
            "ends_on",
            "La date de fin doit être postérieure ou égale à la date de début.",
        ),
        (
            {"kind": "custom", "starts_on": "2021-12-31", "ends_on": "2024-03-01"},
            "starts_on",
            "Le rapport ne peut pas commencer avant le 01/01/2022, début du plan.",
        ),
        (
            {"kind": "custom", "starts_on": "2024-05-01", "ends_on": "2024-08-21"},
            "ends_on",
            "Le rapport ne peut pas aller au-delà d’aujourd’hui (20/08/2024).",
        ),
        ({}, "kind", "Ce champ est obligatoire."),
    ],
)
def test_invalid_periods_are_refused_with_a_french_message_next_to_the_field(data, field, message):
    request_form = form(**data)
    assert not request_form.is_valid()
    assert any(message.split("%")[0] in error for error in request_form.errors[field]), request_form.errors
