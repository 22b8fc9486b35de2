"""What an uploaded file may be, read from its content (its first bytes, or the inside of the ZIP container of
office documents), never trusted from its name or from the browser; the name's extension must agree with the
content, so nobody opens a file that is not what it says. Used by every app that stores files."""

import math
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024  # 10 Mo
# How far into a PDF the "%PDF-" header may appear (readers accept some leading bytes).
PDF_HEADER_WINDOW = 1024
# An office document's descriptors are small; more than this means a damaged or hostile archive.
MAX_DESCRIPTOR_SIZE = 512 * 1024


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    label: str
    extensions: tuple[str, ...]


PDF = DocumentType("application/pdf", "un document PDF", (".pdf",))
PNG = DocumentType("image/png", "une image PNG", (".png",))
JPEG = DocumentType("image/jpeg", "une image JPEG", (".jpg", ".jpeg"))
ODT = DocumentType("application/vnd.oasis.opendocument.text", "un texte OpenDocument (ODT)", (".odt",))
ODS = DocumentType("application/vnd.oasis.opendocument.spreadsheet", "un tableur OpenDocument (ODS)", (".ods",))
DOCX = DocumentType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "un document Word (DOCX)", (".docx",)
)
XLSX = DocumentType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "un tableur Excel (XLSX)", (".xlsx",)
)
ALLOWED_TYPES = (PDF, PNG, JPEG, ODT, ODS, DOCX, XLSX)
ALLOWED_EXTENSIONS = tuple(extension for kind in ALLOWED_TYPES for extension in kind.extensions)
ACCEPT_ATTRIBUTE = ",".join(ALLOWED_EXTENSIONS)
ALLOWED_TYPES_TEXT = "PDF, ODT, ODS, DOCX, XLSX, PNG ou JPEG"

ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}
# The main part declared in [Content_Types].xml of a Word or Excel file without macros.
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}


def _refuse(message: str, code: str, **params):
    raise ValidationError(message, code=code, params=params)


def _size_text(size: int) -> str:
    """Megabytes rounded up to a tenth (10 Mo and 40 bytes is "10,1 Mo", never "10 Mo")."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return f"{tenths // 10} Mo" if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10} Mo"


def _office_type(upload, name: str) -> DocumentType:
    """ODT/ODS (a `mimetype` entry) or DOCX/XLSX (the main part of [Content_Types].xml), without macros."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = _read_entry(archive, "mimetype").decode("ascii", "replace").strip()
                kind = ODF_MIMETYPES.get(mimetype)
                if kind and any(entry.startswith(("Basic/", "Scripts/")) for entry in names):
                    _refuse(
                        "« %(name)s » contient des macros : enregistrez-le sans macros avant de le déposer.",
                        "macros",
                        name=name,
                    )
            elif "[Content_Types].xml" in names:
                declared = _read_entry(archive, "[Content_Types].xml").decode("utf-8", "replace")
                if "vbaProject" in declared or "macroEnabled" in declared or any("vbaProject" in n for n in names):
                    _refuse(
                        "« %(name)s » contient des macros : enregistrez-le sans macros (DOCX ou XLSX) "
                        "avant de le déposer.",
                        "macros",
                        name=name,
                    )
                kind = next((kind for part, kind in OOXML_MAIN_PARTS.items() if part in declared), None)
            else:
                kind = None
    except (zipfile.BadZipFile, EOFError, OSError):
        kind = None
    if kind is None:
        _refuse(
            "« %(name)s » n’est pas un fichier accepté (archive ou format bureautique non reconnu). "
            "Formats acceptés : %(allowed)s.",
            "invalid_type",
            name=name,
            allowed=ALLOWED_TYPES_TEXT,
        )
    return kind


def _read_entry(archive: zipfile.ZipFile, entry: str) -> bytes:
    if archive.getinfo(entry).file_size > MAX_DESCRIPTOR_SIZE:
        raise zipfile.BadZipFile(entry)
    return archive.read(entry)


def detect_type(upload, name: str = "") -> DocumentType:
    """The type of an uploaded file from its content; a French ValidationError when it is not accepted."""
    upload.seek(0)
    head = upload.read(PDF_HEADER_WINDOW)
    upload.seek(0)
    if b"%PDF-" in head:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            return _office_type(upload, name)
        finally:
            upload.seek(0)
    _refuse(
        "« %(name)s » n’est pas un fichier accepté : son contenu ne correspond à aucun des formats %(allowed)s.",
        "invalid_type",
        name=name,
        allowed=ALLOWED_TYPES_TEXT,
    )


def check_upload(upload) -> DocumentType:
    """Size, content type and name of one uploaded file; the detected type, or a French ValidationError."""
    name = PurePath(upload.name or "fichier").name
    if not upload.size:
        _refuse("« %(name)s » est vide.", "empty", name=name)
    if upload.size > MAX_DOCUMENT_SIZE:
        _refuse(
            "« %(name)s » pèse %(size)s : la taille maximale est de %(max)s par fichier.",
            "too_big",
            name=name,
            size=_size_text(upload.size),
            max=_size_text(MAX_DOCUMENT_SIZE),
        )
    kind = detect_type(upload, name)
    extension = PurePath(name).suffix.lower()
    if extension not in kind.extensions:
        # A PNG named .pdf is refused rather than silently renamed: the applicant sees what was wrong.
        _refuse(
            "« %(name)s » ne correspond pas à son extension : son contenu est %(label)s. "
            "Renommez-le en %(extension)s ou déposez le bon fichier.",
            "extension_mismatch",
            name=name,
            label=kind.label,
            extension=kind.extensions[0],
        )
    return kind


def validate_document(upload) -> None:
    """Form field validator."""
    check_upload(upload)
