"""The foncière solidaire's yearly report to the council in PDF, produced by a background job on the "reports" queue.

- `fonciere_annual_report` (parameters: `year`): the properties with their occupancy on 31 December (today for the
  current year), the signed leases in force during the year (rent against market rent), the in-kind aid of the year
  per occupant and in total, and the Métropole's capitalisation instalments of the year with their commitments and
  payments.

Registered when the fonciere app is ready (fonciere/apps.py). The handler only reads the database: running it twice
gives the same file.
"""

import datetime

from django.core.files.base import ContentFile
from django.db.models import Sum
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from ess_portal.formatting import percentage
from ess_portal.jobs.enums import JobKind
from ess_portal.jobs.registry import JobFailed, register
from ess_portal.jobs.services import request_job
from ess_portal.pdf import render_pdf
from fonciere.models import ZERO, Capitalisation, Lease, Property, days_in_year

ANNUAL_REPORT_TEMPLATE = "fonciere/pdf/annual_report.html"


def request_annual_report(*, year: int, by, form_key: str):
    """One job per displayed form and year: a double click on the button gives back the same job."""
    return request_job(
        kind=JobKind.FONCIERE_ANNUAL_REPORT,
        parameters={"year": year},
        requested_by=by,
        idempotency_key=f"{JobKind.FONCIERE_ANNUAL_REPORT}:{year}:{by.pk}:{form_key}",
    )


def report_years(*, today: datetime.date | None = None) -> list[int]:
    """The years a report can be asked for, most recent first: from the year of the first lease or capitalisation
    instalment to the current year (one query)."""
    current = (today or timezone.localdate()).year
    first = (
        Lease.objects.order_by()
        .values_list("starts_on", flat=True)
        .union(Capitalisation.objects.order_by().values_list("paid_on", flat=True))
        .order_by("starts_on")
        .first()
    )
    start = min(first.year, current) if first else current
    return list(range(current, start - 1, -1))


def _two_places(value):
    # Sums computed by SQLite come back without their two decimals; an empty sum is None.
    return ZERO if value is None else value.quantize(ZERO)


def occupancy(year: int, *, today: datetime.date) -> dict:
    """The properties of the year (in the register by its end, or let during it) with their occupancy on 31 December,
    or today for the current year, and their totals in SQL."""
    end = datetime.date(year, 12, 31)
    on = today if year == today.year else end
    of_the_year = Property.objects.of_the_year(year)
    properties = list(of_the_year.with_occupancy(on=on).select_related("commune").order_by("name", "pk"))
    surface = of_the_year.aggregate(total=Sum("surface"))["total"]
    occupied = (
        Lease.objects.signed().active_on(on).filter(property__in=of_the_year).aggregate(total=Sum("surface"))["total"]
    )
    surface, occupied = _two_places(surface), _two_places(occupied)
    return {
        "on": on,
        "properties": properties,
        "surface": surface,
        "occupied": occupied,
        "vacant": surface - occupied,
        "rate": percentage(occupied, surface),
    }


def in_kind_aid(year: int) -> dict:
    """The signed leases in force during the year, each with its in-kind aid of the year, the aid per occupant and
    the total (the current year counted to the lease's end or to 31 December, as in the open data)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    leases = (
        Lease.objects.signed()
        .overlapping(start, end)
        .select_related("occupant", "property__commune")
        .order_by("property__name", "starts_on", "pk")
    )
    rows = [{"lease": lease, "aid": lease.in_kind_aid_between(start, end)} for lease in leases]
    by_occupant = [row for row in leases.in_kind_aid_by_occupant_and_year() if row["year"] == year]
    total = next((row["amount"] for row in leases.in_kind_aid_by_year() if row["year"] == year), ZERO)
    return {
        "leases": rows,
        "by_occupant": by_occupant,
        "total": total,
    }


def capitalisation(year: int) -> dict:
    """The capitalisation instalments of the year with their commitment and payments, the year's total and the
    capital brought by the Métropole up to 31 December."""
    instalments = Capitalisation.objects.filter(paid_on__year=year)
    totals = instalments.aggregate(amount=Sum("amount"), paid=Sum("commitment__paid_amount"))
    to_date = Capitalisation.objects.filter(paid_on__lte=datetime.date(year, 12, 31)).aggregate(total=Sum("amount"))
    return {
        "instalments": list(
            instalments.select_related("commitment__budget_line")
            .prefetch_related("commitment__payments")
            .order_by("paid_on", "pk")
        ),
        "total": _two_places(totals["amount"]),
        "paid": _two_places(totals["paid"]),
        "to_date": _two_places(to_date["total"]),
    }


def annual_report_context(year: int, *, today: datetime.date) -> dict:
    properties = occupancy(year, today=today)
    aid = in_kind_aid(year)
    capital = capitalisation(year)
    return {
        "year": year,
        "is_current_year": year == today.year,
        "days_in_year": days_in_year(year),
        "occupancy": properties,
        "aid": aid,
        "capitalisation": capital,
        "is_empty": not (properties["properties"] or aid["leases"] or capital["instalments"]),
        "generated_on": today,
    }


def _year(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise JobFailed(
            "L’année demandée n’est pas valide : le rapport annuel de la foncière ne peut pas être produit."
        )
    return value


@register(JobKind.FONCIERE_ANNUAL_REPORT, queue="reports")
def build_annual_report(job) -> ContentFile:
    year = _year(job.parameters.get("year"))
    job.set_progress(20, "Rassemblement des biens, des baux et de la capitalisation")
    context = annual_report_context(year, today=timezone.localdate())
    job.set_progress(50, "Mise en page du rapport annuel")
    try:
        pdf = render_pdf(ANNUAL_REPORT_TEMPLATE, context)
    except (TemplateDoesNotExist, TemplateSyntaxError) as error:
        raise JobFailed(
            "Le modèle du document est introuvable ou invalide : le PDF n’a pas pu être produit. "
            "L’équipe technique doit corriger le modèle ; vous pourrez ensuite relancer la tâche."
        ) from error
    return ContentFile(pdf, name=f"rapport-annuel-fonciere-solidaire-{year}.pdf")
