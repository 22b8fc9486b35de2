"""Reference data of the quadripartite app: the 4 signatory collectivities of the ESS convention (action 3.1), in
their rotation order, and the other partner bodies the plan names (CRESS, INAE, 3AR, PLIE, CMA, CCI)."""

import json
from pathlib import Path

from django.db import transaction

from quadripartite.models import Partner

PARTNERS_FILE = Path(__file__).resolve().parent / "data" / "partners.json"


@transaction.atomic
def load() -> int:
    """Create or update the partners by slug; returns how many were created."""
    created = 0
    for position, row in enumerate(json.loads(PARTNERS_FILE.read_text(encoding="utf-8")), start=1):
        _, is_new = Partner.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "kind": row["kind"],
                "is_signatory": row["is_signatory"],
                "rotation_order": row["rotation_order"],
                "position": position,
            },
        )
        created += is_new
    return created
