"""The granted subsidies in the SCDL « subventions » 2.1.1 format (OpenDataFrance, schema.data.gouv.fr).

One row per beneficiary: each granted application whose agreement (convention) is signed. A row is published
as soon as `agreement_signed_on` is set; the law (décret 2017-779) asks for it within 3 months of the signature.
The year of a row is the year of its convention. The aids registered by other apps (`funding/aid_sources.py`: the
foncière's in-kind aid of discounted rents, one row per signed lease and calendar year of its days) follow, with
the nature « aide en nature ». The same rows feed the CSV (UTF-8, comma separator, as the
schema's own examples) and the JSON file.
"""

import json
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import Coalesce, ExtractYear

from funding.aid_sources import aid_sources
from funding.enums import PaymentConditions, StateAidRegime
from funding.models import Application

SCDL_VERSION = "2.1.1"
SCDL_SCHEMA_URL = "https://schema.data.gouv.fr/scdl/subventions/2.1.1/"
COLUMNS = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]
PAYMENT_CONDITIONS = {PaymentConditions.SINGLE: "unique", PaymentConditions.INSTALMENTS: "échelonné"}
# Aids granted under the EU block-exemption regulation (RGEC) are reported to the European Commission; aids that are
# not State aid, and de minimis aids, are exempt from it: « non ».
NOTIFIED_REGIMES = {StateAidRegime.BLOCK_EXEMPTION}


def published_applications():
    """Granted applications whose agreement is signed: the rows of the open-data file."""
    return Application.objects.filter(decision__is_approved=True, agreement_signed_on__isnull=False)


def _amount(value: Decimal) -> str:
    """Euros with a `.` decimal separator, no thousands separator, no useless zeros: 15000, 1234.5."""
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rows(year: int) -> Iterator[dict]:
    """The SCDL rows of the conventions signed in `year`, in the order of the columns (one query)."""
    applications = (
        published_applications()
        .filter(agreement_signed_on__year=year)
        .annotate(
            # The payment period: from the first to the last payment (made or scheduled).
            first_payment_on=Min(Coalesce("commitment__payments__paid_on", "commitment__payments__due_on")),
            last_payment_on=Max(Coalesce("commitment__payments__paid_on", "commitment__payments__due_on")),
        )
        .values(
            "pk",
            "title",
            "payment_conditions",
            "agreement_signed_on",
            "ends_on",
            "actor__name",
            "actor__siret",
            "actor__rna",
            "scheme__title",
            "scheme__state_aid_regime",
            "decision__deliberation_number",
            "decision__granted_amount",
            "first_payment_on",
            "last_payment_on",
        )
        .order_by("agreement_signed_on", "pk")
    )
    authority_name, authority_siret = settings.AUTHORITY_NAME, settings.AUTHORITY_SIRET
    for row in applications.iterator(chunk_size=2000):
        signed_on = row["agreement_signed_on"]
        # Without any payment yet, the period runs from the signature to the end of the project.
        period_start = row["first_payment_on"] or signed_on
        period_end = row["last_payment_on"] or max(row["ends_on"] or signed_on, period_start)
        yield {
            "nomAttribuant": authority_name,
            "idAttribuant": authority_siret,
            "dateConvention": signed_on.isoformat(),
            "referenceDecision": row["decision__deliberation_number"] or "",
            "nomBeneficiaire": row["actor__name"],
            "idBeneficiaire": row["actor__siret"] or "",
            "rnaBeneficiaire": row["actor__rna"] or "",
            "objet": row["title"],
            "montant": _amount(row["decision__granted_amount"]),
            "nature": "aide en numéraire",
            "conditionsVersement": PAYMENT_CONDITIONS.get(row["payment_conditions"], "unique"),
            "datesPeriodeVersement": f"{period_start.isoformat()}_{period_end.isoformat()}",
            "idRAE": "",
            "notificationUE": "oui" if row["scheme__state_aid_regime"] in NOTIFIED_REGIMES else "non",
            "pourcentageSubvention": "1",
            "dispositifAide": row["scheme__title"] or "",
        }


def in_kind_rows(year: int) -> Iterator[dict]:
    """The rows of the aids registered outside the grants workflow (funding/aid_sources.py), such as the in-kind aid
    of the foncière's discounted rents: nature « aide en nature », spread over the period (« échelonné »)."""
    authority_name, authority_siret = settings.AUTHORITY_NAME, settings.AUTHORITY_SIRET
    for source in aid_sources():
        for row in source.open_data_rows(year=year):
            yield {
                "nomAttribuant": authority_name,
                "idAttribuant": authority_siret,
                "dateConvention": row["date_convention"].isoformat(),
                "referenceDecision": row["reference_decision"] or "",
                "nomBeneficiaire": row["beneficiary_name"],
                "idBeneficiaire": row["beneficiary_siret"] or "",
                "rnaBeneficiaire": row["beneficiary_rna"] or "",
                "objet": row["purpose"],
                "montant": _amount(row["amount"]),
                "nature": "aide en nature",
                "conditionsVersement": "échelonné",
                "datesPeriodeVersement": f"{row['period_start'].isoformat()}_{row['period_end'].isoformat()}",
                "idRAE": "",
                "notificationUE": "non",
                "pourcentageSubvention": "1",
                "dispositifAide": row["scheme"] or "",
            }


def all_rows(year: int) -> Iterator[dict]:
    """The grants' rows, then the in-kind aids' rows: what the files hold."""
    yield from rows(year)
    yield from in_kind_rows(year)


def csv_rows(year: int) -> Iterator[list[str]]:
    """The header, then the rows: what the CSV writer streams."""
    yield COLUMNS
    for row in all_rows(year):
        yield [row[column] for column in COLUMNS]


def json_chunks(year: int) -> Iterator[str]:
    """The JSON file, streamed: `{"schema": …, "annee": …, "data": [ {…}, … ]}` with the same fields as the CSV."""
    yield json.dumps({"schema": SCDL_SCHEMA_URL, "version": SCDL_VERSION, "annee": year}, ensure_ascii=False)[:-1]
    yield ', "data": ['
    for index, row in enumerate(all_rows(year)):
        yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"


def counts_by_year() -> list[dict]:
    """Published rows and total per year of convention, summed in SQL; the registered aid sources' rows (in-kind
    aid…) added to their year."""
    counts = {
        row["year"]: row
        for row in published_applications()
        .annotate(year=ExtractYear("agreement_signed_on"))
        .values("year")
        .annotate(rows=Count("pk"), total=Sum("decision__granted_amount"))
    }
    for source in aid_sources():
        for extra in source.open_data_counts():
            row = counts.setdefault(extra["year"], {"year": extra["year"], "rows": 0, "total": Decimal("0.00")})
            row["rows"] += extra["rows"]
            row["total"] += extra["total"]
    return sorted(counts.values(), key=lambda row: -row["year"])
