"""Reference data of the funding app: the budget lines of the plan's three budget tables, 2022–2026."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from funding.models import BudgetLine

BUDGET_FILE = Path(__file__).resolve().parent / "data" / "budget.json"


def amount_for_year(amounts: dict[str, str], year: int) -> Decimal:
    """The plan gives an amount "from year N on": the latest key not after `year` applies."""
    applicable = [int(start) for start in amounts if int(start) <= year]
    return Decimal(amounts[str(max(applicable))])


def budget_lines() -> list[dict]:
    """Every (year, line) of the plan, with its voted amount as a Decimal."""
    data = json.loads(BUDGET_FILE.read_text(encoding="utf-8"))
    rows = []
    for year in data["years"]:
        for position, line in enumerate(data["lines"], start=1):
            rows.append(
                {
                    "year": year,
                    "code": line["code"],
                    "section": line["section"],
                    "is_in_plan": line["is_in_plan"],
                    "label": line["label"],
                    "voted_amount": amount_for_year(line["amounts"], year),
                    "position": position,
                }
            )
    return rows


@transaction.atomic
def load() -> int:
    """Create or update the budget lines by (year, code); returns how many were created."""
    created = 0
    for row in budget_lines():
        _, is_new = BudgetLine.objects.update_or_create(year=row.pop("year"), code=row.pop("code"), defaults=row)
        created += is_new
    return created
