"""The whole registration journey in a real Chromium, the way people use it.

A focal point receives an invitation link, creates an account, confirms the e-mail,
accepts the link, registers a delegation of three, submits it and uploads credentials.
The secretariat signs in with its second factor, approves the delegation in the admin
and reads the list of participants.
"""

import datetime as dt
import io
import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfWriter

from ccm_portal.roles import SECRETARIAT, roles_sync
from registration import services
from registration.models import Credentials, Delegation, FocalPoint, Member
from tests.conftest import fresh_totp_code
from tests.factories import (
    MeetingFactory,
    MissionFactory,
    ParticipationFactory,
    StateFactory,
    UserFactory,
    ccm,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Blue-Lake-Antelope-2031"


def _credentials_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Credentials"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _mail_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def _fill_member(fieldset, *, title, given_name, family_name, role, position, gender=""):
    fieldset.get_by_label("Title").select_option(label=title)
    fieldset.get_by_label("Given name").fill(given_name)
    fieldset.get_by_label("Family name").fill(family_name)
    fieldset.get_by_label("Role").select_option(label=role)
    fieldset.get_by_label("Position").fill(position)
    if gender:
        fieldset.get_by_label("Gender").select_option(label=gender)


def test_focal_point_registers_and_secretariat_approves(portal, browser_page):
    started = time.monotonic()
    # a. The meeting, the State and its invitation link.
    today = timezone.localdate()
    meeting = MeetingFactory(
        treaty=ccm(),
        kind="msp",
        number=21,
        title="Twenty-first Meeting of States Parties to the Convention on Cluster Munitions",
        slug="21msp-journey",
        start_date=today + dt.timedelta(days=40),
        end_date=today + dt.timedelta(days=43),
        registration_opens=today - dt.timedelta(days=10),
        registration_deadline=today + dt.timedelta(days=20),
    )
    state = StateFactory(name_en="Republic of Journeyland")
    MissionFactory(state=state)
    ParticipationFactory(state=state)
    link = services.invitation_link(services.invitation_create(meeting=meeting, state=state))
    assert link.startswith(portal.url)

    # b. The focal point opens the link, creates an account and confirms the e-mail address.
    focal_email = "focal.point@journeyland.example"
    page = browser_page()
    page.goto(link)
    assert "Republic of Journeyland" in page.locator("main").inner_text()
    page.get_by_role("link", name="create an account").click()
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    assert page.locator("input[name=username]").count() == 0
    page.get_by_label("Email").fill(focal_email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")

    (verification,) = _mail_to(focal_email)
    confirm_url = re.search(r"https?://\S+/accounts/confirm-email/\S+/", verification.body).group(0)
    assert confirm_url.startswith(portal.url)
    page.goto(confirm_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    assert EmailAddress.objects.get(email=focal_email).verified

    if page.get_by_role("button", name="Sign out").count() == 0:  # not signed in by the confirmation
        print("signing in after the confirmation")
        page.goto(f"{portal.url}/accounts/login/")
        page.get_by_label("Email").fill(focal_email)
        page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # ... returns to the link and becomes focal point of the State.
    page.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Become focal point of Republic of Journeyland").click()
    expect(page).to_have_url(re.compile(rf"/register/{meeting.slug}/state-{state.iso3}/$"))
    expect(page.locator(".messages")).to_contain_text("You are now a focal point of Republic of Journeyland.")
    assert FocalPoint.objects.get(user__email=focal_email, state=state).is_active

    # c. A delegation of three, head first; the third member through "Add a member".
    _fill_member(
        page.get_by_role("group", name="Member 1"),
        title="H.E.",
        given_name="Amina",
        family_name="Okonkwo",
        role="Head of delegation",
        position="Ambassador, Permanent Representative",
        gender="Female",
    )
    _fill_member(
        page.get_by_role("group", name="Member 2"),
        title="Mr.",
        given_name="Lars",
        family_name="Berg",
        role="Alternate",
        position="Counsellor, Permanent Mission",
        gender="Male",
    )
    page.get_by_role("button", name="Add a member").click()
    expect(page.locator("fieldset.member")).to_have_count(3)
    _fill_member(
        page.get_by_role("group", name="New member"),
        title="Dr.",
        given_name="Chen",
        family_name="Wei",
        role="Expert",
        position="Clearance expert",
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    delegation = Delegation.objects.get(meeting=meeting, state=state)
    assert delegation.members.count() == 3

    with page.expect_navigation():
        page.get_by_role("button", name="Save and submit to the secretariat").click()
    expect(page.locator(".messages")).to_contain_text("Submitted to the secretariat")
    expect(page.locator("#delegation-status")).to_have_text("Submitted")

    page.get_by_label("Credentials letter (PDF)").set_input_files(
        {"name": "credentials.pdf", "mimeType": "application/pdf", "buffer": _credentials_pdf()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload credentials").click()
    expect(page.locator(".messages")).to_contain_text("Credentials received.")
    assert Credentials.objects.get(delegation=delegation).status == Credentials.Status.RECEIVED

    # d. The secretariat signs in with password and TOTP and approves in the admin.
    roles_sync()
    secretariat = UserFactory(username="officer@unoda.example", is_staff=True)
    secretariat.groups.add(Group.objects.get(name=SECRETARIAT))
    EmailAddress.objects.create(user=secretariat, email=secretariat.email, verified=True, primary=True)

    staff_page = browser_page()
    staff_page.goto(f"{portal.url}/accounts/login/")
    staff_page.get_by_label("Email").fill(secretariat.email)
    staff_page.get_by_label(re.compile(r"^Password:?$")).fill("correct horse battery staple")
    with staff_page.expect_navigation():
        staff_page.get_by_role("button", name="Sign In").click()
    expect(staff_page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    staff_page.get_by_label("Code").fill(fresh_totp_code())
    with staff_page.expect_navigation():
        staff_page.get_by_role("button", name="Sign In").click()
    expect(staff_page).to_have_url(re.compile(r"/admin/$"))  # staff land on the secretariat dashboard

    response = staff_page.goto(f"{portal.url}/admin/registration/delegation/")
    assert response.status == 200, (
        f"The secretariat's review queue answered {response.status}: "
        "does the Secretariat role (ccm_portal/roles.py) grant the registration permissions?"
    )
    staff_page.get_by_role("checkbox", name=re.compile("Republic of Journeyland")).check()
    staff_page.get_by_role("combobox", name="Action").select_option(label="Approve the selected delegations")
    with staff_page.expect_navigation():
        staff_page.get_by_role("button", name="Go").click()
    expect(staff_page.locator(".messagelist")).to_contain_text("1 delegation(s) approved")
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.APPROVED
    assert any("approved" in m.subject for m in _mail_to(focal_email))

    # e. The list of participants: the three members, the head of delegation first.
    staff_page.goto(f"{portal.url}/register/{meeting.slug}/participants/")
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("List of participants")
    expect(staff_page.get_by_role("heading", name="States Parties")).to_be_visible()
    expect(staff_page.get_by_role("heading", name="Republic of Journeyland")).to_be_visible()
    entries = staff_page.locator("ul.plain li").all_inner_texts()
    assert [e.split(",")[0] for e in entries] == ["H.E. Amina OKONKWO", "Mr. Lars BERG", "Dr. Chen WEI"]
    assert entries[0].endswith("(Head of delegation)")
    assert not any("Head of delegation" in e for e in entries[1:])
    assert Member.objects.get(delegation=delegation, role=Member.Role.HEAD).family_name == "Okonkwo"
    print(f"journey took {time.monotonic() - started:.1f} s")
