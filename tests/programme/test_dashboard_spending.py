"""The elected dashboard shows the committed amounts by kind (grants and other spending), and the aid figures count
grants only: a SCIC share subscription has no applicant, filière or commune."""

from decimal import Decimal

import pytest

from funding import services
from funding.enums import CommitmentKind
from funding.models import BudgetLine
from programme.dashboard import dashboard_data
from tests.programme.test_dashboard import aid

pytestmark = pytest.mark.usefixtures("reference_data")


def test_the_dashboard_budget_shows_committed_by_kind_and_aids_stay_grants(staff_user):
    aid(year=2024, code="soutiens-directs-projets", amount="12000", filiere="1.1.1", commune="Bègles")
    line = BudgetLine.objects.get(year=2024, code="soutiens-reseaux")
    services.commit_spending(
        budget_line=line,
        kind=CommitmentKind.MEMBERSHIP,
        amount=Decimal("3000"),
        label="Convention de partenariat CRESS",
        by=staff_user,
        idempotency_key="cress-2024",
        beneficiary_name="CRESS Nouvelle-Aquitaine",
    )

    data = dashboard_data(2024)

    assert data.budget_total.committed == Decimal("15000.00")
    assert data.budget_total.committed_by_kind == [
        ("subvention", Decimal("12000.00")),
        ("cotisation ou convention de partenariat", Decimal("3000.00")),
    ]
    (row,) = [row for row in data.budget_lines if row.label == line.label]
    assert row.committed_by_kind == [("cotisation ou convention de partenariat", Decimal("3000.00"))]
    assert data.aids_total.committed == Decimal("12000.00")
    assert data.aids_total.application_count == 1
