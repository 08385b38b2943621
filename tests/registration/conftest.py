"""The registration world: one meeting open for registration, States by treaty status, organisations, and a
user for every role.

Meeting X (``meeting``) is open, presided over by Presidia, whose presidency office has ``presidency`` as
member. Meeting Y (``other_meeting``) is presided over by another State with another office.

- ``state_a`` Arcadia: State Party; ``state_b`` Borduria: signatory; ``state_c`` Carpathia: not party.
- ``org_by_right``: observer by right under the CCM; ``org_other``: an NGO that must ask (rule 1.3).
- users: ``delegate`` (no role), ``focal_a`` and ``focal_b`` (approved focal points), ``presidency``,
  ``secretariat`` (group “Secretariat”, staff, TOTP), ``focal_org`` (focal point of ``org_other``).
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.roles import PRESIDENCY, roles_sync
from correspondence.models import Office
from meetings.models import Meeting, Officer
from registration import services
from registration.models import Delegation, FocalPoint, Member
from registration.services import MemberData
from tests.factories import (
    MeetingFactory,
    OfficerFactory,
    OrganisationFactory,
    ParticipationFactory,
    StateFactory,
    UserFactory,
    ccm,
)

TODAY = timezone.localdate()
START = TODAY + dt.timedelta(days=40)


# --- meetings and parties ---------------------------------------------------------------------------------------------


@pytest.fixture
def presiding_state(db):
    state = StateFactory(name_en="Presidia")
    ParticipationFactory(state=state)
    return state


@pytest.fixture
def meeting(db, presiding_state):
    """Meeting X: open for registration (opened a week ago, closes in 20 days), four days from START."""
    meeting = MeetingFactory(
        title="Twentieth Meeting of States Parties",
        slug="20msp",
        kind=Meeting.Kind.MSP,
        number=20,
        start_date=START,
        end_date=START + dt.timedelta(days=3),
        registration_opens=TODAY - dt.timedelta(days=7),
        registration_deadline=TODAY + dt.timedelta(days=20),
    )
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT, state=presiding_state)
    return meeting


@pytest.fixture
def other_meeting(db):
    """Meeting Y: also open, presided over by another State whose office the ``presidency`` user is not in."""
    meeting = MeetingFactory(
        title="Intersessional meeting",
        slug="intersessional",
        start_date=START + dt.timedelta(days=30),
        end_date=START + dt.timedelta(days=31),
    )
    other_state = StateFactory(name_en="Otherland")
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT_DESIGNATE, state=other_state)
    office = _presidency_office(other_state)
    office.members.add(UserFactory(username="other.presidency@example.org", two_factor=True))
    return meeting


def close_registration(meeting: Meeting) -> Meeting:
    """The deadline was yesterday; the meeting itself is still to come."""
    meeting.registration_opens = TODAY - dt.timedelta(days=30)
    meeting.registration_deadline = TODAY - dt.timedelta(days=1)
    meeting.save()
    return meeting


@pytest.fixture
def closed_meeting(db):
    meeting = MeetingFactory(
        title="Closed meeting",
        slug="closed",
        start_date=TODAY + dt.timedelta(days=10),
        end_date=TODAY + dt.timedelta(days=12),
    )
    return close_registration(meeting)


@pytest.fixture
def state_a(db):
    """State Party: signed in 2008, ratified in 2011, in force long before the meeting."""
    state = StateFactory(name_en="Arcadia")
    ParticipationFactory(state=state)
    return state


@pytest.fixture
def state_b(db):
    """Signatory: signed, never ratified."""
    state = StateFactory(name_en="Borduria")
    ParticipationFactory(state=state, deposit_date=None, instrument="")
    return state


@pytest.fixture
def state_c(db):
    """Not party: no participation at all."""
    return StateFactory(name_en="Carpathia")


@pytest.fixture
def org_by_right(db):
    organisation = OrganisationFactory(
        name="International Committee of the Red Cross", acronym="ICRC", kind="red_cross"
    )
    organisation.observer_by_right.add(ccm())
    return organisation


@pytest.fixture
def org_other(db):
    return OrganisationFactory(name="Mine Action Watch", acronym="MAW")


# --- users ------------------------------------------------------------------------------------------------------------


def focal_point(user, *, state=None, organisation=None) -> FocalPoint:
    return FocalPoint.objects.create(
        user=user, state=state, organisation=organisation, reason="Counsellor", approved_at=timezone.now()
    )


@pytest.fixture
def delegate(db):
    return UserFactory(username="delegate@example.org")


@pytest.fixture
def focal_a(state_a):
    user = UserFactory(username="focal.a@example.org")
    focal_point(user, state=state_a)
    return user


@pytest.fixture
def focal_a2(state_a):
    """A second focal point of State A (missions often name two)."""
    user = UserFactory(username="focal.a2@example.org")
    focal_point(user, state=state_a)
    return user


@pytest.fixture
def focal_b(state_b):
    user = UserFactory(username="focal.b@example.org")
    focal_point(user, state=state_b)
    return user


@pytest.fixture
def focal_org(org_other):
    user = UserFactory(username="focal.maw@example.org")
    focal_point(user, organisation=org_other)
    return user


def _presidency_office(state) -> Office:
    return Office.objects.create(
        name=f"Permanent Mission of {state.name_en}",
        code=f"{state.iso3} PM.GE",
        kind=Office.Kind.PRESIDENCY,
        state=state,
        letterhead_lines=f"Permanent Mission of {state.name_en}",
        city="Geneva",
        reference_pattern="No: {seq:03} {code}.{yy}",
    )


@pytest.fixture
def presidency(meeting, presiding_state):
    """A member of the presidency office of the State presiding over meeting X (and of no other)."""
    roles_sync()
    user = UserFactory(username="presidency@example.org", two_factor=True)
    user.groups.add(Group.objects.get(name=PRESIDENCY))
    _presidency_office(presiding_state).members.add(user)
    return user


@pytest.fixture
def login():
    """A fresh client signed in as ``user``: ``login(user)``."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a service queues on commit (the notifications) as the real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- delegations ------------------------------------------------------------------------------------------------------


def member(family_name, given_name="Alex", role=Member.Role.ADVISER, **kwargs) -> MemberData:
    return MemberData(
        title=kwargs.pop("title", "Mr."), family_name=family_name, given_name=given_name, role=role, **kwargs
    )


def head(family_name, given_name="Alex", **kwargs) -> MemberData:
    return member(family_name, given_name, role=Member.Role.HEAD, title=kwargs.pop("title", "H.E."), **kwargs)


def team(n: int, *, prefix: str = "Member") -> list[MemberData]:
    """A head and n - 1 advisers with distinct names."""
    return [head(f"{prefix}head"), *(member(f"{prefix}{i:03d}", role=Member.Role.ADVISER) for i in range(1, n))]


def register(meeting, user, members, *, state=None, organisation=None, submit=False, approve_by=None) -> Delegation:
    """Save a delegation through the services, and optionally submit it and have the secretariat approve it."""
    delegation = services.delegation_save(
        meeting=meeting, user=user, members=members, state=state, organisation=organisation
    )
    if submit or approve_by:
        delegation = services.delegation_submit(delegation=delegation, user=user)
    if approve_by:
        delegation = services.delegation_decide(delegation=delegation, by=approve_by, approve=True)
    return delegation


@pytest.fixture
def delegation_a(meeting, focal_a, state_a):
    """State A's draft delegation to meeting X, saved by its focal point."""
    members = [head("Okonkwo", "Amara"), member("Lindqvist", "Brigitta", title="Ms.")]
    return register(meeting, focal_a, members, state=state_a)


@pytest.fixture
def delegation_b(meeting, focal_b, state_b):
    """State B's draft delegation to meeting X."""
    members = [head("Vasquez", "Bruno"), member("Tanaka", "Chiyo", title="Ms.")]
    return register(meeting, focal_b, members, state=state_b)


# --- files ------------------------------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    """The first bytes of a real PNG image: signature and IHDR chunk."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def pdf_upload(pdf_bytes):
    return lambda name="credentials.pdf": upload(name, pdf_bytes)


# --- pages ------------------------------------------------------------------------------------------------------------


def delegation_url(meeting, party) -> str:
    key = f"state-{party.iso3}" if hasattr(party, "iso3") else f"org-{party.pk}"
    return reverse("registration:delegation", args=[meeting.slug, key])


def upload_url(meeting, party) -> str:
    return delegation_url(meeting, party) + "credentials/"


def row(family_name, given_name="Alex", role="adviser", title="Mr.", **fields) -> dict:
    return {"title": title, "given_name": given_name, "family_name": family_name, "role": role, **fields}


def formset_data(rows: list[dict], *, version="", initial=0, **extra) -> dict:
    """What the delegation page's form posts: the management form, the version and one block per member."""
    data = {
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": str(initial),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "version": version,
    }
    for i, fields in enumerate(rows):
        for key, value in fields.items():
            data[f"members-{i}-{key}"] = value
    data.update(extra)
    return data
