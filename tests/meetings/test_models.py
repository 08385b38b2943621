"""Meeting, Officer and Document rules: checked by full_clean and enforced again by the database."""

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from meetings.models import Document, Meeting, Officer
from tests.factories import DocumentFactory, MeetingFactory, OfficerFactory, StateFactory, apmbc, ccm

pytestmark = pytest.mark.django_db


def clean_errors(instance) -> dict[str, list[str]]:
    """The message_dict of full_clean, or {} when the instance is valid."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def save_violates(instance, constraint: str) -> None:
    """Saving without clean is refused by the database, naming the constraint (SQLite names a unique one by its
    columns only)."""
    with pytest.raises(IntegrityError, match=f"{constraint}|UNIQUE constraint failed"), transaction.atomic():
        instance.save()


# Dates


def test_end_date_before_start_date_is_an_error_on_end_date():
    meeting = MeetingFactory.build(start_date=dt.date(2030, 9, 10), end_date=dt.date(2030, 9, 9))

    assert clean_errors(meeting) == {"end_date": ["The meeting cannot end before it starts."]}


def test_end_date_before_start_date_is_refused_by_the_database():
    meeting = MeetingFactory.build(start_date=dt.date(2030, 9, 10), end_date=dt.date(2030, 9, 9))

    save_violates(meeting, "meeting_end_not_before_start")
    assert Meeting.objects.count() == 0


def test_one_day_meeting_ending_on_its_start_date_is_valid():
    meeting = MeetingFactory.build(
        start_date=dt.date(2010, 3, 17), end_date=dt.date(2010, 3, 17), start_time=dt.time(15, 0)
    )

    assert clean_errors(meeting) == {}
    meeting.save()
    assert meeting.is_one_day is True


def test_start_time_on_a_multi_day_meeting_is_an_error_on_start_time():
    meeting = MeetingFactory.build(
        start_date=dt.date(2030, 9, 10), end_date=dt.date(2030, 9, 11), start_time=dt.time(10, 0)
    )

    assert clean_errors(meeting) == {"start_time": ["A start time is only for a one-day meeting."]}


def test_start_time_on_a_multi_day_meeting_is_refused_by_the_database():
    meeting = MeetingFactory.build(
        start_date=dt.date(2030, 9, 10), end_date=dt.date(2030, 9, 11), start_time=dt.time(10, 0)
    )

    save_violates(meeting, "meeting_start_time_only_one_day")


# Registration deadlines


def test_deadline_after_the_opening_day_without_reason_is_an_error_on_the_reason():
    meeting = MeetingFactory.build(start_date=dt.date(2030, 9, 10), registration_deadline=dt.date(2030, 9, 11))

    assert clean_errors(meeting) == {
        "registration_deadline_reason": ["The deadline falls after the opening day; say why registration stays open."]
    }


def test_deadline_after_the_opening_day_with_a_blank_reason_is_an_error():
    meeting = MeetingFactory.build(
        start_date=dt.date(2030, 9, 10),
        registration_deadline=dt.date(2030, 9, 11),
        registration_deadline_reason="   ",
    )

    assert list(clean_errors(meeting)) == ["registration_deadline_reason"]


def test_deadline_after_the_opening_day_without_reason_is_refused_by_the_database():
    meeting = MeetingFactory.build(start_date=dt.date(2030, 9, 10), registration_deadline=dt.date(2030, 9, 11))

    save_violates(meeting, "meeting_late_deadline_needs_reason")


def test_deadline_after_the_opening_day_with_a_reason_is_allowed():
    meeting = MeetingFactory.build(
        start_date=dt.date(2030, 9, 10),
        registration_deadline=dt.date(2030, 9, 12),
        registration_deadline_reason="Late registration on site for the high-level segment",
    )

    assert clean_errors(meeting) == {}
    meeting.save()
    assert Meeting.objects.get().registration_deadline == dt.date(2030, 9, 12)


def test_deadline_on_the_opening_day_needs_no_reason():
    meeting = MeetingFactory.build(start_date=dt.date(2030, 9, 10), registration_deadline=dt.date(2030, 9, 10))

    assert clean_errors(meeting) == {}
    meeting.save()


def test_deadline_before_registration_opens_is_an_error_on_the_deadline():
    meeting = MeetingFactory.build(
        start_date=dt.date(2030, 9, 10),
        registration_opens=dt.date(2030, 8, 1),
        registration_deadline=dt.date(2030, 7, 31),
    )

    assert clean_errors(meeting) == {"registration_deadline": ["Registration cannot close before it opens."]}


def test_deadline_before_registration_opens_is_refused_by_the_database():
    meeting = MeetingFactory.build(
        start_date=dt.date(2030, 9, 10),
        registration_opens=dt.date(2030, 8, 1),
        registration_deadline=dt.date(2030, 7, 31),
    )

    save_violates(meeting, "meeting_registration_closes_after_opening")


def test_registration_may_open_and_close_on_the_same_day():
    meeting = MeetingFactory.build(
        start_date=dt.date(2030, 9, 10),
        registration_opens=dt.date(2030, 8, 1),
        registration_deadline=dt.date(2030, 8, 1),
    )

    assert clean_errors(meeting) == {}
    meeting.save()


# Numbering


def test_same_number_twice_in_a_treaty_and_kind_is_an_error_on_number():
    MeetingFactory(kind=Meeting.Kind.MSP, number=11)
    clash = MeetingFactory.build(kind=Meeting.Kind.MSP, number=11)

    errors = clean_errors(clash)

    assert list(errors) == ["number"]
    assert errors["number"] == ["The 11MSP of the Convention on Cluster Munitions already exists."]


def test_same_number_twice_in_a_treaty_and_kind_is_refused_by_the_database():
    MeetingFactory(kind=Meeting.Kind.MSP, number=11)
    clash = MeetingFactory.build(kind=Meeting.Kind.MSP, number=11)

    save_violates(clash, "meeting_number_unique_per_treaty_kind")
    assert Meeting.objects.filter(number=11).count() == 1


def test_a_meeting_keeps_its_own_number_when_saved_again():
    meeting = MeetingFactory(kind=Meeting.Kind.MSP, number=11)
    meeting.title = "Eleventh Meeting of States Parties"

    assert clean_errors(meeting) == {}


def test_same_number_in_another_treaty_is_allowed():
    MeetingFactory(kind=Meeting.Kind.MSP, number=1, treaty=ccm())
    other = MeetingFactory.build(kind=Meeting.Kind.MSP, number=1, treaty=apmbc())

    assert clean_errors(other) == {}
    other.save()
    assert Meeting.objects.filter(number=1, kind=Meeting.Kind.MSP).count() == 2


def test_same_number_in_another_kind_is_allowed():
    MeetingFactory(kind=Meeting.Kind.MSP, number=2)
    other = MeetingFactory.build(kind=Meeting.Kind.REVIEW_CONFERENCE, number=2)

    assert clean_errors(other) == {}
    other.save()
    assert Meeting.objects.filter(number=2).count() == 2


def test_unnumbered_meetings_never_clash():
    MeetingFactory(kind=Meeting.Kind.MSP, number=None)
    MeetingFactory(kind=Meeting.Kind.MSP, number=None)
    third = MeetingFactory.build(kind=Meeting.Kind.MSP, number=None)

    assert clean_errors(third) == {}
    third.save()
    assert Meeting.objects.filter(kind=Meeting.Kind.MSP, number__isnull=True).count() == 3


def test_a_number_on_a_kind_that_is_not_numbered_is_an_error_on_number():
    meeting = MeetingFactory.build(kind=Meeting.Kind.INTERSESSIONAL, number=3)

    assert clean_errors(meeting) == {"number": ["An intersessional meeting is not numbered."]}


# short_code and labels


@pytest.mark.parametrize(
    ("kind", "number", "code"),
    [
        (Meeting.Kind.MSP, 11, "11MSP"),
        (Meeting.Kind.MSP, 1, "1MSP"),
        (Meeting.Kind.REVIEW_CONFERENCE, 2, "2RC"),
        (Meeting.Kind.SPECIAL, 1, "1SM"),
        (Meeting.Kind.MSP, None, ""),
        (Meeting.Kind.INTERSESSIONAL, None, ""),
        (Meeting.Kind.BRIEFING, None, ""),
    ],
)
def test_short_code(kind, number, code):
    assert MeetingFactory.build(kind=kind, number=number).short_code == code


def test_str_prefixes_the_short_code_when_there_is_one():
    numbered = MeetingFactory.build(kind=Meeting.Kind.MSP, number=11, title="Eleventh Meeting")
    unnumbered = MeetingFactory.build(kind=Meeting.Kind.INTERSESSIONAL, title="Intersessional Meeting")

    assert str(numbered) == "11MSP – Eleventh Meeting"
    assert str(unnumbered) == "Intersessional Meeting"


def test_location_joins_room_venue_and_city():
    meeting = MeetingFactory.build(room="Room XIX", venue="Palais des Nations", city="Geneva")
    no_room = MeetingFactory.build(room="", venue="", city="Vientiane")

    assert meeting.location == "Room XIX, Palais des Nations, Geneva"
    assert no_room.location == "Vientiane"


# Officers: the presidency history


def test_second_current_president_is_an_error_on_role():
    meeting = MeetingFactory()
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT)
    second = OfficerFactory.build(meeting=meeting, role=Officer.Role.PRESIDENT, state=StateFactory())

    errors = clean_errors(second)

    assert list(errors) == ["role"]
    assert errors["role"] == ["This meeting already has a current President; give that one an end date (until) first."]


def test_second_current_president_is_refused_by_the_database():
    meeting = MeetingFactory()
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT)
    second = OfficerFactory.build(meeting=meeting, role=Officer.Role.PRESIDENT, state=StateFactory())

    save_violates(second, "officer_one_current_presiding")
    assert meeting.officers.count() == 1


def test_an_ended_president_and_a_new_one_make_the_presidency_history():
    meeting = MeetingFactory()
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT, since=dt.date(2022, 8, 30), until=dt.date(2023, 1, 15))
    successor = OfficerFactory.build(
        meeting=meeting, role=Officer.Role.PRESIDENT, state=StateFactory(), since=dt.date(2023, 1, 15)
    )

    assert clean_errors(successor) == {}
    successor.save()
    assert [o.is_current for o in meeting.officers.order_by("since")] == [False, True]


def test_a_current_president_may_be_edited_and_saved_again():
    president = OfficerFactory(role=Officer.Role.PRESIDENT)
    president.person_title = "Ambassador"

    assert clean_errors(president) == {}


def test_current_presidents_of_different_meetings_do_not_clash():
    OfficerFactory(role=Officer.Role.PRESIDENT)
    other = OfficerFactory.build(role=Officer.Role.PRESIDENT, meeting=MeetingFactory(), state=StateFactory())

    assert clean_errors(other) == {}
    other.save()
    assert Officer.objects.filter(role=Officer.Role.PRESIDENT, until__isnull=True).count() == 2


def test_a_current_president_and_a_current_president_designate_may_coexist():
    meeting = MeetingFactory()
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT_DESIGNATE)
    president = OfficerFactory.build(meeting=meeting, role=Officer.Role.PRESIDENT, state=StateFactory())

    assert clean_errors(president) == {}
    president.save()


def test_several_current_vice_presidents_are_allowed():
    meeting = MeetingFactory()
    OfficerFactory(meeting=meeting, role=Officer.Role.VICE_PRESIDENT)
    another = OfficerFactory.build(meeting=meeting, role=Officer.Role.VICE_PRESIDENT, state=StateFactory())

    assert clean_errors(another) == {}
    another.save()
    assert meeting.officers.count() == 2


def test_officer_naming_nobody_is_refused_by_the_database():
    officer = OfficerFactory.build(meeting=MeetingFactory(), state=None, organisation=None, person_name="")

    save_violates(officer, "officer_names_someone")


def test_officer_ending_before_starting_is_refused_by_the_database():
    officer = OfficerFactory.build(
        meeting=MeetingFactory(), state=StateFactory(), since=dt.date(2023, 1, 2), until=dt.date(2023, 1, 1)
    )

    save_violates(officer, "officer_until_after_since")


# Documents


def test_same_symbol_and_language_twice_is_an_error():
    DocumentFactory(symbol="CCM/MSP/2023/1", language=Document.Language.ENGLISH)
    clash = DocumentFactory.build(meeting=MeetingFactory(), symbol="CCM/MSP/2023/1", language=Document.Language.ENGLISH)

    assert clean_errors(clash) == {NON_FIELD_ERRORS: ["Document with this Symbol and Language already exists."]}


def test_same_symbol_and_language_twice_is_refused_by_the_database():
    DocumentFactory(symbol="CCM/MSP/2023/1", language=Document.Language.ENGLISH)
    clash = DocumentFactory.build(meeting=MeetingFactory(), symbol="CCM/MSP/2023/1", language=Document.Language.ENGLISH)

    save_violates(clash, "document_symbol_language_unique")
    assert Document.objects.count() == 1


def test_same_symbol_in_another_language_is_allowed():
    english = DocumentFactory(symbol="CCM/MSP/2023/1", language=Document.Language.ENGLISH)
    french = DocumentFactory.build(meeting=english.meeting, symbol="CCM/MSP/2023/1", language=Document.Language.FRENCH)

    assert clean_errors(french) == {}
    french.save()
    assert Document.objects.filter(symbol="CCM/MSP/2023/1").count() == 2
