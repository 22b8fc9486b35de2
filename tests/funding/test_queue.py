import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.enums import Role
from funding.enums import ApplicationStatus
from funding.models import Application
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory, CommuneFactory
from tests.filieres.factories import FiliereFactory
from tests.funding.factories import ApplicationFactory, CouncilSessionFactory, SupportSchemeFactory

QUEUE_URL = reverse("funding:queue")


def titles(response) -> list[str]:
    return [application.title for application in response.context["applications"]]


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(QUEUE_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROCUREMENT, Role.PARTNER])
def test_the_queue_is_refused_to_other_roles(client, user_with_role, role):
    client.force_login(user_with_role(role))

    assert client.get(QUEUE_URL).status_code == 403


def test_elected_officials_read_the_queue_without_the_assignment_form(client, elected_user):
    ApplicationFactory(submitted=True, title="Ressourcerie de quartier")
    client.force_login(elected_user)

    response = client.get(QUEUE_URL)

    assertContains(response, "Ressourcerie de quartier")
    assertNotContains(response, 'name="applications"')
    assert client.post(reverse("funding:queue_bulk_assign")).status_code == 403


def test_drafts_are_not_in_the_queue(client, staff_user):
    ApplicationFactory(title="Brouillon privé")
    ApplicationFactory(submitted=True, title="Dossier déposé")
    client.force_login(staff_user)

    assert titles(client.get(QUEUE_URL)) == ["Dossier déposé"]


def test_oldest_submissions_come_first_and_show_the_days_waited(client, staff_user):
    now = timezone.now()
    ApplicationFactory(submitted=True, title="Récent", submitted_at=now - datetime.timedelta(days=2))
    ApplicationFactory(submitted=True, title="Ancien", submitted_at=now - datetime.timedelta(days=40, hours=1))
    client.force_login(staff_user)

    response = client.get(QUEUE_URL)

    assert titles(response) == ["Ancien", "Récent"]
    assert [application.waiting.days for application in response.context["applications"]] == [40, 2]


def test_filters_by_scheme_state_filiere_commune_and_session(client, staff_user, db):
    scheme = SupportSchemeFactory()
    filiere = FiliereFactory()
    commune = CommuneFactory(insee_code="33999")
    session = CouncilSessionFactory()
    target = ApplicationFactory(
        submitted=True,
        title="La cible",
        scheme=scheme,
        filiere=filiere,
        actor=ActorFactory(commune=commune),
        council_session=session,
        status=ApplicationStatus.PROPOSED,
    )
    ApplicationFactory(submitted=True, title="Autre dispositif", scheme=SupportSchemeFactory())
    client.force_login(staff_user)

    for parameters in [
        {"dispositif": scheme.pk},
        {"etat": "proposed"},
        {"filiere": filiere.slug},
        {"commune": "33999"},
        {"seance": session.pk},
    ]:
        assert titles(client.get(QUEUE_URL, parameters)) == [target.title], parameters


def test_text_search_looks_in_the_title_the_structure_name_and_its_siret(client, staff_user):
    actor = ActorFactory(name="Atelier Vélo Solidaire")
    ApplicationFactory(submitted=True, actor=actor, title="Réparation participative")
    ApplicationFactory(submitted=True, title="Compostage collectif")
    client.force_login(staff_user)

    assert titles(client.get(QUEUE_URL, {"q": "velo"})) == ["Réparation participative"]
    assert titles(client.get(QUEUE_URL, {"q": actor.siret})) == ["Réparation participative"]
    assert titles(client.get(QUEUE_URL, {"q": "compostage"})) == ["Compostage collectif"]


def test_instructor_filter_knows_me_and_unassigned(client, staff_user):
    colleague = UserFactory(role=Role.STAFF)
    ApplicationFactory(submitted=True, title="À moi", instructor=staff_user)
    ApplicationFactory(submitted=True, title="Au collègue", instructor=colleague)
    ApplicationFactory(submitted=True, title="Personne")
    client.force_login(staff_user)

    assert titles(client.get(QUEUE_URL, {"instructeur": "moi"})) == ["À moi"]
    assert titles(client.get(QUEUE_URL, {"instructeur": "aucun"})) == ["Personne"]
    assert titles(client.get(QUEUE_URL, {"instructeur": colleague.pk})) == ["Au collègue"]


def test_counts_per_state_follow_the_other_filters_but_not_the_state(client, staff_user):
    scheme = SupportSchemeFactory()
    ApplicationFactory.create_batch(2, submitted=True, scheme=scheme)
    ApplicationFactory(submitted=True, scheme=scheme, status=ApplicationStatus.IN_REVIEW)
    ApplicationFactory(submitted=True, status=ApplicationStatus.IN_REVIEW)  # another scheme
    client.force_login(staff_user)

    response = client.get(QUEUE_URL, {"dispositif": scheme.pk, "etat": "submitted"})

    counts = {row["status"]: row["count"] for row in response.context["status_counts"]}
    assert counts["submitted"] == 2
    assert counts["in_review"] == 1
    assert counts["approved"] == 0
    assert response.context["total_without_status"] == 3
    assert len(titles(response)) == 2


def test_sorting_by_amount_and_by_structure(client, staff_user):
    ApplicationFactory(submitted=True, title="B", requested_amount=Decimal("9000"), actor=ActorFactory(name="Zèbre"))
    ApplicationFactory(
        submitted=True, title="A", requested_amount=Decimal("12000"), actor=ActorFactory(name="Abeille")
    )
    client.force_login(staff_user)

    assert titles(client.get(QUEUE_URL, {"tri": "-montant"})) == ["A", "B"]
    assert titles(client.get(QUEUE_URL, {"tri": "montant"})) == ["B", "A"]
    assert titles(client.get(QUEUE_URL, {"tri": "structure"})) == ["A", "B"]


def test_the_queue_is_paginated_by_50(client, staff_user):
    ApplicationFactory.create_batch(51, submitted=True)
    client.force_login(staff_user)

    response = client.get(QUEUE_URL)

    assert len(titles(response)) == 50
    assert response.context["page_obj"].paginator.num_pages == 2


@pytest.mark.parametrize("size", [10, 200])
def test_the_queue_runs_the_same_queries_whatever_the_number_of_applications(
    client, staff_user, django_assert_num_queries, size
):
    scheme = SupportSchemeFactory()
    actors = ActorFactory.create_batch(5)
    Application.objects.bulk_create(
        Application(
            actor=actors[index % 5],
            scheme=scheme,
            title=f"Projet {index}",
            requested_amount=Decimal("1000.00"),
            status=ApplicationStatus.IN_REVIEW,
            instructor=staff_user,
            submitted_at=timezone.now(),
        )
        for index in range(size)
    )
    client.force_login(staff_user)
    client.get(QUEUE_URL)
    # session, user, roles, count, page of rows (with structure, scheme, instructor), counts per state,
    # agents (filter and assignment form), schemes, filières, communes, sessions
    with django_assert_num_queries(11):
        response = client.get(QUEUE_URL, {"instructeur": "moi"})

    assert len(titles(response)) == min(size, 50)


def test_staff_assign_the_selected_applications_to_an_instructor(client, staff_user):
    colleague = UserFactory(role=Role.STAFF, first_name="Camille", last_name="Durand")
    chosen = ApplicationFactory.create_batch(2, submitted=True)
    other = ApplicationFactory(submitted=True)
    client.force_login(staff_user)

    response = client.post(
        reverse("funding:queue_bulk_assign"),
        {
            "applications": [application.pk for application in chosen],
            "instructor": colleague.pk,
            "retour": "etat=submitted",
        },
    )

    assert response.status_code == 302
    assert response.url == f"{QUEUE_URL}?etat=submitted"
    assert set(Application.objects.filter(instructor=colleague)) == set(chosen)
    other.refresh_from_db()
    assert other.instructor is None


def test_assigning_nothing_is_refused_with_a_message(client, staff_user):
    application = ApplicationFactory(submitted=True)
    client.force_login(staff_user)

    response = client.post(
        reverse("funding:queue_bulk_assign"), {"instructor": staff_user.pk, "retour": ""}, follow=True
    )

    assertContains(response, "Cochez au moins une demande.")
    application.refresh_from_db()
    assert application.instructor is None


def test_rows_link_to_the_staff_application_page(client, staff_user):
    application = ApplicationFactory(submitted=True)
    client.force_login(staff_user)

    response = client.get(QUEUE_URL)

    assertContains(response, reverse("funding:application_staff_detail", args=[application.pk]))
    assertContains(response, reverse("funding:application_zip", args=[application.pk]))
