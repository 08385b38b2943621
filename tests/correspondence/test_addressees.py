"""Who a note goes to: groups resolved from treaty status on the issue date, and named persons."""

import datetime as dt

import pytest
from django.core import mail

from correspondence import services
from correspondence.models import AddresseeGroup, IndividualAddressee, NoteCopy
from tests.factories import MissionFactory, OrganisationFactory, ParticipationFactory, StateFactory, ccm

from . import factories

pytestmark = pytest.mark.django_db

PARTIES = AddresseeGroup.STATES_PARTIES
NOT_PARTY = AddresseeGroup.STATES_NOT_PARTY
SIGNATORIES = AddresseeGroup.SIGNATORIES


def copies_to(note) -> list[str]:
    return sorted(note.copies.values_list("state__name_en", flat=True))


@pytest.fixture
def registry(db):
    """Four States under the CCM, with their history."""
    factories.party(name="Early")  # deposit 24 March 2011: in force 1 September 2011
    factories.party(name="Late", deposit=dt.date(2023, 2, 10))  # in force 1 August 2023
    factories.party(name="Leaver", withdrawal_notice_date=dt.date(2020, 1, 10))  # withdrawal effective 10 July 2020
    signatory = StateFactory(name_en="Signer")
    MissionFactory(state=signatory)
    ParticipationFactory(state=signatory, deposit_date=None, instrument="")
    outsider = StateFactory(name_en="Outsider")  # no participation at all
    MissionFactory(state=outsider)


@pytest.mark.parametrize(
    ("issue_date", "groups", "expected"),
    [
        (dt.date(2023, 3, 21), [PARTIES], ["Early"]),
        (dt.date(2023, 8, 1), [PARTIES], ["Early", "Late"]),
        (dt.date(2023, 3, 21), [NOT_PARTY], ["Late", "Leaver", "Outsider"]),
        (dt.date(2023, 3, 21), [SIGNATORIES], ["Signer"]),
        (dt.date(2020, 3, 1), [PARTIES], ["Early", "Leaver"]),  # withdrawal pending: still a party
        (dt.date(2020, 7, 10), [PARTIES], ["Early"]),
        (dt.date(2011, 8, 31), [PARTIES], []),
        (dt.date(2011, 8, 31), [NOT_PARTY], ["Early", "Leaver", "Outsider"]),  # deposited, not yet in force
        (dt.date(2011, 8, 31), [SIGNATORIES], ["Late", "Signer"]),
        (dt.date(2023, 3, 21), [PARTIES, SIGNATORIES, NOT_PARTY], ["Early", "Late", "Leaver", "Outsider", "Signer"]),
        (dt.date(2023, 3, 21), [AddresseeGroup.ALL_MISSIONS], ["Early", "Late", "Leaver", "Outsider", "Signer"]),
    ],
)
def test_groups_are_resolved_on_the_issue_date(registry, office, secretariat, issue_date, groups, expected, issue):
    note = factories.draft(office, secretariat, groups=groups)
    if not expected:
        with pytest.raises(services.CorrespondenceError, match="no addressees"):
            issue(note, secretariat, issue_date=issue_date, dispatch=False)
        return

    issue(note, secretariat, issue_date=issue_date, dispatch=False)

    assert copies_to(note) == expected


def test_a_state_in_two_groups_gets_one_copy(registry, office, secretariat, issue):
    note = factories.draft(office, secretariat, groups=[PARTIES, AddresseeGroup.ALL_MISSIONS, PARTIES])

    issue(note, secretariat)

    assert copies_to(note) == ["Early", "Late", "Leaver", "Outsider", "Signer"]
    assert len(mail.outbox) == 5
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        note.copies.values_list("emails", flat=True)
    )


def test_each_copy_goes_to_every_correspondence_address_of_the_mission(office, secretariat, issue):
    factories.party(name="Norway", emails="mission.nor@example.org\n  ambassador.nor@example.org  \n\n")

    note = issue(factories.draft(office, secretariat), secretariat)

    copy = note.copies.get()
    assert copy.email_list == ["mission.nor@example.org", "ambassador.nor@example.org"]
    assert copy.delivery == NoteCopy.Delivery.EMAIL
    (message,) = mail.outbox
    assert message.to == ["mission.nor@example.org", "ambassador.nor@example.org"]


@pytest.mark.parametrize(("office_city", "expected"), [("Geneva", "Geneva"), ("New York", "New York")])
def test_the_mission_in_the_office_city_is_chosen(secretariat, office_city, expected, issue):
    state, _ = factories.party(name="Twocity")
    MissionFactory(
        state=state,
        city="New York",
        name="Permanent Mission of Twocity to the UN in New York",
        emails="mission.ny@example.org",
    )
    MissionFactory(state=state, city="Vienna", name="Permanent Mission of Twocity in Vienna", emails="v@example.org")
    office = factories.OfficeFactory(city=office_city)

    note = issue(factories.draft(office, secretariat), secretariat, dispatch=False)

    copy = note.copies.get()
    assert copy.mission.city == expected
    assert copy.email_list == copy.mission.email_list


def test_a_state_without_an_address_is_delivered_by_hand(office, secretariat, issue):
    factories.party(name="Mailable")
    factories.party(name="Niue", emails="")  # a mission, but no e-mail
    nowhere = StateFactory(name_en="Nomission")  # no mission at all
    ParticipationFactory(state=nowhere)

    note = issue(factories.draft(office, secretariat), secretariat)

    copies = {copy.state.name_en: copy for copy in note.copies.all()}
    assert sorted(copies) == ["Mailable", "Niue", "Nomission"]
    for name in ("Niue", "Nomission"):
        assert (copies[name].delivery, copies[name].status, copies[name].emails) == ("by_hand", "by_hand", "")
        assert copies[name].pdf_sha256  # the paper copy is printed from the same PDF
    assert copies["Nomission"].addressee_name == "Permanent Mission of Nomission"
    assert (copies["Mailable"].delivery, copies["Mailable"].status) == ("email", "sent")
    assert len(mail.outbox) == 1


def test_an_individual_addressee_with_a_mission(office, secretariat, meeting, issue):
    _, mission = factories.party(name="Norway", emails="mission.nor@example.org\nambassador.nor@example.org")
    letter = factories.draft(office, secretariat, meeting=meeting, form="letter", groups=[])
    letter.signatories.create(name="H.E. Signer", title="Ambassador")
    person = IndividualAddressee.objects.create(
        note=letter,
        person_name="H.E. Mme Bente ANGELL-Hansen",
        person_title="Ambassador Permanent Representative",
        mission=mission,
    )

    issue(letter, secretariat)

    copy = letter.copies.get()
    assert copy.addressee_key == f"person:{person.pk}"
    assert copy.addressee_name == "H.E. Mme Bente ANGELL-Hansen"
    assert copy.addressee_title == f"Ambassador Permanent Representative\n{mission.name}"
    assert copy.salutation == "Excellency,"
    assert (copy.mission, copy.state) == (mission, mission.state)
    assert copy.status == NoteCopy.Status.SENT
    (message,) = mail.outbox
    assert message.to == ["mission.nor@example.org", "ambassador.nor@example.org"]
    assert "H.E. Mme Bente ANGELL-Hansen" in factories.pdf_text(copy.pdf.read())


def test_an_individual_e_mail_overrides_the_mission(office, secretariat, issue):
    _, mission = factories.party(name="Norway")
    note = factories.draft(office, secretariat, groups=[])
    IndividualAddressee.objects.create(note=note, person_name="H.E. Someone", mission=mission, email="p@example.org")

    issue(note, secretariat)

    assert mail.outbox[0].to == ["p@example.org"]
    # The opening names the person without an article.
    assert "presents its compliments to H.E. Someone and" in mail.outbox[0].body


def test_a_person_and_their_state_each_get_a_copy(office, secretariat, issue):
    _, mission = factories.party(name="Norway")
    note = factories.draft(office, secretariat, groups=[PARTIES])
    IndividualAddressee.objects.create(note=note, person_name="H.E. Someone", mission=mission)

    issue(note, secretariat)

    assert sorted(note.copies.values_list("addressee_name", flat=True)) == [
        "H.E. Someone",
        "Permanent Mission of Norway at Geneva",
    ]


@pytest.fixture
def icrc(db):
    organisation = OrganisationFactory(
        name="International Committee of the Red Cross", acronym="ICRC", kind="red_cross", email="icrc@example.org"
    )
    organisation.observer_by_right.add(ccm())
    return organisation


@pytest.mark.parametrize("form", ["note_verbale", "circular"])
def test_organisations_are_refused_in_a_note_verbale(office, secretariat, parties, icrc, form, issue):
    note = factories.draft(office, secretariat, form=form, groups=[PARTIES, AddresseeGroup.OBSERVER_ORGANISATIONS])

    with pytest.raises(services.CorrespondenceError) as error:
        issue(note, secretariat)

    assert "Organisations receive letters, not notes verbales (International Committee of the Red Cross)" in str(
        error.value
    )
    note.refresh_from_db()
    assert note.status == "draft" and not note.copies.exists()
    assert mail.outbox == []


def test_a_person_of_an_organisation_is_refused_in_a_note_verbale(office, secretariat, parties, icrc, issue):
    note = factories.draft(office, secretariat)
    IndividualAddressee.objects.create(note=note, person_name="Ms Delegate", organisation=icrc)

    with pytest.raises(services.CorrespondenceError, match="Organisations receive letters"):
        issue(note, secretariat)


def test_organisations_are_accepted_in_a_letter(office, secretariat, parties, icrc, issue):
    letter = factories.draft(
        office, secretariat, form="letter", groups=[PARTIES, AddresseeGroup.OBSERVER_ORGANISATIONS]
    )
    letter.signatories.create(name="H.E. Signer", title="Ambassador")

    issue(letter, secretariat)

    copy = letter.copies.get(organisation=icrc)
    assert (copy.addressee_name, copy.emails, copy.status) == (icrc.name, "icrc@example.org", "sent")
    assert letter.copies.count() == 4
    assert sorted(address for message in mail.outbox for address in message.to)[0] == "icrc@example.org"


def test_individual_states_are_reached_through_their_missions(office, secretariat, issue):
    """A reminder to one State: no group, just that State's mission, whatever its treaty status."""
    chosen, mission = factories.party(name="Chosenland")
    factories.party(name="Otherland")
    note = factories.draft(office, secretariat, groups=())
    note.addressee_states.set([chosen])
    issue(note, secretariat)
    copy = NoteCopy.objects.get(note=note)
    assert (copy.addressee_key, copy.state_id, copy.emails) == (f"state:{chosen.iso3}", chosen.pk, mission.emails)
    assert copy.status == NoteCopy.Status.SENT
    assert [m.to for m in mail.outbox] == [[mission.emails]]
