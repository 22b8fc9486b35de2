"""Reference definitions of the plan's indicators, from `data/indicators.json`, for `manage.py load_reference`."""

import json
from pathlib import Path

from django.db import transaction

from programme.indicators import COMPUTATIONS
from programme.models import Action, Indicator

INDICATORS_FILE = Path(__file__).resolve().parent / "data" / "indicators.json"


@transaction.atomic
def load() -> int:
    """Create the indicators missing by code; returns how many were created.

    Unlike the plan's texts, an existing indicator is left as it is: once shipped, its definition belongs to the
    ESS service, who edits it on the portal, and `load_reference` runs at every start of the application."""
    actions = dict(Action.objects.values_list("code", "pk"))
    created = 0
    for position, row in enumerate(json.loads(INDICATORS_FILE.read_text(encoding="utf-8"))["indicators"], start=1):
        if row["computation"] and row["computation"] not in COMPUTATIONS:
            raise ValueError(f"{INDICATORS_FILE.name}: unknown computation {row['computation']!r} for {row['code']}")
        _, is_new = Indicator.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "unit": row["unit"],
                "description": row["description"],
                "computation": row["computation"],
                "action_id": actions.get(row["action"]) if row["action"] else None,
                "position": position * 10,
            },
        )
        created += is_new
    return created
