import datetime as dt

from django.db.models import Prefetch, QuerySet

from .models import Document, Meeting, Officer


def meeting_list(*, today: dt.date, when: str = "upcoming", treaty: str = "", kind: str = "") -> QuerySet[Meeting]:
    """Public meeting list. Upcoming soonest first; past most recent first. Constant query count."""
    meetings = Meeting.objects.select_related("treaty", "host_state").prefetch_related(
        Prefetch(
            "officers",
            queryset=Officer.objects.filter(role__in=Officer.PRESIDING_ROLES, until__isnull=True).select_related(
                "state"
            ),
            to_attr="presiding_officers",
        )
    )
    if treaty:
        meetings = meetings.filter(treaty__code=treaty)
    if kind:
        meetings = meetings.filter(kind=kind)
    if when == "past":
        return meetings.filter(end_date__lt=today).order_by("-start_date", "-start_time")
    return meetings.filter(end_date__gte=today).order_by("start_date", "start_time")


def meeting_detail(*, slug: str) -> Meeting:
    return (
        Meeting.objects.select_related("treaty", "host_state", "country", "preparatory_for")
        .prefetch_related(
            "supporting_organisations",
            "links",
            "preparatory_meetings",
            Prefetch("officers", queryset=Officer.objects.select_related("state", "organisation")),
            Prefetch("documents", queryset=Document.objects.order_by("symbol", "language")),
        )
        .get(slug=slug)
    )


def presidency_history(meeting: Meeting) -> list[Officer]:
    """Presidents and Presidents-designate, oldest first, from prefetched officers."""
    presiding = [o for o in meeting.officers.all() if o.role in Officer.PRESIDING_ROLES]
    return sorted(presiding, key=lambda o: (o.since or dt.date.min, o.pk))
