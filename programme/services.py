"""Writes of the programme app: indicator definitions, targets and measurements (entered or computed)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from programme.enums import MeasurementSource
from programme.indicators import COMPUTATIONS
from programme.models import Indicator, IndicatorTarget, Measurement

# The years the plan's indicators can be measured or targeted for (the plan runs 2022–2026, its evaluation after).
FIRST_YEAR = 2022
LAST_YEAR = 2030


def validate_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {"year": f"L’année doit être comprise entre {FIRST_YEAR} et {LAST_YEAR}."}, code="year_out_of_range"
        )


def validate_value(value: Decimal, *, field: str = "value") -> None:
    if value < 0:
        raise ValidationError({field: "La valeur ne peut pas être négative."}, code="negative_value")


@dataclass
class RefreshResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@transaction.atomic
def refresh_computed_measurements(
    year: int | None = None, *, indicators: list[Indicator] | None = None
) -> RefreshResult:
    """Compute the measurements of the computed indicators (all active ones, or `indicators`) for `year` (the
    current one by default) and store them: new breakdowns are created, changed values updated, breakdowns no
    longer present deleted, all in one transaction. Unchanged rows are left alone, so the history of a measurement
    records only real changes; `measured_on` is the day its value was last found to change."""
    year = year or timezone.localdate().year
    today = timezone.localdate()
    if indicators is None:
        indicators = list(Indicator.objects.active().exclude(computation=""))
    indicators = [indicator for indicator in indicators if indicator.computation in COMPUTATIONS]
    result = RefreshResult()
    existing = {}
    for measurement in Measurement.objects.filter(indicator__in=indicators, year=year).select_for_update():
        existing[(measurement.indicator_id, measurement.breakdown)] = measurement
    for indicator in indicators:
        for breakdown, label, value in COMPUTATIONS[indicator.computation].function(year):
            measurement = existing.pop((indicator.pk, breakdown), None)
            if measurement is None:
                Measurement.objects.create(
                    indicator=indicator,
                    year=year,
                    breakdown=breakdown,
                    breakdown_label=label,
                    value=value,
                    source=MeasurementSource.COMPUTED,
                    measured_on=today,
                )
                result.created += 1
            elif (measurement.value, measurement.breakdown_label, measurement.source) != (
                value,
                label,
                MeasurementSource.COMPUTED,
            ):
                measurement.value, measurement.breakdown_label = value, label
                measurement.source, measurement.measured_on = MeasurementSource.COMPUTED, today
                measurement.entered_by, measurement.comment = None, ""
                measurement.save()
                result.updated += 1
            else:
                result.unchanged += 1
    for stale in existing.values():
        # A breakdown that is no longer in the data (e.g. no application left in that state).
        stale.delete()
        result.deleted += 1
    return result


@transaction.atomic
def record_measurement(
    *,
    indicator: Indicator,
    year: int,
    value: Decimal,
    by,
    breakdown_label: str = "",
    measured_on: datetime.date | None = None,
    comment: str = "",
) -> Measurement:
    """Enter (or correct) the measurement of an entered indicator for a year, as a total (`breakdown_label`
    empty) or for one part named by `breakdown_label`. Refused on computed indicators: the portal writes those."""
    if indicator.is_computed:
        raise ValidationError(
            "Cet indicateur est calculé par le portail : ses mesures ne se saisissent pas, utilisez « Recalculer "
            "maintenant ».",
            code="computed_indicator",
        )
    validate_year(year)
    validate_value(value)
    breakdown_label = breakdown_label.strip()
    breakdown = slugify(breakdown_label)[:60]
    if breakdown_label and not breakdown:
        raise ValidationError({"breakdown_label": "Ce libellé de ventilation ne contient aucune lettre ni chiffre."})
    measurement, _ = Measurement.objects.update_or_create(
        indicator=indicator,
        year=year,
        breakdown=breakdown,
        defaults={
            "breakdown_label": breakdown_label,
            "value": value,
            "source": MeasurementSource.ENTERED,
            "measured_on": measured_on or timezone.localdate(),
            "comment": comment,
            "entered_by": by,
        },
    )
    return measurement


@transaction.atomic
def set_target(*, indicator: Indicator, year: int, value: Decimal | None) -> IndicatorTarget | None:
    """Set the yearly target of an indicator, or remove it when `value` is None."""
    validate_year(year)
    if value is None:
        IndicatorTarget.objects.filter(indicator=indicator, year=year).delete()
        return None
    validate_value(value)
    target, _ = IndicatorTarget.objects.update_or_create(indicator=indicator, year=year, defaults={"value": value})
    return target
