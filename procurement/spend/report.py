"""The report of the share of ESS spend: the figures of a year's import in force, by direction, filière and
commune (every sum computed in SQL)."""

from dataclasses import dataclass
from decimal import Decimal

from ess_portal.formatting import percentage
from procurement.spend.models import Purchase, PurchaseImport

CENT = Decimal("0.01")


@dataclass
class SpendReport:
    """The figures of a year's import in force: what a SPASER report needs. Every sum is computed in SQL."""

    year: int
    purchase_import: PurchaseImport
    summary: dict
    directions: list[dict]
    filieres: list[dict]
    communes: list[dict]


def _with_shares(row: dict, total) -> dict:
    """Adds the percentages of a row of totals: ESS and each kind in its own total, and in the year's total."""
    row = {
        key: value.quantize(CENT) if key.endswith("_amount") and value is not None else value
        for key, value in row.items()
    }
    for key in ("ess", "siae", "ea_esat", "esus", "unknown", "malformed"):
        if f"{key}_amount" in row:
            row[f"{key}_share"] = percentage(row[f"{key}_amount"], row["total_amount"])
    row["share_of_year"] = percentage(row["total_amount"], total)
    return row


def spend_report(year: int) -> SpendReport | None:
    """The report of `year`, or None when no file was imported for it."""
    from filieres.models import Filiere

    purchase_import = PurchaseImport.objects.current().with_people().filter(year=year).first()
    if purchase_import is None:
        return None
    purchases = Purchase.objects.filter(purchase_import=purchase_import)
    summary = _with_shares(purchases.summary(), None)
    total = summary["total_amount"]
    ess_total = summary["ess_amount"]
    directions = [_with_shares(row, total) for row in purchases.by_direction()]

    by_filiere = {row["actor__filieres__id"]: row for row in purchases.by_filiere()}
    filieres = []
    for filiere in Filiere.objects.order_by("code"):
        row = by_filiere.get(filiere.pk, {})
        filieres.append(_filiere_row(filiere.name, row, total, ess_total))
    if None in by_filiere:
        filieres.append(_filiere_row("Sans filière renseignée", by_filiere[None], total, ess_total))

    communes = [
        {
            "name": row["actor__commune__name"],
            "amount": row["amount"].quantize(CENT),
            "purchase_count": row["purchase_count"],
            "supplier_count": row["supplier_count"],
            "share_of_ess": percentage(row["amount"], ess_total),
            "share_of_total": percentage(row["amount"], total),
        }
        for row in purchases.by_supplier_commune()
    ]
    return SpendReport(year, purchase_import, summary, directions, filieres, communes)


def _filiere_row(name: str, row: dict, total, ess_total) -> dict:
    amount = (row.get("amount") or Decimal("0.00")).quantize(CENT)
    return {
        "name": name,
        "amount": amount,
        "purchase_count": row.get("purchase_count", 0),
        "supplier_count": row.get("supplier_count", 0),
        "share_of_ess": percentage(amount, ess_total),
        "share_of_total": percentage(amount, total),
    }


def year_summaries():
    """One row per year with an import in force: its totals and ESS share (one grouped query)."""
    rows = (
        Purchase.objects.filter(purchase_import__is_current=True)
        .values("purchase_import__year")
        .annotate(**Purchase.objects.spend_totals())
        .order_by("-purchase_import__year")
    )
    return [{"year": row["purchase_import__year"], **_with_shares(row, None)} for row in rows]
