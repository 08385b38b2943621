"""What a focal point reads: the way in from the meeting page, the delegation form (no blank row, credentials on
the first screen), names in the UN's order, their own details, and the e-mails at each step."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from correspondence.models import Office
from registration import services
from registration.models import Credentials, Delegation, FocalPoint, Profile
from tests.factories import OrganisationFactory, StateFactory, UserFactory

from .conftest import (
    TODAY,
    close_registration,
    delegation_url,
    focal_point,
    formset_data,
    head,
    register,
    row,
    upload,
)

pytestmark = pytest.mark.django_db


def panel(response) -> str:
    """The registration panel of a meeting page."""
    text = response.content.decode()
    found = re.search(r'<section class="register-panel".*?</section>', text, flags=re.DOTALL)
    return found.group(0) if found else ""


# --- the way in from the meeting page ---------------------------------------------------------------------------------


def test_anyone_is_told_how_to_become_a_focal_point(client, meeting):
    html = panel(client.get(meeting.get_absolute_url()))

    assert f"<strong>Open</strong> until {meeting.registration_deadline:%-d %B %Y}." in html
    assert f'href="/accounts/login/?next=/en/meetings/{meeting.slug}/">Sign in</a> to register your delegation' in html
    assert "Open the registration link it carries" in html
    assert 'href="/accounts/signup/?next=/register/focal-point/">create an account</a>' in html
    assert "Register your delegation" not in html


def test_a_signed_in_person_without_a_role_is_offered_to_ask(login, delegate, meeting):
    html = panel(login(delegate).get(meeting.get_absolute_url()))

    assert '<a href="/register/focal-point/">ask to become a focal point</a>' in html
    assert "Sign in" not in html


def test_a_pending_request_is_shown_instead_of_a_second_one(login, delegate, meeting, state_a):
    services.focal_point_request(user=delegate, state=state_a, reason="Counsellor")

    html = panel(login(delegate).get(meeting.get_absolute_url()))

    assert "Your request to act for Arcadia is with the secretariat" in html
    assert "ask to become a focal point" not in html


def test_a_focal_point_registers_from_the_meeting_page(login, focal_a, meeting, state_a):
    html = panel(login(focal_a).get(meeting.get_absolute_url()))

    assert f'<a class="button" href="{delegation_url(meeting, state_a)}">Register your delegation</a>' in html


def test_once_registered_the_meeting_page_shows_the_delegation_status(login, focal_a, meeting, state_a, delegation_a):
    client = login(focal_a)
    assert 'status-draft">Draft</span>' in panel(client.get(meeting.get_absolute_url()))
    assert "Continue your registration" in panel(client.get(meeting.get_absolute_url()))

    services.delegation_submit(delegation=delegation_a, user=focal_a)
    html = panel(client.get(meeting.get_absolute_url()))

    assert 'Delegation of <strong>Arcadia</strong>: <span class="status status-submitted">Submitted</span>' in html
    assert f'<a href="{delegation_url(meeting, state_a)}">Open the delegation</a>' in html
    assert "Register your delegation" not in html


def test_a_focal_point_of_two_parties_sees_each_in_un_order(login, focal_a, meeting):
    focal_point(focal_a, state=StateFactory(name_en="Côte d'Ivoire"))
    focal_point(focal_a, state=StateFactory(name_en="Czechia"))

    html = panel(login(focal_a).get(meeting.get_absolute_url()))

    assert re.findall(r"for (Arcadia|Côte d&#x27;Ivoire|Czechia)</span>", html) == [
        "Arcadia",
        "Côte d&#x27;Ivoire",
        "Czechia",
    ]


def test_after_the_deadline_the_focal_point_reads_that_it_is_closed(login, focal_a, meeting):
    close_registration(meeting)

    html = panel(login(focal_a).get(meeting.get_absolute_url()))

    assert f"Closed on {meeting.registration_deadline:%-d %B %Y}: changes go through the secretariat." in html
    assert "Arcadia: not registered." in html
    assert "Register your delegation" not in html


def test_before_registration_opens_the_page_says_when(client, meeting):
    meeting.registration_opens = TODAY + timezone.timedelta(days=3)
    meeting.save()

    html = panel(client.get(meeting.get_absolute_url()))

    assert f"Opens on {meeting.registration_opens:%-d %B %Y}" in html


@pytest.mark.parametrize(
    ("who", "participants", "credentials"),
    [("secretariat", True, True), ("presidency", True, False), ("focal_a", False, False)],
)
def test_the_lists_are_linked_for_those_who_may_read_them(login, request, meeting, who, participants, credentials):
    html = panel(login(request.getfixturevalue(who)).get(meeting.get_absolute_url()))

    assert (reverse("registration:participants", args=[meeting.slug]) in html) is participants
    assert (reverse("registration:credentials_report", args=[meeting.slug]) in html) is credentials


def test_a_past_meeting_shows_no_registration_to_the_public(client, meeting):
    meeting.start_date = meeting.end_date = TODAY - timezone.timedelta(days=3)
    meeting.registration_opens = meeting.registration_deadline = None
    meeting.save()

    assert panel(client.get(meeting.get_absolute_url())) == ""


def test_after_the_meeting_a_focal_point_sees_only_what_was_registered(login, focal_a, meeting, state_a, delegation_a):
    focal_point(focal_a, state=StateFactory(name_en="Unregistered"))
    meeting.start_date = meeting.end_date = TODAY - timezone.timedelta(days=3)
    meeting.registration_opens = meeting.registration_deadline = None
    meeting.save()

    html = panel(login(focal_a).get(meeting.get_absolute_url()))

    assert "The meeting has taken place." in html
    assert 'Delegation of <strong>Arcadia</strong>: <span class="status status-draft">Draft</span>' in html
    assert "Unregistered" not in html and "<li>\n    \n    </li>" not in html


def test_meeting_page_queries_do_not_grow_with_the_focal_points_roles(login, focal_a, meeting, secretariat):
    client = login(focal_a)
    url = meeting.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)

    for i in range(6):
        party = StateFactory(name_en=f"Party {i}")
        focal_point(focal_a, state=party)
        register(meeting, secretariat, [head(f"Head{i}")], state=party)
    focal_point(focal_a, organisation=OrganisationFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert panel(response).count("Delegation of <strong>") == 6
    assert len(many) == len(one)


# --- the delegation form ----------------------------------------------------------------------------------------------


def fieldsets(response) -> list[str]:
    text = response.content.decode().split('<template id="member-template">')[0]
    return text.split('<fieldset class="member">')[1:]


def test_after_saving_there_is_no_blank_member(login, focal_a, meeting, state_a):
    client = login(focal_a)
    url = delegation_url(meeting, state_a)
    three = [row("Okonkwo", "Amina", role="head", title="H.E."), row("Berg", "Lars"), row("Wei", "Chen", title="Dr.")]

    page = client.post(url, formset_data(three), follow=True)

    blocks = fieldsets(page)
    assert len(blocks) == 3
    assert ['value="Okonkwo"' in blocks[0], 'value="Berg"' in blocks[1], 'value="Wei"' in blocks[2]] == [True] * 3
    assert "Member 4" not in page.content.decode()
    assert '<script src="/static/js/delegation.js" defer></script>' in page.content.decode()
    assert "<script>" not in page.content.decode()  # no inline script: the CSP to come forbids it


def test_the_credentials_upload_is_on_the_first_screen(login, focal_a, meeting, state_a):
    page = login(focal_a).get(delegation_url(meeting, state_a))

    form = page.content.decode().split('id="members-form"')[1].split("</form>")[0]
    assert 'enctype="multipart/form-data"' in page.content.decode().split('id="members-form"')[1][:60]
    assert 'type="file" name="file"' in form
    assert "Credentials letter (PDF)" in form
    assert not Delegation.objects.exists()


def test_members_and_credentials_are_saved_and_submitted_in_one_go(login, focal_a, meeting, state_a, pdf_upload):
    data = formset_data([row("Okonkwo", "Amina", role="head", title="H.E.")], submit="1")

    response = login(focal_a).post(delegation_url(meeting, state_a), {**data, "file": pdf_upload()}, follow=True)

    delegation = Delegation.objects.get(meeting=meeting, state=state_a)
    assert delegation.status == Delegation.Status.SUBMITTED
    assert Credentials.objects.get(delegation=delegation).status == Credentials.Status.RECEIVED
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Submitted to the secretariat. The credentials letter was received. "
        "You will get an e-mail now and when it is reviewed."
    ]


def test_a_bad_credentials_file_saves_nothing_and_says_why(login, focal_a, meeting, state_a):
    data = formset_data([row("Okonkwo", "Amina", role="head", title="H.E.")])
    bad = upload("credentials.pdf", b"not a pdf at all")

    response = login(focal_a).post(delegation_url(meeting, state_a), {**data, "file": bad})

    assert response.status_code == 200
    assert not Delegation.objects.exists()
    text = response.content.decode()
    assert "The file is not a PDF" in text
    assert 'value="Okonkwo"' in text  # what was typed is kept
    assert [str(m) for m in response.context["messages"]] == [
        "Some entries need your attention; nothing was saved yet. Choose the credentials letter again."
    ]


def test_a_refused_replacement_keeps_the_members_and_the_letter_as_they_were(
    login, focal_a, secretariat, meeting, state_a, delegation_a, pdf_upload, django_capture_on_commit_callbacks
):
    credentials = services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=focal_a)
    services.credentials_review(credentials=credentials, by=secretariat, status="in_order")
    data = formset_data([row("Changed", "Name", role="head")], version="1")

    with django_capture_on_commit_callbacks(execute=True):
        response = login(focal_a).post(delegation_url(meeting, state_a), {**data, "file": pdf_upload()})

    assert "already in order" in " ".join(str(m) for m in response.context["messages"])
    assert [m.family_name for m in delegation_a.members.all()] == ["Okonkwo", "Lindqvist"]
    credentials.refresh_from_db()
    assert credentials.file.storage.exists(credentials.file.name)


def test_history_names_who_did_what(login, focal_a, meeting, state_a, delegation_a):
    focal_a.first_name, focal_a.last_name = "Amina", "Okonkwo"
    focal_a.save()
    services.delegation_submit(delegation=delegation_a, user=focal_a)

    text = login(focal_a).get(delegation_url(meeting, state_a)).content.decode()

    assert re.search(r"Submitted: 2 members <span class=\"muted\">– Amina Okonkwo</span>", text)


# --- names in the UN's order ------------------------------------------------------------------------------------------


def test_the_focal_point_request_lists_states_in_un_order(login, delegate):
    for name in ("Czechia", "Cuba", "Côte d'Ivoire", "Costa Rica", "Croatia"):
        StateFactory(name_en=name)

    html = login(delegate).get(reverse("registration:focal_point_request")).content.decode()

    names = re.findall(r'<option value="\d+">([^<]+)</option>', html.split('name="state"')[1].split("</select>")[0])
    assert names == ["Costa Rica", "Côte d&#x27;Ivoire", "Croatia", "Cuba", "Czechia"]


def test_my_registrations_lists_parties_and_delegations_in_un_order(login, delegate, meeting, secretariat):
    for name in ("Czechia", "Côte d'Ivoire", "Cuba"):
        state = StateFactory(name_en=name)
        focal_point(delegate, state=state)
        register(meeting, secretariat, [head(f"Head of {name}")], state=state)

    response = login(delegate).get(reverse("registration:mine"))

    assert [str(fp.party) for fp in response.context["focal_points"]] == ["Côte d'Ivoire", "Cuba", "Czechia"]
    assert [str(r["focal_point"].party) for r in response.context["rows"]] == ["Côte d'Ivoire", "Cuba", "Czechia"]
    assert [str(d.party) for d in response.context["past"]] == ["Côte d'Ivoire", "Cuba", "Czechia"]


# --- your details -----------------------------------------------------------------------------------------------------


def test_my_registrations_greets_by_name_and_ministry(login, delegate):
    services.profile_update(user=delegate, first_name="Amina", last_name="Okonkwo", affiliation="Ministry of X")

    text = login(delegate).get(reverse("registration:mine")).content.decode()

    assert "Signed in as <strong>Amina Okonkwo</strong>, Ministry of X" in text
    assert "your name and your ministry or mission" not in text


def test_an_account_without_a_name_is_asked_for_it(login, delegate):
    text = login(delegate).get(reverse("registration:mine")).content.decode()

    assert "Signed in as <strong>delegate@example.org</strong>" in text
    assert "your name and your ministry or mission</a>" in text


def test_your_details_are_changed_through_the_page(login, delegate):
    client = login(delegate)
    url = reverse("registration:profile")

    refused = client.post(url, {"first_name": "Amina", "last_name": "", "affiliation": "Ministry of X"})
    assert refused.status_code == 200 and refused.context["form"].errors["last_name"]

    response = client.post(url, {"first_name": "Amina", "last_name": "Okonkwo", "affiliation": "Ministry of X"})
    assert response["Location"] == reverse("registration:mine")
    delegate.refresh_from_db()
    assert delegate.get_full_name() == "Amina Okonkwo"
    assert Profile.objects.get(user=delegate).affiliation == "Ministry of X"
    assert client.get(url).context["form"].initial == {
        "first_name": "Amina",
        "last_name": "Okonkwo",
        "affiliation": "Ministry of X",
    }


def test_your_details_need_an_account(client):
    assert client.get(reverse("registration:profile"))["Location"].startswith(reverse("account_login"))


def test_the_invitation_greets_by_name(login, delegate, meeting, state_a):
    services.profile_update(user=delegate, first_name="Amina", last_name="Okonkwo", affiliation="Ministry of X")
    link = services.invitation_link(services.invitation_create(meeting=meeting, state=state_a))

    text = login(delegate).get(link).content.decode()

    assert "Signed in as <strong>Amina Okonkwo</strong>" in text


# --- e-mails at each step ---------------------------------------------------------------------------------------------


@pytest.fixture
def oda(secretariat):
    office = Office.objects.create(
        name="Office for Disarmament Affairs (Geneva Branch)",
        code="ODA-GE",
        kind=Office.Kind.SECRETARIAT,
        letterhead_lines="United Nations",
        city="Geneva",
        reference_pattern="{code}/{yyyy}-{seq:05}",
    )
    office.members.add(secretariat)
    return office


def test_submission_sends_each_focal_point_an_acknowledgement_with_a_link(
    focal_a, focal_a2, meeting, state_a, delegation_a, on_commit, settings
):
    settings.SITE_URL = "https://portal.example.int"
    focal_a.first_name, focal_a.last_name = "Amina", "Okonkwo"
    focal_a.save()

    with on_commit():
        services.delegation_submit(delegation=delegation_a, user=focal_a)

    assert sorted(m.to[0] for m in mail.outbox) == ["focal.a2@example.org", "focal.a@example.org"]
    message = next(m for m in mail.outbox if m.to == ["focal.a@example.org"])
    assert message.subject == "[CCM Portal] 20MSP: delegation of Arcadia received"
    assert message.body.startswith("Dear Amina Okonkwo,\n\nThe delegation of Arcadia to the Twentieth Meeting")
    assert "It was submitted by Amina Okonkwo." in message.body
    assert "Members: 2. Head of delegation: H.E. Amara OKONKWO." in message.body
    assert "Credentials: not uploaded yet." in message.body
    assert f"https://portal.example.int{delegation_url(meeting, state_a)}\n" in message.body
    assert message.body.rstrip().endswith(
        "Office for Disarmament Affairs\nCCM Portal · https://portal.example.int\n\n"
        "You receive this e-mail because you are a focal point registered on the CCM Portal."
    )
    assert "example.com" not in message.body


@pytest.mark.parametrize("approve", [True, False])
def test_every_decision_says_who_decided_and_links_to_the_delegation(
    focal_a, secretariat, oda, meeting, state_a, delegation_a, on_commit, approve, settings
):
    settings.SITE_URL = "https://portal.example.int"
    services.delegation_submit(delegation=delegation_a, user=focal_a)
    mail.outbox.clear()

    with on_commit():
        services.delegation_decide(delegation=delegation_a, by=secretariat, approve=approve, reason="Add titles.")

    (message,) = mail.outbox
    verb = "approved" if approve else "returned"
    assert message.subject == f"[CCM Portal] 20MSP: delegation of Arcadia {verb}" + ("" if approve else " for changes")
    assert f"The Office for Disarmament Affairs (Geneva Branch), as secretariat, {verb} the delegation" in message.body
    assert f"https://portal.example.int{delegation_url(meeting, state_a)}\n" in message.body
    assert "Office for Disarmament Affairs (Geneva Branch)\nCCM Portal · https://portal.example.int" in message.body
    assert ("Add titles." in message.body) is not approve


@pytest.mark.parametrize("approve", [True, False])
def test_a_focal_point_decision_links_to_my_registrations(delegate, secretariat, oda, state_a, on_commit, approve):
    request = services.focal_point_request(user=delegate, state=state_a, reason="Counsellor")

    with on_commit():
        services.focal_point_decide(focal_point=request, by=secretariat, approve=approve, reason="Unknown to us.")

    (message,) = mail.outbox
    assert "The Office for Disarmament Affairs (Geneva Branch), as secretariat," in message.body
    assert "/register/\n" in message.body
    assert ("Unknown to us." in message.body) is not approve


def test_without_an_office_the_portal_s_office_signs(focal_a, secretariat, delegation_a, on_commit, settings):
    settings.SITE_OFFICE = "Implementation Support Unit"
    services.delegation_submit(delegation=delegation_a, user=focal_a)
    mail.outbox.clear()

    with on_commit():
        services.delegation_decide(delegation=delegation_a, by=secretariat, approve=True)

    assert "The Implementation Support Unit, as secretariat, approved" in mail.outbox[0].body


def test_a_focal_point_without_a_name_is_greeted_by_address(focal_a, delegation_a, on_commit):
    with on_commit():
        services.delegation_submit(delegation=delegation_a, user=focal_a)

    assert mail.outbox[0].body.startswith("Dear focal.a@example.org,")


def test_only_approved_focal_points_of_the_party_are_written_to(focal_a, focal_b, delegation_a, on_commit, state_a):
    FocalPoint.objects.create(user=UserFactory(username="pending@example.org"), state=state_a, reason="Not yet")

    with on_commit():
        services.delegation_submit(delegation=delegation_a, user=focal_a)

    assert [m.to for m in mail.outbox] == [["focal.a@example.org"]]
