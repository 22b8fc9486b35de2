"""Reference data of the programme app: the 2022–2026 action plan (axes, fiches, actions) from `data/plan.json`."""

import json
from pathlib import Path

from django.db import transaction

from programme.models import Action, ActionSheet, Axis

PLAN_FILE = Path(__file__).resolve().parent / "data" / "plan.json"


@transaction.atomic
def load() -> int:
    """Create or update axes by number, fiches by number and actions by code; returns how many rows were created."""
    created = 0
    position = 0
    for axis_row in json.loads(PLAN_FILE.read_text(encoding="utf-8"))["axes"]:
        axis, is_new = Axis.objects.update_or_create(number=axis_row["number"], defaults={"title": axis_row["title"]})
        created += is_new
        sheet_row = axis_row["sheet"]
        sheet, is_new = ActionSheet.objects.update_or_create(
            number=sheet_row["number"],
            defaults={
                "axis": axis,
                "title": sheet_row["title"],
                "objectives": "\n".join(sheet_row["objectives"]),
                "expected_results": "\n".join(sheet_row["expected_results"]),
            },
        )
        created += is_new
        actions_by_code = {}
        for action_row in axis_row["actions"]:
            position += 1
            action, is_new = Action.objects.update_or_create(
                code=action_row["code"],
                defaults={
                    "sheet": sheet,
                    # Parents come before their sub-actions in the data file.
                    "parent": actions_by_code[action_row["parent"]] if "parent" in action_row else None,
                    "title": action_row["title"],
                    "objectives": action_row["objectives"],
                    "modalities": "\n".join(action_row["modalities"]),
                    "calendar": "\n".join(action_row["calendar"]),
                    "position": position,
                },
            )
            actions_by_code[action.code] = action
            created += is_new
    return created
