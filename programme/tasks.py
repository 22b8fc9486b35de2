from celery import shared_task
from django.utils import timezone

from programme.services import refresh_computed_measurements


@shared_task(name="programme.refresh_indicators", ignore_result=True)
def refresh_indicators() -> dict[int, dict]:
    """Nightly (beat entry "refresh-indicators"): recompute the computed indicators of the current year and of the
    previous one (late decisions and insertion hours reported after the year's end still change it)."""
    year = timezone.localdate().year
    return {y: vars(refresh_computed_measurements(y)) for y in (year - 1, year)}
