"""iCalendar (RFC 5545) feeds: one meeting, and all meetings with an optional treaty filter."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Meeting
from tests.factories import MeetingFactory, apmbc

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")


def feed(client, url, **params) -> tuple[Calendar, str]:
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content), response.content.decode()


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


@pytest.fixture
def msp11():
    return MeetingFactory(
        slug="ccm-11msp",
        title="Eleventh Meeting of States Parties",
        kind=Meeting.Kind.MSP,
        number=11,
        start_date=dt.date(2023, 9, 11),
        end_date=dt.date(2023, 9, 14),
        room="Room XIX",
        venue="Palais des Nations",
        city="Geneva",
    )


@pytest.fixture
def briefing():
    return MeetingFactory(
        slug="ccm-briefing",
        title="Briefing by the incoming Presidency",
        kind=Meeting.Kind.BRIEFING,
        start_date=dt.date(2010, 3, 17),
        end_date=dt.date(2010, 3, 17),
        start_time=dt.time(15, 0),
        room="CD Council Chamber",
    )


def test_meeting_feed_is_an_attachment_named_after_the_meeting(client, msp11):
    response = client.get(reverse("meetings:meeting_calendar", args=[msp11.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ccm-11msp.ics"'


def test_multi_day_meeting_is_an_all_day_event_with_exclusive_end(client, msp11):
    calendar, raw = feed(client, reverse("meetings:meeting_calendar", args=[msp11.slug]))

    (event,) = events(calendar)
    assert event.decoded("dtstart") == dt.date(2023, 9, 11)
    assert event.decoded("dtend") == dt.date(2023, 9, 15)
    assert "DTSTART;VALUE=DATE:20230911\r\n" in raw
    assert "DTEND;VALUE=DATE:20230915\r\n" in raw
    assert str(event["summary"]) == "11MSP – Eleventh Meeting of States Parties"
    assert str(event["location"]) == "Room XIX, Palais des Nations, Geneva"
    assert str(event["url"]) == "http://testserver/en/meetings/ccm-11msp/"
    assert str(event["uid"]) == f"meeting-{msp11.pk}@ccm-portal"
    assert str(event["description"]) == "Convention on Cluster Munitions – Meeting of States Parties"
    assert str(event["status"]) == "TENTATIVE"  # planned, not yet convened
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == "-//CCM Portal//Meetings//EN"


def test_one_day_meeting_with_a_start_time_is_timed_in_geneva(client, briefing):
    calendar, raw = feed(client, reverse("meetings:meeting_calendar", args=[briefing.slug]))

    (event,) = events(calendar)
    start = event.decoded("dtstart")
    assert start == dt.datetime(2010, 3, 17, 15, 0, tzinfo=ZURICH)
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert event["dtstart"].params["TZID"] == "Europe/Zurich"
    assert "DTSTART;TZID=Europe/Zurich:20100317T150000\r\n" in raw
    assert event.decoded("duration") == dt.timedelta(hours=3)
    assert "DTEND" not in event


def test_a_timed_event_comes_with_its_vtimezone(client, briefing):
    """RFC 5545 §3.2.19: each TZID used must have its VTIMEZONE in the same object."""
    calendar, _ = feed(client, reverse("meetings:meeting_calendar", args=[briefing.slug]))

    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]


def test_an_all_day_feed_needs_no_vtimezone(client, msp11):
    calendar, _ = feed(client, reverse("meetings:meeting_calendar", args=[msp11.slug]))

    assert calendar.walk("VTIMEZONE") == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Meeting.Status.PLANNED, "TENTATIVE"),
        (Meeting.Status.POSTPONED, "TENTATIVE"),
        (Meeting.Status.CONVENED, "CONFIRMED"),
        (Meeting.Status.HELD, "CONFIRMED"),
        (Meeting.Status.CANCELLED, "CANCELLED"),
    ],
)
def test_event_status_follows_the_meeting(client, status, expected):
    meeting = MeetingFactory(status=status)

    calendar, _ = feed(client, reverse("meetings:meeting_calendar", args=[meeting.slug]))

    assert [str(e["status"]) for e in events(calendar)] == [expected]


def test_feed_tells_subscribers_how_often_to_check_it(client, msp11):
    _, raw = feed(client, reverse("meetings:calendar"))

    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in raw
    assert "X-PUBLISHED-TTL:PT12H\r\n" in raw


def test_description_gives_the_registration_deadline(client):
    meeting = MeetingFactory(registration_deadline=dt.date(2030, 8, 20))

    calendar, _ = feed(client, reverse("meetings:meeting_calendar", args=[meeting.slug]))

    (event,) = events(calendar)
    assert str(event["description"]).endswith("\nRegistration deadline: 20 August 2030")


def test_cancelled_meeting_is_a_cancelled_event(client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)

    calendar, _ = feed(client, reverse("meetings:meeting_calendar", args=[meeting.slug]))

    assert [str(e["status"]) for e in events(calendar)] == ["CANCELLED"]


def test_meeting_feed_of_an_unknown_slug_is_404(client):
    assert client.get(reverse("meetings:meeting_calendar", args=["no-such-meeting"])).status_code == 404


def test_all_meetings_feed_has_one_event_per_meeting(client, msp11, briefing):
    committees = MeetingFactory(treaty=apmbc(), kind=Meeting.Kind.COMMITTEE, start_date=dt.date(2011, 6, 20))

    response = client.get(reverse("meetings:calendar"))
    calendar = Calendar.from_ical(response.content)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meetings.ics"'
    assert str(calendar["x-wr-calname"]) == "Treaty meetings"
    assert [str(e["uid"]) for e in events(calendar)] == [
        f"meeting-{briefing.pk}@ccm-portal",
        f"meeting-{committees.pk}@ccm-portal",
        f"meeting-{msp11.pk}@ccm-portal",
    ]


def test_all_meetings_feed_filters_by_treaty(client, msp11, briefing):
    committees = MeetingFactory(treaty=apmbc(), kind=Meeting.Kind.COMMITTEE)
    url = reverse("meetings:calendar")

    apmbc_feed, _ = feed(client, url, treaty="APMBC")
    ccm_feed, _ = feed(client, url, treaty="CCM")
    none_feed, _ = feed(client, url, treaty="XYZ")

    assert [str(e["uid"]) for e in events(apmbc_feed)] == [f"meeting-{committees.pk}@ccm-portal"]
    assert sorted(str(e["uid"]) for e in events(ccm_feed)) == sorted(
        [f"meeting-{msp11.pk}@ccm-portal", f"meeting-{briefing.pk}@ccm-portal"]
    )
    assert events(none_feed) == []


def test_all_meetings_feed_with_no_meetings_is_a_valid_empty_calendar(client):
    calendar, _ = feed(client, reverse("meetings:calendar"))

    assert events(calendar) == []
    assert str(calendar["version"]) == "2.0"
