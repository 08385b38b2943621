"""iCalendar (RFC 5545) feeds of meetings."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext
from icalendar import Calendar, Event, vDuration

from .models import Meeting

PRODID = "-//CCM Portal//Meetings//EN"
# RFC 5545 STATUS of a VEVENT: a planned (or postponed) meeting is not yet confirmed by its convening.
EVENT_STATUS = {
    Meeting.Status.PLANNED: "TENTATIVE",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CONVENED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}
# A one-day meeting announces its start time, not its end: it is shown as one UN session of three hours
# (10:00-13:00 or 15:00-18:00). Multi-day meetings have no daily hours in the model, so they stay all-day.
SESSION = dt.timedelta(hours=3)
# Calendar programs that subscribe to the feed check it again after this long.
REFRESH = dt.timedelta(hours=12)


def _event(meeting: Meeting, *, base_url: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@ccm-portal")
    event.add("dtstamp", stamp)
    event.add("summary", str(meeting))
    if meeting.start_time:
        start = dt.datetime.combine(meeting.start_date, meeting.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE))
        event.add("dtstart", start)
        event.add("duration", SESSION)
    else:
        event.add("dtstart", meeting.start_date)
        event.add("dtend", meeting.end_date + dt.timedelta(days=1))  # DTEND of an all-day event is exclusive
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", base_url + meeting.get_absolute_url())
    lines = [f"{meeting.treaty.short_name} – {meeting.get_kind_display()}"]
    if meeting.registration_deadline:
        lines.append(
            gettext("Registration deadline: %(date)s")
            % {"date": formats.date_format(meeting.registration_deadline, "DATE_FORMAT")}
        )
    event.add("description", "\n".join(lines))
    event.add("status", EVENT_STATUS.get(meeting.status, "TENTATIVE"))
    return event


def meetings_calendar(meetings: Iterable[Meeting], *, base_url: str, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    stamp = dt.datetime.now(dt.UTC)
    for meeting in meetings:
        calendar.add_component(_event(meeting, base_url=base_url, stamp=stamp))
    calendar.add_missing_timezones()  # RFC 5545: every TZID used needs its VTIMEZONE
    return calendar.to_ical()
