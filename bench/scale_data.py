"""Ten times the demo's data, in a few seconds, for the page benchmark (`make bench-pages`).

On top of ``manage.py load_demo``: meetings up to 1,000 in all, spread from 25 years ago to 2 years
ahead (the registration of future ones open from 60 to 14 days before, so a few are open at any
time, as in a real calendar); and the open demo meeting (``ccm-intersessional-demo``) filled to
150 delegations and 600 participants in every category, with credentials in every state, and
UN rates for every State so its cost shares compute. Rows are written with bulk_create: this is
benchmark data, not a user's action, so the services' checks and logs are not wanted here.

Run it inside a configured Django (the benchmark does): ``scale_up()``.
"""

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from meetings.models import Meeting, Officer
from obligations.models import AssessmentRate
from registration.models import Credentials, Delegation, Member
from treaties.models import Organisation, State, Treaty

MEETINGS = 1_000
DELEGATIONS = 150
PARTICIPANTS = 600
OPEN_MEETING = "ccm-intersessional-demo"

KINDS = [
    Meeting.Kind.INTERSESSIONAL,
    Meeting.Kind.COMMITTEE,
    Meeting.Kind.COORDINATION,
    Meeting.Kind.BRIEFING,
    Meeting.Kind.WORKSHOP,
    Meeting.Kind.PREPARATORY,
]
ROLES = [Member.Role.HEAD, Member.Role.ALTERNATE, Member.Role.ADVISER, Member.Role.EXPERT]
TITLES = [Member.Title.HE, Member.Title.MS, Member.Title.MR, Member.Title.DR]
CREDENTIALS = [
    Credentials.Status.IN_ORDER,
    Credentials.Status.IN_ORDER,
    Credentials.Status.COPY_ONLY,
    Credentials.Status.RECEIVED,
    None,
]


@dataclass
class Scaled:
    meetings: int
    delegations: int
    participants: int


def _meetings(today: dt.date) -> None:
    missing = MEETINGS - Meeting.objects.count()
    if missing <= 0:
        return
    treaties = list(Treaty.objects.order_by("code"))
    hosts = list(State.objects.filter(iso3__in=["CHE", "AUT", "NOR", "LAO", "IRQ", "MEX", "LBN", "THA"]))
    first = today - dt.timedelta(days=25 * 365)
    span = (today + dt.timedelta(days=2 * 365) - first).days
    meetings = []
    for n in range(missing):
        start = first + dt.timedelta(days=span * n // missing)
        future = start > today
        meetings.append(
            Meeting(
                treaty=treaties[n % len(treaties)],
                kind=KINDS[n % len(KINDS)],
                title=f"{KINDS[n % len(KINDS)].label} {start:%B %Y} ({n})",
                slug=f"scaled-{n:04d}",
                status=Meeting.Status.PLANNED if future else Meeting.Status.HELD,
                start_date=start,
                end_date=start + dt.timedelta(days=n % 4),
                city="Geneva",
                venue="Palais des Nations",
                host_state=hosts[n % len(hosts)],
                registration_opens=start - dt.timedelta(days=60) if future else None,
                registration_deadline=start - dt.timedelta(days=14) if future else None,
            )
        )
    created = Meeting.objects.bulk_create(meetings)
    Officer.objects.bulk_create(
        Officer(meeting=m, role=Officer.Role.PRESIDENT, state=hosts[i % len(hosts)], person_name="H.E. Scaled")
        for i, m in enumerate(created)
        if i % 3 == 0
    )


def _delegations(meeting: Meeting, creator) -> None:
    missing = DELEGATIONS - meeting.delegations.count()
    if missing <= 0:
        return
    taken_states = set(meeting.delegations.values_list("state", flat=True))
    taken_orgs = set(meeting.delegations.values_list("organisation", flat=True))
    organisations = [o for o in Organisation.objects.order_by("name") if o.pk not in taken_orgs][: missing // 10]
    states = [s for s in State.objects.order_by("name_en") if s.pk not in taken_states][: missing - len(organisations)]
    parties = [{"state": s} for s in states] + [{"organisation": o, "admission": "by_right"} for o in organisations]
    now = timezone.now()
    created = Delegation.objects.bulk_create(
        Delegation(
            meeting=meeting,
            # Mostly approved (the list of participants); every tenth waits for review.
            status=Delegation.Status.SUBMITTED if i % 10 == 9 else Delegation.Status.APPROVED,
            submitted_at=now,
            decided_at=None if i % 10 == 9 else now,
            decided_by=None if i % 10 == 9 else creator,
            created_by=creator,
            **party,
        )
        for i, party in enumerate(parties)
    )
    # The participants still missing, spread evenly: four or five a delegation, head first.
    wanted = PARTICIPANTS - Member.objects.filter(delegation__meeting=meeting).count()
    members = [
        Member(
            delegation=delegation,
            title=TITLES[i % len(TITLES)],
            family_name=f"Participant{n:03d}{i}",
            given_name=["Amina", "Lars", "Lucia", "Khamphone", "Siobhan"][(n + i) % 5],
            role=ROLES[min(i, len(ROLES) - 1)],
            position="Ministry of Foreign Affairs",
            gender="f" if (n + i) % 2 else "m",
            position_in_list=i,
        )
        for n, delegation in enumerate(created)
        for i in range(wanted // len(created) + (1 if n < wanted % len(created) else 0))
    ]
    Member.objects.bulk_create(members)
    Credentials.objects.bulk_create(
        Credentials(
            delegation=d,
            file="credentials/scaled.pdf",
            sha256="0" * 64,
            uploaded_by=creator,
            status=status,
            reviewed_by=None if status == Credentials.Status.RECEIVED else creator,
            reviewed_at=None if status == Credentials.Status.RECEIVED else now,
        )
        for d, status in zip(created, itertools.cycle(CREDENTIALS), strict=False)
        if status is not None and d.state_id
    )


def _rates(meeting: Meeting) -> None:
    """A rate for every State (the secretariat's floor where the UN scale has none), so cost shares compute."""
    year = meeting.start_date.year
    current = AssessmentRate.objects.filter(first_year__lte=year, last_year__gte=year)
    rated = set(current.values_list("state", flat=True))
    AssessmentRate.objects.bulk_create(
        AssessmentRate(
            state=s,
            first_year=year,
            last_year=year,
            rate=Decimal("0.001"),
            source=AssessmentRate.Source.SECRETARIAT,
            reference="benchmark",
        )
        for s in State.objects.exclude(pk__in=rated)
    )


@transaction.atomic
def scale_up(*, creator) -> Scaled:
    """Bring the demo to ten times its size; run again, it adds nothing."""
    today = timezone.localdate()
    _meetings(today)
    meeting = Meeting.objects.get(slug=OPEN_MEETING)
    _delegations(meeting, creator)
    _rates(meeting)
    return Scaled(
        meetings=Meeting.objects.count(),
        delegations=meeting.delegations.count(),
        participants=Member.objects.filter(delegation__meeting=meeting).count(),
    )
