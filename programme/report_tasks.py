from celery import shared_task

from programme import reports


@shared_task(name="programme.produce_periodic_reports", ignore_result=True)
def produce_periodic_reports() -> list[int]:
    """Daily (beat entry "produce-periodic-reports"): once a quarter or a year is over, request its indicator report
    (one per period, however often it runs) and e-mail the automatic reports produced but not yet sent."""
    return [report.pk for report in reports.produce_periodic_reports()]
