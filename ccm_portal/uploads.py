"""Upload checks shared by every app that accepts PDFs (documents, credentials)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from pypdf import PdfReader
from pypdf.errors import PdfReadError

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"


def validate_pdf(upload) -> None:
    """Accept only a real, readable PDF within the size limit, whatever its name says."""
    limit = settings.PDF_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}.",
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(1024)
        if PDF_MAGIC not in head:
            raise ValidationError("The file is not a PDF (its content does not start like one).", code="not_pdf")
        upload.seek(0)
        try:
            reader = PdfReader(upload, strict=False)
            if len(reader.pages) < 1:
                raise ValidationError("The PDF has no pages.", code="empty_pdf")
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
            logger.info("Rejected unreadable PDF upload: %s", exc)
            raise ValidationError(
                "The file looks like a PDF but cannot be read; it may be damaged.", code="bad_pdf"
            ) from exc
    finally:
        upload.seek(position)
