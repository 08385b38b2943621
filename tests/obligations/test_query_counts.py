"""The cost shares page runs as many queries for one participating State as for a full meeting, on screen
and as files."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from common.roles import SECRETARIAT, roles_sync
from obligations.models import AssessmentRate
from registration.models import Delegation
from tests.factories import MeetingFactory, UserFactory
from tests.obligations.factories import MeetingCostFactory
from tests.querycount import assert_constant_queries, many_states

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client):
    roles_sync()
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    client.force_login(user)
    return client, user


def participating_states(meeting, count: int, *, creator) -> None:
    states = many_states(count)
    AssessmentRate.objects.bulk_create(
        AssessmentRate(state=s, first_year=2025, last_year=2027, rate="0.011", source="un") for s in states
    )
    Delegation.objects.bulk_create(
        Delegation(meeting=meeting, state=s, status=Delegation.Status.APPROVED, created_by=creator) for s in states
    )


@pytest.mark.parametrize("query", ["", "?format=xlsx", "?format=csv"])
def test_cost_shares_page(secretariat_client, query):
    client, user = secretariat_client
    meeting = MeetingFactory(start_date=dt.date(2025, 9, 15), end_date=dt.date(2025, 9, 18))
    MeetingCostFactory(meeting=meeting, total="250000.00")
    participating_states(meeting, 1, creator=user)
    url = reverse("obligations:cost_shares", args=[meeting.slug]) + query

    def more_rows(small, large):
        assert len(large.content) > len(small.content)

    assert_constant_queries(
        lambda: client.get(url), grow=lambda: participating_states(meeting, 120, creator=user), check=more_rows
    )
