"""A presidency officer drafts from a template, previews, confirms and follows an invitation in a real browser."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from common.roles import PRESIDENCY, roles_sync
from correspondence.models import Note, NoteCopy, NoteTemplate
from tests.conftest import sign_in
from tests.factories import UserFactory, totp_code

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_presidency_drafts_previews_issues_and_sees_every_copy_sent(live_server, _chromium, settings, meeting):
    settings.SITE_URL = live_server.url
    roles_sync()
    office = factories.OfficeFactory(
        name="Permanent Mission of Iraq", code="IRQ", reference_pattern="{code}/{yyyy}/{seq:03}"
    )
    officer = UserFactory(username="officer@iraq.example", is_staff=True, password="s3cret-pass-2026")
    EmailAddress.objects.create(user=officer, email=officer.email, verified=True, primary=True)
    officer.groups.add(Group.objects.get(name=PRESIDENCY))
    office.members.add(officer)
    parties = [factories.party(name=f"Partyland {n}") for n in range(3)]
    NoteTemplate.objects.create(
        name="Invitation",
        form="note_verbale",
        language="en",
        subject="Invitation to the {{ meeting.title }}",
        body="{{ opening }} invite it to the {{ meeting.title }}, {{ meeting.dates }}.\n\n{{ closing }}",
    )

    context = _chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill("officer@iraq.example")
        page.get_by_label("Password").fill("s3cret-pass-2026")
        page.get_by_role("button", name="Sign In").click()
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url("**/admin/")  # staff land on the secretariat dashboard

        page.goto(f"{live_server.url}/admin/correspondence/note/add/")
        page.select_option("#id_office", label=str(office))
        page.select_option("#id_meeting", str(meeting.pk))
        page.select_option("#id_template", label="Invitation · English · shared")  # fills subject and body
        expect(page.locator("#id_subject")).to_have_value("Invitation to the {{ meeting.title }}")
        expect(page.locator("#id_form")).to_have_value("note_verbale")
        page.check("input[name=addressee_groups][value=states_parties]")
        page.click("input[name=_continue]")
        page.wait_for_selector("text=Status: Draft")
        note = Note.objects.get()

        with context.expect_page() as preview:
            page.get_by_role("link", name="Preview HTML").click()
        preview_page = preview.value
        preview_page.wait_for_load_state()
        assert "presents its compliments to the Permanent Mission of Partyland 0" in preview_page.inner_text("body")

        pdf = context.request.get(f"{live_server.url}/admin/correspondence/note/{note.pk}/preview.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF-")

        page.get_by_role("link", name="Issue and dispatch…").click()
        expect(page.locator(".issue-counts")).to_have_text("3 copies: 3 by e-mail, 0 to deliver by hand")
        assert not NoteCopy.objects.exists()  # nothing is sent before the confirmation
        page.get_by_role("button", name="Confirm: issue and send 3 copies").click()
        page.wait_for_selector("text=Issued as IRQ/")
        note.refresh_from_db()
        assert note.status == Note.Status.ISSUED
        assert sorted(NoteCopy.objects.filter(note=note).values_list("status", flat=True)) == ["sent"] * 3
        assert sorted(m.to[0] for m in mail.outbox) == sorted(p[1].email_list[0] for p in parties)
        assert page.locator("text=Partyland 2").count() >= 1
    except Exception:
        helpers_screenshot(page, "presidency_flow")
        raise
    finally:
        context.close()


def helpers_screenshot(page, name: str) -> None:
    from tests.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_choosing_a_template_asks_before_replacing_typed_wording(portal, browser_page, meeting):
    roles_sync()
    office = factories.OfficeFactory(name="Permanent Mission of Iraq", code="IRQ")
    officer = UserFactory(username="drafter@iraq.example", is_staff=True, password="s3cret-pass-2026")
    EmailAddress.objects.create(user=officer, email=officer.email, verified=True, primary=True)
    officer.groups.add(Group.objects.get(name=PRESIDENCY))
    office.members.add(officer)
    NoteTemplate.objects.create(
        name="Invitation",
        form="note_verbale",
        subject="Invitation: {{ meeting.title }}",
        body="{{ opening }} invite it.",
    )
    page = browser_page()
    sign_in(page, portal.url, email=officer.email, password="s3cret-pass-2026")
    page.goto(f"{portal.url}/admin/correspondence/note/add/?meeting={meeting.pk}")
    page.fill("#id_subject", "My own subject")
    page.fill("#id_body", "My own words.")
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.select_option("#id_template", label="Invitation · English · shared")
    expect(page.locator("#id_template")).to_have_value("")  # the choice is undone with the answer
    assert questions == ["Replace the subject and body you have typed with the wording of “Invitation”?"]
    expect(page.locator("#id_body")).to_have_value("My own words.")

    page.once("dialog", lambda dialog: dialog.accept())
    page.select_option("#id_template", label="Invitation · English · shared")
    expect(page.locator("#id_body")).to_have_value("{{ opening }} invite it.")
    expect(page.locator("#id_subject")).to_have_value("Invitation: {{ meeting.title }}")
    expect(page.locator("#placeholders-panel")).to_contain_text("Eleventh Meeting of States Parties")
