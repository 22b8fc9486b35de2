"""Files of actors built in memory for the import tests (CSV in several dialects, XLSX)."""

import codecs
import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.actors.factories import fictitious_siret

HEADER = [
    "Raison sociale",
    "N° SIRET",
    "Forme juridique",
    "Code INSEE",
    "Adresse",
    "Code postal",
    "Effectif (ETP)",
    "Année de création",
    "Site web",
    "Activité",
    "Filières",
]


def actor_row(number: int, **overrides) -> list:
    """A valid row for a fictitious actor; `overrides` keyed by the HEADER's field names below."""
    values = {
        "name": f"Structure importée {number}",
        "siret": fictitious_siret(500_000 + number),
        "legal_form": "Association",
        "commune": "33063",
        "address": f"{number} rue des Essais",
        "postal_code": "33000",
        "fte": "3,5",
        "founded_year": "2012",
        "website": "www.exemple.org",
        "description": "Recyclerie de quartier",
        "filieres": "Économie circulaire",
    }
    values.update(overrides)
    return list(values.values())


def csv_upload(rows, *, header=HEADER, delimiter=";", encoding="utf-8", bom=False, name="export-cress.csv"):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = output.getvalue().encode(encoding)
    if bom:
        data = codecs.BOM_UTF8 + data
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_upload(rows, *, header=HEADER, name="export-cress.xlsx"):
    return SimpleUploadedFile(
        name,
        xlsx_bytes(rows, header=header),
        content_type="application/vnd.ms-excel",  # the type is never trusted
    )
