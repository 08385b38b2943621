"""The focal point's journey in a real Chromium, on the demo data of `make run`, as the person lives it.

Mexico's focal point opens the registration link of the demo invitation, signs up (name and ministry asked),
confirms the address from an e-mail that names the portal, accepts the link and registers a delegation of three
with its credentials letter on the first screen; after saving there is no blank member. Submitting sends an
acknowledgement whose link opens the delegation; the secretariat approves and the approval e-mail's link opens
it too. The secretariat then reads the list of participants, on screen and as PDF. On a 390 px phone the meeting
page, My registrations, the delegation form and the account pages fit the screen without breaking a word.

Each step leaves a screenshot in test-artifacts/journeys/<test>/.
"""

import io
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from registration import services
from registration.models import Credentials, Delegation, FocalPoint, Invitation, Profile
from tests.conftest import sign_in, user_totp_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Blue-Lake-Antelope-2031"
FOCAL_EMAIL = "amina.okonkwo@mexico-mission.example"
MEETING_SLUG = "ccm-intersessional-demo"
MEETING_TITLE = "Intersessional Meetings of the Convention on Cluster Munitions"
SECRETARIAT = "secretariat@ccm-portal.localhost"


def _credentials_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Credentials of the delegation of Mexico"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _mail_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def _only_link(body: str, path: str) -> str:
    (link,) = {m for m in re.findall(r"https?://\S+", body) if path in m}
    return link


def _fill_member(fieldset, *, title, given_name, family_name, role, position, gender=""):
    fieldset.get_by_label("Title").select_option(label=title)
    fieldset.get_by_label("Given name").fill(given_name)
    fieldset.get_by_label("Family name").fill(family_name)
    fieldset.get_by_label("Role").select_option(label=role)
    fieldset.get_by_label("Position").fill(position)
    if gender:
        fieldset.get_by_label("Gender").select_option(label=gender)


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _word_lines(page, word: str) -> list[int]:
    """For each place ``word`` is shown in the page's main part, on how many lines it is drawn (1: unbroken)."""
    return page.evaluate(
        """(word) => {
            const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
            const lines = [];
            while (walker.nextNode()) {
                const node = walker.currentNode;
                let at = node.textContent.indexOf(word);
                while (at !== -1) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + word.length);
                    const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
                    if (tops.size) lines.push(tops.size);
                    at = node.textContent.indexOf(word, at + 1);
                }
            }
            return lines;
        }""",
        word,
    )


def _reads_well_on_a_phone(page, *, word: str = "Mexico") -> None:
    assert _fits_the_screen(page), f"{page.url} scrolls sideways at {page.viewport_size['width']} px"
    lines = _word_lines(page, word)
    assert lines, f"{word} is not on {page.url}"
    assert set(lines) == {1}, f"{word} is broken across lines on {page.url}"


def test_focal_point_signs_up_registers_and_is_mailed_at_each_step(demo_portal, browser_page, step):
    started = time.monotonic()
    invitation = Invitation.objects.get(meeting__slug=MEETING_SLUG, state__iso3="MEX", accepted_at__isnull=True)
    link = services.invitation_link(invitation)
    assert link.startswith(demo_portal.url)
    delegation_path = f"/register/{MEETING_SLUG}/state-MEX/"

    # 1. The meeting page tells a visitor how to become a focal point.
    page = browser_page()
    page.goto(f"{demo_portal.url}/meetings/{MEETING_SLUG}/")
    panel = page.locator(".register-panel")
    expect(panel).to_contain_text("Open until")
    expect(panel.get_by_role("link", name="Sign in")).to_be_visible()
    expect(panel).to_contain_text("Open the registration link it carries")
    step(page, "meeting page: how to become a focal point")

    # 2. The registration link of the invitation, then sign-up: name and ministry asked.
    page.goto(link)
    expect(page.locator("main")).to_contain_text(
        f"This link invites Mexico to register its delegation to the {MEETING_TITLE}"
    )
    step(page, "invitation link")
    page.get_by_role("link", name="Create an account").click()
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    assert page.locator("input[name=username]").count() == 0
    page.get_by_label("Given name").fill("Amina")
    page.get_by_label("Family name").fill("Okonkwo")
    page.get_by_label("Ministry or mission").fill("Permanent Mission of Mexico to the United Nations Office at Geneva")
    page.get_by_label("Email").fill(FOCAL_EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    step(page, "sign-up asks the name and the ministry")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    step(page, "asked to verify the address")
    user = get_user_model().objects.get(email=FOCAL_EMAIL)
    assert (user.get_full_name(), Profile.objects.get(user=user).affiliation) == (
        "Amina Okonkwo",
        "Permanent Mission of Mexico to the United Nations Office at Geneva",
    )

    # 3. The verification e-mail names the portal and its office, never example.com.
    (verification,) = _mail_to(FOCAL_EMAIL)
    assert verification.subject == "[CCM Portal] Confirm your e-mail address"
    assert "example.com" not in verification.subject + verification.body
    assert verification.body.startswith("Dear Amina Okonkwo,")
    assert "an account on the CCM Portal, in the name of Amina Okonkwo" in verification.body
    assert "Office for Disarmament Affairs\nCCM Portal · " in verification.body
    page.goto(_only_link(verification.body, "/accounts/confirm-email/"))
    expect(page.locator("main")).to_contain_text(f"{FOCAL_EMAIL} is an email address for user Amina Okonkwo")
    step(page, "confirm the address")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    assert EmailAddress.objects.get(email=FOCAL_EMAIL).verified
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # confirming signed her in

    # 4. Back on the link (where the confirmation brought her), she accepts it.
    if page.url != link:
        page.goto(link)
    expect(page.locator("main")).to_contain_text("Signed in as Amina Okonkwo")
    step(page, "signed in, accepting the link")
    with page.expect_navigation():
        page.get_by_role("button", name="Become focal point of Mexico").click()
    expect(page).to_have_url(re.compile(rf"{delegation_path}$"))
    expect(page.locator(".messages")).to_contain_text("You are now a focal point of Mexico.")
    assert FocalPoint.objects.get(user=user, state__iso3="MEX").is_active

    # 5. One member to start with, the credentials upload already on this first screen.
    members = page.locator("fieldset.member")
    expect(members).to_have_count(1)
    expect(page.get_by_label("Credentials letter (PDF)")).to_be_visible()
    step(page, "the delegation form: one member, credentials on the first screen")
    _fill_member(
        page.get_by_role("group", name="Member 1"),
        title="H.E.",
        given_name="Amina",
        family_name="Okonkwo",
        role="Head of delegation",
        position="Ambassador, Permanent Representative",
        gender="Female",
    )
    page.get_by_role("button", name="Add member").click()
    expect(members).to_have_count(2)
    _fill_member(
        page.get_by_role("group", name="Member 2"),
        title="Mr.",
        given_name="Lars",
        family_name="Berg",
        role="Alternate",
        position="Counsellor, Permanent Mission",
        gender="Male",
    )
    page.get_by_role("button", name="Add member").click()
    _fill_member(
        page.get_by_role("group", name="Member 3"),
        title="Dr.",
        given_name="Chen",
        family_name="Wei",
        role="Expert",
        position="Clearance expert",
    )
    page.get_by_label("Credentials letter (PDF)").set_input_files(
        {"name": "credentials.pdf", "mimeType": "application/pdf", "buffer": _credentials_pdf()}
    )
    step(page, "three members typed, the letter chosen")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        "Saved. The credentials letter was received. Submit the delegation when the list is complete."
    )
    delegation = Delegation.objects.get(meeting__slug=MEETING_SLUG, state__iso3="MEX")
    assert delegation.members.count() == 3
    assert Credentials.objects.get(delegation=delegation).status == Credentials.Status.RECEIVED

    # 6. After saving: the three members, no blank fourth; "Add member" adds one when asked.
    expect(members).to_have_count(3)
    expect(page.get_by_role("group", name="Member 4")).to_have_count(0)
    expect(page.locator("#credentials-status")).to_contain_text("Received")
    step(page, "saved: three members, no blank row")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("group", name="Member 4")).to_be_visible()
    page.get_by_role("group", name="Member 4").get_by_role("button", name="Remove this member").click()
    expect(members).to_have_count(3)

    # 7. On a 390 px phone, the same person: nothing scrolls sideways and "Mexico" is never broken.
    phone = browser_page(width=390, height=844, mobile=True)
    phone.goto(f"{demo_portal.url}/accounts/signup/")
    assert _fits_the_screen(phone)
    step(phone, "phone: sign-up")
    sign_in(phone, demo_portal.url, email=FOCAL_EMAIL, password=PASSWORD)
    phone.goto(f"{demo_portal.url}/meetings/{MEETING_SLUG}/")
    expect(phone.locator(".register-panel")).to_contain_text("Delegation of Mexico: Draft")
    _reads_well_on_a_phone(phone)
    step(phone, "phone: meeting page with the delegation's status")
    phone.goto(f"{demo_portal.url}/register/")
    expect(phone.locator("main")).to_contain_text("Signed in as Amina Okonkwo")
    _reads_well_on_a_phone(phone)
    step(phone, "phone: my registrations")
    phone.goto(demo_portal.url + delegation_path)
    expect(phone.locator("fieldset.member")).to_have_count(3)
    _reads_well_on_a_phone(phone)
    step(phone, "phone: the delegation form")
    phone.goto(f"{demo_portal.url}/accounts/2fa/totp/activate/")
    if phone.get_by_label(re.compile(r"^Password:?$")).count():  # allauth asks the password again first
        phone.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
        with phone.expect_navigation():
            phone.get_by_role("button", name="Confirm").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Authenticator App")
    assert _fits_the_screen(phone)
    step(phone, "phone: two-factor set-up")

    # 8. Submitting sends an acknowledgement whose link opens the delegation.
    mail.outbox.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and submit to the secretariat").click()
    expect(page.locator(".messages")).to_contain_text("Submitted to the secretariat.")
    expect(page.locator("#delegation-status")).to_have_text("Submitted")
    step(page, "submitted")
    (acknowledgement,) = _mail_to(FOCAL_EMAIL)
    assert acknowledgement.subject == f"[CCM Portal] {MEETING_TITLE}: delegation of Mexico received"
    assert acknowledgement.body.startswith("Dear Amina Okonkwo,")
    assert "Members: 3. Head of delegation: H.E. Ms. Amina OKONKWO." in acknowledgement.body
    assert "Credentials: received on " in acknowledgement.body
    assert "example.com" not in acknowledgement.body
    page.goto(_only_link(acknowledgement.body, delegation_path))
    expect(page.get_by_role("heading", level=1)).to_have_text("Delegation of Mexico")
    expect(page.locator("#delegation-status")).to_have_text("Submitted")
    step(page, "the acknowledgement's link opens the delegation")

    # 9. The secretariat approves; the approval e-mail says who decided and its link opens the delegation.
    secretariat = get_user_model().objects.get(email=SECRETARIAT)
    services.delegation_decide(delegation=delegation, by=secretariat, approve=True)
    (approval,) = [m for m in _mail_to(FOCAL_EMAIL) if "approved" in m.subject]
    assert approval.subject == f"[CCM Portal] {MEETING_TITLE}: delegation of Mexico approved"
    assert "The Office for Disarmament Affairs, as secretariat, approved the delegation of Mexico" in approval.body
    page.goto(_only_link(approval.body, delegation_path))
    expect(page.locator("#delegation-status")).to_have_text("Approved")
    step(page, "the approval's link opens the approved delegation")

    # 10. The secretariat reads the list of participants: H.E. Ms. Amina OKONKWO heads Mexico's delegation.
    staff = browser_page()
    sign_in(
        staff,
        demo_portal.url,
        email=SECRETARIAT,
        password="demo-secretariat-2026",
        totp_secret=user_totp_secret(SECRETARIAT),
    )
    staff.goto(f"{demo_portal.url}/register/{MEETING_SLUG}/participants/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("List of participants")
    mexico = staff.locator(".delegation-card", has=staff.get_by_role("heading", name="Mexico", exact=True))
    expect(mexico.locator(".name")).to_have_text(["H.E. Ms. Amina OKONKWO", "Mr. Lars BERG", "Dr. Chen WEI"])
    expect(mexico.locator(".badge")).to_have_text(["Head of delegation"])
    parties = staff.locator(".participants-group").first.get_by_role("heading", level=3).all_inner_texts()
    assert parties == sorted(parties, key=lambda name: name.casefold()) and "Mexico" in parties
    step(staff, "secretariat: list of participants")
    pdf = staff.request.get(f"{demo_portal.url}/register/{MEETING_SLUG}/participants.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert MEETING_TITLE in text and "Room XIX, Palais des Nations" in text and "Issued on" in text
    assert "H.E. Ms. Amina OKONKWO" in text and "Page 1 of" in text
    print(f"journey took {time.monotonic() - started:.1f} s")
