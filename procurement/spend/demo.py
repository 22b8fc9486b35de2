"""Demo data of the share of ESS spend: the purchases of 2025, imported like a real file
(procurement/spend/importing.py).

The file `procurement/data/demo_spend_2025.csv` mixes suppliers of the demo registry (some SIAE, EA/ESAT or ESUS),
valid SIRETs outside the registry and absent or invalid SIRETs, in the spellings real exports use. It is
imported once: running `load_demo` again leaves the import in force alone.
"""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from procurement.spend import importing
from procurement.spend.models import PurchaseImport

DEMO_SPEND_FILE = Path(__file__).resolve().parent.parent / "data" / "demo_spend_2025.csv"
DEMO_SPEND_YEAR = 2025


def load_spend_demo(*, by) -> PurchaseImport:
    """Import the demo purchases of 2025 as `by` (the demo buyer), unless that file is already the one in force."""
    existing = PurchaseImport.objects.current().filter(year=DEMO_SPEND_YEAR, original_filename=DEMO_SPEND_FILE.name)
    if purchase_import := existing.first():
        return purchase_import
    uploaded = SimpleUploadedFile(DEMO_SPEND_FILE.name, DEMO_SPEND_FILE.read_bytes(), content_type="text/csv")
    pending = importing.store_upload(uploaded=uploaded, year=DEMO_SPEND_YEAR, by=by)
    return importing.run_import(pending=pending, by=by)
