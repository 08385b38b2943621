"""From a note and one addressee to HTML and a PDF.

WeasyPrint is expensive to set up: the stylesheet and the font configuration are
parsed once per process and reused for every copy a worker renders.
"""

import base64
import functools
import hashlib
import io
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import language as lang
from . import sandbox
from .models import Form, Note

STATIC_SCHEME = "static:"
NOTE_STYLESHEET = "correspondence/note.css"


class FetchRefused(ValueError):
    pass


class RestrictedFetcher(URLFetcher):
    """Only data: URIs and the project's own static files; never file://, http:// or a path outside static."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, fail_on_errors=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_SCHEME):
            return static_response(url)
        raise FetchRefused(f"Refused to fetch {url!r}: only data: URIs and static: files are allowed.")


def static_response(url: str) -> URLFetcherResponse:
    path = unquote(urlsplit(url).path).lstrip("/")
    normalised = posixpath.normpath(path)
    if not path or normalised.startswith("..") or normalised != path or "\\" in path:
        raise FetchRefused(f"Refused static path {path!r}.")
    found = finders.find(normalised)
    if not found:
        raise FetchRefused(f"No static file {normalised!r}.")
    return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mimetypes.guess_type(found)[0] or ""})


@functools.cache
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet() -> CSS:
    source = Path(finders.find(NOTE_STYLESHEET)).read_text()
    return CSS(string=source, font_config=_fonts(), url_fetcher=RestrictedFetcher())


def render_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=STATIC_SCHEME + "/", url_fetcher=RestrictedFetcher())
    return document.write_pdf(stylesheets=[_stylesheet()], font_config=_fonts())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- context --------------------------------------------------------------------------------------------------------

LAO = re.compile(r"[\u0E80-\u0EFF]")
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F]")
HAN = re.compile(r"[\u4E00-\u9FFF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def script_language(text: str) -> str:
    """The language tag a line needs for the right font and direction."""
    for pattern, tag in ((LAO, "lo"), (ARABIC, "ar"), (HAN, "zh"), (CYRILLIC, "ru")):
        if pattern.search(text):
            return tag
    return ""


@dataclass(frozen=True)
class Addressee:
    key: str
    name: str
    title: str = ""
    salutation: str = ""
    emails: tuple[str, ...] = ()
    state_id: int | None = None
    organisation_id: int | None = None
    mission_id: int | None = None
    is_organisation: bool = False


def meeting_context(meeting, language: str) -> dict:
    if meeting is None:
        return {}
    link = settings.SITE_URL.rstrip("/") + reverse("meetings:detail", kwargs={"slug": meeting.slug})
    return {
        "title": meeting.title_in(language),
        "short_code": meeting.short_code,
        "kind": meeting.get_kind_display(),
        "dates": lang.date_range(meeting.start_date, meeting.end_date, language),
        "start_date": meeting.start_date,
        "end_date": meeting.end_date,
        "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
        "city": meeting.city,
        "venue": meeting.venue,
        "room": meeting.room,
        "venue_address": meeting.venue_address,
        "location": meeting.location,
        "registration_opens": lang.long_date(meeting.registration_opens, language),
        "registration_deadline": lang.long_date(meeting.registration_deadline, language),
        "delegation_details_deadline": lang.long_date(meeting.delegation_details_deadline, language),
        "rsvp_contact": meeting.rsvp_contact,
        "rsvp_email": meeting.rsvp_email,
        "rsvp_by": lang.long_date(meeting.rsvp_by, language),
        "registration_link": link,
        "link": link,
    }


def note_context(note: Note, addressee: Addressee, *, enclosures: list | None = None) -> dict:
    """Everything a template may use: plain values only, so the sandbox can reach nothing else."""
    office = note.office
    language = note.language
    sender = lang.sentence_start(office.name_in(language) or lang.with_article(office.name, language))
    is_person = addressee.key.startswith("person:")
    addressee_phrase = addressee.name if is_person else lang.with_article(addressee.name, language)
    enclosures = enclosures if enclosures is not None else list(note.enclosures.all())
    return {
        "opening": lang.note_opening(sender=sender, addressee=addressee_phrase, language=language),
        "closing": lang.note_closing(sender=sender, addressee=addressee_phrase, language=language)
        if note.form != Form.LETTER
        else lang.LETTER_CLOSING.get(language, lang.LETTER_CLOSING["en"]),
        "sender": {"name": office.name, "city": office.city, "code": office.code},
        "addressee": {
            "name": addressee.name,
            "title": addressee.title,
            "salutation": getattr(note, "salutation", "")
            or addressee.salutation
            or lang.SALUTATION.get(language, "Excellency,"),
        },
        "meeting": meeting_context(note.meeting, language),
        "treaty": {"name": note.treaty.name, "short_name": note.treaty.short_name, "code": note.treaty.code},
        "enclosures": [{"symbol": d.symbol, "title": d.title} for d in enclosures],
        "reference": note.reference or "[reference on issue]",
        "date": lang.long_date(note.issue_date, language) if note.issue_date else "[date on issue]",
    }


@dataclass
class RenderedNote:
    subject: str
    paragraphs: list[Markup]
    html: str

    @property
    def text(self) -> str:
        return sandbox.plain_text(self.paragraphs)


def _emblem_data_uri(office) -> str:
    if not office.emblem:
        return ""
    try:
        with office.emblem.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    kind = mimetypes.guess_type(office.emblem.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def render_note(note: Note, addressee: Addressee, *, enclosures: list | None = None) -> RenderedNote:
    """Render one copy to HTML. Raises sandbox.TemplateProblem with the line of a template error."""
    context = note_context(note, addressee, enclosures=enclosures)
    subject = sandbox.plain_text([sandbox.render(note.subject, context, field="subject")])
    body = sandbox.paragraphs(sandbox.render(note.body, context, field="body"))
    office = note.office
    html = render_to_string(
        "correspondence/note.html",
        {
            "note": note,
            "office": office,
            "letterhead": [(line, script_language(line)) for line in office.letterhead],
            "emblem": _emblem_data_uri(office),
            "addressee": addressee,
            "context": context,
            "subject": subject,
            "paragraphs": body,
            "signatories": list(note.signatories.all()),
            "language": note.language,
            "rtl": note.language in lang.RTL_LANGUAGES,
            "enclosures_label": lang.ENCLOSURES.get(note.language, "Enclosures"),
            "is_letter": note.form == Form.LETTER,
            "is_circular": note.form == Form.CIRCULAR,
        },
    )
    return RenderedNote(subject=subject, paragraphs=body, html=html)


def append_documents(pdf: bytes, documents: list) -> bytes:
    """Append the enclosed documents' pages after the note."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf)))
    for document in documents:
        if document.file:
            with document.file.open("rb") as handle:
                writer.append(PdfReader(io.BytesIO(handle.read())))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
