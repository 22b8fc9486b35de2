import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from funding.enums import DocumentKind
from tests.actors.factories import ActorFactory
from tests.funding.factories import PDF_BYTES, ApplicationFactory, DocumentFactory


def zip_url(application):
    return reverse("funding:application_zip", args=[application.pk])


def read_zip(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def application(db):
    return ApplicationFactory(submitted=True)


def test_staff_download_every_document_of_the_application_in_one_zip(client, staff_user, application):
    actor = application.actor
    DocumentFactory(actor=actor, kind=DocumentKind.STATUTES, original_name="statuts.pdf")
    DocumentFactory(actor=actor, kind=DocumentKind.RIB, original_name="rib.pdf")
    DocumentFactory(
        actor=actor,
        application=application,
        kind=DocumentKind.BUDGET,
        original_name="budget 2025.pdf",
        file=ContentFile(b"%PDF-1.4 budget", name="x.pdf"),
    )
    client.force_login(staff_user)

    response = client.get(zip_url(application))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"pieces-demande-{application.pk}-" in response["Content-Disposition"]
    files = read_zip(response)
    assert set(files) == {
        "Statuts - statuts.pdf",
        "Relevé d’identité bancaire - rib.pdf",
        "Budget prévisionnel du projet - budget 2025.pdf",
    }
    assert files["Budget prévisionnel du projet - budget 2025.pdf"] == b"%PDF-1.4 budget"
    assert files["Statuts - statuts.pdf"] == PDF_BYTES


def test_names_are_made_unique_in_the_archive(client, staff_user, application):
    for _ in range(3):
        DocumentFactory(
            actor=application.actor, application=application, kind=DocumentKind.QUOTE, original_name="devis.pdf"
        )
    client.force_login(staff_user)

    files = read_zip(client.get(zip_url(application)))

    assert sorted(files) == ["Devis - devis (2).pdf", "Devis - devis (3).pdf", "Devis - devis.pdf"]


def test_expired_vault_documents_and_other_structures_documents_are_left_out(client, staff_user, application):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DocumentFactory(actor=application.actor, kind=DocumentKind.ACCOUNTS, valid_until=yesterday)
    DocumentFactory(actor=ActorFactory(), kind=DocumentKind.RIB, original_name="rib-autre.pdf")
    DocumentFactory(application=ApplicationFactory(submitted=True), original_name="autre-demande.pdf")
    client.force_login(staff_user)

    assert read_zip(client.get(zip_url(application))) == {}


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ELECTED, Role.PARTNER])
def test_only_staff_download_the_zip(client, user_with_role, application, role):
    user = user_with_role(role)
    application.actor.memberships.create(user=user)
    DocumentFactory(actor=application.actor, application=application)
    client.force_login(user)

    assert client.get(zip_url(application)).status_code == 403


def test_an_unknown_or_draft_application_is_a_404(client, staff_user, db):
    draft = ApplicationFactory()
    client.force_login(staff_user)

    assert client.get(zip_url(draft)).status_code == 404
    assert client.get(reverse("funding:application_zip", args=[draft.pk + 1000])).status_code == 404
