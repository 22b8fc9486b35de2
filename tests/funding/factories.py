import datetime
import io
import zipfile
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from funding.enums import (
    ApplicationStatus,
    BudgetSection,
    CommitmentKind,
    DocumentKind,
    FinancingSide,
    StateAidRegime,
)
from funding.models import (
    Application,
    BudgetLine,
    Commitment,
    CouncilSession,
    Document,
    FinancingLine,
    SupportScheme,
)
from tests.actors.factories import ActorFactory


class BudgetLineFactory(factory.django.DjangoModelFactory):
    """A budget line; `BudgetLineFactory(investment=True)` or `(out_of_plan=True)` for the other tables."""

    class Meta:
        model = BudgetLine

    class Params:
        investment = factory.Trait(section=BudgetSection.INVESTISSEMENT)
        out_of_plan = factory.Trait(is_in_plan=False)

    year = 2024
    section = BudgetSection.FONCTIONNEMENT
    is_in_plan = True
    code = factory.Sequence(lambda n: f"ligne-test-{n}")
    label = factory.Sequence(lambda n: f"Ligne test {n}")
    voted_amount = Decimal("100000.00")
    position = factory.Sequence(lambda n: n)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A grant application; `ApplicationFactory(submitted=True)` sets the status and the submission date."""

    class Meta:
        model = Application

    class Params:
        submitted = factory.Trait(
            status=ApplicationStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )

    actor = factory.SubFactory(ActorFactory)
    title = factory.Sequence(lambda n: f"Projet test {n}")
    requested_amount = Decimal("15000.00")
    status = ApplicationStatus.DRAFT


class SupportSchemeFactory(factory.django.DjangoModelFactory):
    """A published scheme open since 30 days and closing in 90 days; `closed=True` or `draft=True` for the others."""

    class Meta:
        model = SupportScheme
        skip_postgeneration_save = True

    class Params:
        closed = factory.Trait(
            opens_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=120)),
            closes_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1)),
        )
        draft = factory.Trait(is_published=False)

    title = factory.Sequence(lambda n: f"Dispositif test {n}")
    slug = factory.Sequence(lambda n: f"dispositif-test-{n}")
    description = "Dispositif fictif créé pour les tests."
    budget_line = factory.SubFactory(BudgetLineFactory)
    state_aid_regime = StateAidRegime.DE_MINIMIS
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    ceiling_amount = Decimal("30000.00")
    required_documents = factory.LazyFunction(lambda: [DocumentKind.STATUTES.value, DocumentKind.RIB.value])
    is_published = True


class CouncilSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilSession

    title = "Conseil de Bordeaux Métropole"
    sits_on = factory.Sequence(lambda n: datetime.date(2030, 1, 1) + datetime.timedelta(days=n))


class FinancingLineFactory(factory.django.DjangoModelFactory):
    """An expense line by default; `FinancingLineFactory(side=FinancingSide.RESOURCE)` for a resource."""

    class Meta:
        model = FinancingLine

    application = factory.SubFactory(ApplicationFactory)
    side = FinancingSide.EXPENSE
    label = factory.Sequence(lambda n: f"Poste {n}")
    amount = Decimal("1000.00")
    position = factory.Sequence(lambda n: n)


# The smallest file that passes the content check of funding/documents.py.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A small PDF in the structure's vault; pass `application=…` to attach it to one application."""

    class Meta:
        model = Document

    actor = factory.SubFactory(ActorFactory)
    application = None
    kind = DocumentKind.STATUTES
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="piece.pdf"))
    original_name = "statuts.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


# --- Sample uploads (the content checks of funding/documents.py) -------------------------------------------

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00" + b"\x00" * 64


def zip_bytes(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def odf_bytes(mimetype: str = "application/vnd.oasis.opendocument.text", **extra) -> bytes:
    return zip_bytes({"mimetype": mimetype, "content.xml": "<office:document-content/>", **extra})


def ooxml_bytes(main_part: str, extra_types: str = "", **extra) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/main.xml" ContentType="{main_part}"/>{extra_types}</Types>'
    )
    return zip_bytes({"[Content_Types].xml": content_types, "main.xml": "<document/>", **extra})


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def upload(name: str = "piece.pdf", content: bytes = PDF_BYTES, content_type: str = "application/octet-stream"):
    """An uploaded file as a view receives it (the browser's content type is never trusted)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


class SpendingCommitmentFactory(factory.django.DjangoModelFactory):
    """A commitment that is not a grant, written directly (the line's committed total is not charged: use
    `funding.services.commit_spending` when the test is about the budget line)."""

    class Meta:
        model = Commitment

    class Params:
        supplier = factory.Trait(beneficiary=None, beneficiary_name="Cabinet d’études Exemple")

    kind = CommitmentKind.SERVICE_PURCHASE
    budget_line = factory.SubFactory(BudgetLineFactory)
    amount = Decimal("5000.00")
    label = factory.Sequence(lambda n: f"Étude n° {n}")
    beneficiary = factory.SubFactory(ActorFactory)
    idempotency_key = factory.Sequence(lambda n: f"spending-{n}")
