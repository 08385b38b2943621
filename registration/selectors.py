import datetime as dt
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import FilteredRelation, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy

from common.languages import content_language
from meetings.models import Document, Meeting
from treaties.models import Organisation, Participation, State, Treaty
from treaties.rules import Status

from . import permissions
from .models import Credentials, Delegation, DelegationChange, FocalPoint, Invitation, Member


def meetings_open_for_registration(*, today: dt.date) -> QuerySet[Meeting]:
    """Meetings whose registration is open today (``registration_is_open``, asked of the database), soonest first.

    With a thousand meetings in the calendar, loading every future one to test it in Python cost more
    than the rest of "My registrations".
    """
    return (
        Meeting.objects.filter(end_date__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(Q(registration_opens__isnull=True) | Q(registration_opens__lte=today))
        .filter(Q(registration_deadline__gte=today) | Q(registration_deadline__isnull=True, start_date__gte=today))
        .order_by("start_date")
    )


def alphabetical(name: str) -> str:
    """Sort key of UN lists: accents and case ignored, so Côte d'Ivoire comes before Cuba."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def party_name(party: State | Organisation, language: str | None = None) -> str:
    """A State's UN short name in ``language`` (a content language code, common.languages: "zh" for Chinese;
    the active interface language when None), English where the registry has none in it; an organisation's
    name as registered. The one place registration asks for a State's name in a language: the treaties
    registry's localised names are read here only."""
    if not isinstance(party, State):
        return str(party)
    return party.name_in(language or content_language(translation.get_language()))


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
        participation = (
            Participation.objects.filter(treaty_id=meeting.treaty_id, state_id=delegation.state_id)
            .select_related("treaty")
            .first()
        )
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


def delegation_with_members(
    *, meeting: Meeting, state: State | None, organisation: Organisation | None
) -> Delegation | None:
    """The party's delegation to the meeting with its members in order, credentials and history; None if
    there is none. It carries the ``meeting`` given (the caller has it already)."""
    delegation = (
        Delegation.objects.select_related("state", "organisation", "credentials")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("position_in_list", "id")),
            Prefetch("changes", queryset=DelegationChange.objects.select_related("user"), to_attr="change_log"),
        )
        .filter(meeting=meeting, state=state, organisation=organisation)
        .first()
    )
    if delegation is not None:
        delegation.meeting = meeting
    return delegation


# --- the secretariat's review -----------------------------------------------------------------------------------------

# What the State did, as the reviewer reads it beside the instrument's date.
_CONSENT = {
    "ratification": pgettext_lazy("a State and a treaty, followed by a date", "ratified %(date)s"),
    "acceptance": pgettext_lazy("a State and a treaty, followed by a date", "accepted %(date)s"),
    "approval": pgettext_lazy("a State and a treaty, followed by a date", "approved %(date)s"),
    "accession": pgettext_lazy("a State and a treaty, followed by a date", "acceded %(date)s"),
    "succession": pgettext_lazy("a State and a treaty, followed by a date", "succeeded %(date)s"),
}
_DEPOSITED = pgettext_lazy("a State and a treaty, followed by a date", "deposited %(date)s")


def _long(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _admission_explained(delegation: Delegation, treaty: Treaty) -> str:
    if delegation.admission == Delegation.Admission.BY_RIGHT:
        return gettext("Observer by right under the %(treaty)s (rule 1.2).") % {"treaty": treaty.code}
    refused = delegation.admission == Delegation.Admission.REFUSED
    steps = [
        (delegation.admission_requested_at, gettext("Asked to take part on %(date)s")),
        (delegation.admission_invited_at, gettext("Invited provisionally by the President-designate on %(date)s")),
        (
            delegation.admission_decided_at,
            gettext("Participation refused on %(date)s") if refused else gettext("Approved on %(date)s"),
        ),
    ]
    done = [what % {"date": _long(timezone.localtime(at).date())} for at, what in steps if at]
    rule = gettext("Not an observer by right: takes part if the meeting approves (rule 1.3).")
    if not done:
        return rule
    # Each step is written as it would start a sentence; the steps after the first continue it.
    steps_text = "; ".join([done[0], *(step[:1].lower() + step[1:] for step in done[1:])])
    return gettext("%(rule)s %(steps)s.") % {"rule": rule, "steps": steps_text}


def category_explained(delegation: Delegation, participation: Participation | None) -> str:
    """Why ``delegation`` is in its category, from the registry's dates: what the reviewer checks."""
    meeting, treaty = delegation.meeting, delegation.meeting.treaty
    if delegation.organisation_id:
        return _admission_explained(delegation, treaty)
    start = meeting.start_date
    if participation is None:
        return gettext(
            "Neither party to nor signatory of the %(treaty)s on %(date)s, the meeting's first day: "
            "the registry records no signature or instrument."
        ) % {"treaty": treaty.code, "date": _long(start)}
    status = participation.status_at(start)
    facts = []
    if participation.signature_date:
        facts.append(gettext("signed %(date)s") % {"date": _long(participation.signature_date)})
    if participation.deposit_date:
        consent = _CONSENT.get(participation.instrument, _DEPOSITED)
        facts.append(consent % {"date": _long(participation.deposit_date)})
    eif = participation.entry_into_force
    if eif and eif <= start:
        facts.append(gettext("in force for it since %(date)s") % {"date": _long(eif)})
    elif eif:
        facts.append(gettext("in force for it only from %(date)s") % {"date": _long(eif)})
    if participation.withdrawal_notice_date:
        facts.append(
            gettext("notice of withdrawal received %(date)s, effective %(effective)s")
            % {
                "date": _long(participation.withdrawal_notice_date),
                "effective": _long(participation.withdrawal_effective),
            }
        )
    text = gettext("%(status)s on %(date)s, the meeting's first day: %(facts)s.") % {
        "status": status.label,
        "date": _long(start),
        "facts": ", ".join(facts),
    }
    if status == Status.WITHDRAWAL_PENDING:
        text = _then(text, gettext("Listed with the States Parties until the withdrawal takes effect."))
    elif status == Status.NOT_YET_IN_FORCE and participation.signature_date:
        text = _then(text, gettext("Listed with the signatories until the Convention is in force for it."))
    return text


def _then(first: str, second: str) -> str:
    return pgettext("two sentences in one message", "%(first)s %(second)s") % {"first": first, "second": second}


@dataclass
class DelegationReview:
    delegation: Delegation
    members: list[Member]
    category: str  # the label, e.g. "States Parties"
    category_reason: str
    credentials: Credentials | None
    changes: list[DelegationChange]
    focal_point_emails: list[str]  # who is e-mailed the decision


def delegation_review(*, pk: int) -> DelegationReview:
    """Everything the secretariat reads before deciding, in a fixed number of queries whatever the size."""
    delegation = (
        Delegation.objects.select_related(
            "meeting__treaty",
            "state",
            "organisation",
            "created_by",
            "decided_by",
            "credentials__uploaded_by",
            "credentials__reviewed_by",
        )
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("position_in_list", "id"), to_attr="ordered_members"),
            Prefetch("changes", queryset=DelegationChange.objects.select_related("user"), to_attr="change_log"),
        )
        .get(pk=pk)
    )
    participation = None
    if delegation.state_id:
        participation = (
            Participation.objects.filter(treaty_id=delegation.meeting.treaty_id, state_id=delegation.state_id)
            .select_related("treaty")
            .first()
        )
    category = category_of(delegation, {delegation.state_id: participation} if participation else {})
    return DelegationReview(
        delegation=delegation,
        members=delegation.ordered_members,
        category=dict(Delegation.Category.choices)[category],
        category_reason=category_explained(delegation, participation),
        credentials=getattr(delegation, "credentials", None),
        changes=delegation.change_log,
        focal_point_emails=sorted(
            FocalPoint.objects.filter(
                state_id=delegation.state_id, organisation_id=delegation.organisation_id, approved_at__isnull=False
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
            .distinct()
        ),
    )


def delegation_categories(*, delegations: Iterable[Delegation]) -> dict[int, str]:
    """The category of each delegation (their meetings loaded), by id, in one query."""
    delegations = list(delegations)
    participations = _participations_of(
        treaty_ids={d.meeting.treaty_id for d in delegations}, state_ids={d.state_id for d in delegations}
    )
    return {d.pk: category_of(d, participations[d.meeting.treaty_id]) for d in delegations}


def delegations_in_category(*, delegations: QuerySet[Delegation], category: str) -> list[int]:
    """Ids of ``delegations`` in ``category``; categories are computed, so this reads two queries."""
    categories = delegation_categories(delegations=delegations.select_related("meeting"))
    return [pk for pk, found in categories.items() if found == category]


def _participations_of(*, treaty_ids, state_ids=None) -> dict[int, dict[int, Participation]]:
    by_treaty: dict[int, dict[int, Participation]] = {treaty_id: {} for treaty_id in treaty_ids}
    # Unordered: this is a lookup table, and the model's order (treaty code, State name) joined the State to sort.
    rows = Participation.objects.filter(treaty_id__in=treaty_ids).select_related("treaty").order_by()
    if state_ids is not None:
        rows = rows.filter(state_id__in=[pk for pk in state_ids if pk])
    for participation in rows:
        by_treaty[participation.treaty_id][participation.state_id] = participation
    return by_treaty


def delegation_counts(*, meetings: list[Meeting]) -> dict[int, Counter]:
    """Per meeting id: delegations counted by category and by status (keys are the values, e.g. "submitted").

    Two queries whatever the number of meetings or delegations.
    """
    by_id = {m.pk: m for m in meetings}
    fields = ("id", "meeting_id", "state_id", "organisation_id", "status")
    # Unordered: they are only counted, and the model's order (by State and organisation name) joined both to sort.
    delegations = list(Delegation.objects.filter(meeting_id__in=by_id).only(*fields).order_by())
    participations = _participations_of(
        treaty_ids={m.treaty_id for m in meetings}, state_ids={d.state_id for d in delegations}
    )
    counts: dict[int, Counter] = {m.pk: Counter() for m in meetings}
    for delegation in delegations:
        meeting = delegation.meeting = by_id[delegation.meeting_id]
        counts[meeting.pk][category_of(delegation, participations[meeting.treaty_id])] += 1
        counts[meeting.pk][delegation.status] += 1
    return counts


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
    # The State's UN short name in the list's language (State.name_in), or the organisation's name.
    party_name: str = ""


def participants(*, meeting: Meeting, language: str | None = None) -> list[ListedDelegation]:
    """Approved delegations in UN order: category, then State or organisation name; head of delegation first.

    States are named in ``language`` (a content language, "zh" for Chinese), by default the reader's, and
    ordered as they read in it: a list in French puts l'Allemagne among the As, as the French list does.
    """
    language = language or content_language(translation.get_language())
    delegations = (
        Delegation.objects.filter(meeting=meeting, status=Delegation.Status.APPROVED)
        .select_related("state", "organisation", "meeting")
        .prefetch_related("members")
    )
    participations = _participations(meeting)
    listed = []
    for delegation in delegations:
        members = sorted(delegation.members.all(), key=lambda m: (m.role != Member.Role.HEAD, m.position_in_list, m.id))
        name = party_name(delegation.party, language)
        listed.append(ListedDelegation(delegation, category_of(delegation, participations), members, name))
    return sorted(listed, key=lambda d: (d.category, alphabetical(d.party_name)))


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def participants_version(*, meeting: Meeting) -> str:
    """A digest of everything the list of participants is made of, for keying its cached outputs.

    It changes whenever the list would: a delegation approved or withdrawn, its members edited (every
    change of members goes through ``delegation_save``, which saves the delegation, so ``updated_at``
    moves), a State or organisation renamed, the treaty status that gives the category corrected, the
    meeting moved or its treaty's dates corrected. One query of plain values, no model instances.
    """
    participation = FilteredRelation(
        "state__participations", condition=Q(state__participations__treaty_id=meeting.treaty_id)
    )
    rows = (
        Delegation.objects.filter(meeting=meeting, status=Delegation.Status.APPROVED)
        .annotate(participation=participation)
        .order_by("pk")
        .values_list(
            "pk",
            "updated_at",
            "version",
            *(f"state__name_{suffix}" for suffix in ("en", "fr", "es", "ar", "ru", "zh_hans")),
            "organisation__name",
            "organisation__acronym",
            *(f"participation__{column}" for column in _columns(Participation)),
        )
    )
    treaty = [getattr(meeting.treaty, column) for column in _columns(Treaty)]
    material = repr((meeting.pk, meeting.start_date, treaty, list(rows)))
    return hashlib.sha256(material.encode()).hexdigest()


@dataclass
class CredentialsReport:
    in_order: list[Delegation]
    copy_only: list[Delegation]
    missing: list[Delegation]
    rejected: list[Delegation]


def credentials_report(*, meeting: Meeting) -> CredentialsReport:
    """States whose credentials are in order, copies only, missing (none, or not yet examined), rejected.

    The delegations carry their State's name (also as ``party_name``, in the active language, the order of
    each list) and their credentials' status and reason, nothing more.
    """
    delegations = (
        Delegation.objects.filter(meeting=meeting, state__isnull=False)
        .exclude(status=Delegation.Status.DRAFT)
        .select_related("state", "credentials")
        # What the report shows: 150 delegations' every column, dates parsed, were half its time.
        .only(
            "state_id",
            "organisation_id",
            "state__name_en",
            "state__name_fr",
            "state__name_es",
            "credentials__delegation_id",
            "credentials__status",
            "credentials__reason",
        )
        .order_by("state__name_en")
    )
    report = CredentialsReport([], [], [], [])
    for delegation in delegations:
        delegation.party_name = party_name(delegation.state)
    for delegation in sorted(delegations, key=lambda d: alphabetical(d.party_name)):
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
            gender[member.get_gender_display() if member.gender else gettext("Not given")] += 1
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


def interested_organisation_ids(meeting_id: int) -> QuerySet:
    """Organisations that asked to take part in the meeting or were invited to it (not those refused): the
    “interested organisations” a circular goes to. Registered with correspondence in apps.py."""
    # Without their models' default ordering: SQLite refuses ORDER BY inside the parts of a UNION.
    invited = (
        Invitation.objects.filter(meeting_id=meeting_id, organisation__isnull=False)
        .order_by()
        .values("organisation_id")
    )
    asked = (
        Delegation.objects.filter(meeting_id=meeting_id, organisation__isnull=False)
        .exclude(admission=Delegation.Admission.REFUSED)
        .order_by()
        .values("organisation_id")
    )
    return invited.union(asked)
