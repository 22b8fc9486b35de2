"""Reference data of the filières app: the 4 priority filières of action 1.1 and their segments."""

import json
from pathlib import Path

from django.db import transaction

from filieres.models import Filiere, Segment

FILIERES_FILE = Path(__file__).resolve().parent / "data" / "filieres.json"


@transaction.atomic
def load() -> int:
    """Create or update the filières by code and their segments by slug; returns how many rows were created."""
    created = 0
    for row in json.loads(FILIERES_FILE.read_text(encoding="utf-8")):
        filiere, is_new = Filiere.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "slug": row["slug"],
                "description": row["description"],
                "partner_directions": "\n".join(row["partner_directions"]),
            },
        )
        created += is_new
        for position, segment in enumerate(row["segments"], start=1):
            _, is_new = Segment.objects.update_or_create(
                filiere=filiere,
                slug=segment["slug"],
                defaults={"name": segment["name"], "position": position},
            )
            created += is_new
    return created
