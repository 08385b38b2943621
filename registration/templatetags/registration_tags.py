"""The way in to registration from the meeting pages, which (below registration in the layers) cannot
import it: the templates ask for it through these tags instead."""

from django import template
from django.utils import timezone

from registration import selectors

register = template.Library()


@register.inclusion_tag("registration/_meeting_panel.html", takes_context=True)
def registration_panel(context, meeting):
    request = context["request"]
    today = timezone.localdate()
    upcoming = meeting.end_date >= today and meeting.status != meeting.Status.CANCELLED
    registration = selectors.meeting_registration(user=request.user, meeting=meeting, today=today)
    return {
        "request": request,
        "user": request.user,
        "meeting": meeting,
        "upcoming": upcoming,
        "registered": any(party.delegation for party in registration.parties),
        "registration": registration,
    }


@register.filter
def registration_open(meeting) -> bool:
    """For the meeting list: no query, the meeting's own dates decide."""
    return selectors.registration_is_open(meeting, today=timezone.localdate())
