"""Who may see and change registrations: every rule lives here, and only here.

Roles: anonymous, a delegate (signed in, no role), the focal point of a State or
organisation, the presidency office of a meeting, and the secretariat.
"""

from common.roles import is_secretariat
from meetings.models import Officer

from .models import Delegation, FocalPoint


def focal_point_parties(user) -> tuple[set[int], set[int]]:
    """(State ids, organisation ids) the user acts for, through approved focal point rows."""
    if not user.is_authenticated:
        return set(), set()
    cached = getattr(user, "_focal_point_parties", None)
    if cached is None:
        rows = FocalPoint.objects.filter(user=user, approved_at__isnull=False).values_list(
            "state_id", "organisation_id"
        )
        cached = ({s for s, _ in rows if s}, {o for _, o in rows if o})
        user._focal_point_parties = cached
    return cached


def is_focal_point_for(user, *, state_id: int | None = None, organisation_id: int | None = None) -> bool:
    states, organisations = focal_point_parties(user)
    return (state_id is not None and state_id in states) or (
        organisation_id is not None and organisation_id in organisations
    )


def presides(user, meeting) -> bool:
    """A member of the presidency office of the State presiding over the meeting."""
    if not user.is_authenticated:
        return False
    presiding_states = {
        o.state_id for o in meeting.officers.all() if o.role in Officer.PRESIDING_ROLES and o.until is None
    }
    return user.offices.filter(kind="presidency", state_id__in=presiding_states).exists()


def can_view_delegation(user, delegation: Delegation) -> bool:
    return (
        is_secretariat(user)
        or is_focal_point_for(user, state_id=delegation.state_id, organisation_id=delegation.organisation_id)
        or presides(user, delegation.meeting)
    )


def can_edit_delegation(user, delegation: Delegation, *, registration_open: bool) -> bool:
    """Focal points edit their own while registration is open and the delegation is theirs to change;
    after the deadline only the secretariat changes anything (and each change is logged)."""
    if is_secretariat(user):
        return True
    return (
        registration_open
        and delegation.is_editable_by_focal_point
        and is_focal_point_for(user, state_id=delegation.state_id, organisation_id=delegation.organisation_id)
    )


def can_register_for(user, *, meeting, state_id=None, organisation_id=None, registration_open: bool) -> bool:
    if is_secretariat(user):
        return True
    return registration_open and is_focal_point_for(user, state_id=state_id, organisation_id=organisation_id)


def can_review(user) -> bool:
    return is_secretariat(user)


def can_invite_provisionally(user, meeting) -> bool:
    """Rule 1.3: the President-designate invites an organisation provisionally."""
    return presides(user, meeting) or is_secretariat(user)


def can_view_credentials(user, delegation: Delegation) -> bool:
    return is_secretariat(user) or is_focal_point_for(
        user, state_id=delegation.state_id, organisation_id=delegation.organisation_id
    )
