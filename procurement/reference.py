"""Reference data of the procurement app: the 45 CPV divisions and the groups, classes and categories most
relevant to ESS suppliers (`data/cpv.csv`, official French labels of the CPV 2008, codes without trailing
zeros nor check digit)."""

import csv
from pathlib import Path

from django.db import transaction

from procurement.cpv.models import CpvCode

CPV_FILE = Path(__file__).resolve().parent / "data" / "cpv.csv"


def cpv_rows() -> list[dict]:
    with CPV_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


@transaction.atomic
def load() -> int:
    """Create or update the CPV codes by code, then link each one to its longest listed prefix; returns created."""
    created = 0
    codes = {}
    for row in sorted(cpv_rows(), key=lambda row: row["code"]):
        cpv, is_new = CpvCode.objects.update_or_create(code=row["code"], defaults={"label": row["label"]})
        codes[cpv.code] = cpv
        created += is_new
    for code, cpv in codes.items():
        parent = next((codes[code[:n]] for n in range(len(code) - 1, 1, -1) if code[:n] in codes), None)
        if cpv.parent_id != (parent.pk if parent else None):
            cpv.parent = parent
            cpv.save(update_fields=["parent"])
    return created
