"""Council dossiers in PDF: the « rapport de présentation » of an application and the dossier of a sitting,
produced by background jobs and read back with pdftotext."""

import shutil
import subprocess
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from accounts.enums import Role
from actors.enums import AgrementKind
from actors.models import Agrement
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import execute_job, retry_job
from funding import pdf_jobs
from funding.enums import ApplicationStatus, FinancingSide
from tests.actors.factories import ActorFactory, fictitious_siret
from tests.funding.factories import (
    ApplicationFactory,
    BudgetLineFactory,
    CouncilSessionFactory,
    FinancingLineFactory,
    SupportSchemeFactory,
)

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed: cannot read the PDF text"
)


def pdf_text(job: Job) -> str:
    """The PDF's text in reading order, non-breaking spaces and line breaks read as single spaces."""
    job.refresh_from_db()
    with job.result_file.open("rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF-")
    text = subprocess.run([PDFTOTEXT, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def proposed_application(session, *, name: str, siret_number: int, amount: str, line=None):
    actor = ActorFactory(name=name, siret=fictitious_siret(siret_number))
    scheme = SupportSchemeFactory(budget_line=line or BudgetLineFactory())
    application = ApplicationFactory(
        actor=actor,
        scheme=scheme,
        status=ApplicationStatus.PROPOSED,
        council_session=session,
        requested_amount=Decimal(amount),
        proposed_amount=Decimal(amount),
        opinion="Avis favorable : projet structurant pour la filière.",
    )
    FinancingLineFactory(application=application, label="Salaires", amount=Decimal(amount) * 2)
    FinancingLineFactory(application=application, side=FinancingSide.RESOURCE, label="Région", amount=Decimal(amount))
    return application


def run(job: Job) -> Job:
    execute_job(job_id=job.pk)
    job.refresh_from_db()
    return job


@needs_pdftotext
def test_the_application_report_shows_identity_amounts_and_budget_line(staff_user):
    session = CouncilSessionFactory()
    line = BudgetLineFactory(code="ess-fonct-65748", label="Subventions aux structures de l’ESS", year=2030)
    application = proposed_application(
        session, name="Recyclerie des Chartrons", siret_number=12, amount="145000.00", line=line
    )
    Agrement.objects.create(actor=application.actor, kind=AgrementKind.ESUS)

    job = run(pdf_jobs.request_application_dossier(application=application, by=staff_user))

    assert job.status == JobStatus.DONE, job.error_message
    text = pdf_text(job)
    assert "Recyclerie des Chartrons" in text
    assert application.actor.siret in text
    assert "145 000,00 €" in text
    assert "290 000,00 €" in text  # the expenses of the financing plan
    assert "Subventions aux structures de l’ESS" in text
    assert "ess-fonct-65748" in text
    assert "Convention" in text and "obligatoire" in text
    assert "Avis favorable" in text
    assert "Page 1 sur" in text


@needs_pdftotext
def test_the_session_dossier_lists_every_application_in_its_table_of_contents(staff_user):
    session = CouncilSessionFactory()
    line = BudgetLineFactory(code="ess-invest-204", label="Équipement des structures", investment=True)
    applications = [
        proposed_application(session, name="Atelier vélo solidaire", siret_number=21, amount="12500.00"),
        proposed_application(session, name="Coopérative Boucle", siret_number=22, amount="145000.00", line=line),
        proposed_application(session, name="Épicerie sociale de Bègles", siret_number=23, amount="8000.00"),
    ]
    ApplicationFactory(council_session=session, status=ApplicationStatus.IN_REVIEW, title="Pas encore proposé")

    job = run(pdf_jobs.request_session_dossier(session=session, by=staff_user))

    assert job.status == JobStatus.DONE, job.error_message
    text = pdf_text(job)
    toc = text.split("Sommaire", 1)[1][: text.split("Sommaire", 1)[1].index("Récapitulatif")]
    for application in applications:
        assert application.actor.name in toc
        assert application.actor.siret in text
    assert "Pas encore proposé" not in text
    assert "Note explicative de synthèse" in text
    assert "L2121-12" in text
    assert "ess-invest-204" in text
    assert "165 500,00 €" in text  # the sitting's total
    assert "Total investissement" in text and "Total fonctionnement" in text


def test_a_report_whose_template_fails_ends_as_a_failed_job_that_can_be_retried(staff_user):
    application = proposed_application(
        CouncilSessionFactory(), name="Régie de quartier", siret_number=31, amount="900"
    )
    job = pdf_jobs.request_application_dossier(application=application, by=staff_user)

    with mock.patch.object(pdf_jobs, "APPLICATION_TEMPLATE", "funding/pdf/introuvable.html"):
        job = run(job)

    assert job.status == JobStatus.FAILED
    assert "modèle du document" in job.error_message
    assert not job.result_file

    retry_job(job=job)
    job = run(job)
    assert job.status == JobStatus.DONE
    assert job.result_file


def test_requesting_the_same_report_twice_gives_one_job_and_one_file(staff_user):
    application = proposed_application(CouncilSessionFactory(), name="Ressourcerie", siret_number=41, amount="5000")

    first = run(pdf_jobs.request_application_dossier(application=application, by=staff_user))
    second = pdf_jobs.request_application_dossier(application=application, by=staff_user)

    assert second.pk == first.pk
    assert Job.objects.filter(kind=JobKind.COUNCIL_APPLICATION_DOSSIER).count() == 1


def test_a_changed_application_gives_a_new_report(staff_user):
    application = proposed_application(CouncilSessionFactory(), name="Tiers-lieu", siret_number=42, amount="5000")
    first = pdf_jobs.request_application_dossier(application=application, by=staff_user)

    application.proposed_amount = Decimal("4000.00")
    application.save()

    assert pdf_jobs.request_application_dossier(application=application, by=staff_user).pk != first.pk


def test_staff_request_the_dossiers_from_the_application_and_session_pages(client, staff_user):
    session = CouncilSessionFactory()
    application = proposed_application(session, name="Cuisine partagée", siret_number=51, amount="3000")
    client.force_login(staff_user)

    page = client.get(reverse("funding:application_staff_detail", args=[application.pk]))
    assert "Générer le rapport de présentation (PDF)" in page.content.decode()
    response = client.post(reverse("funding:application_dossier_request", args=[application.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("jobs:job_list")
    assert "en préparation" in response.content.decode()
    client.post(reverse("funding:application_dossier_request", args=[application.pk]))

    page = client.get(reverse("funding:session_detail", args=[session.pk]))
    assert "Générer le dossier de séance (PDF)" in page.content.decode()
    client.post(reverse("funding:session_dossier_request", args=[session.pk]))

    assert Job.objects.filter(requested_by=staff_user, kind=JobKind.COUNCIL_APPLICATION_DOSSIER).count() == 1
    assert Job.objects.filter(requested_by=staff_user, kind=JobKind.COUNCIL_SESSION_DOSSIER).count() == 1


@pytest.mark.parametrize("role", [Role.APPLICANT, None])
def test_applicants_and_anonymous_visitors_cannot_request_dossiers(client, user_with_role, role):
    session = CouncilSessionFactory()
    application = proposed_application(session, name="Garage solidaire", siret_number=61, amount="3000")
    if role is not None:
        client.force_login(user_with_role(role))

    for url in (
        reverse("funding:application_dossier_request", args=[application.pk]),
        reverse("funding:session_dossier_request", args=[session.pk]),
    ):
        response = client.post(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response.url.startswith(reverse("accounts:login"))

    assert not Job.objects.exists()


def test_applicants_cannot_download_a_dossier_requested_by_staff(client, staff_user, applicant_user):
    application = proposed_application(CouncilSessionFactory(), name="Fablab", siret_number=71, amount="3000")
    job = run(pdf_jobs.request_application_dossier(application=application, by=staff_user))
    download = reverse("jobs:job_download", args=[job.pk])

    client.force_login(applicant_user)
    assert client.get(download).status_code == 404
    client.logout()
    response = client.get(download)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))

    client.force_login(staff_user)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
