import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import Role
from events.models import GsefDocument, GsefParticipation
from tests.events.factories import GsefParticipationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_staff_log_a_participation_and_attach_a_document_downloaded_as_attachment(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("events:gsef_create"),
        {"kind": "forum", "title": "GSEF 2023", "held_on": "2023-05-01", "place": "Dakar", "attendees": "VP ESS"},
    )
    participation = GsefParticipation.objects.get()
    assert response.url == participation.get_absolute_url()
    upload = SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf")
    client.post(reverse("events:gsef_document_add", args=[participation.pk]), {"file": upload})
    document = GsefDocument.objects.get()
    response = client.get(reverse("events:gsef_document_download", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_a_document_that_is_not_what_it_says_is_refused(client, staff_user):
    participation = GsefParticipationFactory()
    client.force_login(staff_user)
    upload = SimpleUploadedFile("programme.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("events:gsef_document_add", args=[participation.pk]), {"file": upload})
    assert response.status_code == 400
    assert not GsefDocument.objects.exists()


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PARTNER])
def test_elected_officials_and_partners_read_the_log_but_cannot_write(client, user_with_role, role):
    participation = GsefParticipationFactory()
    client.force_login(user_with_role(role))
    assert client.get(reverse("events:gsef_list")).status_code == 200
    assert client.get(reverse("events:gsef_detail", args=[participation.pk])).status_code == 200
    upload = SimpleUploadedFile("cr.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("events:gsef_document_add", args=[participation.pk]), {"file": upload})
    assert response.status_code == 403
    assert not GsefDocument.objects.exists()


def test_applicants_may_not_read_the_log(client, applicant_user):
    client.force_login(applicant_user)
    assert client.get(reverse("events:gsef_list")).status_code == 403


def test_applicants_and_visitors_may_not_download_a_document(client, applicant_user, staff_user):
    participation = GsefParticipationFactory()
    client.force_login(staff_user)
    upload = SimpleUploadedFile("cr.pdf", PDF, content_type="application/pdf")
    client.post(reverse("events:gsef_document_add", args=[participation.pk]), {"file": upload})
    url = reverse("events:gsef_document_download", args=[GsefDocument.objects.get().pk])
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(applicant_user)
    assert client.get(url).status_code == 403
