"""The foncière solidaire's yearly report in PDF: a background job staff request from the register of properties, whose
file holds the properties and their occupancy on 31 December, the leases of the year, the in-kind aid per occupant
and in total, and the Métropole's capitalisation; read back with pdftotext like the other council dossiers."""

import datetime
import shutil
import subprocess
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.enums import Role
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import execute_job
from fonciere import pdf_jobs, services
from fonciere.enums import PropertyUse, Tenure
from funding import services as funding_services
from funding.enums import PaymentKind
from tests.actors.factories import ActorFactory, CommuneFactory, fictitious_siret
from tests.fonciere.factories import LeaseFactory, PropertyFactory
from tests.funding.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db
D = datetime.date

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed: cannot read the PDF text"
)


def pdf_text(job: Job) -> str:
    """The PDF's text in reading order, non-breaking spaces and line breaks read as single spaces, words that
    WeasyPrint hyphenated at a line end (U+2010) joined again."""
    job.refresh_from_db()
    with job.result_file.open("rb") as file:
        data = file.read()
    assert data.startswith(b"%PDF-")
    text = subprocess.run([PDFTOTEXT, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split()).replace("\u2010 ", "")


def run(job: Job) -> Job:
    execute_job(job_id=job.pk)
    job.refresh_from_db()
    return job


def _capitalise(*, year, amount, paid_on, number, by, key):
    BudgetLineFactory(year=year, code="capitalisation-fonciere-solidaire", voted_amount=Decimal("1000000"))
    return services.capitalise(
        amount=Decimal(amount),
        paid_on=paid_on,
        year=year,
        deliberation_number=number,
        deliberation_on=paid_on - datetime.timedelta(days=30),
        by=by,
        idempotency_key=key,
    )


@pytest.fixture
def year_2025(staff_user):
    """Two properties (500 m² in Bordeaux, 300 m² in Mérignac), three signed leases in 2025 for two structures, an
    unsigned one and one of 2023 only; 600 000 € of capitalisation in 2024 and 250 000 € in 2025, paid by one mandate.

    In-kind aid of 2025: Recyclerie 40 € × 100 m² × 365/365 = 4 000,00 € and 60 € × 60 m² × 181/365 = 1 785,21 €
    (5 785,21 €); Atelier 60 € × 150 m² × 184/365 = 4 536,99 €; in all 10 322,20 €."""
    halle = PropertyFactory(
        name="Halle des Chartrons",
        commune=CommuneFactory(name="Bordeaux"),
        surface=Decimal("500"),
        use=PropertyUse.OFFICES,
    )
    entrepot = PropertyFactory(
        name="Entrepôt du Haillan",
        commune=CommuneFactory(name="Mérignac"),
        surface=Decimal("300"),
        use=PropertyUse.LOGISTICS,
        tenure=Tenure.MANAGEMENT_MANDATE,
    )
    recyclerie = ActorFactory(name="Recyclerie de la Bastide", siret=fictitious_siret(701))
    atelier = ActorFactory(name="Atelier Vélo Solidaire", siret=fictitious_siret(702))
    LeaseFactory(property=halle, occupant=recyclerie)  # 100 m², 2025, 80 € instead of 120 €
    LeaseFactory(
        property=halle,
        occupant=atelier,
        surface=Decimal("150"),
        starts_on=D(2025, 7, 1),
        ends_on=None,
        rent=Decimal("50"),
        market_rent=Decimal("110"),
        signed_on=D(2025, 6, 1),
    )
    LeaseFactory(
        property=entrepot,
        occupant=recyclerie,
        surface=Decimal("60"),
        starts_on=D(2024, 3, 1),
        ends_on=D(2025, 6, 30),
        rent=Decimal("30"),
        market_rent=Decimal("90"),
        signed_on=D(2024, 2, 1),
    )
    LeaseFactory(
        property=halle, occupant=ActorFactory(name="Ferme urbaine à signer"), surface=Decimal("50"), unsigned=True
    )
    LeaseFactory(
        property=entrepot,
        occupant=ActorFactory(name="Conserverie d’autrefois"),
        starts_on=D(2023, 1, 1),
        ends_on=D(2023, 12, 31),
    )
    _capitalise(year=2024, amount="600000", paid_on=D(2024, 3, 1), number="2024-051", by=staff_user, key="a")
    instalment = _capitalise(
        year=2025, amount="250000", paid_on=D(2025, 3, 15), number="2025-112", by=staff_user, key="b"
    )
    funding_services.add_payment(
        commitment=instalment.commitment,
        amount=Decimal("250000"),
        kind=PaymentKind.SINGLE,
        by=staff_user,
        paid_on=D(2025, 4, 2),
        payment_order_number="M-2025-0042",
    )
    return instalment


@needs_pdftotext
def test_the_report_shows_the_properties_the_leases_the_aid_per_occupant_and_the_capitalisation(staff_user, year_2025):
    job = run(pdf_jobs.request_annual_report(year=2025, by=staff_user, form_key=str(uuid.uuid4())))

    assert job.status == JobStatus.DONE, job.error_message
    assert "rapport-annuel-fonciere-solidaire-2025" in job.result_file.name
    text = pdf_text(job)
    assert "Rapport annuel 2025 de la foncière solidaire" in text
    assert (
        "2 biens pour 800,00 m² Occupation au 31/12/2025 250,00 m² loués, 550,00 m² vacants : taux d’occupation de "
        "31,3 % Baux en vigueur 3 baux signés au profit de 2 structures de l’ESS Aide en nature 2025 10 322,20 € "
        "Capitalisation 2025 250 000,00 € versés par la Métropole (850 000,00 € au total au 31/12/2025)" in text
    )
    # Occupancy on 31 December 2025: the Halle has 250 of its 500 m² let, the Entrepôt's lease ended in June; the
    # lines of a table read column by column where a cell holds two lines.
    assert "Entrepôt du Haillan Mérignac Logistique 300,00 m² 0,00 m² 300,00 m² 0,0 %" in text
    assert "Halle des Chartrons Bordeaux Bureaux détenu par la foncière" in text
    assert "500,00 m² 250,00 m² 250,00 m² 50,0 %" in text
    assert "800,00 m² 250,00 m² 550,00 m² 31,3 %" in text and "Ensemble des biens" in text
    # The signed leases of 2025, rent against market rent, each with its aid of the year.
    assert (
        "Recyclerie de la Bastide Entrepôt du Haillan Mérignac 01/03/2024 – 30/06/2025 60,00 m² 30,00 € 90,00 € "
        "remise 66,7 % 1 785,21 €" in text
    )
    assert (
        "Recyclerie de la Bastide Halle des Chartrons Bordeaux 01/01/2025 – 31/12/2025 100,00 m² 80,00 € 120,00 € "
        "remise 33,3 % 4 000,00 €" in text
    )
    assert (
        "Atelier Vélo Solidaire Halle des Chartrons Bordeaux 01/07/2025 – sans terme 150,00 m² 50,00 € 110,00 € "
        "remise 54,5 % 4 536,99 €" in text
    )
    assert "Ferme urbaine à signer" not in text
    assert "Conserverie d’autrefois" not in text
    assert "/ 365 jours de l’année" in text
    # The in-kind aid of 2025 per occupant, and the total in the summary, under the leases and under the occupants.
    assert f"Atelier Vélo Solidaire {fictitious_siret(702)} 4 536,99 € Recyclerie de la Bastide" in text
    assert f"Recyclerie de la Bastide {fictitious_siret(701)} 5 785,21 €" in text
    assert "Total de l’aide en nature 2025" in text
    assert text.count("10 322,20 €") == 3
    # The capitalisation of 2025 with its commitment and its mandate; 850 000 € brought since the start.
    legal_number = year_2025.commitment.legal_commitment_number
    assert f"15/03/2025 n° 2025-112 du 13/02/2025 {legal_number}" in text
    assert "exercice 2025" in text
    assert "M-2025-0042 02/04/2025 · 250 000,00 €" in text
    assert "Total 2025" in text
    assert "la Métropole avait apporté au total 850 000,00 € au capital de la foncière" in text
    assert "2024-051" not in text
    assert "Page 1 sur" in text


@needs_pdftotext
def test_a_year_without_anything_gets_a_clear_empty_report(staff_user):
    PropertyFactory(name="Bien acquis plus tard")  # registered today: not in the register at the end of 2022

    job = run(pdf_jobs.request_annual_report(year=2022, by=staff_user, form_key=str(uuid.uuid4())))

    assert job.status == JobStatus.DONE, job.error_message
    text = pdf_text(job)
    assert "Aucune activité en 2022" in text
    assert "aucun bien inscrit à son registre, aucun bail signé en vigueur" in text
    assert "Bien acquis plus tard" not in text
    assert "Les baux en vigueur" not in text


@needs_pdftotext
def test_the_current_year_reports_the_occupancy_of_today(staff_user):
    today = timezone.localdate()
    property = PropertyFactory(name="Tiers-lieu des Capucins", surface=Decimal("400"))
    LeaseFactory(
        property=property, surface=Decimal("100"), starts_on=D(today.year, 1, 1), ends_on=None, signed_on=D(2020, 1, 1)
    )

    job = run(pdf_jobs.request_annual_report(year=today.year, by=staff_user, form_key=str(uuid.uuid4())))

    text = pdf_text(job)
    assert f"exercice {today.year} (en cours)" in text
    assert f"Occupation au {today:%d/%m/%Y} 100,00 m² loués, 300,00 m² vacants : taux d’occupation de 25,0 %" in text


def test_a_report_of_an_invalid_year_fails_with_a_french_message(staff_user):
    job = run(pdf_jobs.request_annual_report(year="deux mille", by=staff_user, form_key=str(uuid.uuid4())))

    assert job.status == JobStatus.FAILED
    assert "L’année demandée n’est pas valide" in job.error_message


def test_the_years_offered_run_from_the_first_lease_or_instalment_to_the_current_year(staff_user):
    current = timezone.localdate().year
    assert pdf_jobs.report_years() == [current]

    LeaseFactory(starts_on=D(2024, 5, 1), ends_on=None)
    assert pdf_jobs.report_years() == list(range(current, 2023, -1))

    _capitalise(year=2023, amount="1000", paid_on=D(2023, 9, 1), number="2023-9", by=staff_user, key="c")
    assert pdf_jobs.report_years() == list(range(current, 2022, -1))


def test_staff_request_the_report_of_a_year_and_a_double_submit_makes_one_job(client, staff_user):
    LeaseFactory(starts_on=D(2024, 1, 1))
    client.force_login(staff_user)
    url = reverse("fonciere:annual_report_request")
    key = str(uuid.uuid4())

    first = client.post(url, {"form_key": key, "year": "2025"})
    client.post(url, {"form_key": key, "year": "2025"})

    assert first.status_code == 302 and first.url == reverse("jobs:job_list")
    jobs = Job.objects.filter(kind=JobKind.FONCIERE_ANNUAL_REPORT, requested_by=staff_user)
    assert jobs.count() == 1
    assert jobs.get().parameters == {"year": 2025}
    client.post(url, {"form_key": key, "year": "2024"})
    client.post(url, {"form_key": str(uuid.uuid4()), "year": "2025"})
    assert jobs.count() == 3


def test_a_year_outside_those_offered_is_refused_and_makes_no_job(client, staff_user):
    LeaseFactory(starts_on=D(2024, 1, 1))
    client.force_login(staff_user)

    response = client.post(
        reverse("fonciere:annual_report_request"), {"form_key": str(uuid.uuid4()), "year": "2019"}, follow=True
    )

    assertContains(response, "Choisissez l’année du rapport annuel parmi celles proposées.")
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER, Role.APPLICANT, Role.PROCUREMENT])
def test_only_staff_request_the_report(client, user_with_role, role):
    current = timezone.localdate().year
    client.force_login(user_with_role(role))

    response = client.post(
        reverse("fonciere:annual_report_request"), {"form_key": str(uuid.uuid4()), "year": str(current)}
    )

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_staff_find_the_form_on_the_register_with_the_years_and_readers_do_not(client, staff_user, elected_user):
    LeaseFactory(starts_on=D(2024, 1, 1))
    current = timezone.localdate().year
    page = reverse("fonciere:property_list")
    button = "Produire le rapport annuel (PDF)"

    client.force_login(staff_user)
    response = client.get(page)
    assertContains(response, button)
    assertContains(response, reverse("fonciere:annual_report_request"))
    assertContains(response, f'<option value="{current}" selected>{current}</option>', html=True)
    assertContains(response, '<option value="2024">2024</option>', html=True)
    assertNotContains(response, '<option value="2023">2023</option>', html=True)

    client.force_login(elected_user)
    assertNotContains(client.get(page), button)


def test_only_the_requester_and_admins_download_the_report(client, staff_user, elected_user, admin_user):
    job = run(pdf_jobs.request_annual_report(year=2025, by=staff_user, form_key=str(uuid.uuid4())))
    download = reverse("jobs:job_download", args=[job.pk])

    client.force_login(elected_user)
    assert client.get(download).status_code == 404
    for user in (staff_user, admin_user):
        client.force_login(user)
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


@needs_pdftotext
def test_a_year_with_only_a_capitalisation_says_so_in_each_section(staff_user):
    _capitalise(year=2023, amount="400000", paid_on=D(2023, 6, 1), number="2023-077", by=staff_user, key="d")

    job = run(pdf_jobs.request_annual_report(year=2023, by=staff_user, form_key=str(uuid.uuid4())))

    assert job.status == JobStatus.DONE, job.error_message
    text = pdf_text(job)
    assert "Aucun bien n’était inscrit au registre de la foncière ni loué en 2023." in text
    assert "Aucun bail signé n’était en vigueur en 2023." in text
    assert "Aucune aide en nature en 2023" in text
    assert "01/06/2023 n° 2023-077 du 02/05/2023" in text
    assert "aucun mandat" in text
    assert "Biens 0 bien pour 0,00 m²" in text and "0 bail signé au profit de 0 structure de l’ESS" in text
    assert "Capitalisation 2023 400 000,00 € versés par la Métropole" in text
