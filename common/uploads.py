"""Upload checks shared by every app that accepts PDFs (documents, credentials, Article 7 reports).

An uploaded PDF is shown to staff in their browser, mailed to missions as an enclosure and
appended to notes. So beyond "is it a PDF", a file is refused when it could act on the
reader's machine (JavaScript, launch actions, embedded files), when it could pass for a web
page (an HTML/PDF polyglot), or when it expands to far more than its size when opened.
"""

import logging
import re
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# A browser that sniffs content would take these for a web page.
HTML_MARKERS = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|meta)\b", re.IGNORECASE)
# Names a viewer acts on: they run code, open programs or carry other files inside the PDF.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"}
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"}
# A document with more objects than this is not a letter or an agenda; walking it would tie up a worker.
MAX_OBJECTS = 200_000
REFUSED_ACTIVE = _(
    "The PDF contains %(what)s, which the portal does not accept. "
    "Print it to a new PDF (Print › Save as PDF) and upload that."
)


def validate_pdf(upload) -> None:
    """Accept only a real, readable, inert PDF within the size limits, whatever its name says."""
    limit = settings.PDF_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            gettext("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(1024)
        if not head.startswith(PDF_MAGIC):
            # The format allows a PDF to start later in the file; such a file can also be a web page.
            raise ValidationError(
                gettext("The file is not a PDF (its content does not start like one)."), code="not_pdf"
            )
        if HTML_MARKERS.search(head):
            raise ValidationError(
                gettext("The file is both a PDF and a web page; the portal does not accept it."), code="polyglot"
            )
        upload.seek(0)
        try:
            reader = PdfReader(upload, strict=False)
            if len(reader.pages) < 1:
                raise ValidationError(gettext("The PDF has no pages."), code="empty_pdf")
            _check_inert(reader)
        except ValidationError:
            raise
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
            logger.info("Rejected unreadable PDF upload: %s", exc)
            raise ValidationError(
                gettext("The file looks like a PDF but cannot be read; it may be damaged."), code="bad_pdf"
            ) from exc
    finally:
        upload.seek(position)


def _check_inert(reader: PdfReader) -> None:
    """Walk every object reachable from the trailer: no active content, bounded expansion.

    pypdf resolves names written with escapes (/J#61vaScript) and objects kept inside
    compressed object streams, so a hidden /JavaScript is found like a plain one.
    """
    budget = settings.PDF_MAX_EXPANDED_BYTES
    expanded = 0
    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    visited = 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise ValidationError(
                gettext("The PDF is too complex to check; the portal does not accept it."), code="complex"
            )
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in ACTIVE_KEYS:
                    raise ValidationError(REFUSED_ACTIVE % {"what": _describe(name)}, code="active_content")
                if name == "/S" and isinstance(value, NameObject) and value in ACTIVE_ACTIONS:
                    raise ValidationError(REFUSED_ACTIVE % {"what": _describe(value)}, code="active_content")
                pending.append(value)
            if isinstance(node, StreamObject):
                expanded += _expanded_size(node, budget - expanded)
                if expanded > budget:
                    raise ValidationError(
                        gettext("The PDF expands to more than %(limit)s when opened; the portal does not accept it.")
                        % {"limit": filesizeformat(budget)},
                        code="expands",
                    )
        elif isinstance(node, ArrayObject):
            pending.extend(node)


def _describe(name: str) -> str:
    if name in ("/JS", "/JavaScript"):
        return gettext("JavaScript")
    if name in ("/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/RichMediaExecute"):
        return gettext("embedded files")
    return gettext("an action that opens other programs or files")


def _expanded_size(stream: StreamObject, allowance: int) -> int:
    """How large a Flate-compressed stream becomes, counted without holding more than a chunk in memory.

    Stops counting one byte past ``allowance``: a 2 GiB bomb costs no more than the budget.
    """
    filters = stream.get("/Filter")
    names = [filters] if isinstance(filters, NameObject) else list(filters or [])
    data = getattr(stream, "_data", b"") or b""
    if "/FlateDecode" not in names:
        return len(data)
    inflater = zlib.decompressobj()
    total = 0
    chunk = data
    try:
        while chunk and total <= allowance:
            out = inflater.decompress(chunk, 1 << 20)
            total += len(out)
            chunk = inflater.unconsumed_tail
    except zlib.error:
        return total  # damaged streams are a viewer's problem, not a size one
    return total
