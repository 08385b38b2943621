"""The registration services: focal points, delegations, decisions, admission of organisations, categories."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from correspondence import dispatch as correspondence_dispatch
from correspondence.models import Email
from registration import permissions, selectors, services
from registration.models import Credentials, Delegation, DelegationChange, FocalPoint, Invitation, Member
from tests.factories import MeetingFactory, ParticipationFactory, StateFactory, UserFactory

from .conftest import close_registration, focal_point, head, member, png_bytes, register, upload

# --- invitations ------------------------------------------------------------------------------------------------------


@pytest.fixture
def invitation_a(meeting, state_a):
    return services.invitation_create(meeting=meeting, state=state_a)


def test_invitation_makes_the_user_focal_point_of_that_state(invitation_a, state_a, state_b, delegate):
    focal = services.invitation_accept(token=services.invitation_token(invitation_a), user=delegate)

    assert (focal.user, focal.state, focal.organisation) == (delegate, state_a, None)
    assert focal.is_active and focal.invitation == invitation_a
    invitation_a.refresh_from_db()
    assert invitation_a.accepted_by == delegate and invitation_a.accepted_at is not None
    fresh = type(delegate).objects.get(pk=delegate.pk)
    assert permissions.is_focal_point_for(fresh, state_id=state_a.pk)
    assert not permissions.is_focal_point_for(fresh, state_id=state_b.pk)


def test_invitation_link_is_absolute_and_carries_the_token(invitation_a, settings):
    settings.SITE_URL = "https://portal.example.org/"
    link = services.invitation_link(invitation_a)
    assert link.startswith("https://portal.example.org/register/invitation/")
    assert services.invitation_for_token(link.rstrip("/").rsplit("/", 1)[1]) == invitation_a


def test_invitation_works_once(invitation_a, delegate, focal_b):
    token = services.invitation_token(invitation_a)
    services.invitation_accept(token=token, user=delegate)

    with pytest.raises(services.RegistrationError, match="already been used"):
        services.invitation_accept(token=token, user=focal_b)
    with pytest.raises(services.RegistrationError, match="already been used"):
        services.invitation_accept(token=token, user=delegate)
    assert not FocalPoint.objects.filter(user=focal_b, state=invitation_a.state).exists()
    assert FocalPoint.objects.filter(state=invitation_a.state, invitation=invitation_a).count() == 1


def test_expired_invitation_is_refused(invitation_a, delegate):
    Invitation.objects.filter(pk=invitation_a.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    with pytest.raises(services.RegistrationError, match="expired"):
        services.invitation_accept(token=services.invitation_token(invitation_a), user=delegate)
    assert not FocalPoint.objects.filter(user=delegate).exists()
    invitation_a.refresh_from_db()
    assert invitation_a.accepted_at is None


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda token, other: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), id="tampered"),
        pytest.param(lambda token, other: signing.dumps({"invitation": other.pk}, salt="wrong"), id="wrong-salt"),
        pytest.param(lambda token, other: "not-a-token", id="garbage"),
    ],
)
def test_bad_signature_is_refused(invitation_a, meeting, state_b, delegate, forge):
    invitation_b = services.invitation_create(meeting=meeting, state=state_b)
    token = forge(services.invitation_token(invitation_a), invitation_b)

    with pytest.raises(services.RegistrationError, match="not valid"):
        services.invitation_accept(token=token, user=delegate)
    assert not FocalPoint.objects.filter(user=delegate).exists()


def test_a_link_for_state_a_never_gives_state_b(invitation_a, meeting, state_a, state_b, delegate):
    """The State comes from the signed invitation, never from anything the user can change."""
    invitation_b = services.invitation_create(meeting=meeting, state=state_b)
    token_a = services.invitation_token(invitation_a)
    # Splice B's payload onto A's signature: refused.
    payload_b = services.invitation_token(invitation_b).split(":")[0]
    spliced = ":".join([payload_b, *token_a.split(":")[1:]])
    with pytest.raises(services.RegistrationError, match="not valid"):
        services.invitation_accept(token=spliced, user=delegate)

    services.invitation_accept(token=token_a, user=delegate)
    assert set(FocalPoint.objects.filter(user=delegate).values_list("state", flat=True)) == {state_a.pk}
    invitation_b.refresh_from_db()
    assert invitation_b.accepted_at is None


def test_link_to_a_deleted_invitation_is_refused(invitation_a, delegate):
    token = services.invitation_token(invitation_a)
    invitation_a.delete()
    with pytest.raises(services.RegistrationError, match="not valid"):
        services.invitation_accept(token=token, user=delegate)


def test_invitation_approves_a_previously_refused_request(invitation_a, state_a, delegate, secretariat):
    request = services.focal_point_request(user=delegate, state=state_a, reason="Second Secretary")
    services.focal_point_decide(focal_point=request, by=secretariat, approve=False, reason="Unknown to the mission")

    focal = services.invitation_accept(token=services.invitation_token(invitation_a), user=delegate)

    assert focal.pk == request.pk
    focal.refresh_from_db()
    assert focal.is_active and focal.rejected_at is None


# --- focal point requests ---------------------------------------------------------------------------------------------


def test_focal_point_request_needs_one_party_and_a_reason(delegate, state_a, org_other):
    with pytest.raises(services.RegistrationError, match="one State or one organisation"):
        services.focal_point_request(user=delegate, reason="Counsellor")
    with pytest.raises(services.RegistrationError, match="one State or one organisation"):
        services.focal_point_request(user=delegate, state=state_a, organisation=org_other, reason="Counsellor")
    with pytest.raises(services.RegistrationError, match="why you act"):
        services.focal_point_request(user=delegate, state=state_a, reason="  ")
    assert not FocalPoint.objects.exists()


def test_focal_point_request_waits_for_the_secretariat(delegate, state_a):
    request = services.focal_point_request(user=delegate, state=state_a, reason="First Secretary")

    assert not request.is_active
    assert not permissions.is_focal_point_for(delegate, state_id=state_a.pk)
    with pytest.raises(services.RegistrationError, match="already with the secretariat"):
        services.focal_point_request(user=delegate, state=state_a, reason="Again")


def test_focal_point_request_when_already_approved(focal_a, state_a):
    with pytest.raises(services.RegistrationError, match="already a focal point of Arcadia"):
        services.focal_point_request(user=focal_a, state=state_a, reason="Again")


def test_secretariat_approves_a_focal_point_and_mails_them(delegate, state_a, secretariat, meeting, on_commit):
    request = services.focal_point_request(user=delegate, state=state_a, reason="First Secretary")

    with on_commit():
        services.focal_point_decide(focal_point=request, by=secretariat, approve=True)

    request.refresh_from_db()
    assert request.is_active and request.approved_by == secretariat
    notification = Email.objects.get()
    assert (notification.to, notification.status) == ("delegate@example.org", Email.Status.SENT)
    assert [m.to for m in mail.outbox] == [["delegate@example.org"]]
    assert mail.outbox[0].subject == "[CCM Portal] You are a focal point of Arcadia"
    assert "Office for Disarmament Affairs, as secretariat, approved your request" in mail.outbox[0].body
    assert settings.SITE_URL.rstrip("/") + "/register/\n" in mail.outbox[0].body
    # The approved focal point can now register the State's delegation.
    user = type(delegate).objects.get(pk=delegate.pk)
    delegation = services.delegation_save(meeting=meeting, user=user, members=[head("Okonkwo")], state=state_a)
    assert delegation.state == state_a


def test_secretariat_refuses_with_a_reason_that_is_mailed(delegate, state_a, secretariat, on_commit):
    request = services.focal_point_request(user=delegate, state=state_a, reason="First Secretary")

    with pytest.raises(services.RegistrationError, match="reason"):
        services.focal_point_decide(focal_point=request, by=secretariat, approve=False, reason=" ")
    with on_commit():
        services.focal_point_decide(
            focal_point=request, by=secretariat, approve=False, reason="The mission does not know you."
        )

    request.refresh_from_db()
    assert not request.is_active and request.rejection_reason == "The mission does not know you."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[CCM Portal] Your request to act for Arcadia was not approved"
    assert "The mission does not know you." in mail.outbox[0].body
    # Refused, the user may ask again.
    again = services.focal_point_request(user=delegate, state=state_a, reason="Now with a note from the mission")
    assert again.pk == request.pk and again.rejected_at is None and again.rejection_reason == ""


def test_only_the_secretariat_decides_focal_points(delegate, state_a, focal_a, presidency):
    request = services.focal_point_request(user=delegate, state=state_a, reason="First Secretary")
    for user in (delegate, focal_a, presidency):
        with pytest.raises(services.RegistrationError, match="Only the secretariat"):
            services.focal_point_decide(focal_point=request, by=user, approve=True)
    request.refresh_from_db()
    assert not request.is_active
    assert not Email.objects.exists()


def test_a_notification_is_sent_once(delegate, state_a, secretariat, on_commit):
    request = services.focal_point_request(user=delegate, state=state_a, reason="First Secretary")
    with on_commit():
        services.focal_point_decide(focal_point=request, by=secretariat, approve=True)
    notification = Email.objects.get()

    assert correspondence_dispatch.email_dispatch(email_id=notification.pk) == Email.Status.SENT
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1 and notification.sent_at is not None


# --- saving a delegation ----------------------------------------------------------------------------------------------


def test_delegation_save_creates_the_delegation(meeting, focal_a, state_a):
    members = [
        member("Lindqvist", "Brigitta", title="Ms.", role=Member.Role.ALTERNATE, gender="f"),
        head("Okonkwo", "Amara", position="Ambassador", email=" amara@example.org ", gender="f"),
        member(" Smith ", " Jo ", days=(meeting.end_date, meeting.start_date)),
    ]

    delegation = services.delegation_save(meeting=meeting, user=focal_a, members=members, state=state_a)

    assert (delegation.status, delegation.version, delegation.created_by) == ("draft", 1, focal_a)
    assert (delegation.state, delegation.organisation, delegation.admission) == (state_a, None, "")
    rows = list(delegation.members.values_list("family_name", "given_name", "role", "email", "days"))
    assert rows == [
        ("Lindqvist", "Brigitta", "alternate", "", []),
        ("Okonkwo", "Amara", "head", "amara@example.org", []),
        ("Smith", "Jo", "adviser", "", [meeting.start_date.isoformat(), meeting.end_date.isoformat()]),
    ]
    # A focal point's change while registration is open is not logged; nothing to report.
    assert not DelegationChange.objects.exists()


def test_two_heads_are_refused_and_nothing_is_written(meeting, focal_a, state_a):
    with pytest.raises(ValidationError) as error:
        services.delegation_save(
            meeting=meeting, user=focal_a, members=[head("Okonkwo"), head("Lindqvist")], state=state_a
        )
    assert "Only one head of delegation: Okonkwo, Lindqvist" in error.value.messages[0]
    assert not Delegation.objects.exists() and not Member.objects.exists()


def test_two_heads_refused_when_replacing_members(delegation_a, meeting, focal_a, state_a):
    with pytest.raises(ValidationError, match="Only one head"):
        services.delegation_save(
            meeting=meeting, user=focal_a, members=[head("New"), head("Other")], state=state_a, version=1
        )
    delegation_a.refresh_from_db()
    assert delegation_a.version == 1
    assert list(delegation_a.members.values_list("family_name", flat=True)) == ["Okonkwo", "Lindqvist"]


def test_the_same_person_twice_is_refused(meeting, focal_a, state_a):
    with pytest.raises(ValidationError, match="Listed twice: Amara Okonkwo"):
        services.delegation_save(
            meeting=meeting,
            user=focal_a,
            members=[head("Okonkwo", "Amara"), member(" okonkwo ", "AMARA ")],
            state=state_a,
        )
    assert not Delegation.objects.exists()


def test_days_outside_the_meeting_are_refused(meeting, focal_a, state_a):
    before = meeting.start_date - dt.timedelta(days=1)
    after = meeting.end_date + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.delegation_save(
            meeting=meeting,
            user=focal_a,
            members=[head("Okonkwo", "Amara", days=(before, meeting.start_date)), member("Smith", days=(after,))],
            state=state_a,
        )
    messages = " ".join(error.value.messages)
    assert f"Amara Okonkwo: {before.isoformat()} is outside the meeting" in messages
    assert f"Alex Smith: {after.isoformat()} is outside the meeting" in messages
    assert not Delegation.objects.exists()


def test_saving_again_replaces_the_members(delegation_a, meeting, focal_a, state_a):
    saved = services.delegation_save(
        meeting=meeting,
        user=focal_a,
        members=[member("Okonkwo", "Amara"), head("Lindqvist", "Brigitta"), member("Novak", "Petra")],
        state=state_a,
        version=1,
    )

    assert saved.pk == delegation_a.pk and saved.version == 2
    assert list(saved.members.values_list("family_name", "role", "position_in_list")) == [
        ("Okonkwo", "adviser", 0),
        ("Lindqvist", "head", 1),
        ("Novak", "adviser", 2),
    ]
    assert Member.objects.count() == 3
    assert Delegation.objects.count() == 1


def test_saving_from_an_old_version_is_a_conflict(delegation_a, meeting, focal_a, focal_a2, state_a):
    services.delegation_save(meeting=meeting, user=focal_a2, members=[head("Novak")], state=state_a, version=1)

    with pytest.raises(services.DelegationConflict, match="Another focal point changed the delegation of Arcadia"):
        services.delegation_save(meeting=meeting, user=focal_a, members=[head("Okonkwo")], state=state_a, version=1)
    with pytest.raises(services.DelegationConflict):
        services.delegation_save(meeting=meeting, user=focal_a, members=[head("Okonkwo")], state=state_a)
    delegation_a.refresh_from_db()
    assert delegation_a.version == 2
    assert list(delegation_a.members.values_list("family_name", flat=True)) == ["Novak"]


def test_only_focal_points_of_the_state_save(meeting, state_a, state_b, focal_b, delegate, presidency):
    for user in (focal_b, delegate, presidency):
        with pytest.raises(services.RegistrationError, match="not a focal point of this State"):
            services.delegation_save(meeting=meeting, user=user, members=[head("Intruder")], state=state_a)
    assert not Delegation.objects.exists()


def test_an_unapproved_or_refused_focal_point_cannot_save(meeting, state_a, delegate, secretariat):
    request = services.focal_point_request(user=delegate, state=state_a, reason="Attaché")
    with pytest.raises(services.RegistrationError, match="not a focal point"):
        services.delegation_save(meeting=meeting, user=delegate, members=[head("Okonkwo")], state=state_a)
    services.focal_point_decide(focal_point=request, by=secretariat, approve=False, reason="No")
    user = type(delegate).objects.get(pk=delegate.pk)
    with pytest.raises(services.RegistrationError, match="not a focal point"):
        services.delegation_save(meeting=meeting, user=user, members=[head("Okonkwo")], state=state_a)
    assert not Delegation.objects.exists()


def test_a_submitted_delegation_is_not_changed_by_its_focal_point(delegation_a, meeting, focal_a, state_a):
    services.delegation_submit(delegation=delegation_a, user=focal_a)

    with pytest.raises(services.RegistrationError, match="submitted; it cannot be changed now"):
        services.delegation_save(meeting=meeting, user=focal_a, members=[head("Novak")], state=state_a, version=1)
    assert list(delegation_a.members.values_list("family_name", flat=True)) == ["Okonkwo", "Lindqvist"]


# --- submitting -------------------------------------------------------------------------------------------------------


def test_submit(delegation_a, focal_a):
    submitted = services.delegation_submit(delegation=delegation_a, user=focal_a)

    assert submitted.status == Delegation.Status.SUBMITTED and submitted.submitted_at is not None
    assert DelegationChange.objects.get().action == "submitted"


def test_submit_without_a_head_is_refused(meeting, focal_a, state_a):
    delegation = services.delegation_save(
        meeting=meeting, user=focal_a, members=[member("Okonkwo"), member("Lindqvist")], state=state_a
    )
    with pytest.raises(services.RegistrationError, match="exactly one member as head"):
        services.delegation_submit(delegation=delegation, user=focal_a)
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.DRAFT


def test_submit_without_members_is_refused(meeting, focal_a, state_a):
    delegation = services.delegation_save(meeting=meeting, user=focal_a, members=[], state=state_a)
    with pytest.raises(services.RegistrationError, match="Add the members"):
        services.delegation_submit(delegation=delegation, user=focal_a)


def test_submit_by_another_state_is_refused(delegation_a, focal_b):
    with pytest.raises(services.RegistrationError, match="cannot be submitted"):
        services.delegation_submit(delegation=delegation_a, user=focal_b)
    delegation_a.refresh_from_db()
    assert delegation_a.status == Delegation.Status.DRAFT


def test_after_the_deadline_only_the_secretariat_changes_and_each_change_is_logged(
    delegation_a, meeting, focal_a, state_a, secretariat
):
    close_registration(meeting)

    with pytest.raises(services.RegistrationError, match="Registration for this meeting is closed"):
        services.delegation_save(meeting=meeting, user=focal_a, members=[head("Late")], state=state_a, version=1)
    with pytest.raises(services.RegistrationError, match="cannot be submitted"):
        services.delegation_submit(delegation=delegation_a, user=focal_a)
    assert not DelegationChange.objects.exists()

    services.delegation_save(
        meeting=meeting, user=secretariat, members=[head("Okonkwo", "Amara"), member("Late")], state=state_a, version=1
    )
    services.delegation_submit(delegation=delegation_a, user=secretariat)

    delegation_a.refresh_from_db()
    assert delegation_a.status == Delegation.Status.SUBMITTED and delegation_a.version == 2
    assert list(delegation_a.members.values_list("family_name", flat=True)) == ["Okonkwo", "Late"]
    log = list(delegation_a.changes.order_by("id").values_list("action", "user"))
    assert log == [("members changed", secretariat.pk), ("submitted", secretariat.pk)]


def test_after_the_deadline_the_secretariat_registers_a_new_delegation(closed_meeting, state_b, focal_b, secretariat):
    with pytest.raises(services.RegistrationError, match="closed"):
        services.delegation_save(meeting=closed_meeting, user=focal_b, members=[head("Vasquez")], state=state_b)

    delegation = services.delegation_save(
        meeting=closed_meeting, user=secretariat, members=[head("Vasquez")], state=state_b
    )
    assert delegation.created_by == secretariat
    assert delegation.changes.get().action == "members changed"


# --- decisions --------------------------------------------------------------------------------------------------------


def test_approve_mails_the_focal_points_of_that_state_only(
    delegation_a, delegation_b, focal_a, focal_a2, focal_b, secretariat, on_commit
):
    services.delegation_submit(delegation=delegation_a, user=focal_a)

    with on_commit():
        decided = services.delegation_decide(delegation=delegation_a, by=secretariat, approve=True)

    assert decided.status == Delegation.Status.APPROVED and decided.decided_by == secretariat
    assert sorted(m.to[0] for m in mail.outbox) == ["focal.a2@example.org", "focal.a@example.org"]
    assert all("delegation of Arcadia approved" in m.subject for m in mail.outbox)
    assert Email.objects.filter(status=Email.Status.SENT).count() == 2
    assert delegation_a.changes.filter(action="approved", user=secretariat).exists()


def test_return_needs_a_reason_which_is_mailed(delegation_a, focal_a, secretariat, on_commit, meeting, state_a):
    services.delegation_submit(delegation=delegation_a, user=focal_a)

    with pytest.raises(services.RegistrationError, match="Say why"):
        services.delegation_decide(delegation=delegation_a, by=secretariat, approve=False, reason="  ")
    delegation_a.refresh_from_db()
    assert delegation_a.status == Delegation.Status.SUBMITTED

    with on_commit():
        services.delegation_decide(
            delegation=delegation_a, by=secretariat, approve=False, reason="Give the head's full title."
        )

    delegation_a.refresh_from_db()
    assert (delegation_a.status, delegation_a.return_reason) == ("returned", "Give the head's full title.")
    assert len(mail.outbox) == 1 and "Give the head's full title." in mail.outbox[0].body
    # Returned, the focal point corrects and submits again; the reason is cleared.
    services.delegation_save(
        meeting=meeting, user=focal_a, members=[head("Okonkwo", "Amara", title="H.E.")], state=state_a, version=1
    )
    services.delegation_submit(delegation=delegation_a, user=focal_a)
    delegation_a.refresh_from_db()
    assert (delegation_a.status, delegation_a.return_reason) == ("submitted", "")


def test_decision_and_its_notifications_are_written_together(
    delegation_a, focal_a, focal_a2, secretariat, django_capture_on_commit_callbacks
):
    """The outbox rows are part of the decision's transaction; only the sending waits for the commit."""
    services.delegation_submit(delegation=delegation_a, user=focal_a)
    Email.objects.all().delete()  # the acknowledgements of the submission

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delegation_decide(delegation=delegation_a, by=secretariat, approve=True)

    queued = Email.objects.filter(status=Email.Status.QUEUED)
    assert sorted(queued.values_list("to", flat=True)) == ["focal.a2@example.org", "focal.a@example.org"]
    assert len(callbacks) == 2 and not mail.outbox


def test_only_a_submitted_delegation_is_decided(delegation_a, secretariat):
    with pytest.raises(services.RegistrationError, match="Arcadia: only a submitted delegation"):
        services.delegation_decide(delegation=delegation_a, by=secretariat, approve=True)
    assert not mail.outbox


def test_only_the_secretariat_decides(delegation_a, focal_a, presidency, delegate):
    services.delegation_submit(delegation=delegation_a, user=focal_a)
    for user in (focal_a, presidency, delegate):
        with pytest.raises(services.RegistrationError, match="Only the secretariat"):
            services.delegation_decide(delegation=delegation_a, by=user, approve=True)
    delegation_a.refresh_from_db()
    assert delegation_a.status == Delegation.Status.SUBMITTED


def test_bulk_decision_reports_refusals_by_name(
    meeting, delegation_a, delegation_b, focal_a, focal_org, org_other, secretariat, on_commit
):
    services.delegation_submit(delegation=delegation_a, user=focal_a)
    organisation = register(meeting, focal_org, [head("Moreau")], organisation=org_other, submit=True)

    with on_commit():
        done, refused = services.delegations_decide(
            delegations=Delegation.objects.order_by("id"), by=secretariat, approve=True
        )

    assert done == 1
    assert len(refused) == 2
    assert any(r.startswith("Borduria: only a submitted delegation") for r in refused)
    assert any(r.startswith("Mine Action Watch (MAW) is not an observer by right") for r in refused)
    assert set(Delegation.objects.values_list("pk", "status")) == {
        (delegation_a.pk, "approved"),
        (delegation_b.pk, "draft"),
        (organisation.pk, "submitted"),
    }
    assert [m.to for m in mail.outbox] == [["focal.a@example.org"]]


# --- organisations (rules 1.2 and 1.3) --------------------------------------------------------------------------------


def test_observer_by_right_is_approved_directly(meeting, org_by_right, secretariat):
    user = UserFactory(username="focal.icrc@example.org")
    focal_point(user, organisation=org_by_right)
    delegation = register(meeting, user, [head("Dupont")], organisation=org_by_right, submit=True)

    assert delegation.admission == Delegation.Admission.BY_RIGHT and delegation.admission_requested_at is None
    approved = services.delegation_decide(delegation=delegation, by=secretariat, approve=True)
    assert approved.status == Delegation.Status.APPROVED


def test_observer_by_right_under_another_treaty_only_must_ask(meeting, focal_org, org_other):
    from tests.factories import apmbc

    org_other.observer_by_right.add(apmbc())
    delegation = register(meeting, focal_org, [head("Moreau")], organisation=org_other)
    assert delegation.admission == Delegation.Admission.REQUESTED


def test_other_organisation_asks_is_invited_then_approved(meeting, focal_org, org_other, presidency, secretariat):
    delegation = register(meeting, focal_org, [head("Moreau")], organisation=org_other, submit=True)
    assert delegation.admission == Delegation.Admission.REQUESTED and delegation.admission_requested_at

    with pytest.raises(services.RegistrationError, match="not an observer by right"):
        services.delegation_decide(delegation=delegation, by=secretariat, approve=True)
    with pytest.raises(services.RegistrationError, match="presidency must first invite"):
        services.admission_decide(delegation=delegation, by=secretariat, approve=True)

    services.admission_invite(delegation=delegation, by=presidency)
    delegation.refresh_from_db()
    assert delegation.admission == Delegation.Admission.INVITED and delegation.admission_invited_at
    with pytest.raises(services.RegistrationError, match="not an observer by right"):
        services.delegation_decide(delegation=delegation, by=secretariat, approve=True)
    with pytest.raises(services.RegistrationError, match="Only the secretariat records"):
        services.admission_decide(delegation=delegation, by=presidency, approve=True)

    services.admission_decide(delegation=delegation, by=secretariat, approve=True)
    approved = services.delegation_decide(delegation=delegation, by=secretariat, approve=True)

    assert (approved.admission, approved.status) == ("approved", "approved")
    assert list(delegation.changes.order_by("id").values_list("action", flat=True)) == [
        "submitted",
        "invited provisionally",
        "participation approved",
        "approved",
    ]


def test_refused_participation_blocks_approval(meeting, focal_org, org_other, presidency, secretariat):
    delegation = register(meeting, focal_org, [head("Moreau")], organisation=org_other, submit=True)
    services.admission_invite(delegation=delegation, by=presidency)
    services.admission_decide(delegation=delegation, by=secretariat, approve=False)

    with pytest.raises(services.RegistrationError, match="not an observer by right"):
        services.delegation_decide(delegation=delegation, by=secretariat, approve=True)
    delegation.refresh_from_db()
    assert (delegation.admission, delegation.status) == ("refused", "submitted")


def test_provisional_invitation_only_by_that_meetings_presidency(
    meeting, other_meeting, focal_org, org_other, presidency, delegate, secretariat
):
    at_x = register(meeting, focal_org, [head("Moreau")], organisation=org_other)
    at_y = register(other_meeting, focal_org, [head("Moreau")], organisation=org_other)

    for user in (focal_org, delegate):
        with pytest.raises(services.RegistrationError, match="Only the presidency of this meeting"):
            services.admission_invite(delegation=at_x, by=user)
    with pytest.raises(services.RegistrationError, match="Only the presidency of this meeting"):
        services.admission_invite(delegation=at_y, by=presidency)
    at_y.refresh_from_db()
    assert at_y.admission == Delegation.Admission.REQUESTED

    services.admission_invite(delegation=at_x, by=presidency)
    with pytest.raises(services.RegistrationError, match="Only an organisation that asked"):
        services.admission_invite(delegation=at_x, by=presidency)
    # The secretariat may invite on the presidency's behalf.
    services.admission_invite(delegation=at_y, by=secretariat)
    at_y.refresh_from_db()
    assert at_y.admission == Delegation.Admission.INVITED


def test_a_former_presidency_no_longer_invites(meeting, focal_org, org_other, presidency, presiding_state):
    meeting.officers.filter(state=presiding_state).update(until=timezone.localdate())
    delegation = register(meeting, focal_org, [head("Moreau")], organisation=org_other)
    with pytest.raises(services.RegistrationError, match="Only the presidency"):
        services.admission_invite(delegation=Delegation.objects.get(pk=delegation.pk), by=presidency)


def test_a_state_has_no_admission_step(delegation_a, presidency):
    assert delegation_a.admission == ""
    with pytest.raises(services.RegistrationError, match="Only an organisation that asked"):
        services.admission_invite(delegation=delegation_a, by=presidency)


# --- categories -------------------------------------------------------------------------------------------------------


def _category(meeting, secretariat, state) -> str:
    delegation = services.delegation_save(meeting=meeting, user=secretariat, members=[head("Someone")], state=state)
    return selectors.category_of(Delegation.objects.select_related("meeting").get(pk=delegation.pk))


def _in_year(value, year: int):
    """ "Y-09-01" is 1 September of ``year``; anything else is kept."""
    if isinstance(value, str) and value.startswith("Y-"):
        return dt.date.fromisoformat(value.replace("Y", str(year), 1))
    return value


@pytest.mark.parametrize(
    ("participation", "category"),
    [
        pytest.param(None, "3_observer_state", id="not-party"),
        pytest.param(dict(deposit_date=None, instrument=""), "2_signatory", id="signatory"),
        pytest.param(dict(deposit_date=dt.date(2011, 3, 24)), "1_state_party", id="party"),
        # Deposited 31 March: in force on the first of September, the meeting's first day.
        pytest.param(dict(deposit_date="Y-03-31"), "1_state_party", id="in-force-on-the-first-day"),
        # Deposited 1 April: in force on 1 October, after the first day; it signed, so a signatory.
        pytest.param(dict(deposit_date="Y-04-01"), "2_signatory", id="ratified-not-yet-in-force"),
        pytest.param(
            dict(signature_date=None, deposit_date="Y-04-01", instrument="accession"),
            "3_observer_state",
            id="acceded-not-yet-in-force",
        ),
        pytest.param(dict(withdrawal_notice_date="Y-06-01"), "1_state_party", id="withdrawal-pending"),
        pytest.param(dict(withdrawal_notice_date="Y-02-01"), "3_observer_state", id="former-party"),
        pytest.param(
            dict(signature_date="Y-09-01", deposit_date=None, instrument=""), "2_signatory", id="signs-on-day-one"
        ),
        pytest.param(
            dict(signature_date="Y-09-02", deposit_date=None, instrument=""), "3_observer_state", id="signs-later"
        ),
    ],
)
def test_category_follows_status_on_the_first_day(secretariat, participation, category):
    year = timezone.localdate().year + 5
    meeting = MeetingFactory(start_date=dt.date(year, 9, 1), end_date=dt.date(year, 9, 4))
    state = StateFactory()
    if participation is not None:
        dates = {key: _in_year(value, year) for key, value in participation.items()}
        ParticipationFactory(state=state, **dates)

    assert _category(meeting, secretariat, state) == category


def test_category_of_an_organisation(meeting, focal_org, org_other):
    delegation = register(meeting, focal_org, [head("Moreau")], organisation=org_other)
    assert selectors.category_of(delegation) == Delegation.Category.ORGANISATION


def test_category_follows_the_meetings_treaty(secretariat, state_a):
    """A State Party to the CCM attends an APMBC meeting as an observer State if it is not party to that one."""
    from tests.factories import apmbc

    meeting = MeetingFactory(treaty=apmbc(), start_date=timezone.localdate() + dt.timedelta(days=30))
    assert _category(meeting, secretariat, state_a) == Delegation.Category.OBSERVER_STATE


# --- credentials ------------------------------------------------------------------------------------------------------


def test_credentials_are_stored_privately(delegation_a, focal_a, pdf_upload, pdf_bytes, settings):
    credentials = services.credentials_upload(delegation=delegation_a, file=pdf_upload("letter.pdf"), user=focal_a)

    path = Path(credentials.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.read_bytes() == pdf_bytes
    assert credentials.sha256 == hashlib.sha256(pdf_bytes).hexdigest()
    assert (credentials.status, credentials.uploaded_by) == (Credentials.Status.RECEIVED, focal_a)
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    with pytest.raises(ValueError, match="not accessible via a URL"):
        credentials.file.url  # noqa: B018
    assert delegation_a.changes.get().action == "credentials uploaded"


def test_a_png_renamed_pdf_is_refused(delegation_a, focal_a):
    with pytest.raises(ValidationError, match="not a PDF"):
        services.credentials_upload(
            delegation=delegation_a, file=upload("credentials.pdf", png_bytes(), "application/pdf"), user=focal_a
        )
    assert not Credentials.objects.exists()


def test_a_damaged_pdf_is_refused(delegation_a, focal_a):
    with pytest.raises(ValidationError, match="cannot be read"):
        services.credentials_upload(
            delegation=delegation_a, file=upload("credentials.pdf", b"%PDF-1.7\n" + b"x" * 200), user=focal_a
        )
    assert not Credentials.objects.exists()


def test_an_oversized_pdf_is_refused(delegation_a, focal_a, pdf_upload, pdf_bytes, settings):
    settings.PDF_UPLOAD_MAX_BYTES = len(pdf_bytes) - 1
    with pytest.raises(ValidationError, match="the limit is"):
        services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=focal_a)
    assert not Credentials.objects.exists()

    settings.PDF_UPLOAD_MAX_BYTES = len(pdf_bytes)
    assert services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=focal_a).pk


def test_only_the_states_focal_points_and_the_secretariat_upload(
    delegation_a, focal_b, presidency, delegate, secretariat, pdf_upload
):
    for user in (focal_b, presidency, delegate):
        with pytest.raises(services.RegistrationError, match="cannot upload credentials"):
            services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=user)
    assert not Credentials.objects.exists()
    assert services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=secretariat).pk


def test_review_statuses(delegation_a, focal_a, secretariat, pdf_upload):
    credentials = services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=focal_a)

    for status in (Credentials.Status.COPY_ONLY, Credentials.Status.IN_ORDER):
        reviewed = services.credentials_review(credentials=credentials, by=secretariat, status=status)
        reviewed.refresh_from_db()
        assert (reviewed.status, reviewed.reviewed_by) == (status, secretariat) and reviewed.reviewed_at

    with pytest.raises(services.RegistrationError, match="reason for rejecting"):
        services.credentials_review(credentials=credentials, by=secretariat, status="rejected", reason=" ")
    credentials.refresh_from_db()
    assert credentials.status == Credentials.Status.IN_ORDER

    services.credentials_review(credentials=credentials, by=secretariat, status="rejected", reason="Signed by a deputy")
    credentials.refresh_from_db()
    assert (credentials.status, credentials.reason) == ("rejected", "Signed by a deputy")
    with pytest.raises(services.RegistrationError, match="Unknown credentials status"):
        services.credentials_review(credentials=credentials, by=secretariat, status="lost")
    assert list(delegation_a.changes.order_by("id").values_list("action", flat=True)) == [
        "credentials uploaded",
        "credentials: Copy only (provisional)",
        "credentials: Original in order",
        "credentials: Rejected",
    ]


def test_only_the_secretariat_reviews_credentials(delegation_a, focal_a, presidency, pdf_upload):
    credentials = services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=focal_a)
    for user in (focal_a, presidency):
        with pytest.raises(services.RegistrationError, match="Only the secretariat examines"):
            services.credentials_review(credentials=credentials, by=user, status="in_order")
    credentials.refresh_from_db()
    assert credentials.status == Credentials.Status.RECEIVED


def test_credentials_in_order_are_not_replaced_rejected_ones_are(
    delegation_a, focal_a, secretariat, pdf_upload, pdf_bytes, django_capture_on_commit_callbacks
):
    first = services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=focal_a)
    old_path = Path(first.file.path)
    services.credentials_review(credentials=first, by=secretariat, status="rejected", reason="Unsigned")

    with django_capture_on_commit_callbacks(execute=True):
        second = services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=focal_a)
    assert second.pk == first.pk
    assert (second.status, second.reason, second.reviewed_by) == ("received", "", None)
    assert Path(second.file.path).read_bytes() == pdf_bytes
    assert not old_path.exists() or old_path == Path(second.file.path)

    services.credentials_review(credentials=second, by=secretariat, status="in_order")
    with pytest.raises(services.RegistrationError, match="already in order"):
        services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=focal_a)
    assert Credentials.objects.get().status == Credentials.Status.IN_ORDER


@pytest.fixture
def submitted_for_queue_test(meeting, focal_a, state_a):
    return register(meeting, focal_a, [head("Okonkwo", "Amara")], state=state_a, submit=True)


def test_with_the_queue_down_a_decision_is_saved_and_its_email_sent_by_the_sweep(
    submitted_for_queue_test, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    """Redis down: approving must not fail (it is committed); the e-mail waits for beat's sweep."""
    import datetime as dt

    from django.core import mail
    from django.utils import timezone
    from kombu.exceptions import OperationalError

    from correspondence import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.task_dispatch_email, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            services.delegation_decide(delegation=submitted_for_queue_test, by=secretariat, approve=True)

    submitted_for_queue_test.refresh_from_db()
    assert submitted_for_queue_test.status == Delegation.Status.APPROVED
    waiting = Email.objects.filter(status=Email.Status.QUEUED, subject__contains="approved")
    assert waiting.count() == 1
    # Beat's sweep of the one outbox: not yet, a queued e-mail is normally sent in seconds.
    assert tasks.outbox_dispatch(stale_only=True) == 0

    (decision,) = waiting
    waiting.update(updated_at=timezone.now() - dt.timedelta(minutes=10))
    mail.outbox.clear()
    assert tasks.outbox_dispatch(stale_only=True) == 1
    decision.refresh_from_db()
    assert decision.status == Email.Status.SENT
    assert [m.subject for m in mail.outbox] == [decision.subject]
