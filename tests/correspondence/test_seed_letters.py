"""The five seed letters (docs/seeds) come out of the demo as written (issue 11).

Each demo note's PDF is rendered as its note page previews it, its text extracted, and compared word for word, in
order, with the seed's letter (seed 001 without its two annexes, which travel as enclosed documents).
"""

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pypdf import PdfReader

from correspondence import services
from correspondence.models import Note

from .seeds import missing_in_order, seed_text, words

pytestmark = pytest.mark.django_db

# Which demo note is which seed, and how many pages the seed's letter takes.
SEEDS = {
    "000": {"office": "Lao PM.GE", "year": 2011, "pages": 2, "closing": "Yours Sincerely", "signature": "Yong"},
    "001": {"office": "Lao PM.GE", "year": 2010, "pages": 2, "closing": "Yours sincerely", "signature": "Yong"},
    "002": {"office": "Iraq PM.GE", "year": 2023, "pages": 2, "closing": "Yours sincerely", "signature": "Abdul"},
    "003": {"office": "APMBC ISU", "year": 2011, "pages": 2, "closing": "Yours sincerely", "signature": "Gazmend"},
    "004": {"office": "ODA", "year": 2023, "pages": 2, "closing": "highest consideration", "signature": "21 March"},
}
# Page furniture: seed 003's footer stands at its page break, the PDF's at the foot of page 1; compared apart.
FOOTER_003 = """Convention on the Prohibition of the Use, Stockpiling, Production and
Transfer of Anti-Personnel Mines and on Their Destruction
Intersessional Work Programme, 20-24 June 2011

isu@apminebanconvention.org | www.apminebanconvention.org"""
PAGE_NUMBER = re.compile(r"^\s*\d+ / \d+\s*$", re.M)


@pytest.fixture(scope="module")
def seed_pdfs(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once, and each seed note's PDF as its note page previews it; rolled back at the end."""
    media = tmp_path_factory.mktemp("seed-media")
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast_hashing):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            pdfs = {}
            for number, seed in SEEDS.items():
                note = Note.objects.get(office__code=seed["office"], year=seed["year"])
                enclosures = [f"{d.symbol} – {d.title}" for d in note.enclosures.order_by("symbol")]
                pdfs[number] = (services.note_preview_pdf(note=note), enclosures, note)
            # Read here: each test gets a MEDIA_ROOT of its own (tests/conftest.py).
            pdfs["annexes"] = [(d, d.file.read()) for d in pdfs["001"][2].enclosures.order_by("symbol")]
            yield pdfs
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _text(pdf: bytes, *pages: int) -> str:
    """pdftotext in content order (-raw): side-by-side signatories come one after the other, as the seed has them."""
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    out = subprocess.run(["pdftotext", "-raw", *span, "-", "-"], input=pdf, capture_output=True, check=True)
    return PAGE_NUMBER.sub("", out.stdout.decode())


def _run_at(haystack: list[str], run: list[str]) -> int:
    starts = [n for n in range(len(haystack)) if haystack[n : n + len(run)] == run]
    assert starts, "the footer is not printed whole"
    return starts[0]


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_every_word_of_the_seed_in_order(seed_pdfs, number):
    pdf, _, _ = seed_pdfs[number]
    expected = seed_text(number)
    text_words = words(_text(pdf))
    if number == "003":
        footer = words(FOOTER_003)
        expected = expected.replace(FOOTER_003, "")
        first_page = words(_text(pdf, 1))
        start = _run_at(first_page, footer)  # printed whole at the foot of page 1
        text_words = first_page[:start] + first_page[start + len(footer) :] + words(_text(pdf, 2))

    missing = missing_in_order(words(expected), text_words)

    assert missing == [], f"seed {number}: {len(missing)} words missing or out of order, from {missing[:12]}"


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_no_word_the_seed_does_not_have_but_the_enclosures(seed_pdfs, number):
    pdf, enclosures, _ = seed_pdfs[number]
    allowed = set(words(seed_text(number))) | set(words(" ".join(enclosures))) | {"enclosures"}

    extra = set(words(_text(pdf))) - allowed

    assert extra == set()


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_the_page_count_and_the_signature_shares_a_page_with_the_closing(seed_pdfs, number):
    pdf, _, _ = seed_pdfs[number]
    seed = SEEDS[number]
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]

    assert len(pages) == seed["pages"]
    (closing_page,) = [n for n, text in enumerate(pages) if seed["closing"] in text]
    signature_pages = [n for n, text in enumerate(pages) if seed["signature"] in text]
    assert closing_page in signature_pages and max(signature_pages) == closing_page


@pytest.mark.parametrize("number", sorted(SEEDS))
def test_the_pdf_is_archival_with_its_metadata(seed_pdfs, number):
    pdf, _, note = seed_pdfs[number]
    reader = PdfReader(io.BytesIO(pdf))

    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfaid:part[^0-9]{0,4}3", xmp) and re.search(rb"pdfaid:conformance[^A-Z]{0,4}B", xmp)
    assert reader.trailer["/Root"]["/OutputIntents"]  # the colour profile PDF/A requires
    info = reader.metadata
    assert info.title == (note.reference or note.subject_text)
    assert info.author == note.office.name
    assert info.creation_date.date() == note.issue_date
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_seed_001_encloses_its_two_non_papers(seed_pdfs):
    _, enclosures, _ = seed_pdfs["001"]
    annexes = seed_pdfs["annexes"]

    assert [d.kind for d, _ in annexes] == ["non_paper", "non_paper"]
    assert "Roadmap to the First Meeting of States Parties" in enclosures[1]
    annex = subprocess.run(
        ["pdftotext", "-", "-"], input=annexes[1][1], capture_output=True, check=True
    ).stdout.decode()
    assert "celebrate the day of entry into force on Sunday 1 August 2010" in " ".join(annex.split())


def test_no_reference_is_invented(seed_pdfs):
    for number in ("002", "003"):
        pdf, _, note = seed_pdfs[number]
        assert note.reference == ""
        assert "PM.GE/" not in _text(pdf) and "ISU/2011" not in _text(pdf)
