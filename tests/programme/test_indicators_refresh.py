"""Computed measurements are upserted by the refresh; entered ones are validated; reference and demo definitions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from funding.enums import ApplicationStatus
from programme import indicators, tasks
from programme.demo_indicators import load_indicators_demo
from programme.enums import MeasurementSource
from programme.models import Indicator, IndicatorTarget, Measurement
from programme.services import record_measurement, refresh_computed_measurements, set_target
from tests.funding.factories import ApplicationFactory
from tests.programme.factories import IndicatorFactory, MeasurementFactory


def submitted_in(year: int, status=ApplicationStatus.SUBMITTED, count=1):
    when = timezone.make_aware(datetime.datetime(year, 5, 1, 10))
    return ApplicationFactory.create_batch(count, status=status, submitted_at=when)


def values(indicator, year):
    return dict(Measurement.objects.filter(indicator=indicator, year=year).values_list("breakdown", "value"))


def test_refresh_creates_then_updates_and_removes_breakdowns_no_longer_present(db):
    indicator = IndicatorFactory(computation="applications_by_state")
    submitted_in(2025, count=2)
    [in_review] = submitted_in(2025, ApplicationStatus.IN_REVIEW)

    result = refresh_computed_measurements(2025)

    assert (result.created, result.updated, result.deleted) == (3, 0, 0)
    assert values(indicator, 2025) == {"": Decimal("3"), "submitted": Decimal("2"), "in_review": Decimal("1")}
    assert set(Measurement.objects.values_list("source", flat=True)) == {MeasurementSource.COMPUTED}

    in_review.status = ApplicationStatus.APPROVED
    in_review.save()
    result = refresh_computed_measurements(2025)

    assert (result.created, result.updated, result.deleted, result.unchanged) == (1, 0, 1, 2)
    assert values(indicator, 2025) == {"": Decimal("3"), "submitted": Decimal("2"), "approved": Decimal("1")}


def test_a_refresh_that_finds_nothing_new_writes_no_history(db):
    indicator = IndicatorFactory(computation="applications_by_state")
    submitted_in(2025)
    refresh_computed_measurements(2025)
    history_before = Measurement.history.count()

    result = refresh_computed_measurements(2025)

    assert (result.created, result.updated, result.deleted, result.unchanged) == (0, 0, 0, 2)
    assert Measurement.history.count() == history_before
    submitted_in(2025)
    refresh_computed_measurements(2025)
    assert values(indicator, 2025)[""] == Decimal("2")
    assert Measurement.history.filter(indicator_id=indicator.pk, breakdown="", history_type="~").count() == 1


def test_refresh_leaves_entered_indicators_other_years_and_inactive_ones_alone(db):
    entered = MeasurementFactory(year=2025, value=Decimal("7"))
    computed = IndicatorFactory(computation="applications_by_state")
    inactive = IndicatorFactory(computation="applications_by_state", is_active=False)
    other_year = MeasurementFactory(indicator=computed, year=2024, source=MeasurementSource.COMPUTED, value=5)

    refresh_computed_measurements(2025)

    entered.refresh_from_db()
    other_year.refresh_from_db()
    assert (entered.value, entered.source) == (Decimal("7"), MeasurementSource.ENTERED)
    assert other_year.value == Decimal("5")
    assert values(computed, 2025) == {"": Decimal("0")}
    assert values(inactive, 2025) == {}


def test_refresh_of_one_indicator_touches_only_that_one(db):
    chosen = IndicatorFactory(computation="supported_actors")
    other = IndicatorFactory(computation="insertion_hours")

    refresh_computed_measurements(2025, indicators=[chosen])

    assert values(chosen, 2025) == {"": Decimal("0")}
    assert values(other, 2025) == {}


def test_refresh_is_all_or_nothing(db, monkeypatch):
    first = IndicatorFactory(computation="supported_actors", position=1)
    IndicatorFactory(computation="insertion_hours", position=2)

    def broken(year):
        raise RuntimeError("base indisponible")

    monkeypatch.setitem(indicators.COMPUTATIONS, "insertion_hours", indicators.Computation("Heures", broken))
    with pytest.raises(RuntimeError):
        refresh_computed_measurements(2025)

    assert values(first, 2025) == {}


def test_the_nightly_task_refreshes_the_current_and_the_previous_year(db):
    indicator = IndicatorFactory(computation="applications_by_state")
    this_year = timezone.localdate().year
    submitted_in(this_year - 1)
    submitted_in(this_year - 2)

    tasks.refresh_indicators.delay()

    assert set(Measurement.objects.filter(indicator=indicator).values_list("year", flat=True)) == {
        this_year,
        this_year - 1,
    }
    assert values(indicator, this_year - 1)[""] == Decimal("1")


def test_staff_enter_then_correct_a_measurement_and_both_values_stay_in_the_history(db, staff_user):
    indicator = IndicatorFactory()

    record_measurement(indicator=indicator, year=2025, value=Decimal("40"), by=staff_user, comment="Bilan provisoire")
    measurement = record_measurement(indicator=indicator, year=2025, value=Decimal("42"), by=staff_user)

    assert Measurement.objects.filter(indicator=indicator).count() == 1
    assert (measurement.value, measurement.source, measurement.entered_by) == (
        Decimal("42"),
        MeasurementSource.ENTERED,
        staff_user,
    )
    assert [record.value for record in measurement.history.order_by("history_date")] == [Decimal("40"), Decimal("42")]


def test_a_breakdown_is_named_by_its_label(db, staff_user):
    indicator = IndicatorFactory()

    measurement = record_measurement(
        indicator=indicator, year=2025, value=Decimal("14"), by=staff_user, breakdown_label="Logistique zéro carbone"
    )

    assert measurement.breakdown == "logistique-zero-carbone"
    assert measurement.breakdown_label == "Logistique zéro carbone"


@pytest.mark.parametrize(
    ("year", "value", "message"),
    [
        (2021, "1", "L’année doit être comprise entre 2022 et 2030."),
        (2031, "1", "L’année doit être comprise entre 2022 et 2030."),
        (2025, "-1", "La valeur ne peut pas être négative."),
    ],
)
def test_entries_outside_the_plan_years_or_negative_are_refused(db, staff_user, year, value, message):
    with pytest.raises(ValidationError) as error:
        record_measurement(indicator=IndicatorFactory(), year=year, value=Decimal(value), by=staff_user)

    assert message in str(error.value)
    assert not Measurement.objects.exists()


def test_no_entry_on_a_computed_indicator(db, staff_user):
    indicator = IndicatorFactory(computation="supported_actors")

    with pytest.raises(ValidationError, match="calculé par le portail"):
        record_measurement(indicator=indicator, year=2025, value=Decimal("3"), by=staff_user)

    assert not Measurement.objects.exists()


def test_a_target_is_set_replaced_and_removed(db):
    indicator = IndicatorFactory()

    set_target(indicator=indicator, year=2025, value=Decimal("10"))
    set_target(indicator=indicator, year=2025, value=Decimal("12"))
    assert list(indicator.targets.values_list("year", "value")) == [(2025, Decimal("12"))]

    set_target(indicator=indicator, year=2025, value=None)
    assert not indicator.targets.exists()
    with pytest.raises(ValidationError):
        set_target(indicator=indicator, year=2025, value=Decimal("-1"))


def test_for_year_gives_the_target_and_the_total_whatever_the_breakdowns(db):
    indicator = IndicatorFactory()
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=Decimal("80"))
    MeasurementFactory(indicator=indicator, year=2025, value=Decimal("71"))
    MeasurementFactory(indicator=indicator, year=2025, breakdown="economie-circulaire", value=Decimal("26"))

    row = Indicator.objects.active().for_year(2025).get(pk=indicator.pk)

    assert (Decimal(row.target), Decimal(row.value)) == (Decimal("80"), Decimal("71"))


def test_load_reference_ships_the_plan_indicators_once_and_keeps_staff_edits(db):
    call_command("load_reference")
    indicators = {indicator.code: indicator for indicator in Indicator.objects.select_related("action")}

    assert 10 <= len(indicators) <= 18
    assert {indicator.kind for indicator in indicators.values()} == {"activity", "result", "impact"}
    assert indicators["heures-insertion"].computation == "insertion_hours"
    assert indicators["heures-insertion"].action.code == "2.4"
    assert indicators["emplois-crees"].computation == ""
    Indicator.objects.filter(code="emplois-crees").update(name="Emplois créés (définition du service)")

    call_command("load_reference")

    assert Indicator.objects.count() == len(indicators)
    assert Indicator.objects.get(code="emplois-crees").name == "Emplois créés (définition du service)"


def test_demo_indicators_have_targets_2023_to_2026_entered_and_computed_measurements(db, reference_data, staff_user):
    load_indicators_demo(staff=staff_user)
    load_indicators_demo(staff=staff_user)

    assert set(IndicatorTarget.objects.values_list("year", flat=True)) == {2023, 2024, 2025, 2026}
    # The foncière's indicators (action 2.3) have no target: the plan sets none, and the demo invents none.
    assert IndicatorTarget.objects.count() == 4 * Indicator.objects.exclude(action__code="2.3").count()
    assert Measurement.objects.filter(source=MeasurementSource.ENTERED, entered_by=staff_user).exists()
    this_year = timezone.localdate().year
    # No decision, no property: no average delay and no occupancy rate (of nothing) in this test's data.
    computed = Indicator.objects.exclude(computation="").exclude(
        computation__in=["average_instruction_days", "fonciere_occupancy_rate"]
    )
    assert Measurement.objects.filter(indicator__in=computed, year=this_year, breakdown="").count() == computed.count()
