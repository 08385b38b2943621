"""Resolving States by status at a date."""

import datetime as dt

import pytest

from tests.factories import ParticipationFactory, StateFactory, apmbc, ccm
from treaties import selectors
from treaties.rules import Status

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Six States with different CCM histories; names sort in the order listed."""
    states = {
        key: StateFactory(name_en=f"{n} {key}")
        for n, key in enumerate(["party", "signatory", "nothing", "former", "pending", "late", "apmbc_only"], start=1)
    }
    ParticipationFactory(state=states["party"])  # in force 2011-09-01
    ParticipationFactory(state=states["signatory"], deposit_date=None, instrument="")
    ParticipationFactory(state=states["former"], withdrawal_notice_date=D(2024, 9, 6))  # effective 2025-03-06
    ParticipationFactory(state=states["pending"], withdrawal_notice_date=D(2025, 1, 10))  # effective 2025-07-10
    ParticipationFactory(state=states["late"], signature_date=None, deposit_date=D(2025, 2, 3), instrument="accession")
    ParticipationFactory(
        treaty=apmbc(), state=states["apmbc_only"], signature_date=D(1997, 12, 3), deposit_date=D(1998, 7, 9)
    )
    return states


def names(states):
    return [s.name_en.split(" ", 1)[1] for s in states]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.STATE_PARTY], ["party"]),
        ([Status.WITHDRAWAL_PENDING], ["pending"]),
        ([Status.FORMER_PARTY], ["former"]),
        ([Status.SIGNATORY], ["signatory"]),
        ([Status.NOT_YET_IN_FORCE], ["late"]),
        # no participation row at all, or none under this treaty, means not party
        ([Status.NOT_PARTY], ["nothing", "apmbc_only"]),
        ([Status.STATE_PARTY, Status.NOT_YET_IN_FORCE], ["party", "late"]),
        ([Status.STATE_PARTY, Status.WITHDRAWAL_PENDING], ["party", "pending"]),
    ],
)
def test_states_with_status_on_a_date(world, statuses, expected):
    found = selectors.states_with_status(treaty=ccm(), at=D(2025, 3, 6), statuses=statuses)
    assert names(found) == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (D(2024, 9, 5), ["party", "former", "pending"]),
        (D(2024, 9, 6), ["party", "pending"]),
        (D(2025, 1, 10), ["party"]),
        (D(2025, 3, 5), ["party"]),
    ],
)
def test_state_parties_change_over_time(world, at, expected):
    assert names(selectors.states_with_status(treaty=ccm(), at=at, statuses=[Status.STATE_PARTY])) == expected


def test_every_state_has_exactly_one_status(world):
    by_status = {
        status: names(selectors.states_with_status(treaty=ccm(), at=D(2025, 6, 1), statuses=[status]))
        for status in Status
    }
    assert by_status == {
        Status.NOT_PARTY: ["nothing", "apmbc_only"],
        Status.SIGNATORY: ["signatory"],
        Status.NOT_YET_IN_FORCE: ["late"],  # in force 2025-08-01
        Status.STATE_PARTY: ["party"],
        Status.WITHDRAWAL_PENDING: ["pending"],
        Status.FORMER_PARTY: ["former"],
    }


def test_apmbc_is_resolved_separately(world):
    found = selectors.states_with_status(treaty=apmbc(), at=D(2025, 3, 6), statuses=[Status.STATE_PARTY])
    assert names(found) == ["apmbc_only"]


def test_participations_with_status(world):
    rows = selectors.participations_with_status(treaty=ccm(), at=D(2025, 3, 6))
    assert sorted((p.state.name_en.split(" ", 1)[1], status) for p, status in rows) == [
        ("former", Status.FORMER_PARTY),
        ("late", Status.NOT_YET_IN_FORCE),
        ("party", Status.STATE_PARTY),
        ("pending", Status.WITHDRAWAL_PENDING),
        ("signatory", Status.SIGNATORY),
    ]


def test_status_of(world):
    at = D(2025, 3, 6)
    assert selectors.status_of(state=world["former"], treaty=ccm(), at=at) is Status.FORMER_PARTY
    assert selectors.status_of(state=world["former"], treaty=ccm(), at=D(2025, 3, 5)) is Status.WITHDRAWAL_PENDING
    assert selectors.status_of(state=world["nothing"], treaty=ccm(), at=at) is Status.NOT_PARTY
    assert selectors.status_of(state=world["apmbc_only"], treaty=ccm(), at=at) is Status.NOT_PARTY
    assert selectors.status_of(state=world["apmbc_only"], treaty=apmbc(), at=at) is Status.STATE_PARTY
