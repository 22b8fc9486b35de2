"""Reference data of the programme app: the 2022–2026 action plan (axes, fiches, actions) from `data/plan.json`,
and the dated commitments of its calendars as milestones from `data/milestones.json`."""

import calendar
import datetime
import json
import re
from pathlib import Path

from django.db import transaction

from programme.models import Action, ActionSheet, Axis, Milestone

PLAN_FILE = Path(__file__).resolve().parent / "data" / "plan.json"
MILESTONES_FILE = Path(__file__).resolve().parent / "data" / "milestones.json"

# A period as the plan gives it: a year (2023), a quarter (2023-T1) or a span of years (2023-2024).
PERIOD = re.compile(r"(?P<year>\d{4})(?:-T(?P<quarter>[1-4])|-(?P<last_year>\d{4}))?")


def due_on(period: str) -> datetime.date:
    """The due date of a period of the plan: the last day of the year, of the quarter or of the span's last year."""
    match = PERIOD.fullmatch(period)
    if match is None:
        raise ValueError(f"Période du plan illisible : {period!r} (attendu AAAA, AAAA-T1…T4 ou AAAA-AAAA).")
    if match["quarter"]:
        year, month = int(match["year"]), 3 * int(match["quarter"])
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    return datetime.date(int(match["last_year"] or match["year"]), 12, 31)


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
    return created + load_milestones()


def load_milestones() -> int:
    """Create the plan's dated commitments missing by (action, title); returns how many were created. Existing ones
    are left alone: staff mark them done (and may correct a date) afterwards."""
    actions = {action.code: action for action in Action.objects.all()}
    created = 0
    for row in json.loads(MILESTONES_FILE.read_text(encoding="utf-8"))["milestones"]:
        _, is_new = Milestone.objects.get_or_create(
            action=actions[row["action"]],
            title=row["title"],
            is_plan_commitment=True,
            defaults={"due_on": due_on(row["period"])},
        )
        created += is_new
    return created
