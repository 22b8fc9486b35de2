"""The partners' co-financing: entry by staff or the partner concerned, totals equal to SQL aggregates, the joint
table and its export, a partner's view limited to the projects their collectivity co-finances."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from ess_portal.formatting import format_euros
from funding.cofinancing_models import CoFinancing
from funding.cofinancing_services import record_cofinancing
from tests.actors.factories import ActorFactory
from tests.funding.factories import ApplicationFactory, DocumentFactory
from tests.quadripartite.factories import PartnerMemberFactory, SignatoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return SignatoryFactory(short_name="Région", slug="region-test")


@pytest.fixture
def departement():
    return SignatoryFactory(short_name="Département", slug="departement-test")


def _cofinance(application, partner, year, pledged, decided=None, paid=0, by=None):
    from accounts.enums import Role
    from tests.accounts.factories import UserFactory

    return record_cofinancing(
        application=application,
        partner=partner,
        year=year,
        pledged=Decimal(pledged),
        decided=Decimal(decided) if decided is not None else None,
        paid=Decimal(paid),
        by=by or UserFactory(role=Role.STAFF),
    )


def test_paid_never_exceeds_decided_and_a_payment_needs_a_decision(region, staff_user):
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="dépasse le montant décidé"):
        _cofinance(application, region, 2025, "8000", decided="5000", paid="6000", by=staff_user)
    with pytest.raises(ValidationError, match="suppose un montant décidé"):
        _cofinance(application, region, 2025, "8000", paid="100", by=staff_user)
    assert not CoFinancing.objects.exists()


def test_a_row_per_application_partner_and_year_is_updated_not_duplicated_and_its_history_kept(region, staff_user):
    application = ApplicationFactory()
    _cofinance(application, region, 2025, "8000", by=staff_user)
    _cofinance(application, region, 2025, "8000", decided="6000", paid="3000", by=staff_user)
    row = CoFinancing.objects.get()
    assert (row.pledged, row.decided, row.paid) == (Decimal("8000"), Decimal("6000"), Decimal("3000"))
    assert row.history.count() == 2


def test_a_partner_enters_only_their_own_collectivitys_rows(region, departement):
    member = PartnerMemberFactory(partner=region)
    application = ApplicationFactory()
    _cofinance(application, region, 2025, "1000", by=member.user)
    with pytest.raises(PermissionDenied):
        _cofinance(application, departement, 2025, "1000", by=member.user)


def test_totals_per_partner_and_year_equal_the_sql_sums(region, departement, staff_user):
    for index in range(6):
        application = ApplicationFactory()
        _cofinance(application, region, 2024 + index % 2, 1000 * (index + 1), decided=500 * (index + 1), by=staff_user)
        _cofinance(application, departement, 2025, 300, by=staff_user)

    totals = {
        (row["partner__short_name"], row["year"]): row for row in CoFinancing.objects.totals_by_partner_and_year()
    }

    for (name, year), row in totals.items():
        expected = CoFinancing.objects.filter(partner__short_name=name, year=year).aggregate(
            pledged=Sum("pledged"), decided=Sum("decided"), paid=Sum("paid")
        )
        assert row["pledged_total"] == expected["pledged"]
        assert row["decided_total"] == (expected["decided"] or 0)
        assert row["paid_total"] == expected["paid"]
    assert totals[("Région", 2024)]["pledged_total"] == Decimal("9000")  # 1 000 + 3 000 + 5 000
    assert totals[("Département", 2025)]["decided_total"] == Decimal("0")


def test_a_partner_sees_their_projects_and_gets_404_on_others_and_never_sees_documents(client, region, departement):
    member = PartnerMemberFactory(partner=region)
    theirs = ApplicationFactory(title="Ressourcerie de Cenon", summary="Réemploi et insertion.")
    DocumentFactory(application=theirs, actor=theirs.actor, original_name="rib-confidentiel.pdf")
    others = ApplicationFactory(title="Épicerie du Lac", actor=ActorFactory())
    _cofinance(theirs, region, 2025, "10000", decided="8000")
    _cofinance(others, departement, 2025, "5000")
    client.force_login(member.user)

    page = client.get(reverse("funding:cofinanced_project", args=[theirs.pk]))
    assertContains(page, "Ressourcerie de Cenon")
    assertContains(page, format_euros(Decimal("8000")))
    assertNotContains(page, "rib-confidentiel")
    assert client.get(reverse("funding:cofinanced_project", args=[others.pk])).status_code == 404
    table = client.get(reverse("funding:cofinancing_table"))
    assertContains(table, "Ressourcerie de Cenon")
    assertNotContains(table, "Épicerie du Lac")
    assertContains(
        table, format_euros(Decimal("5000"))
    )  # the Département's total stays visible: the committee reads them together
    home = client.get(reverse("home"), follow=True)
    assertContains(home, "Ressourcerie de Cenon")
    # the applicant's pages and documents stay closed
    assert client.get(reverse("funding:application_staff_detail", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("funding:applicant_application_detail", args=[theirs.pk])).status_code in (403, 404)
    document = theirs.documents.get()
    assert client.get(reverse("funding:document_download", args=[document.pk])).status_code in (403, 404)


def test_the_joint_table_filters_in_the_url_and_exports_what_it_shows(client, region, departement, staff_user):
    application = ApplicationFactory(title="Atelier vélo", actor=ActorFactory(name="Vélo Solidaire"))
    _cofinance(application, region, 2025, "10000", decided="8000", paid="4000")
    _cofinance(application, departement, 2024, "2000")
    client.force_login(staff_user)

    page = client.get(reverse("funding:cofinancing_table"), {"annee": 2025})
    assert [row.partner.short_name for row in page.context["rows"]] == ["Région"]
    assert page.context["grand_total"] == {
        "pledged": Decimal("10000"),
        "decided": Decimal("8000"),
        "paid": Decimal("4000"),
    }
    assert "<svg" in str(page.context["chart"])
    response = client.get(reverse("funding:cofinancing_export", args=["csv"]), {"annee": 2025})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Exercice",
        "Partenaire",
        "Demande",
        "Structure",
        "Projet",
        "Filière",
        "Sollicité (€)",
        "Décidé (€)",
        "Versé (€)",
    ]
    assert rows[1][:5] == ["2025", "Région", str(application.pk), "Vélo Solidaire", "Atelier vélo"]
    assert rows[1][6:] == ["10000,00", "8000,00", "4000,00"]
    assert len(rows) == 2


def test_staff_enter_a_row_from_the_table_and_elected_officials_only_read(client, region, staff_user, elected_user):
    application = ApplicationFactory()
    client.force_login(staff_user)
    client.post(
        reverse("funding:cofinancing_table"),
        {
            "application": application.pk,
            "partner": region.pk,
            "year": 2025,
            "pledged": "5000",
            "decided": "",
            "paid": "",
        },
    )
    assert CoFinancing.objects.get().pledged == Decimal("5000")

    client.force_login(elected_user)
    assert client.get(reverse("funding:cofinancing_table")).status_code == 200
    response = client.post(
        reverse("funding:cofinancing_table"),
        {"application": application.pk, "partner": region.pk, "year": 2026, "pledged": "1"},
    )
    assert response.status_code == 403
    assert CoFinancing.objects.count() == 1


def test_applicants_have_no_access(client, applicant_user):
    client.force_login(applicant_user)
    assert client.get(reverse("funding:cofinancing_table")).status_code == 403


@pytest.mark.parametrize("count", [2, 12])
def test_the_table_runs_the_same_queries_whatever_its_size(
    client, region, departement, staff_user, django_assert_num_queries, count
):
    for _ in range(count):
        application = ApplicationFactory()
        _cofinance(application, region, 2025, "1000", by=staff_user)
        _cofinance(application, departement, 2025, "500", by=staff_user)
    client.force_login(staff_user)
    # session, user, groups, the filter's partners and filières, totals by partner and year, grand total, count,
    # page of rows (application, structure, filière and partner joined), the entry form's partners
    with django_assert_num_queries(10):
        client.get(reverse("funding:cofinancing_table"))
