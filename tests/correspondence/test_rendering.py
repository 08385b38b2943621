"""From a note to HTML and a PDF: no resource outside the project, every name escaped, every script legible."""

import io
import re
import subprocess
from email import message_from_bytes
from pathlib import Path

import pytest
from django.core import mail
from pypdf import PdfReader

from common.pdf import STATIC_SCHEME, FetchRefused, RestrictedFetcher
from correspondence.models import IndividualAddressee, Note
from correspondence.rendering import Addressee, render_note, render_pdf
from tests.factories import MeetingFactory

from . import factories

pytestmark = pytest.mark.django_db

HOSTILE = "<b>bold</b> & <script>alert(1)</script>"
HOSTILE_HTML = "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"

LAO = "ສຳນັກງານຜູ້ຕາງຫນ້າຖາວອນ ສປປລາວ"
ARABIC = "البعثة الدائمة لجمهورية العراق"
CHINESE = "禁止集束弹药公约"
CYRILLIC = "Конвенция по кассетным боеприпасам"


# --- the URL fetcher ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "/etc/passwd",
        "static:/../../etc/passwd",
        "static:/correspondence/../../../etc/passwd",
        "static:/correspondence/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "static:////etc/passwd",
        "static:/correspondence\\..\\..\\etc\\passwd",
        "static:/correspondence/missing.css",
        "static:/",
        "http://127.0.0.1:8000/",
        "https://example.org/logo.png",
        "ftp://example.org/x",
    ],
)
def test_fetcher_refuses_everything_but_data_and_static(url):
    with pytest.raises(FetchRefused):
        RestrictedFetcher().fetch(url)


def test_fetcher_serves_data_uris():
    response = RestrictedFetcher().fetch("data:text/plain;base64,aGVsbG8=")

    assert response.read() == b"hello"


def test_fetcher_serves_the_note_stylesheet():
    response = RestrictedFetcher().fetch(STATIC_SCHEME + "/correspondence/note.css")

    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.fixture
def secret(tmp_path):
    """Files whose content would show in the PDF if the renderer ever read them."""
    (tmp_path / "secret.css").write_text('body::after { content: "LEAKED-CSS-7f3a"; }')
    (tmp_path / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">'
        '<text x="0" y="20">LEAKED-SVG-7f3a</text></svg>'
    )
    (tmp_path / "secret.html").write_text("<p>LEAKED-HTML-7f3a</p>")
    return tmp_path


def test_a_note_cannot_pull_in_local_files(office, secretariat, meeting, parties, secret):
    body = (
        "{{ opening }} inform it.\n\n"
        '<img src="file:///etc/hostname"> <img src="/etc/hostname"> <img src="static:/../../../etc/hostname">\n'
        f'<img src="file://{secret}/secret.svg"> <img src="{secret}/secret.svg">\n'
        f'<link rel="stylesheet" href="file://{secret}/secret.css">\n'
        f'<style>@import url("file://{secret}/secret.css");</style>\n'
        f'<iframe src="file://{secret}/secret.html"></iframe> <object data="file://{secret}/secret.svg"></object>\n'
        '<img src="http://127.0.0.1:8000/admin/">\n\n'
        "{{ closing }}"
    )
    note = factories.draft(office, secretariat, meeting=meeting, body=body)

    html = render_note(note, Addressee(key="state:NOR", name="Permanent Mission of Norway")).html
    pdf = render_pdf(html)

    text = factories.pdf_text(pdf)
    assert "presents its compliments to the Permanent Mission of Norway" in text
    assert "LEAKED" not in text
    assert b"LEAKED" not in pdf
    hostname = Path("/etc/hostname").read_text().strip()
    assert hostname not in text.split()


def test_the_stylesheet_is_applied_from_static(office, secretariat, parties):
    long_body = "\n\n".join(["A paragraph of the note that runs on for a while. " * 6] * 14)
    note = factories.draft(office, secretariat, body=long_body + "\n\n{{ closing }}")

    pdf = render_pdf(render_note(note, Addressee(key="x", name="Somebody")).html)

    # The page counter comes from note.css: from the second page on, as the first carries the office's footer.
    text = factories.pdf_text(pdf)
    assert "2 / 2" in text and "1 / 2" not in text


# --- escaping ----------------------------------------------------------------------------------------------------


@pytest.fixture
def hostile_party(db):
    return factories.party(name=HOSTILE, emails="mission.hostile@example.org")


@pytest.mark.parametrize("form", ["note_verbale", "circular"])
def test_names_are_escaped_in_html_pdf_and_e_mail(office, secretariat, hostile_party, form, issue):
    meeting = MeetingFactory(title=f"Meeting {HOSTILE}")
    note = issue(factories.draft(office, secretariat, meeting=meeting, form=form), secretariat)
    copy = note.copies.get()
    assert copy.addressee_name == f"Permanent Mission of {HOSTILE} at Geneva"

    html = render_note(note, Addressee(key=copy.addressee_key, name=copy.addressee_name)).html
    assert HOSTILE_HTML in html
    assert "<script>" not in html and "<b>bold" not in html

    text = factories.pdf_text(copy.pdf.read())
    assert f"presents its compliments to the Permanent Mission of {HOSTILE} at Geneva" in text
    assert f"Meeting {HOSTILE}" in text

    (message,) = mail.outbox
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", [])
    assert message.subject == f"{note.reference} – Invitation to the Meeting {HOSTILE}"
    assert f"presents its compliments to the Permanent Mission of {HOSTILE} at Geneva" in message.body
    assert "&lt;" not in message.body and "&amp;" not in message.body
    parsed = message_from_bytes(message.message().as_bytes())
    assert [part.get_content_type() for part in parsed.walk() if not part.is_multipart()] == [
        "text/plain",
        "application/pdf",
    ]


def test_a_person_name_is_escaped_in_a_letter(office, secretariat, meeting, issue):
    _, mission = factories.party(name="Norway")
    letter = factories.draft(office, secretariat, meeting=meeting, form="letter", groups=[])
    letter.signatories.create(name=f"Signer {HOSTILE}", title="Ambassador")
    IndividualAddressee.objects.create(note=letter, person_name=HOSTILE, person_title=HOSTILE, mission=mission)

    issue(letter, secretariat)

    copy = letter.copies.get()
    html = render_note(
        Note.objects.get(pk=letter.pk),
        Addressee(key=copy.addressee_key, name=copy.addressee_name, title=copy.addressee_title),
    ).html
    assert f"<p>{HOSTILE_HTML}</p>" in html
    assert "<script>" not in html
    text = factories.pdf_text(copy.pdf.read())
    assert f"Signer {HOSTILE}" in text
    assert f"{HOSTILE} {HOSTILE} {mission.name}" in text
    assert mail.outbox[0].content_subtype == "plain"


def test_the_letterhead_keeps_rich_text_and_loses_scripts(secretariat, parties):
    """Letterhead lines are rich text like a body: bold stays, a script goes with its content (issue 11)."""
    office = factories.OfficeFactory(letterhead_lines=f"Republic of {HOSTILE}\nSecond line", motto=HOSTILE)
    note = factories.draft(office, secretariat)

    html = render_note(note, Addressee(key="x", name="Somebody")).html

    assert '<p class="lh-line">Republic of <b>bold</b> &amp;</p>' in html
    assert "<script>" not in html and "alert(1)" not in html.split('class="motto"')[0]
    assert "Republic of bold &" in factories.pdf_text(render_pdf(html))


# --- scripts and fonts -------------------------------------------------------------------------------------------


@pytest.fixture
def multilingual(secretariat, parties):
    office = factories.OfficeFactory(
        letterhead_lines=f"Lao People's Democratic Republic\n{LAO}\nPermanent Mission of the Lao PDR",
    )
    body = f"{{{{ opening }}}} inform it.\n\n{ARABIC}\n\n{CHINESE}\n\n{CYRILLIC}\n\n{{{{ closing }}}}"
    note = factories.draft(office, secretariat, body=body)
    return render_pdf(render_note(note, Addressee(key="x", name="Permanent Mission of Norway")).html)


@pytest.mark.parametrize("expected", [LAO, ARABIC, CHINESE, CYRILLIC])
def test_every_script_comes_out_of_the_pdf_as_written(multilingual, expected):
    assert expected in factories.pdf_text(multilingual)


@pytest.mark.parametrize("expected", [LAO, ARABIC, CHINESE, CYRILLIC])
def test_every_script_comes_out_with_pdftotext(multilingual, expected, tmp_path):
    path = tmp_path / "note.pdf"
    path.write_bytes(multilingual)

    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True)

    text = re.sub(r"\s+", " ", re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", out.stdout))
    assert expected in text


def test_the_lao_line_is_marked_as_lao(multilingual, secretariat):
    office = factories.OfficeFactory(letterhead_lines=LAO)
    note = factories.draft(office, secretariat)

    html = render_note(note, Addressee(key="x", name="Somebody")).html

    assert f'<p class="lh-line" lang="lo" dir="auto">{LAO}</p>' in html


def test_an_arabic_note_is_right_to_left(office, secretariat, parties):
    note = factories.draft(office, secretariat, language="ar")

    html = render_note(note, Addressee(key="x", name="البعثة الدائمة للنرويج")).html

    assert '<html lang="ar" dir="rtl">' in html
    assert "تهدي أطيب تحياتها إلى \u2068البعثة الدائمة للنرويج\u2069" in html
    assert "البعثة الدائمة للنرويج" in factories.pdf_text(render_pdf(html))


def test_an_english_note_is_left_to_right(office, secretariat, parties):
    html = render_note(factories.draft(office, secretariat), Addressee(key="x", name="Somebody")).html

    assert '<html lang="en" dir="ltr">' in html


# --- layout ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("paragraphs", range(13, 19))
def test_the_closing_is_never_parted_from_the_signature(office, secretariat, parties, paragraphs):
    """Bodies of growing length move the page break across the closing: it always goes with the signature."""
    body = "\n\n".join(["A paragraph of the letter, long enough to take two lines on the page of A4."] * paragraphs)
    note = factories.draft(office, secretariat, form="letter", body=f"{body}\n\nPlease accept…\n\nYours sincerely,")
    note.signatories.create(name="Signatory Name", title="Ambassador")

    pdf = render_pdf(render_note(note, Addressee(key="x", name="Somebody")).html)

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    (closing,) = [n for n, text in enumerate(pages) if "Yours sincerely" in text]
    (signature,) = [n for n, text in enumerate(pages) if "Signatory Name" in text]
    assert closing == signature
    assert "Please accept" in pages[signature]


def test_co_signatories_stand_side_by_side(office, secretariat, parties):
    note = factories.draft(office, secretariat, form="letter", body="Text.\n\nYours sincerely,")
    note.signatories.create(name="First Signer", title="President", position=0)
    note.signatories.create(name="Second Signer", title="Director", position=1)

    pdf = render_pdf(render_note(note, Addressee(key="x", name="Somebody")).html)

    # Side by side: one line of the page holds both names (pdftotext -layout keeps the lines as printed).
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    assert re.search(r"First Signer\s+Second Signer", out.stdout.decode())


@pytest.mark.parametrize("words_before", range(8, 14))
def test_a_web_address_is_never_broken(office, secretariat, parties, words_before):
    """Whatever falls before it on the line, the address moves to the next line whole (seed 002's break)."""
    lead = " ".join(["information"] * words_before)
    note = factories.draft(office, secretariat, body=f"{lead} <https://www.clusterconvention.org/11msp-int/>")

    pdf = render_pdf(render_note(note, Addressee(key="x", name="Somebody")).html)

    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    assert "https://www.clusterconvention.org/11msp-int/" in out.stdout.decode()
