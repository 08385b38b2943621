"""The registration pages run as many queries for one delegation as for a meeting's worth of them:
the list of participants at 600 members, the credentials report, a focal point's registrations and
the secretariat's delegations list in the admin."""

import datetime as dt
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registration.models import Credentials, Delegation, FocalPoint, Member
from tests.factories import MeetingFactory, OrganisationFactory, UserFactory, ccm
from tests.querycount import assert_constant_queries, many_states
from tests.registration.conftest import START, TODAY
from tests.treaties.factories import read_csv, read_xlsx
from treaties.models import Participation

pytestmark = pytest.mark.django_db

PARTICIPANTS = 600
DELEGATIONS = 150
ROLES = [Member.Role.HEAD, Member.Role.ALTERNATE, Member.Role.ADVISER, Member.Role.EXPERT]
CREDENTIALS = [Credentials.Status.IN_ORDER, Credentials.Status.COPY_ONLY, Credentials.Status.RECEIVED, None]


def delegations(meeting, count: int, *, creator, members_each: int = 4, credentials: bool = True) -> list[Delegation]:
    """``count`` approved delegations of new States in every category (party, signatory, observer) and
    of organisations, with members, and credentials in every state; a handful of statements in all."""
    states = many_states(count - count // 5)
    treaty = ccm()
    Participation.objects.bulk_create(
        Participation(
            treaty=treaty,
            state=state,
            signature_date=dt.date(2008, 12, 3),
            deposit_date=dt.date(2011, 3, 24) if i % 3 else None,  # every third a signatory only
            instrument=Participation.Instrument.RATIFICATION if i % 3 else "",
        )
        for i, state in enumerate(states)
        if i % 4  # every fourth an observer State
    )
    organisations = [OrganisationFactory() for _ in range(count // 5)]
    parties = [{"state": s} for s in states] + [{"organisation": o, "admission": "by_right"} for o in organisations]
    created = Delegation.objects.bulk_create(
        Delegation(meeting=meeting, status=Delegation.Status.APPROVED, created_by=creator, **party) for party in parties
    )
    Member.objects.bulk_create(
        Member(
            delegation=delegation,
            title="Ms.",
            family_name=f"Member{delegation.pk:04d}{i}",
            given_name="Alex",
            role=ROLES[i % len(ROLES)],
            position="Counsellor",
            gender="f" if i % 2 else "m",
            position_in_list=i,
        )
        for delegation in created
        for i in range(members_each)
    )
    if credentials:
        Credentials.objects.bulk_create(
            Credentials(delegation=delegation, file="credentials/x.pdf", sha256="0" * 64, uploaded_by=creator, status=s)
            for delegation, s in zip(created, itertools.cycle(CREDENTIALS), strict=False)
            if s is not None and delegation.state_id
        )
    return created


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


def _one_then_a_meeting_full(meeting, secretariat):
    """One delegation of one member; then 149 more and 3 more members: 150 delegations, 600 members."""
    first = delegations(meeting, 1, creator=secretariat, members_each=1)[0]

    def grow():
        delegations(meeting, DELEGATIONS - 1, creator=secretariat)
        Member.objects.bulk_create(
            Member(delegation=first, title="Mr.", family_name=f"Extra{i}", role=Member.Role.ADVISER, position_in_list=i)
            for i in range(1, 4)
        )
        assert Member.objects.filter(delegation__meeting=meeting).count() == PARTICIPANTS

    return grow


@pytest.mark.parametrize("fmt", ["html", "xlsx", "csv"])
def test_participants_list_at_600_members(secretariat_client, secretariat, meeting, fmt):
    grow = _one_then_a_meeting_full(meeting, secretariat)
    if fmt == "html":
        url = reverse("registration:participants", args=[meeting.slug])
    else:
        url = reverse("registration:participants_file", args=[meeting.slug, fmt])

    def shows_them_all(small, large):
        if fmt == "html":
            assert large.content.count(b"Alex") >= PARTICIPANTS - 3 > small.content.count(b"Alex")
        else:
            read = read_xlsx if fmt == "xlsx" else read_csv
            assert (len(read(small.content)), len(read(large.content))) == (1, PARTICIPANTS)

    # The list is cached: empty the cache so each request builds it (served from the cache, it runs fewer).
    assert_constant_queries(lambda: _uncached(secretariat_client, url), grow=grow, check=shows_them_all)


def test_participants_list_for_the_presidency_at_600_members(login, presidency, secretariat, meeting):
    client = login(presidency)
    url = reverse("registration:participants", args=[meeting.slug])
    assert_constant_queries(lambda: _uncached(client, url), grow=_one_then_a_meeting_full(meeting, secretariat))


def _uncached(client, url):
    cache.clear()
    return client.get(url)


def test_credentials_report(secretariat_client, secretariat, meeting):
    delegations(meeting, 1, creator=secretariat)
    url = reverse("registration:credentials_report", args=[meeting.slug])
    assert_constant_queries(
        lambda: secretariat_client.get(url), grow=lambda: delegations(meeting, DELEGATIONS - 1, creator=secretariat)
    )


def test_admin_delegations_list(secretariat_client, secretariat, meeting):
    delegations(meeting, 1, creator=secretariat)
    url = reverse("admin:registration_delegation_changelist")

    def rows(small, large):
        assert large.context["cl"].result_count == DELEGATIONS > small.context["cl"].result_count

    assert_constant_queries(
        lambda: secretariat_client.get(url),
        grow=lambda: delegations(meeting, DELEGATIONS - 1, creator=secretariat),
        check=rows,
    )


def test_admin_delegations_list_filtered_and_searched(secretariat_client, secretariat, meeting):
    delegations(meeting, 1, creator=secretariat)
    url = reverse("admin:registration_delegation_changelist") + f"?status=approved&meeting__id__exact={meeting.pk}&q=Q"
    assert_constant_queries(
        lambda: secretariat_client.get(url), grow=lambda: delegations(meeting, DELEGATIONS - 1, creator=secretariat)
    )


def test_my_registrations(login, secretariat):
    """A focal point acting for several parties, with many meetings open and delegations past and present."""
    user = UserFactory()
    client = login(user)

    def meetings_with_delegations(count: int, *, start: int):
        meetings = [
            MeetingFactory(
                slug=f"open-{n}",
                start_date=START + dt.timedelta(days=n),
                end_date=START + dt.timedelta(days=n + 1),
                registration_opens=TODAY - dt.timedelta(days=1),
            )
            for n in range(start, start + count)
        ]
        for meeting in meetings:
            created = delegations(meeting, 2, creator=secretariat, members_each=1)
            for delegation in created:
                FocalPoint.objects.get_or_create(
                    user=user,
                    state=delegation.state,
                    organisation=delegation.organisation,
                    defaults={"approved_at": timezone.now()},
                )

    meetings_with_delegations(1, start=0)
    assert_constant_queries(
        lambda: client.get(reverse("registration:mine")), grow=lambda: meetings_with_delegations(15, start=1)
    )


def test_the_delegation_form_asks_for_the_secretariat_role_once(login, focal_a, meeting, state_a):
    """Its rules (view, edit, credentials) each ask is_secretariat; the answer is kept for the request."""
    client = login(focal_a)
    url = reverse("registration:delegation", args=[meeting.slug, f"state-{state_a.iso3}"])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    role_checks = [q["sql"] for q in queries.captured_queries if '"auth_user_groups"' in q["sql"]]
    assert len(role_checks) == 1, role_checks
