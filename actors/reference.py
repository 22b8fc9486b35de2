"""Reference data of the actors app: the 28 communes of Bordeaux Métropole (`data/communes.json`)."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from actors.models import Commune

COMMUNES_FILE = Path(__file__).resolve().parent / "data" / "communes.json"


def communes() -> list[dict]:
    """The 28 communes as stored in the data file (name, INSEE code, main postal code, centre)."""
    return json.loads(COMMUNES_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def load() -> int:
    """Create or update the communes by INSEE code; returns how many were created."""
    created = 0
    for row in communes():
        _, is_new = Commune.objects.update_or_create(
            insee_code=row["insee_code"],
            defaults={
                "name": row["name"],
                "slug": row["slug"],
                "latitude": Decimal(row["latitude"]),
                "longitude": Decimal(row["longitude"]),
            },
        )
        created += is_new
    return created
