"""Saves at the same moment on PostgreSQL, from threads: one wins, the others are told, nothing half-written."""

import threading

import pytest
from django.db import connection

from registration import services
from registration.models import Delegation, FocalPoint, Member
from tests.factories import UserFactory

from .conftest import focal_point, head, member

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls in threads released at the same moment; return {index: result or exception}."""
    barrier = threading.Barrier(len(calls))
    outcome: dict[int, object] = {}

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcome[index] = call()
        except BaseException as exc:
            outcome[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcome


LIST_1 = [head("Okonkwo", "Amara"), member("Lindqvist", "Brigitta"), member("Novak", "Petra")]
LIST_2 = [head("Vasquez", "Bruno"), member("Tanaka", "Chiyo")]


def names(members) -> list[str]:
    return [m.family_name for m in members]


def _check_one_winner(outcome, delegation_filter, *, lists):
    winners = [i for i, result in outcome.items() if isinstance(result, Delegation)]
    losers = [i for i, result in outcome.items() if not isinstance(result, Delegation)]
    assert len(winners) == 1 and len(losers) == len(lists) - 1, outcome
    for i in losers:
        assert isinstance(outcome[i], services.DelegationConflict), outcome[i]
        assert "Another focal point" in str(outcome[i])
    delegation = Delegation.objects.get(**delegation_filter)
    stored = list(delegation.members.order_by("position_in_list").values_list("family_name", flat=True))
    assert stored == names(lists[winners[0]])
    assert Member.objects.count() == len(lists[winners[0]])
    return delegation, outcome[losers[0]]


def test_two_focal_points_register_the_first_version_at_the_same_moment(meeting, state_a, focal_a, focal_a2):
    outcome = race(
        lambda: services.delegation_save(meeting=meeting, user=focal_a, members=LIST_1, state=state_a),
        lambda: services.delegation_save(meeting=meeting, user=focal_a2, members=LIST_2, state=state_a),
    )

    delegation, conflict = _check_one_winner(outcome, {"meeting": meeting, "state": state_a}, lists=[LIST_1, LIST_2])
    assert Delegation.objects.count() == 1
    assert delegation.version == 1
    # PostgreSQL lets both insert and refuses the second; SQLite serialises them, and the second finds the first.
    assert str(conflict).endswith(("Reload to see their list.", "your entries were not saved yet."))
    assert "registered" in str(conflict)


def test_two_saves_from_the_same_version(meeting, state_a, focal_a, focal_a2):
    services.delegation_save(meeting=meeting, user=focal_a, members=[head("First")], state=state_a)

    outcome = race(
        lambda: services.delegation_save(meeting=meeting, user=focal_a, members=LIST_1, state=state_a, version=1),
        lambda: services.delegation_save(meeting=meeting, user=focal_a2, members=LIST_2, state=state_a, version=1),
    )

    delegation, conflict = _check_one_winner(outcome, {"meeting": meeting, "state": state_a}, lists=[LIST_1, LIST_2])
    assert delegation.version == 2
    assert "changed the delegation of Arcadia" in str(conflict)


def test_an_organisation_registered_twice_at_the_same_moment(meeting, org_other, focal_org):
    second = UserFactory(username="focal.maw2@example.org")
    focal_point(second, organisation=org_other)

    outcome = race(
        lambda: services.delegation_save(meeting=meeting, user=focal_org, members=LIST_1, organisation=org_other),
        lambda: services.delegation_save(meeting=meeting, user=second, members=LIST_2, organisation=org_other),
    )

    delegation, _ = _check_one_winner(outcome, {"meeting": meeting, "organisation": org_other}, lists=[LIST_1, LIST_2])
    assert delegation.admission == Delegation.Admission.REQUESTED


def test_one_invitation_accepted_twice_at_the_same_moment(meeting, state_a):
    invitation = services.invitation_create(meeting=meeting, state=state_a)
    token = services.invitation_token(invitation)
    users = [UserFactory(username=f"diplomat{n}@example.org") for n in range(2)]

    outcome = race(*(lambda user=user: services.invitation_accept(token=token, user=user) for user in users))

    accepted = [r for r in outcome.values() if isinstance(r, FocalPoint)]
    refused = [r for r in outcome.values() if not isinstance(r, FocalPoint)]
    assert len(accepted) == 1 and len(refused) == 1, outcome
    assert isinstance(refused[0], services.RegistrationError) and "already been used" in str(refused[0])
    assert FocalPoint.objects.filter(state=state_a).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == accepted[0].user
