"""The secretariat's registration work in the admin: the delegation review screen, credentials, focal points and
invitations. Every write goes through registration.services; the admin only shows and asks."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from correspondence.models import Email
from meetings.models import Meeting
from registration import services
from registration.models import Credentials, Delegation, DelegationChange, FocalPoint, Invitation
from tests.factories import MeetingFactory, ParticipationFactory, StateFactory, UserFactory

from .conftest import focal_point, head, member, register, team

pytestmark = pytest.mark.django_db


def review_url(delegation) -> str:
    return reverse("admin:registration_delegation_change", args=[delegation.pk])


def flashed(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def text(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture
def submitted(delegation_a, focal_a):
    return services.delegation_submit(delegation=delegation_a, user=focal_a)


@pytest.fixture
def with_credentials(submitted, focal_a, pdf_upload):
    services.credentials_upload(delegation=submitted, file=pdf_upload(), user=focal_a)
    return submitted


# --- the review screen ------------------------------------------------------------------------------------------------


def test_a_delegation_with_credentials_opens_and_shows_the_pdf_inline(login, secretariat, with_credentials):
    """It used to be HTTP 500: the admin tried to show the private file's URL."""
    response = login(secretariat).get(review_url(with_credentials))

    assert response.status_code == 200
    credentials = with_credentials.credentials
    file_url = reverse("registration:credentials_file", args=[credentials.pk])
    assert f'<iframe class="credentials-pdf" id="credentials-pdf" src="{file_url}#' in response.content.decode()
    page = text(response)
    assert "Credentials: Received" in page
    assert "Uploaded" in page and "by focal.a@example.org" in page


def test_review_screen_reads_like_the_delegation(login, secretariat, meeting, focal_a, state_a):
    days = (meeting.start_date, meeting.start_date + dt.timedelta(days=1))
    delegation = register(
        meeting,
        focal_a,
        [
            head("Okonkwo", "Amara", position="Ambassador", email="amara@arcadia.example"),
            member("Lindqvist", "Brigitta", title="Ms.", role="alternate", position="Counsellor", days=days),
            member("Zhou", "Chen", role="expert"),
        ],
        state=state_a,
        submit=True,
    )
    response = login(secretariat).get(review_url(delegation))
    page = text(response)

    assert "Delegation of Arcadia" in page
    assert "Category: States Parties" in page
    start = f"{meeting.start_date.day} {meeting.start_date:%B %Y}"
    assert (
        f"State Party on {start}, the meeting's first day: signed 3 December 2008, ratified 24 March 2011, "
        "in force for it since 1 September 2011." in page
    )
    rows = re.findall(r"<tr>\s*<td class=\"num\">(\d+)</td>(.*?)</tr>", response.content.decode(), re.S)
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for _, r in rows]
    assert [c[:4] for c in cells] == [
        ["H.E.", "Amara", "OKONKWO", "Head of delegation"],
        ["Ms.", "Brigitta", "LINDQVIST", "Alternate"],
        ["Mr.", "Chen", "ZHOU", "Expert"],
    ]
    assert cells[0][4:] == ["Ambassador", "amara@arcadia.example", "All days"]
    first, second = days
    assert cells[1][6] == f"{first:%a} {first.day} {first:%b}, {second:%a} {second.day} {second:%b}"
    assert "Submitted" in page and "version 1" in page
    assert "History" in page and "submitted 3 members" in page
    assert 'name="approve"' in response.content.decode() and 'name="return"' in response.content.decode()


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("signatory", "Signatory on {start}, the meeting's first day: signed 3 December 2008."),
        ("not_party", "Neither party to nor signatory of the CCM on {start}, the meeting's first day"),
    ],
)
def test_category_is_explained_for_every_kind_of_state(
    login, secretariat, meeting, request, fixture, expected, focal_b, state_b, state_c
):
    if fixture == "signatory":
        delegation = register(meeting, focal_b, [head("Vasquez")], state=state_b)
        category = "Signatory States"
    else:
        delegation = register(meeting, secretariat, [head("Novak")], state=state_c)
        category = "Observer States"
    page = text(login(secretariat).get(review_url(delegation)))

    assert f"Category: {category}" in page
    start = f"{meeting.start_date.day} {meeting.start_date:%B %Y}"
    assert expected.format(start=start) in page


def test_approve_from_the_review_screen(login, secretariat, with_credentials, on_commit):
    client = login(secretariat)
    with on_commit():
        response = client.post(review_url(with_credentials), {"approve": "1", "version": "1"}, follow=True)

    with_credentials.refresh_from_db()
    assert with_credentials.status == Delegation.Status.APPROVED
    assert "The delegation of Arcadia is approved. E-mail to: focal.a@example.org." in flashed(response)
    page = text(response)
    assert "Approved" in page and "approved" in [c.action for c in with_credentials.changes.all()]
    assert 'name="approve"' not in response.content.decode()  # decided: no buttons any more
    # The focal point also had the acknowledgement of the submission; the decision is one more e-mail.
    (notification,) = Email.objects.filter(to="focal.a@example.org", subject__contains="approved")
    assert [m.to for m in mail.outbox if m.subject == notification.subject] == [["focal.a@example.org"]]


def test_return_needs_a_reason_and_keeps_what_was_typed(login, secretariat, submitted):
    client = login(secretariat)
    refused = client.post(review_url(submitted), {"return": "1", "version": "1", "reason": "  "})

    assert refused.status_code == 200
    assert "Say why the delegation is returned." in flashed(refused)
    submitted.refresh_from_db()
    assert submitted.status == Delegation.Status.SUBMITTED

    done = client.post(
        review_url(submitted), {"return": "1", "version": "1", "reason": "Add the head's position."}, follow=True
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.return_reason) == ("returned", "Add the head's position.")
    assert "The delegation of Arcadia is returned for changes." in flashed(done)[0]
    assert "Returned with this reason: Add the head's position." in text(done)


def test_a_decision_on_a_list_that_changed_since_it_was_read_is_refused(login, secretariat, submitted):
    submitted.version = 2  # the focal point saved again (e.g. the secretariat reopened it) after the page was read
    submitted.save()
    response = login(secretariat).post(review_url(submitted), {"approve": "1", "version": "1"})

    assert response.status_code == 200
    assert any("changed after you opened it" in m for m in flashed(response))
    submitted.refresh_from_db()
    assert submitted.status == Delegation.Status.SUBMITTED


def test_a_draft_cannot_be_decided(login, secretariat, delegation_a):
    client = login(secretariat)
    page = client.get(review_url(delegation_a))
    assert 'name="approve"' not in page.content.decode()
    assert "Not submitted yet" in text(page)

    response = client.post(review_url(delegation_a), {"approve": "1", "version": "1"})
    assert "Arcadia: only a submitted delegation can be decided." in flashed(response)
    delegation_a.refresh_from_db()
    assert delegation_a.status == Delegation.Status.DRAFT


def test_credentials_are_examined_on_the_review_screen(login, secretariat, with_credentials):
    client = login(secretariat)
    url = review_url(with_credentials)

    refused = client.post(url, {"review_credentials": "1", "credentials-status": "rejected", "credentials-reason": ""})
    assert "Give the reason for rejecting the credentials." in flashed(refused)
    assert Credentials.objects.get().status == Credentials.Status.RECEIVED

    done = client.post(url, {"review_credentials": "1", "credentials-status": "in_order"}, follow=True)
    credentials = Credentials.objects.get()
    assert (credentials.status, credentials.reviewed_by) == ("in_order", secretariat)
    assert "Credentials recorded as “original in order”." in flashed(done)
    assert "Credentials: Original in order" in text(done)
    assert with_credentials.changes.filter(action="credentials: Original in order").exists()


def test_examining_credentials_that_were_never_uploaded_is_refused(login, secretariat, submitted):
    examine = {"review_credentials": "1", "credentials-status": "in_order"}
    response = login(secretariat).post(review_url(submitted), examine)
    assert "No credentials have been uploaded for this delegation." in flashed(response)
    assert "No credentials uploaded yet." in text(response)


def test_rule_1_3_steps_for_an_organisation(login, secretariat, meeting, focal_org, org_other):
    delegation = register(meeting, focal_org, [head("Moreau")], organisation=org_other, submit=True)
    client = login(secretariat)
    url = review_url(delegation)

    page = text(client.get(url))
    assert "Category: Organisations" in page
    assert "Not an observer by right: takes part if the meeting approves (rule 1.3). Asked to take part on" in page

    early = client.post(url, {"approve": "1", "version": "1"})
    assert any("record the meeting's approval of its participation first" in m for m in flashed(early))

    invited = client.post(url, {"invite": "1"}, follow=True)
    assert "Mine Action Watch (MAW) is invited provisionally; the meeting will decide." in flashed(invited)
    admitted = client.post(url, {"admit": "1"}, follow=True)
    assert "Recorded: the meeting approved the participation of Mine Action Watch (MAW)." in flashed(admitted)
    client.post(url, {"approve": "1", "version": "1"})

    delegation.refresh_from_db()
    assert (delegation.admission, delegation.status) == ("approved", "approved")
    assert [c.action for c in delegation.changes.order_by("at", "id")][-3:] == [
        "invited provisionally",
        "participation approved",
        "approved",
    ]


def test_review_screen_for_staff_who_may_only_look(login, submitted):
    viewer = UserFactory(username="viewer@example.org", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_delegation"))
    client = login(viewer)

    page = client.get(review_url(submitted))
    assert page.status_code == 200
    assert 'name="approve"' not in page.content.decode()
    assert client.post(review_url(submitted), {"approve": "1", "version": "1"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Delegation.Status.SUBMITTED


def test_others_cannot_open_the_review_screen(login, presidency, focal_a, submitted):
    for user in (presidency, focal_a):
        response = login(user).get(review_url(submitted))
        assert response.status_code in (302, 403)
        response = login(user).post(review_url(submitted), {"approve": "1", "version": "1"})
        assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.status == Delegation.Status.SUBMITTED


def test_unknown_delegation_goes_back_to_the_list(login, secretariat):
    response = login(secretariat).get(reverse("admin:registration_delegation_change", args=[999999]))
    assert response.status_code == 302


def test_review_screen_query_count_does_not_grow_with_members(login, secretariat, meeting, state_a):
    other = StateFactory(name_en="Bigland")
    ParticipationFactory(state=other)
    small = register(meeting, secretariat, team(1), state=state_a, submit=True)
    large = register(meeting, secretariat, team(30), state=other, submit=True)
    client = login(secretariat)
    client.get(review_url(small))  # warm the caches (content types, session)

    counts = {}
    for delegation, size in ((small, 1), (large, 30)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(review_url(delegation))
        assert response.status_code == 200
        assert f"Members ({size})" in text(response)
        counts[size] = [q["sql"] for q in queries.captured_queries]
    assert len(counts[1]) == len(counts[30]), "\n".join(counts[30])
    assert len(counts[30]) <= 16


# --- the list ---------------------------------------------------------------------------------------------------------


def test_list_shows_category_and_filters_by_it(login, secretariat, meeting, delegation_a, delegation_b):
    client = login(secretariat)
    changelist = reverse("admin:registration_delegation_changelist")

    response = client.get(changelist)
    assert response.status_code == 200
    assert re.search(r"Arcadia.*?States Parties", response.content.decode(), re.S)
    signatories = client.get(changelist, {"category": Delegation.Category.SIGNATORY})
    assert [d.state.name_en for d in signatories.context["cl"].result_list] == ["Borduria"]
    of_meeting = client.get(changelist, {"meeting": meeting.pk, "status__exact": "draft"})
    assert of_meeting.context["cl"].result_count == 2


def test_list_rows_checkbox_is_the_admins_own_html(login, secretariat, delegation_a):
    """The list writes each row's checkbox itself (it is faster than the admin's widget): the same HTML."""
    from django.contrib.admin import ModelAdmin
    from django.contrib.admin.sites import site

    delegation_a.state.name_en = "Arcadia & <Islands>"  # escaped once in the label, as the admin does
    delegation_admin = site._registry[Delegation]
    ours = delegation_admin.action_checkbox(delegation_a)
    assert ours == ModelAdmin.action_checkbox(delegation_admin, delegation_a)
    assert "Arcadia &amp; &lt;Islands&gt;" in ours
    page = login(secretariat).get(reverse("admin:registration_delegation_changelist")).content.decode()
    assert delegation_admin.action_checkbox(Delegation.objects.get(pk=delegation_a.pk)) in page
    # each row's link to its review screen, written from one reverse() for the page
    assert f'<a href="{review_url(delegation_a)}">' in page


def test_list_counts_each_delegations_members_and_sorts_by_them(login, secretariat, meeting, delegation_a, state_c):
    focal_c = UserFactory()
    focal_point(focal_c, state=state_c)
    register(meeting, focal_c, team(5), state=state_c)
    client = login(secretariat)
    listing = client.get(reverse("admin:registration_delegation_changelist"), {"o": "-5"})  # the Members column
    assert [(d.state, d.members_total) for d in listing.context["cl"].result_list] == [
        (state_c, 5),
        (delegation_a.state, 2),
    ]


def test_list_meeting_filter_offers_meetings_with_delegations_newest_first(login, secretariat, meeting, delegation_a):
    older = MeetingFactory(
        kind=Meeting.Kind.WORKSHOP,
        start_date=meeting.start_date - dt.timedelta(days=1),
        registration_opens=meeting.registration_opens,
        registration_deadline=meeting.registration_deadline,
    )
    register(older, delegation_a.created_by, team(1), state=delegation_a.state)
    without = MeetingFactory(title="Briefing without delegations")
    client = login(secretariat)
    changelist = reverse("admin:registration_delegation_changelist")

    def choices(response) -> list[str]:
        meeting_filter = next(
            f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "meeting"
        )
        return [label for _, label in meeting_filter.lookup_choices]

    listing = client.get(changelist)
    assert choices(listing) == [str(meeting), str(older)]
    assert f"20MSP ({meeting.start_date:%b %Y})" in listing.content.decode()
    assert f"{older.get_kind_display()} ({older.start_date:%b %Y})" in listing.content.decode()
    # a meeting chosen by a link (the dashboard's counts) is offered even with no delegation
    assert choices(client.get(changelist, {"meeting": without.pk})) == [str(without), str(meeting), str(older)]


def test_list_filters_by_credentials(login, secretariat, with_credentials, delegation_b):
    client = login(secretariat)
    changelist = reverse("admin:registration_delegation_changelist")
    received = client.get(changelist, {"credentials": "received"})
    missing = client.get(changelist, {"credentials": "none"})
    assert [d.pk for d in received.context["cl"].result_list] == [with_credentials.pk]
    assert [d.pk for d in missing.context["cl"].result_list] == [delegation_b.pk]


def test_delegations_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:registration_delegation_add")).status_code == 403


# --- credentials ------------------------------------------------------------------------------------------------------


def test_credentials_file_may_be_framed_by_the_portal_only_and_is_never_cached(login, secretariat, with_credentials):
    response = login(secretariat).get(reverse("registration:credentials_file", args=[with_credentials.credentials.pk]))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("inline")


def test_credentials_admin_is_read_only_and_leads_to_the_review(login, secretariat, with_credentials):
    client = login(secretariat)
    credentials = with_credentials.credentials
    page = client.get(reverse("admin:registration_credentials_change", args=[credentials.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="status"' not in html and 'type="submit"' not in html.split("</form>")[-1]
    listing = client.get(reverse("admin:registration_credentials_changelist")).content.decode()
    assert review_url(with_credentials) in listing

    client.post(reverse("admin:registration_credentials_change", args=[credentials.pk]), {"status": "in_order"})
    credentials.refresh_from_db()
    assert credentials.status == Credentials.Status.RECEIVED


# --- focal points and invitations -------------------------------------------------------------------------------------


def test_refuse_focal_point_requests_with_a_reason(login, secretariat, delegate, state_a, on_commit):
    request = services.focal_point_request(user=delegate, state=state_a, reason="Counsellor")
    changelist = reverse("admin:registration_focalpoint_changelist")
    client = login(secretariat)
    selected = {"action": "refuse", "_selected_action": [request.pk]}

    form = client.post(changelist, selected)
    assert form.status_code == 200 and "Refuse focal point requests" in text(form)
    with on_commit():
        done = client.post(changelist, {**selected, "reason": "Not known to the mission."}, follow=True)

    request.refresh_from_db()
    assert request.rejected_at and request.rejection_reason == "Not known to the mission."
    assert "1 request(s) refused; each person was e-mailed the reason." in flashed(done)
    assert [m.subject for m in mail.outbox] == ["[CCM Portal] Your request to act for Arcadia was not approved"]
    assert "Not known to the mission." in mail.outbox[0].body
    pending = client.get(changelist, {"decision": "pending"})
    assert pending.context["cl"].result_count == 0


def test_with_the_queue_down_approving_a_focal_point_is_saved_and_its_email_waits_in_the_outbox(
    login, secretariat, delegate, state_a, on_commit, monkeypatch
):
    """Redis down: the approval is committed, staff see it done (no 500), and the e-mail waits for the sweep."""
    from kombu.exceptions import OperationalError

    from correspondence import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    request = services.focal_point_request(user=delegate, state=state_a, reason="Counsellor")
    with monkeypatch.context() as patched, on_commit():
        patched.setattr(tasks.task_dispatch_email, "delay", broker_down)
        done = login(secretariat).post(
            reverse("admin:registration_focalpoint_changelist"),
            {"action": "approve", "_selected_action": [request.pk]},
            follow=True,
        )

    assert done.status_code == 200
    request.refresh_from_db()
    assert request.approved_at
    (waiting,) = Email.objects.filter(to="delegate@example.org", status=Email.Status.QUEUED)
    assert mail.outbox == []
    assert tasks.outbox_dispatch() == 1  # what beat's sweep runs once the queue is back
    waiting.refresh_from_db()
    assert waiting.status == Email.Status.SENT and len(mail.outbox) == 1


def test_a_decided_request_is_not_decided_again(login, secretariat, focal_a, on_commit):
    approved = FocalPoint.objects.get(user=focal_a)
    with on_commit():
        done = login(secretariat).post(
            reverse("admin:registration_focalpoint_changelist"),
            {"action": "refuse", "_selected_action": [approved.pk], "reason": "No."},
            follow=True,
        )
    approved.refresh_from_db()
    assert approved.is_active
    assert any("was already decided" in m for m in flashed(done))
    assert mail.outbox == []


def test_adding_a_focal_point_appoints_and_emails_them(login, secretariat, delegate, state_a, on_commit):
    with on_commit():
        response = login(secretariat).post(
            reverse("admin:registration_focalpoint_add"), {"user": delegate.pk, "state": state_a.pk}
        )
    assert response.status_code == 302
    focal_point = FocalPoint.objects.get(user=delegate)
    assert focal_point.is_active and focal_point.approved_by == secretariat
    assert [m.subject for m in mail.outbox] == ["[CCM Portal] You are a focal point of Arcadia"]


def test_a_focal_point_names_one_state_or_one_organisation(login, secretariat, delegate, state_a, org_other):
    response = login(secretariat).post(
        reverse("admin:registration_focalpoint_add"),
        {"user": delegate.pk, "state": state_a.pk, "organisation": org_other.pk},
    )
    assert response.status_code == 200
    assert "Choose one State or one organisation." in response.content.decode()
    assert not FocalPoint.objects.filter(user=delegate).exists()


def test_focal_point_page_is_read_only(login, secretariat, focal_a):
    focal_point = FocalPoint.objects.get(user=focal_a)
    html = login(secretariat).get(reverse("admin:registration_focalpoint_change", args=[focal_point.pk])).content
    assert b'name="state"' not in html and b'name="user"' not in html


def test_an_invitation_added_in_the_admin_gets_its_link_and_expiry(login, secretariat, meeting, state_a, settings):
    settings.REGISTRATION_INVITATION_DAYS = 45
    client = login(secretariat)
    response = client.post(reverse("admin:registration_invitation_add"), {"meeting": meeting.pk, "state": state_a.pk})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.expires_at - invitation.created_at).days in (44, 45)
    page = client.get(reverse("admin:registration_invitation_change", args=[invitation.pk])).content.decode()
    link = re.search(r"https?://\S+/register/invitation/([^/<\s]+)/", page)
    assert link and services.invitation_for_token(link.group(1)) == invitation


def test_secretariat_role_can_do_the_registration_work(secretariat):
    group = Group.objects.get(name="Secretariat")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "view_delegation",
        "change_delegation",
        "view_credentials",
        "view_focalpoint",
        "add_focalpoint",
    } <= codenames
    assert "change_credentials" not in codenames  # examined through the review screen's service


def test_changes_log_is_kept_by_the_services_only(login, secretariat, submitted):
    """Nothing on the review screen writes a member or the version directly."""
    client = login(secretariat)
    client.post(review_url(submitted), {"approve": "1", "version": "1", "members-0-family_name": "Smith"})
    submitted.refresh_from_db()
    assert submitted.version == 1
    assert not submitted.members.filter(family_name="Smith").exists()
    assert DelegationChange.objects.filter(delegation=submitted, action="approved").count() == 1


def test_secretariat_can_pick_a_person_when_appointing_a_focal_point(login, secretariat, delegate):
    """The admin's person picker searches the accounts: the role needs to view them, nothing more."""
    client = login(secretariat)
    assert client.get(reverse("admin:registration_focalpoint_add")).status_code == 200
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "registration", "model_name": "focalpoint", "field_name": "user", "term": "delegate"},
    )
    assert found.status_code == 200
    assert [r["text"] for r in found.json()["results"]] == ["delegate@example.org"]
    assert client.get(reverse("admin:auth_user_change", args=[delegate.pk])).status_code == 200
    assert client.post(reverse("admin:auth_user_change", args=[delegate.pk]), {"username": "x"}).status_code == 403
