"""The presidency office's journey in Chromium, with the demo data of `make run`.

The Iraq mission's officer signs in with the second factor, drafts the invitation to the next
Coordination Committee meeting from the shared template, previews two addressees' copies on
their A4 sheet, reads the confirmation, issues, and the missions receive the note in the
mission's name with Reply-To set and the PDF that reads as the letter should.
"""

import email
import email.policy
import io
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from correspondence import language as lang
from correspondence.models import Note, NoteCopy, Office
from meetings.models import Document, Meeting
from tests.conftest import sign_in, user_totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "presidency@ccm-portal.localhost"
PASSWORD = "demo-presidency-2026"
OFFICE = "Permanent Mission of Iraq to the United Nations Office at Geneva"
BY_HAND = [
    "Permanent Mission of Cook Islands to the United Nations Office at Geneva",
    "Permanent Mission of Holy See to the United Nations Office at Geneva",
    "Permanent Mission of Niue to the United Nations Office at Geneva",
]
NORWAY = "Permanent Mission of Norway to the United Nations Office at Geneva"


def _pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_presidency_drafts_previews_confirms_and_the_missions_receive_the_note(
    demo_portal, browser_page, step, pdf_bytes
):
    meeting = Meeting.objects.get(slug="ccm-coordination-committee-next")  # one day, 10:00, 20 days from today
    agenda = Document(meeting=meeting, symbol="CCM/CC/2026/1", title="Provisional agenda", kind="provisional_agenda")
    agenda.file.save("agenda.pdf", ContentFile(pdf_bytes))
    day = lang.long_date(meeting.start_date)
    title = f"Invitation to the {meeting.title}"
    today = timezone.localdate()
    register = f"Iraq PM.GE {today.year} no. 1"  # the mission issues without reference numbers (seed 002)

    # 1. Sign in with the second factor; the header says who and for which office.
    page = browser_page()
    sign_in(page, demo_portal.url, email=EMAIL, password=PASSWORD, totp_secret=user_totp_secret(EMAIL))
    expect(page.locator("#site-name .portal-role")).to_have_text("Presidency office · Permanent Mission of Iraq")
    home = page.locator("#presidency-home")
    expect(home).to_contain_text("Drafts (0)")
    expect(home).to_contain_text("Presided by your State")
    step(page, "signed in, the office's first page")

    # 2. From the next meeting, a note; choosing the template fills subject and body.
    row = home.locator("tr", has_text=meeting.title)
    with page.expect_navigation():
        row.get_by_role("link", name="Draft a note").click()
    expect(page.locator("#id_meeting option:checked")).to_have_text(
        f"CCM · {meeting.start_date.day} {meeting.start_date:%b %Y}, 10:00 · {meeting.title}"
    )
    expect(page.locator("#id_office option:checked")).to_have_text(OFFICE)
    expect(page.locator("#placeholders-panel")).to_contain_text(f"Values for {meeting.title}")
    page.select_option("#id_template", label="Invitation to a meeting · English · shared")
    expect(page.locator("#id_subject")).to_have_value("Invitation to the {{ meeting.title }}")
    expect(page.locator("#id_body")).to_have_value(re.compile(r"^\{\{ opening \}\} invite it to participate"))
    expect(page.locator("#id_form")).to_have_value("note_verbale")
    panel = page.locator("#placeholders-panel")
    expect(panel.locator("dt", has_text="{{ meeting.when }}").locator("xpath=following-sibling::dd[1]")).to_have_text(
        f"on {day} at 10:00"
    )
    expect(panel.locator("dt", has_text="{{ meeting.where }}").locator("xpath=following-sibling::dd[1]")).to_have_text(
        "at the Palais des Nations in Geneva"
    )
    page.get_by_label("States Parties").check()
    page.locator(".field-enclosures .select2-selection").click()
    page.locator(".field-enclosures .select2-search__field").fill("CCM/CC/2026/1")
    page.locator(".select2-results__option", has_text="CCM/CC/2026/1").click()
    step(page, "the template's wording, with the placeholders' values beside it")

    # 3. Saved: the page shows the subject as it reads, never template code.
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Draft – {title}")
    expect(page.locator(".breadcrumbs")).to_contain_text(f"Draft – {title}")
    assert page.title().startswith(f"Draft – {title}")
    assert "{{" not in page.locator(".breadcrumbs").inner_text()
    note = Note.objects.get(subject_text=title)
    step(page, "draft saved")

    # 4. The HTML preview: the PDF's stylesheet on an A4 sheet, the real date and time.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview HTML").click()
    preview = opened.value
    preview.wait_for_load_state()
    sheet = preview.locator("main.sheet")
    expect(sheet).to_contain_text(f"to be held on {day} at 10:00 at the Palais des Nations in Geneva.")
    expect(sheet).to_contain_text("presents its compliments to the Permanent Mission of Afghanistan")
    assert sheet.evaluate("e => Math.round(e.getBoundingClientRect().width)") == 794  # 210 mm
    assert "Noto Serif" in sheet.locator(".note").evaluate("e => getComputedStyle(e).fontFamily")
    closing = sheet.locator(".body p").last
    expect(closing).to_have_text(re.compile(r"^The Permanent Mission of Iraq .* avails itself of this opportunity"))
    expect(preview.locator(".preview-delivery")).to_contain_text(
        "This copy: by e-mail to mission.afg.geneva@example.org"
    )
    step(preview, "preview: the first addressee's copy on A4")

    # 5. Another addressee's copy, and one to deliver by hand.
    with preview.expect_navigation():
        preview.select_option("#preview-to", label=f"{NORWAY} · e-mail")
    expect(sheet).to_contain_text(f"presents its compliments to the {NORWAY} and has the honour")
    expect(preview.locator(".preview-delivery")).to_contain_text(
        "by e-mail to mission.nor.geneva@example.org, ambassador.nor.geneva@example.org"
    )
    step(preview, "preview: Norway's copy")
    with preview.expect_navigation():
        preview.select_option("#preview-to", label=f"{BY_HAND[2]} · by hand")
    expect(preview.locator(".preview-delivery")).to_contain_text("This copy: deliver by hand")
    step(preview, "preview: Niue's copy, to deliver by hand")
    preview.close()

    # 6. The confirmation: nothing is sent before it.
    with page.expect_navigation():
        page.get_by_role("link", name="Issue and dispatch…").click()
    assert not NoteCopy.objects.filter(note=note).exists()
    expect(page.locator(".issue-lead")).to_have_text("Check what will happen. Nothing has been sent yet.")
    counts = page.locator(".issue-counts").inner_text()
    total, by_email, by_hand = (
        int(n) for n in re.match(r"(\d+) copies: (\d+) by e-mail, (\d+) to deliver", counts).groups()
    )
    assert (by_hand, total) == (3, by_email + 3) and by_email > 40
    expect(page.locator(".issue-by-hand li")).to_have_text(BY_HAND)
    expect(page.locator(".issue-reference")).to_have_text("none")
    expect(page.locator(".issue-date")).to_have_text(lang.long_date(today))
    expect(page.locator(".issue-attachments")).to_contain_text(
        "Each e-mail carries its copy as a PDF, and the enclosures as separate PDF attachments:"
    )
    expect(page.locator(".issue-attachments")).to_contain_text("CCM/CC/2026/1 – Provisional agenda (English)")
    expect(page.locator(".issue-facts")).to_contain_text(f"{OFFICE} <no-reply@ccm-portal.localhost>")
    expect(page.locator(".issue-facts")).to_contain_text("replies go to mission.irq.geneva@example.org")
    step(page, "the confirmation before issue")

    # 7. Confirmed: issued, and every copy sent or marked for delivery by hand.
    with page.expect_navigation(timeout=120_000):
        page.get_by_role("button", name=f"Confirm: issue and send {total} copies").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Issued as {register}.")
    statuses = page.locator(".field-status")
    assert page.locator("td.field-status", has_text="Sent").count() == by_email
    assert page.locator("td.field-status", has_text="Deliver by hand").count() == 3
    assert statuses.count() >= total
    step(page, "issued: the copies sent")

    # 8. The missions' mail: in the office's name, Reply-To the office, the PDF that reads as the letter.
    sent = [m for m in mail.outbox if m.subject == title]  # load_demo mailed focal points before
    assert len(sent) == by_email
    assert sorted(len(m.to) for m in sent)[-1] == 2  # Norway's mission has two addresses, one copy
    message = next(m for m in sent if "mission.nor.geneva@example.org" in m.to)
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    (sender,) = parsed["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (OFFICE, "no-reply@ccm-portal.localhost")
    assert parsed["Reply-To"] == "mission.irq.geneva@example.org"
    names = [name for name, _, _ in message.attachments]
    assert names == [f"Iraq_PM.GE_{today.year}_no._1.pdf", "CCM-CC-2026-1-en.pdf"]
    text = _pdf_text(message.attachments[0][1])
    assert f"PM.GE/{today.year}" not in text  # no invented number
    assert (
        f"The Permanent Mission of Iraq to the United Nations Office at Geneva presents its compliments to the "
        f"{NORWAY} and has the honour to invite it to participate in the {meeting.title}, to be held on {day} at "
        "10:00 at the Palais des Nations in Geneva."
    ) in text
    assert "The following documents are enclosed: CCM/CC/2026/1 (Provisional agenda)." in text
    assert (
        f"avails itself of this opportunity to renew to the {NORWAY} the assurances of its highest consideration"
        in text
    )
    assert lang.english_date(today, "dd_month_yyyy") in text  # the mission dates its letters “08 August 2023”
    assert "{{" not in text and "{%" not in text
    assert Office.objects.get(code="Iraq PM.GE").email == parsed["Reply-To"]
