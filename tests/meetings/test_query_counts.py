"""The meeting pages run as many queries with one meeting (officer, document) as with many, for a visitor
and for a signed-in focal point (whose pages may offer registration)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Officer
from registration.models import FocalPoint
from tests.factories import (
    DocumentFactory,
    MeetingFactory,
    OfficerFactory,
    OrganisationFactory,
    StateFactory,
    UserFactory,
    apmbc,
    ccm,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture(params=["visitor", "focal point"])
def browser(request, client):
    """The client of an anonymous visitor, or of a signed-in focal point of a State."""
    if request.param == "focal point":
        user = UserFactory()
        FocalPoint.objects.create(user=user, state=StateFactory(), approved_at=timezone.now())
        client.force_login(user)
    return client


def meetings(count: int, *, start: int, host, president, past: bool = False) -> None:
    """Numbered meetings, open for registration (or past), each with a current President."""
    for n in range(start, start + count):
        first = days(-30 - n) if past else days(20 + n)
        meeting = MeetingFactory(
            kind=Meeting.Kind.MSP,
            number=200 + n,
            treaty=apmbc() if n % 2 else ccm(),
            start_date=first,
            end_date=first + dt.timedelta(days=3),
            registration_opens=None if past else days(-5),
            registration_deadline=None if past else first - dt.timedelta(days=1),
            host_state=host,
        )
        OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT, state=president)


@pytest.mark.parametrize("query", ["", "?when=past", "?treaty=CCM&kind=msp"])
def test_meeting_list(browser, query):
    host, president = StateFactory(), StateFactory()
    meetings(1, start=0, host=host, president=president)
    meetings(1, start=500, host=host, president=president, past=True)

    def grow():
        meetings(49, start=1, host=host, president=president)
        meetings(49, start=501, host=host, president=president, past=True)

    assert_constant_queries(lambda: browser.get(reverse("meetings:list") + query), grow=grow)


def test_calendar_feed(browser):
    host, president = StateFactory(), StateFactory()
    meetings(1, start=0, host=host, president=president)
    assert_constant_queries(
        lambda: browser.get(reverse("meetings:calendar")),
        grow=lambda: meetings(49, start=1, host=host, president=president),
    )


def test_meeting_detail(browser):
    meeting = MeetingFactory(
        kind=Meeting.Kind.MSP,
        number=40,
        host_state=StateFactory(),
        country=StateFactory(),
        registration_opens=days(-5),
        start_date=days(30),
        end_date=days(33),
    )
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT, state=StateFactory())

    def parts(n: int) -> None:
        OfficerFactory(meeting=meeting, role=Officer.Role.VICE_PRESIDENT, organisation=OrganisationFactory())
        DocumentFactory(meeting=meeting, symbol=f"APMBC/MSP/2040/{n}", file=ContentFile(b"%PDF-", name="x.pdf"))
        meeting.supporting_organisations.add(OrganisationFactory())
        MeetingFactory(preparatory_for=meeting, start_date=days(n), end_date=days(n))

    parts(0)
    assert_constant_queries(
        lambda: browser.get(meeting.get_absolute_url()), grow=lambda: [parts(n) for n in range(1, 20)]
    )
