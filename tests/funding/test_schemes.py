from funding.models import SupportScheme
from tests.funding.factories import (
    CouncilSessionFactory,
    DocumentFactory,
    FinancingLineFactory,
    SupportSchemeFactory,
)


def test_factories_build_valid_rows(db):
    SupportSchemeFactory()
    SupportSchemeFactory(closed=True)
    CouncilSessionFactory()
    FinancingLineFactory()
    document = DocumentFactory()
    with document.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")
    assert SupportScheme.objects.count() == 2
