"""The foncière's indicators (action 2.3), computed from its leases and properties: structures hosted, surface let,
occupancy rate and in-kind aid, on leases that start or end within the year, in a leap year."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.asserts import assertContains

from actors.enums import LegalForm
from fonciere.aids import open_data_rows
from fonciere.enums import PropertyUse
from fonciere.pdf_jobs import occupancy
from programme.enums import ReportPeriodKind
from programme.indicators import COMPUTATIONS
from programme.models import Indicator, IndicatorTarget, Measurement
from programme.reports import request_indicator_report
from programme.services import refresh_computed_measurements
from tests.actors.factories import ActorFactory
from tests.fonciere.factories import LeaseFactory, PropertyFactory

D = datetime.date
NBSP = "\u00a0"
FONCIERE = ["fonciere_occupants", "fonciere_leased_surface", "fonciere_occupancy_rate", "fonciere_in_kind_aid"]


def computed(name, year):
    return {breakdown: (label, value) for breakdown, label, value in COMPUTATIONS[name].function(year)}


def totals(year):
    return {name: computed(name, year).get("", (None, None))[1] for name in FONCIERE}


@pytest.fixture
def leases(db):
    """Two properties (400 m² of offices, 600 m² of workshops) and, around 2024 (a leap year):
    - a SCOP's 100 m² from 1 June 2023 to 31 March 2024 (91 days of 2024), 40 € below the market;
    - an association's 250 m² from 1 July 2024, open-ended (184 days of 2024), 60 € below;
    - the same SCOP's 50 m² from 1 October 2024 to 30 September 2025 (92 days of 2024), rent free (100 €);
    - an unsigned lease for the whole of 2024 and a signed one starting in 2025, neither of which counts in 2024."""
    offices = PropertyFactory(surface=Decimal("400"), use=PropertyUse.OFFICES)
    workshops = PropertyFactory(surface=Decimal("600"), use=PropertyUse.ACTIVITY)
    scop = ActorFactory(legal_form=LegalForm.SCOP)
    association = ActorFactory(legal_form=LegalForm.ASSOCIATION)
    lease = {"rent": Decimal("80"), "market_rent": Decimal("120"), "signed_on": D(2023, 5, 2)}
    LeaseFactory(
        property=offices,
        occupant=scop,
        surface=Decimal("100"),
        starts_on=D(2023, 6, 1),
        ends_on=D(2024, 3, 31),
        **lease,
    )
    LeaseFactory(
        property=workshops,
        occupant=association,
        surface=Decimal("250"),
        starts_on=D(2024, 7, 1),
        ends_on=None,
        rent=Decimal("50"),
        market_rent=Decimal("110"),
        signed_on=D(2024, 6, 20),
    )
    LeaseFactory(
        property=workshops,
        occupant=scop,
        surface=Decimal("50"),
        starts_on=D(2024, 10, 1),
        ends_on=D(2025, 9, 30),
        rent=Decimal("0"),
        market_rent=Decimal("100"),
        signed_on=D(2024, 9, 1),
    )
    LeaseFactory(
        property=offices, surface=Decimal("200"), starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31), unsigned=True
    )
    LeaseFactory(property=offices, surface=Decimal("150"), starts_on=D(2025, 1, 1), ends_on=D(2025, 12, 31))
    return {"offices": offices, "workshops": workshops}


def test_structures_hosted_in_the_year_count_once_by_legal_form_and_only_under_a_signed_lease(leases):
    assert computed("fonciere_occupants", 2024) == {
        "": ("", Decimal("2.00")),
        "association": ("Association", Decimal("1.00")),
        "scop": ("Coopérative – SCOP", Decimal("1.00")),
    }
    assert computed("fonciere_occupants", 2023) == {
        "": ("", Decimal("1.00")),
        "scop": ("Coopérative – SCOP", Decimal("1.00")),
    }
    assert computed("fonciere_occupants", 2022) == {"": ("", Decimal("0.00"))}


def test_surface_and_occupancy_rate_are_those_of_31_december(leases):
    # On 31/12/2024 the SCOP's first lease has ended; the unsigned lease does not count.
    assert computed("fonciere_leased_surface", 2024) == {
        "": ("", Decimal("300.00")),
        "activite": ("locaux d’activité", Decimal("300.00")),
    }
    assert computed("fonciere_occupancy_rate", 2024) == {"": ("", Decimal("30.00"))}
    assert computed("fonciere_leased_surface", 2023) == {
        "": ("", Decimal("100.00")),
        "bureaux": ("bureaux", Decimal("100.00")),
    }
    # In 2023 only the offices were let: the workshops, entered in the register later, are not of that year.
    assert computed("fonciere_occupancy_rate", 2023) == {"": ("", Decimal("25.00"))}


def test_the_occupancy_rate_counts_the_properties_of_the_year_as_the_foncieres_yearly_report_does(leases):
    vacant = PropertyFactory(surface=Decimal("1000"))  # entered today, never let
    today = timezone.localdate()

    assert computed("fonciere_occupancy_rate", 2024) == {"": ("", Decimal("30.00"))}
    assert vacant.created_at.year == today.year
    # The current year counts it: the SCOP's leases have ended, the association's 250 m² of 2 000 m² go on.
    assert computed("fonciere_occupancy_rate", today.year) == {"": ("", Decimal("12.50"))}
    for year in (2023, 2024, today.year):
        assert computed("fonciere_occupancy_rate", year) == {"": ("", occupancy(year, today=today)["rate"])}


def test_the_occupancy_rate_is_rounded_to_one_decimal_and_absent_without_any_property(db):
    assert computed("fonciere_occupancy_rate", 2024) == {}
    LeaseFactory(property=PropertyFactory(surface=Decimal("300")), surface=Decimal("100"), starts_on=D(2024, 1, 1))

    assert computed("fonciere_occupancy_rate", 2024) == {"": ("", Decimal("33.30"))}


def test_in_kind_aid_counts_the_days_of_each_lease_in_the_year_over_366_days_in_a_leap_year(leases):
    # 40 × 100 × 91 / 366 = 994.54; 60 × 250 × 184 / 366 = 7 540.98; 100 × 50 × 92 / 366 = 1 256.83
    assert computed("fonciere_in_kind_aid", 2024) == {"": ("", Decimal("9792.35"))}
    # 2023 has 365 days: 40 × 100 × 214 / 365 = 2 345.21
    assert computed("fonciere_in_kind_aid", 2023) == {"": ("", Decimal("2345.21"))}


def test_in_kind_aid_equals_the_years_open_data_rows(leases):
    for year in (2023, 2024, 2025):
        published = sum((row["amount"] for row in open_data_rows(year=year)), Decimal("0.00"))
        assert computed("fonciere_in_kind_aid", year) == {"": ("", published)}


def test_the_current_year_counts_to_today_but_the_aid_counts_the_whole_year(leases, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: D(2024, 8, 15))

    # On 15 August the SCOP's rent-free lease has not started: its first lease, ended in March, still counts.
    assert totals(2024) == {
        "fonciere_occupants": Decimal("2.00"),
        "fonciere_leased_surface": Decimal("250.00"),
        "fonciere_occupancy_rate": Decimal("25.00"),
        "fonciere_in_kind_aid": Decimal("9792.35"),
    }
    # Nothing for a year to come.
    assert all(COMPUTATIONS[name].function(2025) == [] for name in FONCIERE)


@pytest.mark.parametrize("name", FONCIERE)
def test_each_computation_runs_one_query_whatever_the_number_of_leases(name, leases, django_assert_num_queries):
    with django_assert_num_queries(1):
        COMPUTATIONS[name].function(2024)
    for month in range(1, 13):
        LeaseFactory(property=leases["workshops"], surface=Decimal("10"), starts_on=D(2024, month, 1), ends_on=None)

    with django_assert_num_queries(1):
        COMPUTATIONS[name].function(2024)


def test_load_reference_ships_the_four_indicators_of_action_2_3_without_targets(reference_data):
    indicators = Indicator.objects.filter(action__code="2.3").order_by("position")

    assert [(indicator.code, indicator.computation, indicator.unit) for indicator in indicators] == [
        ("fonciere-structures-hebergees", "fonciere_occupants", "structures"),
        ("fonciere-surface-louee", "fonciere_leased_surface", "m²"),
        ("fonciere-taux-occupation", "fonciere_occupancy_rate", "%"),
        ("fonciere-aide-en-nature", "fonciere_in_kind_aid", "€"),
    ]
    assert not IndicatorTarget.objects.filter(indicator__in=indicators).exists()
    # They come after the indicators shipped before them, so that a database that had those keeps its order.
    assert indicators[0].position > Indicator.objects.exclude(action__code="2.3").order_by("-position")[0].position


def test_an_existing_database_gets_them_at_its_next_load_reference(reference_data):
    Indicator.objects.filter(action__code="2.3").delete()

    call_command("load_reference")

    assert Indicator.objects.filter(action__code="2.3", is_active=True).count() == 4


def test_the_indicator_list_shows_the_measurements_once_refreshed(client, staff_user, reference_data, leases):
    refresh_computed_measurements(2024)
    client.force_login(staff_user)

    response = client.get(reverse("programme:indicator_list"), {"annee": 2024})

    assertContains(response, "Structures de l’ESS hébergées par la foncière solidaire")
    assertContains(response, f"2{NBSP}structures")
    assertContains(response, f"300{NBSP}m²")
    assertContains(response, f"30{NBSP}%")
    assertContains(response, f"9{NBSP}792,35{NBSP}€")
    detail = client.get(reverse("programme:indicator_detail", args=["fonciere-surface-louee"]), {"annee": 2024})
    assertContains(detail, "locaux d’activité")
    assert Measurement.objects.filter(indicator__action__code="2.3", year=2024, breakdown="").count() == 4


def test_the_annual_report_job_computes_and_lists_them(
    django_capture_on_commit_callbacks, settings, tmp_path, staff_user, reference_data, leases
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        report = request_indicator_report(
            period_kind=ReportPeriodKind.ANNUAL, starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31), by=staff_user
        )
    report.refresh_from_db()

    with report.xlsx_file.open("rb") as handle:
        workbook = load_workbook(handle)
    values = {row[0]: row[4] for row in workbook["Indicateurs"].iter_rows(min_row=2, values_only=True)}
    workbook.close()
    assert {name: Decimal(str(values[name])) for name in values if "foncière" in name} == {
        "Structures de l’ESS hébergées par la foncière solidaire": Decimal("2"),
        "Surface mise à disposition par la foncière solidaire": Decimal("300"),
        "Taux d’occupation des biens de la foncière solidaire": Decimal("30"),
        "Aide en nature de la foncière solidaire": Decimal("9792.35"),
    }
