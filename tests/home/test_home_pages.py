from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Membership
from funding.enums import ApplicationStatus, BudgetSection
from funding.models import Application, BudgetLine
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory

pytestmark = pytest.mark.django_db


def _budget(year, section, amount, *, is_in_plan=True, code=None):
    return BudgetLine.objects.create(
        year=year,
        section=section,
        is_in_plan=is_in_plan,
        code=code or f"{section}-{is_in_plan}-{amount}",
        label=f"Ligne {amount}",
        voted_amount=Decimal(amount),
    )


def test_anonymous_visitors_see_the_public_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Créer un compte porteur de projet" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.STAFF, "staff_home"),
        (Role.APPLICANT, "applicant_home"),
        (Role.ELECTED, "elected_home"),
        (Role.PROCUREMENT, "procurement_home"),
        (Role.PARTNER, "partner_home"),
        (Role.ADMIN, "admin_home"),
    ],
)
def test_the_root_sends_each_role_to_its_home_page(client, role, url_name):
    client.force_login(UserFactory(role=role))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse(url_name)
    assert client.get(response.url).status_code == 200


def test_staff_home_shows_counts_and_the_budget_of_the_year(client, staff_user):
    ActorFactory.create_batch(3)
    ActorFactory(is_archived=True)
    actor = ActorFactory()
    Application.objects.create(
        actor=actor, title="Vélo-cargo", requested_amount=Decimal("5000"), status=ApplicationStatus.SUBMITTED
    )
    _budget(2026, BudgetSection.FONCTIONNEMENT, "571031")
    _budget(2026, BudgetSection.INVESTISSEMENT, "1020000")
    client.force_login(staff_user)
    page = client.get(reverse("staff_home")).content.decode()
    assert '<span class="stat-value">4</span><span class="stat-label">acteurs de l’ESS au registre' in page
    assert '<span class="stat-value">1</span><span class="stat-label">dossiers à instruire' in page
    assert "1\u00a0591\u00a0031,00\u00a0€" in page


def test_applicant_home_lists_only_their_structures_and_dossiers(client, applicant_user):
    mine, other = ActorFactory(name="Recyclerie du Lac"), ActorFactory(name="Ateliers d’ailleurs")
    Membership.objects.create(user=applicant_user, actor=mine)
    Application.objects.create(actor=mine, title="Mon projet", requested_amount=Decimal("1000"))
    Application.objects.create(actor=other, title="Projet d’un autre", requested_amount=Decimal("1000"))
    client.force_login(applicant_user)
    page = client.get(reverse("applicant_home")).content.decode()
    assert "Recyclerie du Lac" in page and "Mon projet" in page
    assert "Ateliers d’ailleurs" not in page and "Projet d’un autre" not in page


def test_applicant_home_says_what_to_do_when_empty(client, applicant_user):
    client.force_login(applicant_user)
    page = client.get(reverse("applicant_home")).content.decode()
    assert "Vous n’êtes encore rattaché·e à aucune structure." in page
    assert "Vous n’avez pas encore de dossier." in page


def test_elected_home_shows_the_budget_table_and_its_svg_chart(client, elected_user):
    _budget(2022, BudgetSection.FONCTIONNEMENT, "491031")
    _budget(2022, BudgetSection.FONCTIONNEMENT, "378800", is_in_plan=False)
    _budget(2022, BudgetSection.INVESTISSEMENT, "750000")
    _budget(2023, BudgetSection.INVESTISSEMENT, "2020000")
    client.force_login(elected_user)
    page = client.get(reverse("elected_home")).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "491\u00a0031,00\u00a0€" in page
    assert "1\u00a0619\u00a0831,00\u00a0€" in page  # 2022 total
    assert "3\u00a0639\u00a0831,00\u00a0€" in page  # grand total


def test_elected_home_query_count_does_not_grow_with_the_budget(client, elected_user, django_assert_num_queries):
    client.force_login(elected_user)
    _budget(2022, BudgetSection.FONCTIONNEMENT, "1")
    client.get(reverse("elected_home"))  # warm the session
    with django_assert_num_queries(5):
        client.get(reverse("elected_home"))
    for year in range(2023, 2040):
        _budget(year, BudgetSection.INVESTISSEMENT, "1000")
    with django_assert_num_queries(5):
        client.get(reverse("elected_home"))


def test_procurement_and_partner_homes_show_reference_data(client, procurement_user, partner_user):
    ActorFactory(name="Coop Fret")
    client.force_login(procurement_user)
    assert "1 acteurs au registre" in client.get(reverse("procurement_home")).content.decode().replace("\u00a0", " ")
    client.force_login(partner_user)
    assert "Convention quadripartite" in client.get(reverse("partner_home")).content.decode()


def test_error_pages_are_in_french(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    response = client.get(reverse("elected_home"))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
