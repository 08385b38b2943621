"""The secretariat's dashboard (the admin index) runs as many queries with one upcoming meeting as with
1,000 meetings, each with delegations and deadlines in the next 30 days."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from common.roles import SECRETARIAT, roles_sync
from meetings.models import Meeting
from registration.models import Delegation
from tests.factories import UserFactory, ccm
from tests.querycount import assert_constant_queries, many_states

pytestmark = pytest.mark.django_db

MEETINGS = 1_000


def add_meetings(start: int, count: int, *, states, creator) -> None:
    """Meetings from a month on, two a day, each with a deadline in the next 30 days and two delegations."""
    today = timezone.localdate()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            treaty=ccm(),
            kind=Meeting.Kind.INTERSESSIONAL,
            title=f"Intersessional meeting {n}",
            slug=f"dashboard-{n}",
            start_date=today + dt.timedelta(days=31 + n // 2),
            end_date=today + dt.timedelta(days=32 + n // 2),
            registration_deadline=today + dt.timedelta(days=n % 30),
            city="Geneva",
            venue="Palais des Nations",
        )
        for n in range(start, start + count)
    )
    Delegation.objects.bulk_create(
        Delegation(meeting=meeting, state=state, status=status, created_by=creator)
        for meeting in meetings
        for state, status in zip(states, [Delegation.Status.APPROVED, Delegation.Status.SUBMITTED], strict=True)
    )


def test_dashboard_at_1000_meetings(client):
    roles_sync()
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    client.force_login(user)
    states = many_states(2)
    add_meetings(0, 1, states=states, creator=user)

    def panels(small, large):
        assert len(large.context["dashboard"].meetings) > len(small.context["dashboard"].meetings) == 1

    assert_constant_queries(
        lambda: client.get("/admin/"),
        grow=lambda: add_meetings(1, MEETINGS - 1, states=states, creator=user),
        check=panels,
    )
