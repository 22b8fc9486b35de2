"""Open data: the granted subsidies in the SCDL « subventions » format, for anyone, by year of convention."""

import csv

from django.contrib.auth.decorators import login_not_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from funding import opendata


class _Echo:
    """A file-like object whose `write` hands the line back, so csv.writer feeds a generator."""

    def write(self, value):
        return value


def _selected_year(request, years: list[int]) -> int | None:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        return years[0] if years else None
    return year


@login_not_required
@require_GET
def subsidies(request):
    """The page that explains the dataset, with its files for each year."""
    years = opendata.counts_by_year()
    year = _selected_year(request, [row["year"] for row in years])
    return render(
        request,
        "funding/opendata_subsidies.html",
        {
            "years": years,
            "year": year,
            "selected": next((row for row in years if row["year"] == year), None),
            "columns": opendata.COLUMNS,
            "schema_url": opendata.SCDL_SCHEMA_URL,
            "schema_version": opendata.SCDL_VERSION,
        },
    )


@login_not_required
@require_GET
def subsidies_csv(request, year):
    """UTF-8 without BOM, comma separator, one header line: the SCDL file as validators expect it."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    response = StreamingHttpResponse(
        (writer.writerow(row).encode("utf-8") for row in opendata.csv_rows(year)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"subventions-{year}.csv")
    return response


@login_not_required
@require_GET
def subsidies_json(request, year):
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in opendata.json_chunks(year)), content_type="application/json"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"subventions-{year}.json")
    return response
