import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import Role
from funding.documents import MAX_DOCUMENT_SIZE, DocumentBatch, check_upload
from funding.enums import DocumentKind
from funding.models import Document
from tests.accounts.factories import UserFactory
from tests.actors.factories import ActorFactory
from tests.funding.factories import (
    DOCM_MAIN,
    DOCX_MAIN,
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    XLSX_MAIN,
    ApplicationFactory,
    DocumentFactory,
    odf_bytes,
    ooxml_bytes,
    upload,
    zip_bytes,
)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("statuts.pdf", PDF_BYTES, "application/pdf"),
        ("rib.PNG", PNG_BYTES, "image/png"),
        ("scan.jpg", JPEG_BYTES, "image/jpeg"),
        ("scan.jpeg", JPEG_BYTES, "image/jpeg"),
        ("budget.odt", odf_bytes(), "application/vnd.oasis.opendocument.text"),
        (
            "budget.ods",
            odf_bytes("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        (
            "budget.docx",
            ooxml_bytes(DOCX_MAIN),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.xlsx", ooxml_bytes(XLSX_MAIN), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_accepted_files_are_recognised_by_their_content(name, content, content_type):
    assert check_upload(upload(name, content)).content_type == content_type


def test_an_executable_renamed_pdf_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("statuts.pdf", EXE_BYTES, content_type="application/pdf"))
    assert error.value.code == "invalid_type"
    assert "« statuts.pdf » n’est pas un fichier accepté" in error.value.messages[0]
    assert "PDF, ODT, ODS, DOCX, XLSX, PNG ou JPEG" in error.value.messages[0]


def test_a_png_named_pdf_is_refused_as_not_matching_its_extension():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("rib.pdf", PNG_BYTES))
    assert error.value.code == "extension_mismatch"
    assert error.value.messages == [
        "« rib.pdf » ne correspond pas à son extension : son contenu est une image PNG. "
        "Renommez-le en .png ou déposez le bon fichier."
    ]


def test_a_file_above_10_mb_is_refused_with_its_size():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("gros.pdf", PDF_BYTES + b"0" * MAX_DOCUMENT_SIZE))
    assert error.value.code == "too_big"
    assert error.value.messages == ["« gros.pdf » pèse 10,1 Mo : la taille maximale est de 10 Mo par fichier."]


def test_a_file_of_exactly_10_mb_is_accepted():
    content = PDF_BYTES + b"0" * (MAX_DOCUMENT_SIZE - len(PDF_BYTES))
    assert check_upload(upload("limite.pdf", content)).content_type == "application/pdf"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="est vide"):
        check_upload(upload("vide.pdf", b""))


@pytest.mark.parametrize(
    "content",
    [
        ooxml_bytes(DOCM_MAIN),
        ooxml_bytes(DOCX_MAIN, **{"word/vbaProject.bin": b"macros"}),
        odf_bytes(**{"Basic/Standard/Module1.xml": "<script/>"}),
    ],
)
def test_office_files_with_macros_are_refused(content):
    name = "budget.odt" if b"mimetype" in content else "budget.docx"
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content))
    assert error.value.code in {"macros", "invalid_type"}


def test_a_plain_zip_archive_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("pieces.docx", zip_bytes({"a.txt": "bonjour"})))
    assert error.value.code == "invalid_type"


def test_a_damaged_archive_is_refused():
    with pytest.raises(ValidationError):
        check_upload(upload("budget.xlsx", b"PK\x03\x04 truncated"))


def test_a_document_batch_that_fails_leaves_neither_file_nor_row(db, private_media_root):
    actor = ActorFactory()
    with pytest.raises(ValidationError):
        with DocumentBatch() as batch:
            batch.add(actor=actor, kind=DocumentKind.STATUTES, upload=upload("statuts.pdf"), by=None)
            batch.add(actor=actor, kind=DocumentKind.RIB, upload=upload("rib.pdf", EXE_BYTES), by=None)
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in private_media_root.rglob("*"))


def test_a_document_batch_stores_files_in_private_storage_under_a_random_name(db, private_media_root):
    actor = ActorFactory()
    with DocumentBatch() as batch:
        document = batch.add(actor=actor, kind=DocumentKind.STATUTES, upload=upload("Mes statuts.pdf"), by=None)
    document.refresh_from_db()
    assert document.original_name == "Mes statuts.pdf"
    assert document.content_type == "application/pdf"
    assert document.file.name.startswith(f"documents/{actor.pk}/")
    assert "statuts" not in document.file.name
    assert (private_media_root / document.file.name).read_bytes() == PDF_BYTES


# --- Download -------------------------------------------------------------------------------------------------


def test_members_download_their_structure_s_document(client, applicant_user):
    actor = ActorFactory(members=[applicant_user])
    document = DocumentFactory(actor=actor, original_name="statuts.pdf")
    client.force_login(applicant_user)
    response = client.get(reverse("funding:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="statuts.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


def test_an_applicant_cannot_download_another_structure_s_document_by_guessing_its_id(client, applicant_user):
    ActorFactory(members=[applicant_user])
    others = DocumentFactory(application=ApplicationFactory())
    client.force_login(applicant_user)
    assert client.get(reverse("funding:document_download", args=[others.pk])).status_code == 404
    assert client.get(reverse("funding:document_download", args=[others.pk + 1000])).status_code == 404


def test_staff_download_any_document(client, staff_user):
    document = DocumentFactory()
    client.force_login(staff_user)
    response = client.get(reverse("funding:document_download", args=[document.pk]))
    response.close()
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.ELECTED, Role.PROCUREMENT, Role.PARTNER])
def test_other_roles_cannot_download_documents(client, db, role):
    """Elected officials read dossiers, not their pieces (RIB, statuts, accounts)."""
    document = DocumentFactory()
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("funding:document_download", args=[document.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    document = DocumentFactory()
    response = client.get(reverse("funding:document_download", args=[document.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
