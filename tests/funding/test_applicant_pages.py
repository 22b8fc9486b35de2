import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from funding import services
from funding.enums import ApplicationStatus, DocumentKind
from funding.models import Decision, Document, InformationRequest
from tests.accounts.factories import MembershipFactory
from tests.actors.factories import ActorFactory
from tests.funding.factories import (
    EXE_BYTES,
    ApplicationFactory,
    CouncilSessionFactory,
    DocumentFactory,
    SupportSchemeFactory,
    upload,
)


@pytest.fixture
def actor(applicant_user):
    return ActorFactory(members=[applicant_user])


@pytest.fixture
def submitted(actor, staff_user):
    application = ApplicationFactory(actor=actor, scheme=SupportSchemeFactory(), title="Atelier vélo", submitted=True)
    services.start_review(application=application, by=staff_user, comment="Dossier complet, instruction lancée.")
    return application


@pytest.fixture
def applicant_client(client, applicant_user):
    client.force_login(applicant_user)
    return client


def detail_url(application):
    return reverse("funding:applicant_application_detail", args=[application.pk])


# --- Mes dossiers ---------------------------------------------------------------------------------------------


def test_mes_dossiers_lists_the_applications_of_the_user_s_structures_only(applicant_client, actor, applicant_user):
    second = ActorFactory(members=[applicant_user])
    ApplicationFactory(actor=actor, title="Projet A")
    ApplicationFactory(actor=second, title="Projet B", submitted=True)
    ApplicationFactory(title="Projet d’une autre structure")
    response = applicant_client.get(reverse("funding:applicant_application_list"))
    assertContains(response, "Projet A")
    assertContains(response, "Projet B")
    assertNotContains(response, "Projet d’une autre structure")


def test_mes_dossiers_links_drafts_to_their_form_and_the_others_to_their_page(applicant_client, actor):
    draft = ApplicationFactory(actor=actor)
    submitted = ApplicationFactory(actor=actor, submitted=True)
    response = applicant_client.get(reverse("funding:applicant_application_list"))
    assertContains(response, reverse("funding:application_step", args=[draft.pk, 2]))
    assertContains(response, detail_url(submitted))


def test_mes_dossiers_empty_state_links_to_the_open_schemes_and_to_a_new_application(applicant_client, actor):
    response = applicant_client.get(reverse("funding:applicant_application_list"))
    assertContains(response, "Vous n’avez pas encore de dossier.")
    assertContains(response, reverse("funding:scheme_list"))
    assertContains(response, reverse("funding:application_start"))


def test_mes_dossiers_runs_the_same_queries_for_10_and_200_applications(
    applicant_client, actor, applicant_user, django_assert_num_queries
):
    scheme = SupportSchemeFactory()
    other_actor = ActorFactory(members=[applicant_user])
    # session, user, groups (role check), count, the page of applications
    expected = 5
    ApplicationFactory.create_batch(5, actor=actor, scheme=scheme)
    ApplicationFactory.create_batch(5, actor=other_actor, scheme=scheme, submitted=True)
    with django_assert_num_queries(expected):
        response = applicant_client.get(reverse("funding:applicant_application_list"))
    assert len(response.context["applications"]) == 10
    ApplicationFactory.create_batch(95, actor=actor, scheme=scheme)
    ApplicationFactory.create_batch(95, actor=other_actor, submitted=True)
    with django_assert_num_queries(expected):
        response = applicant_client.get(reverse("funding:applicant_application_list"))
    assert response.context["page_obj"].paginator.count == 200


def test_the_applicant_home_links_each_dossier_to_its_page(applicant_client, submitted):
    response = applicant_client.get(reverse("applicant_home"))
    assertContains(response, f'<a href="{detail_url(submitted)}">Atelier vélo</a>', html=True)


def test_the_applicant_home_empty_state_links_to_the_schemes_and_a_new_application(applicant_client, actor):
    response = applicant_client.get(reverse("applicant_home"))
    assertContains(response, "Déposer une demande")
    assertContains(response, reverse("funding:scheme_list"))


# --- The application's page ----------------------------------------------------------------------------------


def test_the_timeline_shows_each_step_with_its_date_and_comment_but_never_internal_notes(
    applicant_client, submitted, staff_user
):
    services.add_internal_note(application=submitted, by=staff_user, text="Note confidentielle de l’instructeur.")
    response = applicant_client.get(detail_url(submitted))
    assertContains(response, "Suivi du dossier")
    assertContains(response, "En instruction")
    assertContains(response, "Dossier complet, instruction lancée.")
    assertNotContains(response, "Note confidentielle")
    assertNotContains(response, staff_user.email)


def test_another_structure_s_application_page_is_a_404(applicant_client, actor):
    others = ApplicationFactory(submitted=True)
    assert applicant_client.get(detail_url(others)).status_code == 404
    assert applicant_client.get(detail_url(others) + "999/").status_code == 404


def test_a_former_member_no_longer_sees_the_structure_s_applications(client, submitted):
    former = MembershipFactory(actor=submitted.actor, is_active=False).user
    client.force_login(former)
    assert client.get(detail_url(submitted)).status_code == 404


def test_the_page_lists_the_pieces_including_the_vault_s_valid_ones(applicant_client, submitted):
    DocumentFactory(actor=submitted.actor, kind=DocumentKind.STATUTES, original_name="statuts.pdf")
    DocumentFactory(actor=submitted.actor, application=submitted, kind=DocumentKind.QUOTE, original_name="devis.pdf")
    response = applicant_client.get(detail_url(submitted))
    assertContains(response, "statuts.pdf")
    assertContains(response, "devis.pdf")


# --- Information requests ------------------------------------------------------------------------------------


@pytest.fixture
def information_request(submitted, staff_user):
    return services.request_information(application=submitted, by=staff_user, message="Merci de joindre un devis.")


def test_the_applicant_answers_an_information_request_with_a_message_and_documents(
    applicant_client, submitted, information_request, applicant_user
):
    response = applicant_client.get(detail_url(submitted))
    assertContains(response, "Merci de joindre un devis.")
    url = reverse("funding:information_request_answer", args=[submitted.pk, information_request.pk])
    prefix = f"reponse-{information_request.pk}"
    response = applicant_client.post(
        url, {f"{prefix}-answer": "Voici le devis.", f"{prefix}-files": [upload("devis.pdf"), upload("plan.pdf")]}
    )
    assertRedirects(response, detail_url(submitted))
    information_request.refresh_from_db()
    assert (information_request.answer, information_request.answered_by) == ("Voici le devis.", applicant_user)
    assert sorted(submitted.documents.values_list("original_name", flat=True)) == ["devis.pdf", "plan.pdf"]
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.IN_REVIEW


def test_an_answer_with_a_wrong_file_saves_nothing(
    applicant_client, submitted, information_request, private_media_root
):
    url = reverse("funding:information_request_answer", args=[submitted.pk, information_request.pk])
    prefix = f"reponse-{information_request.pk}"
    response = applicant_client.post(
        url, {f"{prefix}-answer": "Voici.", f"{prefix}-files": [upload("devis.pdf"), upload("virus.pdf", EXE_BYTES)]}
    )
    assert response.status_code == 400
    assertContains(response, "« virus.pdf » n’est pas un fichier accepté", status_code=400)
    information_request.refresh_from_db()
    assert information_request.answered_at is None
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in private_media_root.rglob("*"))


def test_an_applicant_cannot_answer_another_structure_s_request(applicant_client, actor, staff_user):
    others = ApplicationFactory(submitted=True)
    services.start_review(application=others, by=staff_user)
    request = services.request_information(application=others, by=staff_user, message="?")
    url = reverse("funding:information_request_answer", args=[others.pk, request.pk])
    assert applicant_client.post(url, {f"reponse-{request.pk}-answer": "Piraté"}).status_code == 404
    assert not InformationRequest.objects.filter(answer="Piraté").exists()


# --- Withdrawal ----------------------------------------------------------------------------------------------


def test_the_applicant_withdraws_an_application_with_a_reason(applicant_client, submitted):
    response = applicant_client.post(
        reverse("funding:applicant_application_withdraw", args=[submitted.pk]), {"reason": "Projet abandonné."}
    )
    assertRedirects(response, detail_url(submitted))
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.WITHDRAWN
    assert submitted.transitions.last().comment == "Projet abandonné."


def test_a_withdrawal_needs_a_reason(applicant_client, submitted):
    response = applicant_client.post(
        reverse("funding:applicant_application_withdraw", args=[submitted.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.IN_REVIEW


def test_an_approved_application_can_no_longer_be_withdrawn(applicant_client, actor):
    approved = ApplicationFactory(actor=actor, status=ApplicationStatus.APPROVED)
    assertNotContains(applicant_client.get(detail_url(approved)), "Retirer la demande")
    response = applicant_client.post(
        reverse("funding:applicant_application_withdraw", args=[approved.pk]), {"reason": "x"}
    )
    assertRedirects(response, detail_url(approved), fetch_redirect_response=False)
    approved.refresh_from_db()
    assert approved.status == ApplicationStatus.APPROVED


# --- Final report ---------------------------------------------------------------------------------------------


def test_the_final_report_is_uploaded_once_the_agreement_is_signed(applicant_client, actor):
    signed = ApplicationFactory(
        actor=actor, status=ApplicationStatus.AGREEMENT_SIGNED, agreement_signed_on=timezone.localdate()
    )
    assertContains(applicant_client.get(detail_url(signed)), "Déposer le bilan")
    response = applicant_client.post(
        reverse("funding:final_report_upload", args=[signed.pk]), {"file": upload("bilan.pdf")}
    )
    assertRedirects(response, detail_url(signed))
    report = signed.documents.get()
    assert (report.kind, report.original_name) == (DocumentKind.FINAL_REPORT, "bilan.pdf")
    assert "Bilan final déposé" in signed.transitions.last().comment
    assertContains(applicant_client.get(detail_url(signed)), "Bilan final déposé")


def test_the_final_report_is_refused_before_the_agreement(applicant_client, submitted):
    response = applicant_client.post(
        reverse("funding:final_report_upload", args=[submitted.pk]), {"file": upload("bilan.pdf")}
    )
    assertRedirects(response, detail_url(submitted), fetch_redirect_response=False)
    assert not Document.objects.exists()


def test_the_decision_is_shown_to_the_applicant(applicant_client, actor, staff_user):
    application = ApplicationFactory(actor=actor, status=ApplicationStatus.APPROVED, submitted_at=timezone.now())
    Decision.objects.create(
        application=application,
        council_session=CouncilSessionFactory(),
        deliberation_number="2030-123",
        decided_on=datetime.date(2030, 2, 1),
        is_approved=True,
        granted_amount=Decimal("12000.00"),
        decided_by=staff_user,
    )
    response = applicant_client.get(detail_url(application))
    assertContains(response, "Subvention accordée")
    assertContains(response, "12\xa0000,00\xa0€")
    assertContains(response, "2030-123")
