import datetime as dt

from django.db.models import Count, Q, QuerySet

from treaties.models import Organisation, PermanentMission, State
from treaties.rules import Status
from treaties.selectors import participations_with_status

from . import language as lang
from .models import AddresseeGroup, Form, Note, NoteCopy
from .rendering import Addressee

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
    if language == "fr":
        return f"Mission permanente {lang.of_state(state, 'fr')}"
    if language == "es":
        return f"Misión Permanente {lang.of_state(state, 'es')}"
    if mission:
        return mission.name
    return f"Permanent Mission of {state.name_en}"


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

    for person in note.individuals.select_related("mission__state", "organisation").order_by("id"):
        body = person.mission.name if person.mission else person.organisation.name if person.organisation else ""
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


def forbidden_addressees(note: Note, addressees: list[Addressee]) -> list[Addressee]:
    """Organisations receive letters, not notes verbales (DOMAIN.md §4)."""
    if note.form == Form.LETTER:
        return []
    return [a for a in addressees if a.is_organisation]


def note_archive(*, query: str = "", office_ids: list[int] | None = None) -> QuerySet[Note]:
    notes = Note.objects.select_related("office", "meeting", "treaty").annotate(
        copies_total=Count("copies"),
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
