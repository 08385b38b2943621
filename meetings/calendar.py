"""iCalendar (RFC 5545) feeds of meetings."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from .models import Meeting

PRODID = "-//CCM Portal//Meetings//EN"


def _event(meeting: Meeting, *, base_url: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@ccm-portal")
    event.add("dtstamp", stamp)
    event.add("summary", str(meeting))
    if meeting.start_time:
        start = dt.datetime.combine(meeting.start_date, meeting.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE))
        event.add("dtstart", start)
        event.add("duration", dt.timedelta(hours=3))
    else:
        event.add("dtstart", meeting.start_date)
        event.add("dtend", meeting.end_date + dt.timedelta(days=1))  # DTEND of an all-day event is exclusive
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", base_url + meeting.get_absolute_url())
    event.add("description", f"{meeting.treaty.short_name} – {meeting.get_kind_display()}")
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def meetings_calendar(meetings: Iterable[Meeting], *, base_url: str, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC)
    for meeting in meetings:
        calendar.add_component(_event(meeting, base_url=base_url, stamp=stamp))
    calendar.add_missing_timezones()  # RFC 5545: every TZID used needs its VTIMEZONE
    return calendar.to_ical()
