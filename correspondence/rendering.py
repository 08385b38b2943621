"""From a note and one addressee to HTML and a PDF (the PDF through common.pdf, with the note stylesheet)."""

import base64
import datetime as dt
import hashlib
import io
import mimetypes
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from markupsafe import Markup

from common.pdf import html_to_pdf
from common.uploads import validate_pdf

from . import language as lang
from . import richtext, sandbox
from .models import Form, Note, Office, lines_of

NOTE_STYLESHEET = "correspondence/note.css"


# Archival: PDF/A-3b keeps the fonts and colour profile inside the file; the title, author, date and
# language come from the HTML's <title>, <meta> and lang (templates/correspondence/note.html).
PDF_VARIANT = "pdf/a-3b"


def _english(treaty, field: str) -> str:
    """A treaty's name in English (modeltranslation's ``<field>_en``), also for the previews' stand-in treaty."""
    return getattr(treaty, f"{field}_en", None) or getattr(treaty, field)


def render_pdf(html: str) -> bytes:
    return html_to_pdf(html, stylesheet=NOTE_STYLESHEET, pdf_variant=PDF_VARIANT)


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

    @property
    def by_hand(self) -> bool:
        """No e-mail address: the copy is printed and delivered by hand."""
        return not self.emails


def copy_addressee(copy) -> Addressee:
    """The addressee an outbox row was frozen with at issue."""
    return Addressee(
        key=copy.addressee_key,
        name=copy.addressee_name,
        title=copy.addressee_title,
        salutation=copy.salutation,
        emails=tuple(copy.email_list),
        state_id=copy.state_id,
        organisation_id=copy.organisation_id,
        mission_id=copy.mission_id,
    )


def _untranslated(label) -> str:
    """A choice's label as the code writes it, whatever the reader's interface language: a note's text
    follows the note's own language and never passes through the interface catalogue."""
    with translation.override(None):
        return str(label())


def meeting_context(meeting, language: str) -> dict:
    if meeting is None:
        return {}
    link = settings.SITE_URL.rstrip("/") + reverse("meetings:detail", kwargs={"slug": meeting.slug})
    return {
        "title": meeting.title_in(language),
        "short_code": meeting.short_code,
        "kind": _untranslated(meeting.get_kind_display),
        "dates": lang.date_range(meeting.start_date, meeting.end_date, language),
        "when": lang.meeting_when(meeting.start_date, meeting.end_date, meeting.start_time, language),
        "where": lang.meeting_where(venue=meeting.venue, room=meeting.room, city=meeting.city, language=language),
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
    # The office as it reads in a sentence of the note's language, article included; none recorded: the
    # language's article before the English name (English names are recorded without “the”).
    recorded = office.name_in(language, fallback=False) if language != "en" else ""
    sender = lang.sentence_start(recorded or lang.with_article(office.name_in("en"), language))
    is_person = addressee.key.startswith("person:")
    addressee_phrase = addressee.name if is_person else lang.with_article(addressee.name, language)
    enclosures = enclosures if enclosures is not None else list(note.enclosures.all())
    treaty = getattr(note, "treaty", None)  # a draft being typed may have none yet
    rtl = language in lang.RTL_LANGUAGES
    if rtl:
        sender, addressee_phrase = lang.isolate(sender), lang.isolate(addressee_phrase)
    context = {
        "opening": lang.note_opening(sender=sender, addressee=addressee_phrase, language=language),
        "closing": lang.note_closing(sender=sender, addressee=addressee_phrase, language=language)
        if note.form != Form.LETTER
        else lang.LETTER_CLOSING.get(language, lang.LETTER_CLOSING["en"]),
        "sender": {"name": office.name_in("en"), "city": office.city, "code": office.code},
        "addressee": {
            "name": addressee.name,
            "title": addressee.title,
            "salutation": getattr(note, "salutation", "")
            or addressee.salutation
            or lang.SALUTATION.get(language, "Excellency,"),
        },
        "meeting": meeting_context(note.meeting, language),
        # English, as the groups' wording below expects: each note language words the treaty in its own formulas.
        "treaty": {"name": _english(treaty, "name"), "short_name": _english(treaty, "short_name"), "code": treaty.code}
        if treaty
        else {},
        "enclosures": [{"symbol": d.symbol, "title": d.title_in(language)} for d in enclosures],
        "addressees": lang.groups_phrase(
            list(getattr(note, "addressee_groups", []) or []),
            treaty=_english(treaty, "name") if treaty else "Convention",
            code=treaty.code if treaty else "",
            language=language,
        ),
        "reference": note.reference or "[reference on issue]",
        "date": lang.long_date(note.issue_date, language) if note.issue_date else "[date on issue]",
    }
    if rtl:
        # A Latin name or a link inside Arabic text keeps its own order: each value is a bidi isolate.
        context |= {key: lang.isolated(value) for key, value in context.items() if key not in ("opening", "closing")}
    return context


# The addressee of a note's title in lists: the subject is the same for every copy unless it names them.
TITLE_ADDRESSEE = Addressee(key="title", name="[addressee]")


def subject_text(note: Note) -> str:
    """The subject as it reads, for lists and titles; the wording itself while it has an error."""
    try:
        context = note_context(note, TITLE_ADDRESSEE, enclosures=[])
        return sandbox.plain_text([sandbox.render(note.subject, context, field="subject")])
    except sandbox.TemplateProblem:
        return note.subject


def draft_context(
    *, office, meeting, treaty, language: str, form: str, addressee: Addressee, enclosures: list = ()
) -> dict:
    """The placeholders' values for a note still being typed (not saved, perhaps without a meeting)."""
    stand_in = Office(name="[the office]", city="[city]")
    note = Note(office=office or stand_in, meeting=meeting, language=language, form=form)
    if treaty or meeting:
        note.treaty = treaty or meeting.treaty
    return note_context(note, addressee, enclosures=list(enclosures))


PLACEHOLDER_ORDER = [
    *("opening", "closing", "meeting", "addressee", "addressees", "sender", "treaty", "enclosures", "reference", "date")
]


def placeholder_values(context: dict) -> list[tuple[str, str]]:
    """Every placeholder of a context with the text it gives: the formulas, then the meeting's, then the rest."""
    rows = []
    ordered = sorted(context, key=lambda k: PLACEHOLDER_ORDER.index(k) if k in PLACEHOLDER_ORDER else len(context))
    for key, value in ((k, context[k]) for k in ordered):
        if isinstance(value, dict):
            rows += [(f"{key}.{name}", _shown(inner)) for name, inner in value.items()]
        elif isinstance(value, list):
            symbols = ", ".join(item["symbol"] for item in value) or gettext("none chosen")
            rows.append((f"{{% for e in {key} %}}{{{{ e.symbol }}}} {{{{ e.title }}}}{{% endfor %}}", symbols))
        else:
            rows.append((key, _shown(value)))
    return [(name if name.startswith("{%") else f"{{{{ {name} }}}}", shown) for name, shown in rows]


def _shown(value) -> str:
    if isinstance(value, dt.date):
        return lang.long_date(value)
    return str(value) if value not in (None, "") else "—"


def example_addressee(language: str) -> Addressee:
    """Stands for “each addressee” where the placeholders are shown before any copy exists."""
    name = {
        "fr": "Mission permanente de [l'État]",
        "es": "Misión Permanente de [el Estado]",
        "ar": "البعثة الدائمة لـ[الدولة]",
    }.get(language, "Permanent Mission of [State]")
    return Addressee(key="example", name=name)


@dataclass
class RenderedNote:
    subject: str
    paragraphs: list[Markup]  # the body's blocks as clean HTML (<p>, <ul>, <ol>, a centred <div>)
    html: str
    sheet: dict  # what templates/correspondence/_note_sheet.html lays out, for the HTML preview

    @property
    def text(self) -> str:
        """The body as e-mail text, with the postscript."""
        parts = [*self.paragraphs, self.sheet.get("postscript", "")]
        return richtext.to_text("".join(str(p) for p in parts if p))


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


def _lines(text: str) -> list[tuple[Markup, str]]:
    """Letterhead, header or footer lines as inline rich text, each with the language its script needs."""
    return [(richtext.inline_html(line), script_language(line)) for line in lines_of(text)]


def dateline_text(note: Note, date_text: str) -> str:
    """The date line as the office writes it: its date format in English, the city first if it uses one."""
    if note.dateline:
        return note.dateline
    office = note.office
    if note.issue_date and note.language == "en":
        date_text = lang.english_date(note.issue_date, office.date_format)
    return lang.dateline(office.city, date_text, note.language) if office.date_with_city else date_text


def addressee_lines(note: Note, addressee: Addressee) -> list[str]:
    """What the addressee block prints: a named person with title and mission; a circular's groups in the
    note's language (each mission still receives its own copy); otherwise the mission the copy goes to."""
    if addressee.key.startswith("person:"):
        return [addressee.name, *lines_of(addressee.title)]
    if note.addressee_block.strip():
        return lines_of(note.addressee_block)
    treaty = getattr(note, "treaty", None)
    groups = lang.group_lines(
        list(note.addressee_groups),
        treaty=_english(treaty, "name") if treaty else "Convention",
        code=treaty.code if treaty else "",
        language=note.language,
    )
    return groups or [addressee.name]


SIGN_OFF_LENGTH = 160  # characters: a closing formula, “Yours sincerely,”; longer is a paragraph of the letter


def _sign_off_start(blocks: list[str], form: str) -> int:
    """Where the closing starts: it is printed with the signature (or the date of a note verbale), never alone."""
    if form != Form.LETTER:
        return max(len(blocks) - 1, 0)
    start = len(blocks)
    while start > 0 and len(blocks) - start < 2:
        block = blocks[start - 1]
        if len(block) > SIGN_OFF_LENGTH or richtext.LIST_ITEM.match(block) or block.lstrip().startswith(":::"):
            break
        start -= 1
    return start


def render_note(note: Note, addressee: Addressee, *, enclosures: list | None = None) -> RenderedNote:
    """Render one copy to HTML. Raises sandbox.TemplateProblem with the line of a template error."""
    context = note_context(note, addressee, enclosures=enclosures)
    subject = sandbox.plain_text([sandbox.render(note.subject, context, field="subject")])
    blocks = richtext.blocks(sandbox.render_rich(note.body, context, field="body"))
    html_blocks = [richtext.to_html(block) for block in blocks]
    split = _sign_off_start(blocks, note.form)
    postscript = richtext.to_html(sandbox.render_rich(note.postscript, context, field="postscript"))
    office = note.office
    is_letter = note.form == Form.LETTER
    sheet = {
        "note": note,
        "office": office,
        "header": _lines(office.header_lines),
        "letterhead": _lines(note.letterhead_lines or office.letterhead_lines),
        "footer": _lines(note.footer_lines or office.footer_lines),
        "emblem": _emblem_data_uri(office),
        "addressee": addressee,
        "addressee_lines": addressee_lines(note, addressee) if note.form != Form.NOTE_VERBALE else [],
        "addressees_at_end": office.addressees_at_end,
        "context": context,
        "reference": note.reference if note.is_issued else ("[reference on issue]" if office.reference_pattern else ""),
        "subject": subject if office.prints_subject else "",
        "paragraphs": html_blocks[:split],
        "sign_off": html_blocks[split:],
        "postscript": postscript,
        "signatories": list(note.signatories.all()),
        "language": note.language,
        "rtl": note.language in lang.RTL_LANGUAGES,
        "enclosures_label": lang.ENCLOSURES.get(note.language, "Enclosures"),
        "dateline": dateline_text(note, context["date"]),
        "date_at_end": note.form == Form.NOTE_VERBALE,
        "is_letter": is_letter,
        "is_circular": note.form == Form.CIRCULAR,
        "pdf_title": note.reference or subject,
    }
    with translation.override(None):  # the note's language only: the same copy whoever renders it
        html = render_to_string("correspondence/note.html", sheet)
    return RenderedNote(subject=subject, paragraphs=html_blocks, html=html, sheet=sheet)


class EnclosureRefused(ValueError):
    """An enclosed document fails the upload checks; the message names it and says why."""


def enclosures_check(documents: list) -> None:
    """Check each enclosed file again, as an upload: it goes out to every mission, and its file may have
    been replaced in the admin since it was first checked. Raises EnclosureRefused."""
    for document in documents:
        if not document.file:
            continue
        try:
            with document.file.open("rb") as handle:
                validate_pdf(ContentFile(handle.read(), name=document.file.name))
        except ValidationError as error:
            reason = " ".join(error.messages)
            raise EnclosureRefused(
                gettext("The enclosure %(symbol)s cannot be sent: %(reason)s")
                % {"symbol": document.symbol, "reason": reason}
            ) from None
        except OSError as error:
            raise EnclosureRefused(
                gettext("The enclosure %(symbol)s cannot be read: %(error)s")
                % {"symbol": document.symbol, "error": error}
            ) from None


def append_documents(pdf: bytes, documents: list) -> bytes:
    """Append the enclosed documents' pages after the note, each checked again first."""
    from pypdf import PdfReader, PdfWriter

    enclosures_check(documents)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf)))
    for document in documents:
        if document.file:
            with document.file.open("rb") as handle:
                writer.append(PdfReader(io.BytesIO(handle.read())))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
