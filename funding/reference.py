"""Reference data of the funding app: the budget lines of the plan's three budget tables, 2022–2026."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from funding.models import BudgetLine

BUDGET_FILE = Path(__file__).resolve().parent / "data" / "budget.json"
# The plan's 2022 amounts were voted with it; later years are its projection until staff record the vote.
PROJECTED_FROM = 2023


def amount_for_year(amounts: dict[str, str], year: int) -> Decimal:
    """The plan gives an amount "from year N on": the latest key not after `year` applies."""
    applicable = [int(start) for start in amounts if int(start) <= year]
    return Decimal(amounts[str(max(applicable))])


def budget_lines() -> list[dict]:
    """Every (year, line) of the plan, with its projected amount as a Decimal."""
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
                    "projected_amount": amount_for_year(line["amounts"], year),
                    "position": position,
                }
            )
    return rows


@transaction.atomic
def load() -> int:
    """Create or update the budget lines by (year, code); returns how many were created. The plan's figure is the
    projected amount; it is also the ceiling of a line whose vote is not recorded, never of a voted one (staff own
    the voted and amended amounts)."""
    created = 0
    for row in budget_lines():
        year, code = row.pop("year"), row.pop("code")
        line = BudgetLine.objects.filter(year=year, code=code).first()
        if line is None:
            BudgetLine.objects.create(
                year=year, code=code, voted_amount=row["projected_amount"], is_voted=year < PROJECTED_FROM, **row
            )
            created += 1
            continue
        for field, value in row.items():
            setattr(line, field, value)
        if not line.is_voted:
            line.voted_amount = line.projected_amount
        line.save()
    return created
