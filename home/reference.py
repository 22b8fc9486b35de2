"""The reference data of the 2022–2026 plan, which every app ships (`<app>/reference.py`), loaded in one go."""

from django.db import transaction

from actors import reference as actors_reference
from filieres import reference as filieres_reference
from funding import reference as funding_reference
from procurement import reference as procurement_reference
from programme import indicator_reference
from programme import reference as programme_reference
from quadripartite import reference as quadripartite_reference

# Order matters only for readability of the output: no loader depends on another one's rows.
LOADERS = [
    ("communes", actors_reference.load),
    ("filières et segments", filieres_reference.load),
    ("partenaires de la convention quadripartite", quadripartite_reference.load),
    ("plan d’actions (axes, fiches, actions, jalons datés)", programme_reference.load),
    ("indicateurs du plan", indicator_reference.load),  # after the plan: indicators point to its actions
    ("lignes budgétaires 2022–2026", funding_reference.load),
    ("codes CPV (divisions et groupes utiles à l’ESS)", procurement_reference.load),
]


def load_reference() -> dict[str, int]:
    """Load every reference table of the 2022–2026 plan; idempotent (updates rows by natural key)."""
    with transaction.atomic():
        return {name: load() for name, load in LOADERS}
