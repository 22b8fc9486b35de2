"""The files of the share of ESS spend: the CSV of the purchases, and the spreadsheet of the report with one sheet per
breakdown (procurement/spend/report.py)."""

import io
from collections.abc import Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from procurement.enums import SiretMatch
from procurement.spend.report import SpendReport

EUROS = '#,##0.00" €"'
PERCENT = "0.0%"
NOTE_FILIERES = (
    "Une structure peut relever de plusieurs filières : chaque achat est compté une fois dans chaque filière de "
    "son fournisseur. Les lignes ne s’additionnent donc pas au total ESS."
)


PURCHASE_COLUMNS = [
    "Ligne du fichier",
    "SIRET (tel que fourni)",
    "Fournisseur (fichier)",
    "Rapprochement",
    "Structure de l’ESS",
    "Montant HT",
    "Date",
    "Direction acheteuse",
    "Code CPV",
    "SIAE",
    "EA / ESAT",
    "ESUS",
]


def purchase_rows(purchases) -> Iterator[list]:
    """The rows of a purchases export, read in chunks (constant memory)."""
    labels = dict(SiretMatch.choices)
    for purchase in (
        purchases.select_related("actor")
        .order_by("purchase_import", "row_number", "pk")
        .only(
            "row_number",
            "supplier_siret",
            "supplier_name",
            "siret_match",
            "actor__name",
            "amount",
            "purchased_on",
            "buying_direction",
            "cpv_code",
            "is_siae",
            "is_ea_esat",
            "is_esus",
        )
        .iterator(chunk_size=2000)
    ):
        yield [
            purchase.row_number,
            purchase.supplier_siret,
            purchase.supplier_name,
            labels.get(purchase.siret_match, purchase.siret_match),
            purchase.actor.name if purchase.actor else "",
            purchase.amount,
            purchase.purchased_on,
            purchase.buying_direction,
            purchase.cpv_code,
            purchase.is_siae,
            purchase.is_ea_esat,
            purchase.is_esus,
        ]


def purchases_csv_bytes(purchases) -> bytes:
    """The purchases export as bytes (UTF-8 with BOM, « ; »), e.g. the result file of the background job."""
    from ess_portal.exports import iter_csv

    return "".join(iter_csv(PURCHASE_COLUMNS, purchase_rows(purchases))).encode("utf-8")


def _cell(sheet, value, number_format: str = ""):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # openpyxl would store « =… » as a formula
    if number_format:
        cell.number_format = number_format
    return cell


def _euros(sheet, amount):
    return _cell(sheet, amount, EUROS)


def _percent(sheet, value: Decimal | None):
    return _cell(sheet, None if value is None else value / 100, PERCENT)


def _header(sheet, titles):
    row = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        row.append(cell)
    sheet.append(row)


def report_workbook(report: SpendReport) -> bytes:
    workbook = Workbook(write_only=True)
    summary = report.summary

    sheet = workbook.create_sheet("Synthèse")
    sheet.append([f"Part des achats auprès de l’ESS – {report.year}"])
    sheet.append(
        [
            f"Import en vigueur : {report.purchase_import.original_filename}, "
            f"{report.purchase_import.imported_at:%d/%m/%Y}"
        ]
    )
    _header(sheet, ["Indicateur", "Montant HT", "Part du total des achats", "Nombre d’achats"])
    for label, key in (
        ("Total des achats", "total"),
        ("Achats auprès de structures de l’ESS", "ess"),
        ("dont SIAE", "siae"),
        ("dont EA / ESAT", "ea_esat"),
        ("dont ESUS", "esus"),
        ("SIRET valide hors registre ESS", "unknown"),
        ("SIRET absent ou invalide", "malformed"),
    ):
        share = Decimal(100) if key == "total" and summary["total_amount"] else summary.get(f"{key}_share")
        count = summary.get(f"{key}_count")
        sheet.append([_cell(sheet, label), _euros(sheet, summary[f"{key}_amount"]), _percent(sheet, share), count])

    sheet = workbook.create_sheet("Par direction")
    _header(
        sheet,
        [
            "Direction acheteuse",
            "Total des achats",
            "Achats ESS",
            "Part ESS",
            "SIAE",
            "EA / ESAT",
            "ESUS",
            "Hors registre ou SIRET invalide",
            "Nombre d’achats",
        ],
    )
    for row in report.directions:
        sheet.append(
            [
                _cell(sheet, row["buying_direction"] or "Direction non renseignée"),
                _euros(sheet, row["total_amount"]),
                _euros(sheet, row["ess_amount"]),
                _percent(sheet, row["ess_share"]),
                _euros(sheet, row["siae_amount"]),
                _euros(sheet, row["ea_esat_amount"]),
                _euros(sheet, row["esus_amount"]),
                _euros(sheet, row["unknown_amount"] + row["malformed_amount"]),
                row["total_count"],
            ]
        )

    sheet = workbook.create_sheet("Par filière")
    sheet.append([NOTE_FILIERES])
    _header(
        sheet, ["Filière", "Achats ESS", "Part des achats ESS", "Part du total", "Nombre d’achats", "Fournisseurs"]
    )
    for row in report.filieres:
        sheet.append(
            [
                _cell(sheet, row["name"]),
                _euros(sheet, row["amount"]),
                _percent(sheet, row["share_of_ess"]),
                _percent(sheet, row["share_of_total"]),
                row["purchase_count"],
                row["supplier_count"],
            ]
        )

    sheet = workbook.create_sheet("Par commune")
    _header(
        sheet,
        [
            "Commune du fournisseur",
            "Achats ESS",
            "Part des achats ESS",
            "Part du total",
            "Nombre d’achats",
            "Fournisseurs",
        ],
    )
    for row in report.communes:
        sheet.append(
            [
                _cell(sheet, row["name"]),
                _euros(sheet, row["amount"]),
                _percent(sheet, row["share_of_ess"]),
                _percent(sheet, row["share_of_total"]),
                row["purchase_count"],
                row["supplier_count"],
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
