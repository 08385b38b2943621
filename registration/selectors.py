import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from meetings.models import Document, Meeting
from treaties.models import Participation
from treaties.rules import Status

from . import permissions
from .models import Credentials, Delegation, DelegationChange, FocalPoint, Member


def alphabetical(name: str) -> str:
    """Sort key of UN lists: accents and case ignored, so Côte d'Ivoire comes before Cuba."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def registration_is_open(meeting: Meeting, *, today: dt.date) -> bool:
    """Open from the opening date (or at once) until the deadline (or the first day) included."""
    opens = meeting.registration_opens
    closes = meeting.registration_deadline or meeting.start_date
    return (opens is None or today >= opens) and today <= closes


def category_of(delegation: Delegation, participations: dict[int, Participation] | None = None) -> str:
    """The participation category follows treaty status on the first day of the meeting."""
    if delegation.organisation_id:
        return Delegation.Category.ORGANISATION
    meeting = delegation.meeting
    if participations is None:
        participation = Participation.objects.filter(treaty_id=meeting.treaty_id, state_id=delegation.state_id).first()
    else:
        participation = participations.get(delegation.state_id)
    status = participation.status_at(meeting.start_date) if participation else Status.NOT_PARTY
    if status in (Status.STATE_PARTY, Status.WITHDRAWAL_PENDING):
        return Delegation.Category.STATE_PARTY
    if status == Status.SIGNATORY or (status == Status.NOT_YET_IN_FORCE and participation.signature_date):
        return Delegation.Category.SIGNATORY
    return Delegation.Category.OBSERVER_STATE


def _participations(meeting: Meeting) -> dict[int, Participation]:
    rows = Participation.objects.filter(treaty_id=meeting.treaty_id).select_related("treaty")
    return {p.state_id: p for p in rows}


def delegation_with_members(*, pk: int) -> Delegation:
    return (
        Delegation.objects.select_related("meeting__treaty", "state", "organisation")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("position_in_list", "id")),
            "meeting__officers",
            Prefetch("changes", queryset=DelegationChange.objects.select_related("user"), to_attr="change_log"),
        )
        .get(pk=pk)
    )


def delegations_of_user(user) -> QuerySet[Delegation]:
    approved = FocalPoint.objects.filter(user=user, approved_at__isnull=False)
    return (
        Delegation.objects.filter(state__in=approved.values("state"))
        | Delegation.objects.filter(organisation__in=approved.values("organisation"))
    ).select_related("meeting", "state", "organisation")


@dataclass
class ListedDelegation:
    delegation: Delegation
    category: str
    members: list[Member]


def participants(*, meeting: Meeting) -> list[ListedDelegation]:
    """Approved delegations in UN order: category, then State or organisation name; head of delegation first."""
    delegations = (
        Delegation.objects.filter(meeting=meeting, status=Delegation.Status.APPROVED)
        .select_related("state", "organisation", "meeting")
        .prefetch_related("members")
    )
    participations = _participations(meeting)
    listed = []
    for delegation in delegations:
        members = sorted(delegation.members.all(), key=lambda m: (m.role != Member.Role.HEAD, m.position_in_list, m.id))
        listed.append(ListedDelegation(delegation, category_of(delegation, participations), members))
    return sorted(listed, key=lambda d: (d.category, alphabetical(str(d.delegation.party))))


@dataclass
class CredentialsReport:
    in_order: list[Delegation]
    copy_only: list[Delegation]
    missing: list[Delegation]
    rejected: list[Delegation]


def credentials_report(*, meeting: Meeting) -> CredentialsReport:
    """States whose credentials are in order, copies only, missing (none, or not yet examined), rejected."""
    delegations = (
        Delegation.objects.filter(meeting=meeting, state__isnull=False)
        .exclude(status=Delegation.Status.DRAFT)
        .select_related("state", "credentials")
        .order_by("state__name_en")
    )
    report = CredentialsReport([], [], [], [])
    for delegation in sorted(delegations, key=lambda d: alphabetical(d.state.name_en)):
        credentials = getattr(delegation, "credentials", None)
        status = credentials.status if credentials else None
        if status == Credentials.Status.IN_ORDER:
            report.in_order.append(delegation)
        elif status == Credentials.Status.COPY_ONLY:
            report.copy_only.append(delegation)
        elif status == Credentials.Status.REJECTED:
            report.rejected.append(delegation)
        else:
            report.missing.append(delegation)
    return report


@dataclass
class CategoryCount:
    label: str
    delegations: int
    participants: int


@dataclass
class MeetingStatistics:
    delegations_by_category: dict[str, int]
    participants_by_category: dict[str, int]
    gender: dict[str, int]

    @property
    def rows(self) -> list[CategoryCount]:
        return [
            CategoryCount(label, count, self.participants_by_category[label])
            for label, count in self.delegations_by_category.items()
        ]

    @property
    def delegations_total(self) -> int:
        return sum(self.delegations_by_category.values())

    @property
    def participants_total(self) -> int:
        return sum(self.participants_by_category.values())


def meeting_statistics(*, meeting: Meeting, listed: list[ListedDelegation] | None = None) -> MeetingStatistics:
    """Counts per category (delegations and persons) and gender; from ``listed`` when the caller has it."""
    listed = participants(meeting=meeting) if listed is None else listed
    by_category = Counter(d.category for d in listed)
    people = Counter()
    gender = Counter()
    for entry in listed:
        people[entry.category] += len(entry.members)
        for member in entry.members:
            gender[member.get_gender_display() if member.gender else "Not given"] += 1
    labels = dict(Delegation.Category.choices)
    return MeetingStatistics(
        delegations_by_category={labels[c]: by_category.get(c, 0) for c in labels},
        participants_by_category={labels[c]: people.get(c, 0) for c in labels},
        gender=dict(gender),
    )


@dataclass
class CategoryGroup:
    label: str
    entries: list[ListedDelegation]


def participants_by_category(listed: list[ListedDelegation]) -> list[CategoryGroup]:
    """The list's headings in UN order, each with its delegations (``listed`` is already in that order)."""
    labels = dict(Delegation.Category.choices)
    groups: list[CategoryGroup] = []
    for entry in listed:
        if not groups or groups[-1].label != labels[entry.category]:
            groups.append(CategoryGroup(labels[entry.category], []))
        groups[-1].entries.append(entry)
    return groups


def participants_list_symbol(meeting: Meeting) -> str:
    """The UN symbol of the meeting's published list of participants, if it is among its documents."""
    document = (
        Document.objects.filter(meeting=meeting, title__icontains="list of participants")
        .order_by("language")
        .only("symbol")
        .first()
    )
    return document.symbol if document else ""


@dataclass
class PartyRegistration:
    focal_point: FocalPoint
    delegation: Delegation | None


@dataclass
class MeetingRegistration:
    """What a meeting page tells one person about registering for it."""

    state: str  # "open", "not yet open" or "closed"
    opens: dt.date | None
    closes: dt.date
    parties: list[PartyRegistration]
    pending: list[FocalPoint]
    can_list_participants: bool
    can_report_credentials: bool


def meeting_registration(*, user, meeting: Meeting, today: dt.date) -> MeetingRegistration:
    """The person's focal point roles with their delegation to ``meeting`` (in UN order), their requests still
    waiting, and whether registration is open. A fixed number of queries."""
    focal_points = (
        list(FocalPoint.objects.filter(user=user).select_related("state", "organisation"))
        if user.is_authenticated
        else []
    )
    active = [fp for fp in focal_points if fp.is_active]
    delegations = {}
    if active:
        rows = Delegation.objects.filter(meeting=meeting).filter(
            Q(state__in=[fp.state_id for fp in active if fp.state_id])
            | Q(organisation__in=[fp.organisation_id for fp in active if fp.organisation_id])
        )
        delegations = {d.party_key: d for d in rows.select_related("state", "organisation")}

    def by_name(fp: FocalPoint) -> str:
        return alphabetical(str(fp.party))

    closes = meeting.registration_deadline or meeting.start_date
    if registration_is_open(meeting, today=today):
        state = "open"
    elif meeting.registration_opens and today < meeting.registration_opens:
        state = "not yet open"
    else:
        state = "closed"
    secretariat = permissions.is_secretariat(user)
    return MeetingRegistration(
        state=state,
        opens=meeting.registration_opens,
        closes=closes,
        parties=[PartyRegistration(fp, delegations.get(fp.party_key)) for fp in sorted(active, key=by_name)],
        pending=sorted((fp for fp in focal_points if not fp.is_active and not fp.rejected_at), key=by_name),
        can_list_participants=secretariat or permissions.presides(user, meeting),
        can_report_credentials=secretariat,
    )
