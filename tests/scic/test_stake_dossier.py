"""The deliberation dossier of a SCIC stake in PDF: a background job staff request from the SCIC page, whose file
holds the stake, the fund line before and after it and the public share against the 50 % cap; read back with
pdftotext like the funding dossiers."""

import datetime
import shutil
import subprocess
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.enums import Role
from ess_portal.jobs.enums import JobKind, JobStatus
from ess_portal.jobs.models import Job
from ess_portal.jobs.services import execute_job
from scic import pdf_jobs, services
from scic.enums import Body
from tests.actors.factories import fictitious_siret
from tests.filieres.factories import FiliereFactory
from tests.scic.factories import (
    PublicHoldingFactory,
    RepresentativeFactory,
    ScicActorFactory,
    ScicFactory,
    ShareMovementFactory,
    scic_fund_line,
)

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


def _subscribe(scic, *, shares, nominal, on, by, key):
    return services.subscribe_shares(
        scic=scic,
        shares=shares,
        nominal=Decimal(nominal),
        subscribed_on=on,
        fund_year=2024,
        deliberation_number="2024/187",
        deliberation_on=D(2024, 5, 24),
        by=by,
        idempotency_key=key,
    )


@pytest.fixture
def stake(staff_user):
    """A stake of 200 parts × 100 € on 1 June 2024 in a SCIC whose capital was 100 000 € with 5 000 € of the
    Métropole and 10 000 € of the Région; 15 000 € of the 2024 fund were committed before on another SCIC."""
    scic_fund_line(2024, voted_amount=Decimal("120000.00"))
    _subscribe(
        ScicFactory(capital=Decimal("200000")), shares=150, nominal="100", on=D(2024, 2, 1), by=staff_user, key="a"
    )
    actor = ScicActorFactory(
        name="Coopérative Énergie Citoyenne",
        siret=fictitious_siret(501),
        description="Des centrales photovoltaïques sur les toits des écoles, financées par les habitants.",
    )
    actor.filieres.add(FiliereFactory(name="Transition écologique"))
    scic = ScicFactory(actor=actor, capital=Decimal("100000"))
    ShareMovementFactory(scic=scic, shares=100, nominal=Decimal("50.00"), moved_on=D(2024, 3, 1))
    PublicHoldingFactory(scic=scic, amount=Decimal("10000.00"))
    RepresentativeFactory(scic=scic, person_name="Claire Dupuis-Laborde", body=Body.BOARD)
    return _subscribe(scic, shares=200, nominal="100", on=D(2024, 6, 1), by=staff_user, key="b")


@needs_pdftotext
def test_the_dossier_shows_the_scic_the_stake_the_fund_and_the_public_share_before_and_after(staff_user, stake):
    job = run(pdf_jobs.request_stake_dossier(movement=stake, by=staff_user, form_key=str(uuid.uuid4())))

    assert job.status == JobStatus.DONE, job.error_message
    text = pdf_text(job)
    assert "Coopérative Énergie Citoyenne" in text
    assert stake.scic.actor.siret in text
    assert stake.scic.actor.commune.name in text
    assert "Transition écologique" in text
    assert "centrales photovoltaïques sur les toits des écoles" in text
    assert "200 parts × 100,00 € = 20 000,00 €" in text
    assert "n° 2024/187 du 24/05/2024" in text
    # The fund line of 2024: voted, committed before and after the stake, what remains.
    assert (
        "Sur les 120 000,00 € votés, 15 000,00 € étaient engagés avant la souscription et 35 000,00 € le sont "
        "avec elle ; il reste 85 000,00 € disponibles." in text
    )
    # Capital 105 000 € → 125 000 €; public 15 000 € (14,3 %) → 35 000 € (28,0 %), under the 50 % cap.
    assert (
        "le capital passe de 105 000,00 € à 125 000,00 € et la part publique de 15 000,00 € à 35 000,00 €, "
        "soit de 14,3 % à 28,0 % du capital, sous le plafond de 50 % ; la part de la Métropole seule atteint 20,0 %"
        in text
    )
    assert "Part publique du capital 14,3 % 28,0 %" in text
    assert "Plafond (50 % du capital) 52 500,00 € 62 500,00 €" in text
    assert "Claire Dupuis-Laborde" in text and "conseil d’administration" in text
    assert "Page 1 sur" in text


def test_the_same_form_key_gives_the_same_job_and_a_new_form_a_new_one(client, staff_user, stake):
    client.force_login(staff_user)
    url = reverse("scic:stake_dossier_request", args=[stake.pk])
    key = str(uuid.uuid4())

    first = client.post(url, {"form_key": key})
    client.post(url, {"form_key": key})

    assert first.status_code == 302 and first.url == reverse("jobs:job_list")
    jobs = Job.objects.filter(kind=JobKind.SCIC_STAKE_DOSSIER, requested_by=staff_user)
    assert jobs.count() == 1
    assert jobs.get().parameters == {"movement_id": stake.pk}
    client.post(url, {"form_key": str(uuid.uuid4())})
    assert jobs.count() == 2


def test_staff_find_the_button_on_the_scic_page_and_readers_do_not(client, staff_user, elected_user, stake):
    ShareMovementFactory(scic=stake.scic, kind="transfer", shares=10, moved_on=D(2024, 9, 1))
    page = reverse("scic:detail", args=[stake.scic_id])
    button = "Produire le dossier de délibération (PDF)"

    client.force_login(staff_user)
    html = client.get(page).content.decode()
    assert html.count(button) == 2  # each of the two subscriptions, not the transfer
    assert reverse("scic:stake_dossier_request", args=[stake.pk]) in html

    client.force_login(elected_user)
    assert button not in client.get(page).content.decode()


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER, Role.APPLICANT, Role.PROCUREMENT])
def test_only_staff_request_the_dossier(client, user_with_role, role, stake):
    client.force_login(user_with_role(role))

    response = client.post(reverse("scic:stake_dossier_request", args=[stake.pk]), {"form_key": str(uuid.uuid4())})

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_a_movement_other_than_a_subscription_has_no_dossier(client, staff_user, stake):
    transfer = ShareMovementFactory(scic=stake.scic, kind="transfer", shares=10, moved_on=D(2024, 9, 1))
    client.force_login(staff_user)

    response = client.post(reverse("scic:stake_dossier_request", args=[transfer.pk]), {"form_key": str(uuid.uuid4())})

    assert response.status_code == 404
    assert not Job.objects.exists()


def test_only_the_requester_and_admins_download_the_dossier(client, staff_user, elected_user, admin_user, stake):
    job = run(pdf_jobs.request_stake_dossier(movement=stake, by=staff_user, form_key=str(uuid.uuid4())))
    download = reverse("jobs:job_download", args=[job.pk])

    client.force_login(elected_user)
    assert client.get(download).status_code == 404
    for user in (staff_user, admin_user):
        client.force_login(user)
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


@needs_pdftotext
def test_a_subscription_recorded_without_commitment_gets_a_dossier_without_fund_situation(staff_user):
    movement = ShareMovementFactory(scic=ScicFactory(capital=Decimal("100000")), shares=100, nominal=Decimal("50"))

    job = run(pdf_jobs.request_stake_dossier(movement=movement, by=staff_user, form_key=str(uuid.uuid4())))

    assert job.status == JobStatus.DONE, job.error_message
    text = pdf_text(job)
    assert "non imputée" in text
    assert "la situation du fonds ne peut pas être présentée" in text
    assert "soit de 0,0 % à 4,8 % du capital" in text  # 5 000 € of a capital of 105 000 €
