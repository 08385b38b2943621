"""Registration: focal points, delegations, credentials and the secretariat's decisions."""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from common.languages import content_language
from common.uploads import validate_pdf
from correspondence.language import date_range
from correspondence.models import Email, Office
from correspondence.services import email_queue
from meetings.models import Meeting
from treaties.models import Organisation, State

from . import permissions, rules
from .models import Credentials, Delegation, DelegationChange, FocalPoint, Invitation, Member, Profile
from .selectors import party_name, registration_is_open

logger = logging.getLogger(__name__)

INVITATION_SALT = "registration.invitation"


class RegistrationError(Exception):
    """A refused step, with a message for the user."""


class DelegationConflict(RegistrationError):
    """Someone else saved the delegation first."""


# --- focal points -----------------------------------------------------------------------------------------------------


def invitation_create(
    *, meeting: Meeting, state: State | None = None, organisation: Organisation | None = None, days: int | None = None
) -> Invitation:
    days = days or settings.REGISTRATION_INVITATION_DAYS
    return Invitation.objects.create(
        meeting=meeting, state=state, organisation=organisation, expires_at=timezone.now() + dt.timedelta(days=days)
    )


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT)


def invitation_link(invitation: Invitation) -> str:
    path = reverse("registration:invitation", kwargs={"token": invitation_token(invitation)})
    return settings.SITE_URL.rstrip("/") + path


def invitation_for_token(token: str) -> Invitation:
    try:
        payload = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise RegistrationError(gettext("This registration link is not valid. Ask the sender for a new one.")) from None
    invitation = (
        Invitation.objects.select_related("meeting", "state", "organisation").filter(pk=payload["invitation"]).first()
    )
    if invitation is None:
        raise RegistrationError(gettext("This registration link is not valid. Ask the sender for a new one."))
    return invitation


def invitation_accept(*, token: str, user) -> FocalPoint:
    """Make ``user`` the focal point the link was sent for. A link works once, until it expires."""
    invitation = invitation_for_token(token)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            raise RegistrationError(
                gettext("This registration link has already been used. Ask the secretariat for a new one.")
            )
        if invitation.expires_at <= timezone.now():
            raise RegistrationError(gettext("This registration link has expired. Ask the secretariat for a new one."))
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        focal_point, _ = FocalPoint.objects.get_or_create(
            user=user, state=invitation.state, organisation=invitation.organisation
        )
        focal_point.approved_at = focal_point.approved_at or timezone.now()
        focal_point.rejected_at, focal_point.invitation = None, invitation
        focal_point.save()
    return focal_point


def focal_point_request(
    *, user, state: State | None = None, organisation: Organisation | None = None, reason: str
) -> FocalPoint:
    if bool(state) == bool(organisation):
        raise RegistrationError(gettext("Choose one State or one organisation."))
    if not reason.strip():
        raise RegistrationError(gettext("Say who you are and why you act for this State or organisation."))
    existing = FocalPoint.objects.filter(user=user, state=state, organisation=organisation).first()
    if existing and existing.approved_at:
        raise RegistrationError(
            gettext("You are already a focal point of %(party)s.") % {"party": party_name(existing.party)}
        )
    if existing and not existing.rejected_at:
        raise RegistrationError(gettext("Your request is already with the secretariat."))
    if existing:
        existing.reason, existing.rejected_at, existing.rejection_reason = reason, None, ""
        existing.save()
        return existing
    return FocalPoint.objects.create(user=user, state=state, organisation=organisation, reason=reason)


def focal_point_decide(*, focal_point: FocalPoint, by, approve: bool, reason: str = "") -> FocalPoint:
    if not permissions.is_secretariat(by):
        raise RegistrationError(gettext("Only the secretariat approves focal points."))
    if not approve and not reason.strip():
        raise RegistrationError(gettext("Give the reason for refusing."))
    now = timezone.now()
    if approve:
        focal_point.approved_at, focal_point.approved_by, focal_point.rejected_at = now, by, None
    else:
        focal_point.rejected_at, focal_point.rejection_reason, focal_point.approved_at = now, reason, None
    focal_point.save()
    _notify(
        to=[focal_point.user],
        template="focal_point_approved" if approve else "focal_point_refused",
        context={"party": focal_point.party, "reason": reason.strip(), "office": _office_of(by)},
    )
    return focal_point


# --- people -----------------------------------------------------------------------------------------------------------


def profile_update(*, user, first_name: str, last_name: str, affiliation: str) -> Profile:
    """The person's name (on the user, where allauth and the admin read it) and their ministry or mission."""
    first_name, last_name, affiliation = first_name.strip(), last_name.strip(), affiliation.strip()
    if not (first_name and last_name):
        raise RegistrationError(gettext("Give your given name and family name."))
    if not affiliation:
        raise RegistrationError(gettext("Give your ministry or mission."))
    with transaction.atomic():
        user.first_name, user.last_name = first_name[:150], last_name[:150]
        user.save(update_fields=["first_name", "last_name"])
        profile, _ = Profile.objects.update_or_create(user=user, defaults={"affiliation": affiliation[:200]})
    return profile


def focal_point_appoint(
    *, user, by, state: State | None = None, organisation: Organisation | None = None
) -> FocalPoint:
    """The secretariat makes ``user`` a focal point directly (no request first); the user is e-mailed."""
    if bool(state) == bool(organisation):
        raise RegistrationError(gettext("Choose one State or one organisation."))
    with transaction.atomic():
        focal_point, _ = FocalPoint.objects.get_or_create(user=user, state=state, organisation=organisation)
        if focal_point.approved_at:
            raise RegistrationError(
                gettext("%(user)s is already a focal point of %(party)s.")
                % {"user": user, "party": party_name(focal_point.party)}
            )
        return focal_point_decide(focal_point=focal_point, by=by, approve=True)


# --- delegations ------------------------------------------------------------------------------------------------------


@dataclass
class MemberData:
    title: str
    family_name: str
    given_name: str
    role: str
    position: str = ""
    email: str = ""
    gender: str = ""
    days: tuple[dt.date, ...] = ()


def _is_open(meeting: Meeting) -> bool:
    return registration_is_open(meeting, today=timezone.localdate())


def _log(delegation: Delegation, user, action: str, detail: str = "") -> None:
    DelegationChange.objects.create(delegation=delegation, user=user, action=action, detail=detail)


def _check_members(meeting: Meeting, members: list[MemberData]) -> None:
    """The authority on registration.rules: every problem at once, so one save reports them all."""
    errors = []
    heads = rules.heads(members)
    if len(heads) > 1:
        names = ", ".join(members[i].family_name for i in heads)
        errors.append(gettext("Only one head of delegation: %(names)s are all marked as head.") % {"names": names})
    duplicates = rules.repeated_names(members)
    if duplicates:
        errors.append(gettext("Listed twice: %(names)s.") % {"names": ", ".join(duplicates)})
    for member in members:
        outside = rules.days_outside(member.days, start=meeting.start_date, end=meeting.end_date)
        if outside:
            errors.append(
                gettext("%(name)s: %(days)s is outside the meeting (%(start)s to %(end)s).")
                % {
                    "name": f"{member.given_name} {member.family_name}",
                    "days": ", ".join(d.isoformat() for d in outside),
                    "start": meeting.start_date,
                    "end": meeting.end_date,
                }
            )
    if errors:
        raise ValidationError(errors)


def delegation_save(
    *,
    meeting: Meeting,
    user,
    members: list[MemberData],
    state: State | None = None,
    organisation: Organisation | None = None,
    version: int | None = None,
) -> Delegation:
    """Create or replace the delegation's list of members, as one change.

    ``version`` is the version the user started from (None for a new delegation). If
    someone saved in between, nothing is written and DelegationConflict says so.
    """
    is_open = _is_open(meeting)
    if not permissions.can_register_for(
        user,
        meeting=meeting,
        state_id=state.pk if state else None,
        organisation_id=organisation.pk if organisation else None,
        registration_open=is_open,
    ):
        if not is_open:
            raise RegistrationError(gettext("Registration for this meeting is closed; contact the secretariat."))
        raise RegistrationError(gettext("You are not a focal point of this State or organisation."))
    _check_members(meeting, members)
    try:
        with transaction.atomic():
            delegation = _locked_delegation(meeting=meeting, state=state, organisation=organisation, user=user)
            if not delegation._created and version != delegation.version:
                # version None: this user started a new list while someone else registered first.
                message = (
                    gettext(
                        "Another focal point registered the delegation of %(party)s at %(time)s; "
                        "your entries were not saved yet."
                    )
                    if version is None
                    else gettext(
                        "Another focal point changed the delegation of %(party)s at %(time)s; "
                        "your entries were not saved yet."
                    )
                )
                raise DelegationConflict(
                    message
                    % {
                        "party": party_name(delegation.party),
                        "time": f"{timezone.localtime(delegation.updated_at):%H:%M}",
                    }
                )
            if not permissions.can_edit_delegation(user, delegation, registration_open=is_open):
                raise RegistrationError(
                    gettext("The delegation is %(status)s; it cannot be changed now.")
                    % {"status": delegation.get_status_display().lower()}
                )
            delegation.members.all().delete()
            Member.objects.bulk_create(
                [
                    Member(
                        delegation=delegation,
                        title=m.title,
                        family_name=m.family_name.strip(),
                        given_name=m.given_name.strip(),
                        role=m.role,
                        position=m.position.strip(),
                        email=m.email.strip(),
                        gender=m.gender,
                        days=[d.isoformat() for d in sorted(m.days)],
                        position_in_list=i,
                    )
                    for i, m in enumerate(members)
                ]
            )
            if not delegation._created:
                delegation.version += 1
            delegation.save()
            if not is_open or permissions.is_secretariat(user):
                _log(delegation, user, "members changed", f"{len(members)} member(s)")
    except IntegrityError as exc:
        # Two first saves at the same moment: the database lets one delegation exist.
        raise DelegationConflict(
            gettext("Another focal point registered this delegation at the same moment. Reload to see their list.")
        ) from exc
    return delegation


def delegation_register(
    *,
    meeting: Meeting,
    user,
    members: list[MemberData],
    state: State | None = None,
    organisation: Organisation | None = None,
    version: int | None = None,
    credentials=None,
    submit: bool = False,
) -> Delegation:
    """What the focal point's page sends in one go: the members, the credentials letter if one is attached,
    and the submission if asked. All of it is saved, or none of it."""
    with transaction.atomic():
        delegation = delegation_save(
            meeting=meeting, user=user, members=members, state=state, organisation=organisation, version=version
        )
        if credentials is not None:
            credentials_upload(delegation=delegation, file=credentials, user=user)
        if submit:
            delegation = delegation_submit(delegation=delegation, user=user)
    return delegation


def _locked_delegation(*, meeting, state, organisation, user) -> Delegation:
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, state=state, organisation=organisation)
        .first()
    )
    if delegation:
        delegation._created = False
        return delegation
    admission = ""
    if organisation is not None:
        by_right = organisation.observer_by_right.filter(pk=meeting.treaty_id).exists()
        admission = Delegation.Admission.BY_RIGHT if by_right else Delegation.Admission.REQUESTED
    with transaction.atomic():
        delegation = Delegation.objects.create(
            meeting=meeting,
            state=state,
            organisation=organisation,
            created_by=user,
            admission=admission,
            admission_requested_at=timezone.now() if admission == Delegation.Admission.REQUESTED else None,
        )
    delegation._created = True
    return delegation


def delegation_submit(*, delegation: Delegation, user) -> Delegation:
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=delegation.pk)
        if not permissions.can_edit_delegation(user, delegation, registration_open=_is_open(delegation.meeting)):
            raise RegistrationError(gettext("This delegation cannot be submitted now."))
        members = list(delegation.members.all())
        if not rules.has_members(members):
            raise RegistrationError(gettext("Add the members of the delegation before submitting."))
        if not rules.has_one_head(members):
            raise RegistrationError(gettext("Mark exactly one member as head of delegation."))
        head = members[rules.heads(members)[0]]
        delegation.status, delegation.submitted_at = Delegation.Status.SUBMITTED, timezone.now()
        delegation.return_reason = ""
        delegation.save(update_fields=["status", "submitted_at", "return_reason", "updated_at"])
        _log(delegation, user, "submitted", f"{len(members)} member(s)")
        _notify(
            to=_focal_point_users(delegation),
            template="delegation_submitted",
            context={
                **_delegation_context(delegation, office=settings.SITE_OFFICE),
                "submitted_by": user,
                "head": head,
                "member_count": len(members),
                "credentials": Credentials.objects.filter(delegation=delegation).first(),
            },
        )
    return delegation


def delegation_decide(
    *, delegation: Delegation, by, approve: bool, reason: str = "", version: int | None = None
) -> Delegation:
    """Approve, or return with a reason. Every decision is logged and e-mailed to the focal points.

    ``version`` is the version the reviewer read (None from the list's bulk actions): a decision
    on a list of members that changed since is refused, so nobody approves what they did not see.
    """
    if not permissions.can_review(by):
        raise RegistrationError(gettext("Only the secretariat reviews delegations."))
    if not approve and not reason.strip():
        raise RegistrationError(gettext("Say why the delegation is returned."))
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update(of=("self",))
            .select_related("meeting", "state", "organisation")
            .get(pk=delegation.pk)
        )
        if delegation.status != Delegation.Status.SUBMITTED:
            raise RegistrationError(
                gettext("%(party)s: only a submitted delegation can be decided.")
                % {"party": party_name(delegation.party)}
            )
        if version is not None and version != delegation.version:
            raise DelegationConflict(
                gettext(
                    "The delegation of %(party)s changed after you opened it (%(time)s); read it again, then decide."
                )
                % {"party": party_name(delegation.party), "time": f"{timezone.localtime(delegation.updated_at):%H:%M}"}
            )
        if (
            approve
            and delegation.organisation_id
            and delegation.admission not in (Delegation.Admission.BY_RIGHT, Delegation.Admission.APPROVED)
        ):
            raise RegistrationError(
                gettext(
                    "%(party)s is not an observer by right: record the meeting's approval of its participation first."
                )
                % {"party": party_name(delegation.party)}
            )
        delegation.status = Delegation.Status.APPROVED if approve else Delegation.Status.RETURNED
        delegation.decided_at, delegation.decided_by = timezone.now(), by
        delegation.return_reason = "" if approve else reason.strip()
        delegation.save()
        _log(delegation, by, "approved" if approve else "returned", delegation.return_reason)
        # The outbox rows commit with the decision; notification_queue sends them once it has committed.
        _notify(
            to=_focal_point_users(delegation),
            template="delegation_approved" if approve else "delegation_returned",
            context=_delegation_context(delegation, office=_office_of(by)),
        )
    return delegation


def delegations_decide(*, delegations, by, approve: bool, reason: str = "") -> tuple[int, list[str]]:
    """The same decision for many delegations; each stands alone, refusals are reported by name."""
    done, refused = 0, []
    for delegation in delegations:
        try:
            delegation_decide(delegation=delegation, by=by, approve=approve, reason=reason)
            done += 1
        except RegistrationError as error:
            refused.append(str(error))
    return done, refused


def admission_invite(*, delegation: Delegation, by) -> Delegation:
    """Rule 1.3, step 2: the President-designate invites the organisation provisionally."""
    if not permissions.can_invite_provisionally(by, delegation.meeting):
        raise RegistrationError(gettext("Only the presidency of this meeting invites organisations provisionally."))
    if delegation.admission != Delegation.Admission.REQUESTED:
        raise RegistrationError(gettext("Only an organisation that asked to take part can be invited provisionally."))
    delegation.admission, delegation.admission_invited_at = Delegation.Admission.INVITED, timezone.now()
    delegation.save(update_fields=["admission", "admission_invited_at", "updated_at"])
    _log(delegation, by, "invited provisionally")
    return delegation


def admission_decide(*, delegation: Delegation, by, approve: bool) -> Delegation:
    """Rule 1.3, step 3: the secretariat records the meeting's decision."""
    if not permissions.is_secretariat(by):
        raise RegistrationError(gettext("Only the secretariat records the meeting's decision."))
    if delegation.admission != Delegation.Admission.INVITED:
        raise RegistrationError(gettext("The presidency must first invite the organisation provisionally."))
    delegation.admission = Delegation.Admission.APPROVED if approve else Delegation.Admission.REFUSED
    delegation.admission_decided_at = timezone.now()
    delegation.save(update_fields=["admission", "admission_decided_at", "updated_at"])
    _log(delegation, by, "participation approved" if approve else "participation refused")
    return delegation


# --- credentials ------------------------------------------------------------------------------------------------------


def credentials_upload(*, delegation: Delegation, file, user) -> Credentials:
    if not permissions.can_view_credentials(user, delegation):
        raise RegistrationError(gettext("You cannot upload credentials for this delegation."))
    validate_pdf(file)
    file.seek(0)
    digest = hashlib.sha256(file.read()).hexdigest()
    file.seek(0)
    with transaction.atomic():
        credentials = Credentials.objects.select_for_update(of=("self",)).filter(delegation=delegation).first()
        if credentials and credentials.status in (Credentials.Status.IN_ORDER,):
            raise RegistrationError(
                gettext("The credentials are already in order; contact the secretariat to replace them.")
            )
        if credentials is None:
            credentials = Credentials(delegation=delegation)
        # The letter it replaces goes only once the new one is committed: a refusal later in the same
        # transaction must not leave the row pointing at a deleted file.
        replaced = credentials.file.name if credentials.file else ""
        credentials.file.save(f"{delegation.meeting.slug}-{delegation.party_key}.pdf", file, save=False)
        if replaced:
            storage = credentials.file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
        credentials.sha256 = digest
        credentials.uploaded_by = user
        credentials.status, credentials.reason = Credentials.Status.RECEIVED, ""
        credentials.reviewed_at = credentials.reviewed_by = None
        credentials.save()
        _log(delegation, user, "credentials uploaded", digest[:12])
    return credentials


def credentials_review(*, credentials: Credentials, by, status: str, reason: str = "") -> Credentials:
    if not permissions.is_secretariat(by):
        raise RegistrationError(gettext("Only the secretariat examines credentials."))
    if status not in Credentials.Status.values:
        raise RegistrationError(gettext("Unknown credentials status."))
    if status == Credentials.Status.REJECTED and not reason.strip():
        raise RegistrationError(gettext("Give the reason for rejecting the credentials."))
    credentials.status, credentials.reason = status, reason.strip()
    credentials.reviewed_by, credentials.reviewed_at = by, timezone.now()
    credentials.save()
    # The history is data, written once in the portal's language whoever reads it later.
    with translation.override(settings.LANGUAGE_CODE):
        action = f"credentials: {credentials.get_status_display()}"
    _log(credentials.delegation, by, action, credentials.reason)
    return credentials


# --- notifications ----------------------------------------------------------------------------------------------------


def _focal_point_users(delegation: Delegation) -> list:
    focal_points = FocalPoint.objects.filter(
        state=delegation.state, organisation=delegation.organisation, approved_at__isnull=False
    ).select_related("user")
    users = {fp.user.email: fp.user for fp in focal_points if fp.user.email}
    return [users[email] for email in sorted(users)]


def _office_of(user) -> str:
    """The office a decision is sent in the name of: the secretariat office of the person who took it."""
    office = user.offices.filter(kind__in=[Office.Kind.SECRETARIAT, Office.Kind.SUPPORT_UNIT]).order_by("pk").first()
    return office.name if office else settings.SITE_OFFICE


def _portal_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _delegation_context(delegation: Delegation, *, office: str) -> dict:
    meeting = delegation.meeting
    return {
        "delegation": delegation,
        "party": delegation.party,
        "meeting": meeting,
        "meeting_name": meeting.short_code or meeting.title,
        "delegation_url": _portal_url(reverse("registration:delegation", args=[meeting.slug, delegation.party_key])),
        "office": office,
    }


def _languages_of(users: list) -> dict[int, str]:
    """Each recipient's interface language: the one they chose (Profile.language), else the portal's."""
    chosen = dict(
        Profile.objects.filter(user__in=[user.pk for user in users])
        .exclude(language="")
        .values_list("user_id", "language")
    )
    return {user.pk: chosen.get(user.pk) or settings.LANGUAGE_CODE for user in users}


def _notify(*, to: list, template: str, context: dict) -> None:
    """One e-mail per person, greeting them by name, from registration/email/<template>_subject.txt and
    _message.txt. Every message names the portal and the office it is sent in the name of, and links back.

    Each is written in its recipient's language, not the language of whoever caused it: a secretariat
    officer working in English approves a delegation whose focal point reads French."""
    languages = _languages_of(to)
    for user in to:
        language = languages[user.pk]
        content = content_language(language)
        with translation.override(language):
            full = {
                **context,
                "recipient": user,
                "site_name": settings.SITE_NAME,
                "site_url": settings.SITE_URL.rstrip("/"),
                "my_registrations_url": _portal_url(reverse("registration:mine")),
            }
            if "party" in context:
                full["party"] = party_name(context["party"], content)
            if "meeting" in context:
                meeting = context["meeting"]
                full["meeting_dates"] = date_range(meeting.start_date, meeting.end_date, content)
            subject = " ".join(render_to_string(f"registration/email/{template}_subject.txt", full).split())
            body = render_to_string(f"registration/email/{template}_message.txt", full).strip() + "\n"
        notification_queue(to=user.email, subject=f"[{settings.SITE_NAME}] {subject}", body=body)


def notification_queue(*, to: str, subject: str, body: str) -> Email:
    """A focal point's e-mail goes through the portal's one outbox (correspondence): the same claim,
    retries, sweep and re-send as the notes."""
    return email_queue(to=[to], subject=subject, body=body, source="registration")


def profile_language_set(*, user, language: str) -> Profile:
    """The interface language the person chose in the switcher, kept for their next visit and their e-mails.

    ``language`` is a code of settings.LANGUAGES (the caller has checked it); a person without a profile yet
    (staff, or someone who has not given their details) gets one with only the language.
    """
    profile, created = Profile.objects.get_or_create(user=user, defaults={"language": language})
    if not created and profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])
    return profile
