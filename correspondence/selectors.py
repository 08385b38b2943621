import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from common.dates import short_date_range
from meetings.models import Meeting, Officer
from treaties.models import Organisation, PermanentMission, State, Treaty
from treaties.rules import Status
from treaties.selectors import participations_with_status

from . import language as lang
from . import permissions
from .models import AddresseeGroup, Form, Note, NoteCopy, NoteTemplate, Office
from .rendering import Addressee, copy_addressee, draft_context, example_addressee, placeholder_values

GROUP_STATUSES = {
    AddresseeGroup.STATES_PARTIES: {Status.STATE_PARTY, Status.WITHDRAWAL_PENDING},
    AddresseeGroup.SIGNATORIES: {Status.SIGNATORY},
    AddresseeGroup.STATES_NOT_PARTY: {Status.NOT_PARTY, Status.NOT_YET_IN_FORCE, Status.FORMER_PARTY},
}
MISSION_CITY_PREFERENCE = ["Geneva", "New York", "Vienna"]


def _mission_for(missions: list[PermanentMission], office_city: str) -> PermanentMission | None:
    """The mission in the office's city, else Geneva, New York, Vienna in that order."""
    order = [office_city, *MISSION_CITY_PREFERENCE]
    return min(missions, key=lambda m: order.index(m.city) if m.city in order else len(order), default=None)


def _mission_name(state: State, mission: PermanentMission | None, language: str) -> str:
    # The registry's mission names are English (“… to the United Nations Office at Geneva”); other languages
    # name the mission from the State's UN short name in that language.
    if language == "en" and mission:
        return mission.name
    return lang.mission_of(state, language)


def _state_addressee(state: State, missions: list[PermanentMission], *, office_city: str, language: str) -> Addressee:
    mission = _mission_for(missions, office_city)
    return Addressee(
        key=f"state:{state.iso3}",
        name=_mission_name(state, mission, language),
        salutation=lang.SALUTATION.get(language, "Excellency,"),
        emails=tuple(mission.email_list) if mission else (),
        state_id=state.pk,
        mission_id=mission.pk if mission else None,
    )


def _organisation_addressee(organisation: Organisation, language: str) -> Addressee:
    return Addressee(
        key=f"org:{organisation.pk}",
        name=organisation.name,
        salutation=lang.SALUTATION.get(language, "Excellency,"),
        emails=(organisation.email,) if organisation.email else (),
        organisation_id=organisation.pk,
        is_organisation=True,
    )


def note_addressees(note: Note, *, at: dt.date) -> list[Addressee]:
    """Everyone the note goes to on ``at``: groups resolved from treaty status, then named individuals.

    A State reached by two groups gets one copy.
    """
    groups = set(note.addressee_groups)
    office_city = note.office.city
    result: dict[str, Addressee] = {}

    state_groups = groups & set(GROUP_STATUSES) | ({AddresseeGroup.ALL_MISSIONS} & groups)
    if state_groups:
        statuses = {p.state_id: s for p, s in participations_with_status(treaty=note.treaty, at=at)}
        wanted: set[Status] = set().union(*(GROUP_STATUSES.get(g, set()) for g in groups))
        everyone = AddresseeGroup.ALL_MISSIONS in groups
        states = State.objects.prefetch_related("missions").order_by("name_en")
        for state in states:
            if everyone or statuses.get(state.pk, Status.NOT_PARTY) in wanted:
                addressee = _state_addressee(
                    state, list(state.missions.all()), office_city=office_city, language=note.language
                )
                result[addressee.key] = addressee

    chosen_states = note.addressee_states.prefetch_related("missions").order_by("name_en") if note.pk else []
    for state in chosen_states:
        addressee = _state_addressee(state, list(state.missions.all()), office_city=office_city, language=note.language)
        result[addressee.key] = addressee

    if AddresseeGroup.OBSERVER_ORGANISATIONS in groups:
        for organisation in Organisation.objects.filter(observer_by_right=note.treaty).order_by("name"):
            addressee = _organisation_addressee(organisation, note.language)
            result[addressee.key] = addressee

    for organisation in interested_organisations(note) if AddresseeGroup.INTERESTED_ORGANISATIONS in groups else []:
        addressee = _organisation_addressee(organisation, note.language)
        result[addressee.key] = addressee

    for person in note.individuals.select_related("mission__state", "organisation").order_by("id"):
        body = person.mission_name or (
            person.mission.name if person.mission else person.organisation.name if person.organisation else ""
        )
        emails = (person.email,) if person.email else tuple(person.mission.email_list) if person.mission else ()
        if not emails and person.organisation and person.organisation.email:
            emails = (person.organisation.email,)
        result[f"person:{person.pk}"] = Addressee(
            key=f"person:{person.pk}",
            name=person.person_name,
            title="\n".join(part for part in (person.person_title, body) if part),
            salutation=person.salutation,
            emails=emails,
            state_id=person.mission.state_id if person.mission else None,
            mission_id=person.mission_id,
            organisation_id=person.organisation_id,
            is_organisation=person.organisation_id is not None,
        )
    return list(result.values())


# Who asked to attend a meeting or was invited is registration's, a layer above: it adds here a function of
# the meeting's id giving those organisations' ids (registration/apps.py), so nothing here imports upward.
INTERESTED_ORGANISATION_SOURCES: list[Callable[[int], QuerySet]] = []


def interested_organisations(note: Note) -> list[Organisation]:
    """The organisations interested in the note's meeting: those supporting it, those that asked or were invited
    (INTERESTED_ORGANISATION_SOURCES), and those listed by hand on the note."""
    found = Q(pk__in=note.addressee_organisations.values("pk")) if note.pk else Q(pk__in=[])
    if note.meeting_id:
        found |= Q(supported_meetings=note.meeting_id)
        for source in INTERESTED_ORGANISATION_SOURCES:
            found |= Q(pk__in=source(note.meeting_id))
    return list(Organisation.objects.filter(found).distinct().order_by("name"))


def forbidden_addressees(note: Note, addressees: list[Addressee]) -> list[Addressee]:
    """Organisations receive letters, not notes verbales (docs/domain.md §4)."""
    if note.form == Form.LETTER:
        return []
    return [a for a in addressees if a.is_organisation]


# A copy still on its way: neither delivered, failed, handed over nor recorded as sent elsewhere.
COPY_DONE = [NoteCopy.Status.SENT, NoteCopy.Status.FAILED, NoteCopy.Status.BY_HAND, NoteCopy.Status.RECORDED]


def note_archive(*, query: str = "", office_ids: list[int] | None = None) -> QuerySet[Note]:
    """Notes with their copies counted by outcome, those of ``office_ids`` only (None: all); the admin's list."""
    notes = Note.objects.select_related("office", "meeting__treaty", "treaty").annotate(
        copies_total=Count("copies"),
        copies_queued=Count("copies", filter=~Q(copies__status__in=COPY_DONE)),
        copies_recorded=Count("copies", filter=Q(copies__status=NoteCopy.Status.RECORDED)),
        copies_sent=Count("copies", filter=Q(copies__status=NoteCopy.Status.SENT)),
        copies_failed=Count("copies", filter=Q(copies__status=NoteCopy.Status.FAILED)),
        copies_by_hand=Count("copies", filter=Q(copies__status=NoteCopy.Status.BY_HAND)),
    )
    if office_ids is not None:
        notes = notes.filter(office_id__in=office_ids)
    if query:
        # Matched by id: joining the copies here would multiply the counts above.
        found = Note.objects.filter(
            Q(reference__icontains=query)
            | Q(subject__icontains=query)
            | Q(meeting__title__icontains=query)
            | Q(office__name__icontains=query)
            | Q(copies__addressee_name__icontains=query)
        )
        notes = notes.filter(pk__in=found.values("pk"))
    return notes


def copy_counts(note: Note) -> dict[str, int]:
    """An issued note's copies by outcome, in one query: sent, failed, by hand and still in progress."""
    counts = note.copies.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=NoteCopy.Status.SENT)),
        failed=Count("pk", filter=Q(status=NoteCopy.Status.FAILED)),
        by_hand=Count("pk", filter=Q(status=NoteCopy.Status.BY_HAND)),
        recorded=Count("pk", filter=Q(status=NoteCopy.Status.RECORDED)),
    )
    counts["in_progress"] = counts["total"] - counts["sent"] - counts["failed"] - counts["by_hand"] - counts["recorded"]
    return counts


def preview_addressees(note: Note, *, today: dt.date) -> list[Addressee]:
    """Whom the officer can preview a copy for: the copies as frozen once issued, else the addressees today."""
    if note.is_issued:
        return [copy_addressee(copy) for copy in note.copies.order_by("addressee_name", "pk")]
    return note_addressees(note, at=today)


def usable_templates(user) -> QuerySet[NoteTemplate]:
    """Templates the user may draft from: the shared ones and those of the offices they draft for."""
    templates = NoteTemplate.objects.select_related("office").order_by("name", "language", "office__name")
    office_ids = permissions.office_ids_for(user)
    if office_ids is None:
        return templates
    return templates.filter(Q(office__isnull=True) | Q(office_id__in=office_ids))


def user_offices(user) -> list[Office]:
    return list(user.offices.order_by("name")) if user.is_authenticated else []


def meeting_choices() -> QuerySet[Meeting]:
    """Meetings a note can be about, newest first, with what their label needs."""
    return Meeting.objects.select_related("treaty").order_by("-start_date", "-start_time", "title")


def meeting_dates(meeting: Meeting) -> str:
    """23 Dec 2026, 10:00 · 11–14 Sep 2023: for lists."""
    dates = short_date_range(meeting.start_date, meeting.end_date)
    return f"{dates}, {meeting.start_time:%H:%M}" if meeting.start_time else dates


def meeting_label(meeting: Meeting) -> str:
    """CCM · 11MSP · 11–14 Sep 2023 · Eleventh Meeting of States Parties …"""
    parts = [meeting.treaty.code, meeting.short_code, meeting_dates(meeting)]
    return " · ".join(part for part in (*parts, meeting.title) if part)


@dataclass
class PresidencyHome:
    """The admin's first page for a presidency office: its notes in progress, meetings and dispatches."""

    offices: list[Office]
    drafts: list[Note]
    awaiting_approval: list[Note]
    presided: list[tuple[Meeting, str]]  # each meeting with its dates as lists show them
    upcoming: list[tuple[Meeting, str]]
    recent: list[Note]


HOME_ROWS = 8


def presidency_home(*, user, today: dt.date) -> PresidencyHome:
    """A fixed number of queries, whatever the number of notes and meetings."""
    offices = user_offices(user)
    office_ids = [o.pk for o in offices]
    mine = Note.objects.filter(office_id__in=office_ids).select_related("office", "meeting")
    states = [o.state_id for o in offices if o.state_id]
    presiding = Officer.objects.filter(meeting=OuterRef("pk"), state_id__in=states, role__in=Officer.PRESIDING_ROLES)
    presided = list(meeting_choices().filter(Exists(presiding))[:HOME_ROWS]) if states else []
    upcoming = list(
        Meeting.objects.select_related("treaty")
        .filter(end_date__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("start_date", "start_time")[:HOME_ROWS]
    )
    recent = list(
        mine.filter(status=Note.Status.ISSUED)
        .annotate(
            copies_total=Count("copies"),
            copies_sent=Count("copies", filter=Q(copies__status=NoteCopy.Status.SENT)),
            copies_failed=Count("copies", filter=Q(copies__status=NoteCopy.Status.FAILED)),
            copies_by_hand=Count("copies", filter=Q(copies__status=NoteCopy.Status.BY_HAND)),
            copies_recorded=Count("copies", filter=Q(copies__status=NoteCopy.Status.RECORDED)),
        )
        .order_by("-issued_at")[:HOME_ROWS]
    )
    return PresidencyHome(
        offices=offices,
        drafts=list(mine.filter(status=Note.Status.DRAFT).order_by("-created_at")[:HOME_ROWS]),
        awaiting_approval=list(
            mine.filter(status__in=[Note.Status.PENDING_APPROVAL, Note.Status.APPROVED]).order_by("-created_at")[
                :HOME_ROWS
            ]
        ),
        presided=[(m, meeting_dates(m)) for m in presided],
        upcoming=[(m, meeting_dates(m)) for m in upcoming],
        recent=recent,
    )


def placeholders_panel(*, office, meeting, treaty, language: str, form: str, enclosures: list = ()) -> dict:
    """The placeholders beside a note's wording, each with the text it gives for this office and meeting."""
    language = language or "en"
    context = draft_context(
        office=office,
        meeting=meeting,
        treaty=treaty,
        language=language,
        form=form or Form.NOTE_VERBALE,
        addressee=example_addressee(language),
        enclosures=list(enclosures),
    )
    return {"rows": placeholder_values(context), "meeting": meeting, "office": office}


def placeholders_panel_typed(*, user, office=None, meeting=None, treaty=None, language="", form="") -> dict:
    """The panel for ids as the form holds them while the officer types; an office only if the user drafts for it."""
    office_ids = permissions.office_ids_for(user)
    offices = Office.objects.all() if office_ids is None else Office.objects.filter(pk__in=office_ids)
    return placeholders_panel(
        office=offices.filter(pk=office).first() if office else None,
        meeting=Meeting.objects.select_related("treaty").filter(pk=meeting).first() if meeting else None,
        treaty=Treaty.objects.filter(pk=treaty).first() if treaty else None,
        language=language,
        form=form,
    )


@dataclass(frozen=True)
class AddressOutcome:
    address: str
    outcome: str  # "accepted", "refused" or "waiting"
    reason: str = ""


def address_outcomes(row) -> list[AddressOutcome]:
    """What the mail server answered for each address of a note copy or an e-mail of the outbox."""
    addresses = row.email_list if hasattr(row, "email_list") else row.to_list
    delivered = {line.strip().lower() for line in row.delivered_to.splitlines()}
    outcomes = []
    for address in addresses:
        if address in row.refused:
            outcomes.append(AddressOutcome(address, "refused", row.refused[address]))
        elif row.status == "sent" or address.lower() in delivered:
            outcomes.append(AddressOutcome(address, "accepted"))
        else:
            outcomes.append(AddressOutcome(address, "waiting"))
    return outcomes
