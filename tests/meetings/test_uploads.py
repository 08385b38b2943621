"""PDF uploads are checked by their content, not their name: directly and through the admin forms."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.uploads import validate_pdf
from meetings.models import Document
from tests.factories import MeetingFactory
from tests.meetings.factories import inline_errors, meeting_admin_data, png_bytes

NOT_A_PDF = "The file is not a PDF (its content does not start like one)."
UNREADABLE = "The file looks like a PDF but cannot be read; it may be damaged."
GARBAGE_PDF = b"%PDF-1.7\n" + b"this is not a PDF body, only text pretending\n" * 20


def rejection(upload) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_pdf(upload)
    return caught.value.messages


def stored_files() -> list[Path]:
    media = Path(django_settings.MEDIA_ROOT)
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


# validate_pdf on its own


@pytest.mark.parametrize("name", ["agenda.pdf", "agenda.PDF", "scan.png", "no-extension"])
def test_a_real_pdf_is_accepted_whatever_its_name(pdf_bytes, name):
    upload = SimpleUploadedFile(name, pdf_bytes, content_type="application/octet-stream")

    assert validate_pdf(upload) is None
    assert upload.tell() == 0  # left where it was, ready to be saved


def test_the_read_position_is_restored_after_the_check(pdf_bytes):
    upload = SimpleUploadedFile("agenda.pdf", pdf_bytes)
    upload.seek(7)

    validate_pdf(upload)

    assert upload.tell() == 7


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("image.pdf", png_bytes()),
        ("notes.pdf", b"Provisional agenda of the 11MSP\n1. Opening of the meeting\n"),
        ("empty-looking.pdf", b"\x00" * 64),
    ],
)
def test_content_that_is_not_a_pdf_is_rejected_whatever_its_name(name, content):
    assert rejection(SimpleUploadedFile(name, content, content_type="application/pdf")) == [NOT_A_PDF]


def test_a_file_starting_like_a_pdf_with_garbage_after_is_rejected_as_unreadable():
    assert rejection(SimpleUploadedFile("agenda.pdf", GARBAGE_PDF)) == [UNREADABLE]


def test_a_truncated_pdf_is_rejected_as_unreadable(pdf_bytes):
    assert rejection(SimpleUploadedFile("agenda.pdf", pdf_bytes[: len(pdf_bytes) // 3])) == [UNREADABLE]


def test_a_file_over_the_size_limit_is_rejected_naming_the_limit(settings, pdf_bytes):
    settings.PDF_UPLOAD_MAX_BYTES = 100
    assert len(pdf_bytes) > 100

    messages = rejection(SimpleUploadedFile("agenda.pdf", pdf_bytes))

    assert messages == [f"The file is {len(pdf_bytes)}\xa0bytes; the limit is 100\xa0bytes."]


def test_a_file_exactly_at_the_size_limit_is_accepted(settings, pdf_bytes):
    settings.PDF_UPLOAD_MAX_BYTES = len(pdf_bytes)

    assert validate_pdf(SimpleUploadedFile("agenda.pdf", pdf_bytes)) is None


def test_the_size_limit_is_checked_before_the_content(settings):
    settings.PDF_UPLOAD_MAX_BYTES = 2048

    messages = rejection(SimpleUploadedFile("big.pdf", b"x" * 4096))

    assert messages == ["The file is 4.0\xa0KB; the limit is 2.0\xa0KB."]


# Through the admin: the Document add form


def document_add(admin_client, meeting, upload):
    return admin_client.post(
        reverse("admin:meetings_document_add"),
        {
            "meeting": meeting.pk,
            "symbol": "CCM/MSP/2030/1",
            "title_en": "Provisional agenda",
            "kind": Document.Kind.PROVISIONAL_AGENDA,
            "language": Document.Language.ENGLISH,
            "issued_on": "2030-06-01",
            "file": upload,
        },
    )


@pytest.mark.django_db
def test_admin_document_add_accepts_a_real_pdf_under_any_name(admin_client, pdf_bytes):
    meeting = MeetingFactory(slug="ccm-30msp")

    response = document_add(admin_client, meeting, SimpleUploadedFile("Scan 0042.jpeg", pdf_bytes, "image/jpeg"))

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.name == "documents/ccm-30msp/CCM_MSP_2030_1-en.pdf"
    with document.file.open("rb") as stored:
        assert stored.read() == pdf_bytes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (png_bytes(), NOT_A_PDF),
        (b"Provisional agenda\n1. Opening\n", NOT_A_PDF),
        (GARBAGE_PDF, UNREADABLE),
    ],
    ids=["png", "text", "garbage-after-header"],
)
def test_admin_document_add_rejects_what_is_not_a_readable_pdf(admin_client, content, message):
    meeting = MeetingFactory()

    response = document_add(admin_client, meeting, SimpleUploadedFile("agenda.pdf", content, "application/pdf"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [message]
    assert message in response.content.decode()
    assert Document.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_admin_document_add_rejects_a_file_over_the_limit(admin_client, settings, pdf_bytes):
    settings.PDF_UPLOAD_MAX_BYTES = 200
    meeting = MeetingFactory()

    response = document_add(admin_client, meeting, SimpleUploadedFile("agenda.pdf", pdf_bytes, "application/pdf"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        f"The file is {len(pdf_bytes)}\xa0bytes; the limit is 200\xa0bytes."
    ]
    assert "the limit is 200\xa0bytes" in response.content.decode()
    assert Document.objects.count() == 0
    assert stored_files() == []


# Through the admin: the Document inline of the Meeting change form


def inline_document(upload, symbol="CCM/MSP/2030/7"):
    return {
        "symbol": symbol,
        "title_en": "Cost estimate",
        "kind": Document.Kind.COST_ESTIMATE,
        "language": Document.Language.ENGLISH,
        "issued_on": "",
        "file": upload,
    }


@pytest.mark.django_db
def test_meeting_inline_accepts_a_real_pdf(admin_client, pdf_bytes):
    meeting = MeetingFactory(slug="ccm-30msp")
    data = meeting_admin_data(
        meeting, inlines={"documents": [inline_document(SimpleUploadedFile("estimate.docx", pdf_bytes))]}
    )

    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)

    assert response.status_code == 302
    document = meeting.documents.get()
    assert document.file.name == "documents/ccm-30msp/CCM_MSP_2030_7-en.pdf"
    assert [p.name for p in stored_files()] == ["CCM_MSP_2030_7-en.pdf"]


@pytest.mark.django_db
def test_meeting_inline_rejects_a_renamed_png_and_saves_nothing(admin_client):
    meeting = MeetingFactory(title="Before the edit")
    data = meeting_admin_data(
        meeting,
        title="After the edit",
        inlines={"documents": [inline_document(SimpleUploadedFile("estimate.pdf", png_bytes(), "application/pdf"))]},
    )

    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)

    assert response.status_code == 200
    assert inline_errors(response, "documents") == [{"file": [NOT_A_PDF]}]
    assert NOT_A_PDF in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Before the edit"
    assert Document.objects.count() == 0
    assert stored_files() == []


# Hostile PDFs: active content, decompression bombs, polyglots (refused wherever a PDF is uploaded)


def _pdf(build) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(action: dict):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def build(writer):
        entries = {
            NameObject(key): NameObject(value) if value.startswith("/") else TextStringObject(value)
            for key, value in action.items()
        }
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(entries)

    return build


def _document_javascript(writer, script: str = "app.alert('hello');"):
    """JavaScript in the document's name tree, run when the file opens (pypdf 7 no longer writes it for us)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    action = writer._add_object(
        DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)})
    )
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hello"), action])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def _flate_stream(writer, size: int):
    """A stream that is small in the file and ``size`` bytes of zeros once opened."""
    import zlib

    from pypdf.generic import DecodedStreamObject, NameObject

    # After a full flush the compressor forgets what came before, so every further block of zeros
    # compresses to the same bytes: two real compressions give a stream of any size.
    packer = zlib.compressobj(9)
    zeros = b"\0" * (1 << 24)
    first = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    compressed = first + again * (size // len(zeros) - 1) + packer.flush()
    stream = DecodedStreamObject()
    stream.set_data(b"")
    stream._data = compressed
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[0][NameObject("/Bomb")] = writer._add_object(stream)


ACTIVE = "which the portal does not accept. Print it to a new PDF (Print › Save as PDF) and upload that."


@pytest.mark.parametrize(
    ("build", "what"),
    [
        (_document_javascript, "JavaScript"),
        (_open_action({"/S": "/JavaScript", "/JS": "app.alert(1)"}), "JavaScript"),
        (_open_action({"/S": "/Launch", "/F": "calc.exe"}), "an action that opens other programs or files"),
        (lambda w: w.add_attachment("payload.exe", b"MZ\x90\x00"), "embedded files"),
    ],
    ids=["javascript-names", "javascript-open-action", "launch", "embedded-file"],
)
def test_a_pdf_that_acts_on_the_readers_machine_is_refused(build, what):
    assert rejection(SimpleUploadedFile("credentials.pdf", _pdf(build))) == [f"The PDF contains {what}, {ACTIVE}"]


def test_javascript_written_with_escaped_names_is_found_too():
    data = _pdf(_document_javascript).replace(b"/JavaScript", b"/J#61vaScript")
    assert b"/JavaScript" not in data
    assert rejection(SimpleUploadedFile("credentials.pdf", data))[0].startswith("The PDF contains JavaScript")


def test_a_pdf_that_expands_to_two_gibibytes_is_refused_without_expanding_it(settings):
    import resource

    data = _pdf(lambda w: _flate_stream(w, 2 << 30))
    assert len(data) < settings.PDF_UPLOAD_MAX_BYTES  # it passes the size limit: only its expansion betrays it
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    messages = rejection(SimpleUploadedFile("agenda.pdf", data))

    assert messages == ["The PDF expands to more than 200.0\xa0MB when opened; the portal does not accept it."]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB: no 2 GiB in memory


def test_compressed_streams_within_the_budget_are_fine(settings):
    settings.PDF_MAX_EXPANDED_BYTES = 64 << 20
    assert validate_pdf(SimpleUploadedFile("agenda.pdf", _pdf(lambda w: _flate_stream(w, 32 << 20)))) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n%<html><body><script>fetch('//evil.example')</script>\n", "The file is both a PDF and a web page"),
        (b"<html><script>alert(1)</script></html>\n%PDF-1.7\n", NOT_A_PDF),
    ],
    ids=["html-after-the-header", "html-before-the-header"],
)
def test_a_pdf_that_is_also_a_web_page_is_refused(pdf_bytes, content, message):
    polyglot = content + pdf_bytes.split(b"\n", 1)[1]
    assert rejection(SimpleUploadedFile("credentials.pdf", polyglot))[0].startswith(message)


@pytest.mark.django_db
def test_a_hostile_pdf_is_refused_in_the_admin_too(admin_client):
    meeting = MeetingFactory()
    upload = SimpleUploadedFile("agenda.pdf", _pdf(_document_javascript), "application/pdf")
    response = document_add(admin_client, meeting, upload)
    assert response.status_code == 200
    assert "The PDF contains JavaScript" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024
    response = client.generic("POST", "/accounts/login/", b"x" * 2048, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "the portal accepts at most 1.0\xa0KB at once" in response.content.decode()
    assert client.post("/accounts/login/", {"login": "a@example.org", "password": "x"}).status_code == 200
