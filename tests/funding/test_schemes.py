import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from actors.enums import LegalForm
from funding.enums import DocumentKind, StateAidRegime
from funding.models import SupportScheme
from tests.actors.factories import ActorFactory
from tests.filieres.factories import FiliereFactory
from tests.funding.factories import (
    BudgetLineFactory,
    CouncilSessionFactory,
    DocumentFactory,
    FinancingLineFactory,
    SupportSchemeFactory,
)


def days(number):
    return timezone.localdate() + datetime.timedelta(days=number)


def test_factories_build_valid_rows(db):
    SupportSchemeFactory()
    SupportSchemeFactory(closed=True)
    CouncilSessionFactory()
    FinancingLineFactory()
    document = DocumentFactory()
    with document.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")
    assert SupportScheme.objects.count() == 2


# --- Public list ---------------------------------------------------------------------------------------------


def test_the_public_list_shows_open_schemes_and_flags_those_closing_within_30_days(client, db):
    SupportSchemeFactory(title="Appel ouvert longtemps", closes_on=days(90))
    SupportSchemeFactory(title="Appel sans clôture", closes_on=None)
    SupportSchemeFactory(title="Appel qui ferme bientôt", closes_on=days(12))
    SupportSchemeFactory(title="Appel qui ferme ce soir", closes_on=days(0))
    SupportSchemeFactory(title="Appel clos", closed=True)
    SupportSchemeFactory(title="Appel futur", opens_on=days(5), closes_on=days(60))
    SupportSchemeFactory(title="Appel non publié", draft=True)
    response = client.get(reverse("funding:scheme_list"))
    assert response.status_code == 200
    titles = [scheme.title for scheme in response.context["schemes"]]
    # Closing soon first, soonest first; then the others by title.
    assert titles == [
        "Appel qui ferme ce soir",
        "Appel qui ferme bientôt",
        "Appel ouvert longtemps",
        "Appel sans clôture",
    ]
    assertContains(response, "Clôture dans 12 jours")
    assertContains(response, "Clôture aujourd’hui")
    assertNotContains(response, "Clôture dans 90 jours")
    for hidden in ("Appel clos", "Appel futur", "Appel non publié"):
        assertNotContains(response, hidden)


def test_the_public_list_says_when_nothing_is_open(client, db):
    SupportSchemeFactory(closed=True)
    assertContains(client.get(reverse("funding:scheme_list")), "Aucun dispositif n’est ouvert")


def test_the_public_list_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    filiere = FiliereFactory()
    for _ in range(3):
        SupportSchemeFactory().filieres.add(filiere)
    with django_assert_num_queries(2):  # schemes, their filières
        client.get(reverse("funding:scheme_list"))
    for _ in range(20):
        SupportSchemeFactory().filieres.add(filiere)
    with django_assert_num_queries(2):
        client.get(reverse("funding:scheme_list"))


def test_the_public_scheme_page_shows_the_conditions(client, db):
    scheme = SupportSchemeFactory(
        title="Fonds d’amorçage",
        eligible_legal_forms=[LegalForm.SCOP, LegalForm.SCIC],
        required_documents=[DocumentKind.STATUTES, DocumentKind.BUDGET],
        ceiling_amount=Decimal("15000"),
        closes_on=days(10),
    )
    response = client.get(reverse("funding:scheme_detail", args=[scheme.slug]))
    assertContains(response, "Fonds d’amorçage")
    assertContains(response, "Coopérative – SCOP, Coopérative – SCIC")
    assertContains(response, "Statuts, Budget prévisionnel du projet")
    assertContains(response, "15\xa0000\xa0€")
    assertContains(response, "Clôture dans 10 jours")
    assertContains(response, reverse("accounts:signup"))


def test_a_closed_scheme_page_says_so_and_offers_no_application(client, applicant_user):
    scheme = SupportSchemeFactory(closed=True)
    client.force_login(applicant_user)
    response = client.get(reverse("funding:scheme_detail", args=[scheme.slug]))
    assertContains(response, "Candidatures closes")
    assertNotContains(response, "Déposer une demande")


def test_an_unpublished_scheme_page_is_a_404(client, db):
    scheme = SupportSchemeFactory(draft=True)
    assert client.get(reverse("funding:scheme_detail", args=[scheme.slug])).status_code == 404


def test_an_applicant_applies_from_the_scheme_page(client, applicant_user):
    scheme = SupportSchemeFactory()
    client.force_login(applicant_user)
    response = client.get(reverse("funding:scheme_detail", args=[scheme.slug]))
    assertContains(response, f"{reverse('funding:application_start')}?dispositif={scheme.slug}")


def test_anonymous_visitors_find_the_schemes_from_the_home_page_and_the_navigation(client, db):
    response = client.get(reverse("home"))
    assertContains(response, f'href="{reverse("funding:scheme_list")}"', count=2)


def test_applicants_find_the_schemes_in_the_navigation(client, applicant_user):
    client.force_login(applicant_user)
    response = client.get(reverse("applicant_home"))
    assertContains(response, "Dispositifs de soutien</a>")


# --- Eligibility ----------------------------------------------------------------------------------------------


def test_eligibility_follows_the_legal_forms_and_the_filieres(db):
    circular, proximity = FiliereFactory(), FiliereFactory()
    any_scheme = SupportSchemeFactory()
    scop_only = SupportSchemeFactory(eligible_legal_forms=[LegalForm.SCOP])
    circular_only = SupportSchemeFactory()
    circular_only.filieres.add(circular)
    association = ActorFactory(legal_form=LegalForm.ASSOCIATION)
    association.filieres.add(proximity)
    scop = ActorFactory(legal_form=LegalForm.SCOP)
    scop.filieres.add(circular)
    undeclared = ActorFactory(legal_form=LegalForm.ASSOCIATION)
    assert set(SupportScheme.objects.eligible_for(association)) == {any_scheme}
    assert set(SupportScheme.objects.eligible_for(scop)) == {any_scheme, scop_only, circular_only}
    # A structure that has not declared its filières yet may apply; the project's filière is checked later.
    assert set(SupportScheme.objects.eligible_for(undeclared)) == {any_scheme, circular_only}


# --- Staff management -----------------------------------------------------------------------------------------


@pytest.fixture
def scheme_data(db):
    line = BudgetLineFactory()
    return {
        "title": "Économie circulaire 2030",
        "description": "Soutien aux projets de réemploi.",
        "eligible_legal_forms": [LegalForm.ASSOCIATION, LegalForm.SCIC],
        "budget_line": line.pk,
        "state_aid_regime": StateAidRegime.DE_MINIMIS,
        "opens_on": "2030-01-01",
        "closes_on": "2030-03-31",
        "ceiling_amount": "25000",
        "required_documents": [DocumentKind.STATUTES, DocumentKind.RIB],
        "is_published": "on",
    }


def test_staff_create_a_scheme(client, staff_user, scheme_data):
    client.force_login(staff_user)
    response = client.post(reverse("funding:scheme_create"), scheme_data)
    assertRedirects(response, reverse("funding:scheme_manage_list"))
    scheme = SupportScheme.objects.get()
    assert scheme.slug == "economie-circulaire-2030"
    assert scheme.eligible_legal_forms == [LegalForm.ASSOCIATION, LegalForm.SCIC]
    assert scheme.required_documents == [DocumentKind.STATUTES, DocumentKind.RIB]
    assert scheme.ceiling_amount == Decimal("25000.00")


def test_two_schemes_with_the_same_title_get_distinct_slugs(client, staff_user, scheme_data):
    client.force_login(staff_user)
    client.post(reverse("funding:scheme_create"), scheme_data)
    client.post(reverse("funding:scheme_create"), scheme_data)
    assert sorted(SupportScheme.objects.values_list("slug", flat=True)) == [
        "economie-circulaire-2030",
        "economie-circulaire-2030-2",
    ]


def test_a_scheme_closing_before_it_opens_is_refused(client, staff_user, scheme_data):
    client.force_login(staff_user)
    response = client.post(reverse("funding:scheme_create"), {**scheme_data, "closes_on": "2029-12-01"})
    assertContains(response, "La date de clôture doit suivre la date d’ouverture.")
    assert not SupportScheme.objects.exists()


def test_staff_edit_a_scheme(client, staff_user):
    scheme = SupportSchemeFactory(is_published=False)
    client.force_login(staff_user)
    response = client.get(reverse("funding:scheme_update", args=[scheme.pk]))
    assertContains(response, scheme.title)
    data = {
        "title": "Nouveau titre",
        "description": scheme.description,
        "budget_line": scheme.budget_line_id,
        "state_aid_regime": StateAidRegime.SIEG_DE_MINIMIS,
        "opens_on": str(scheme.opens_on),
        "closes_on": str(scheme.closes_on),
        "ceiling_amount": "40000",
        "is_published": "on",
    }
    assertRedirects(
        client.post(reverse("funding:scheme_update", args=[scheme.pk]), data), reverse("funding:scheme_manage_list")
    )
    scheme.refresh_from_db()
    assert (scheme.title, scheme.is_published, scheme.state_aid_regime) == (
        "Nouveau titre",
        True,
        StateAidRegime.SIEG_DE_MINIMIS,
    )
    assert scheme.required_documents == []


def test_the_management_list_shows_unpublished_schemes_to_staff(client, staff_user):
    SupportSchemeFactory(title="Brouillon de dispositif", draft=True)
    client.force_login(staff_user)
    assertContains(client.get(reverse("funding:scheme_manage_list")), "Brouillon de dispositif")


@pytest.mark.parametrize("url_name", ["funding:scheme_manage_list", "funding:scheme_create"])
def test_applicants_cannot_manage_schemes(client, applicant_user, url_name):
    client.force_login(applicant_user)
    assert client.get(reverse(url_name)).status_code == 403


def test_applicants_cannot_edit_a_scheme(client, applicant_user, scheme_data):
    scheme = SupportSchemeFactory()
    client.force_login(applicant_user)
    assert client.post(reverse("funding:scheme_update", args=[scheme.pk]), scheme_data).status_code == 403
    scheme.refresh_from_db()
    assert scheme.title != scheme_data["title"]
