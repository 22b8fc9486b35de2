"""Uploaded documents of applications and of the structures' vaults: what is accepted, and how it is stored.

The type of a file is read from its content (its first bytes, or the inside of the ZIP container of
office documents), never trusted from its name or from the browser; the name's extension must agree with
the content, so an instructor never opens a file that is not what it says. Files go to private storage
(MEDIA_ROOT/documents/<actor>/<random name>) and are served only by `funding:document_download`, which
checks who asks.
"""

from pathlib import PurePath

from django.db import transaction

from ess_portal.uploads import (  # noqa: F401 (the upload rules, used by funding's forms under these names)
    ACCEPT_ATTRIBUTE,
    ALLOWED_TYPES_TEXT,
    MAX_DOCUMENT_SIZE,
    check_upload,
    detect_type,
    validate_document,
)
from funding.models import Document


class DocumentBatch:
    """Stores several documents all or nothing: one transaction, and the files already written are deleted
    if anything fails (a database error, another file refused), so no file is left without its row.

        with DocumentBatch() as batch:
            batch.add(actor=…, application=…, kind=…, upload=…, by=…)
    """

    def __init__(self):
        self.documents: list[Document] = []
        self._atomic = transaction.atomic()

    def __enter__(self):
        self._atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, traceback):
        try:
            self._atomic.__exit__(exc_type, exc, traceback)
        except BaseException:
            self._delete_files()
            raise
        if exc_type is not None:
            self._delete_files()
        return False

    def _delete_files(self):
        for document in self.documents:
            if document.file.name:
                document.file.storage.delete(document.file.name)

    def add(self, *, actor, kind: str, upload, by, application=None, valid_until=None) -> Document:
        detected = check_upload(upload)
        document = Document(
            actor=actor,
            application=application,
            kind=kind,
            original_name=PurePath(upload.name).name[:255],
            content_type=detected.content_type,
            size=upload.size,
            valid_until=valid_until,
            uploaded_by=by,
        )
        self.documents.append(document)
        upload.seek(0)
        document.file.save(upload.name, upload, save=False)
        document.save()
        return document
