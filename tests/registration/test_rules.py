"""Who may be in a delegation (registration.rules) as pure functions: no database."""

import datetime as dt

import pytest

from registration import rules
from registration.models import Member
from registration.services import MemberData

D = dt.date


def member(family: str, given: str = "Amara", role: str = "adviser", days=()) -> MemberData:
    return MemberData(title="Mr.", family_name=family, given_name=given, role=role, days=tuple(days))


def test_the_head_the_rules_know_is_the_one_the_model_stores():
    assert rules.HEAD_OF_DELEGATION == Member.Role.HEAD


def test_an_empty_list_has_no_members():
    assert not rules.has_members([])
    assert rules.has_members([member("Okonkwo")])


@pytest.mark.parametrize(
    ("roles", "heads", "one_head", "extra"),
    [
        ([], [], False, []),
        (["adviser", "expert"], [], False, []),
        (["head", "adviser"], [0], True, []),
        (["adviser", "head"], [1], True, []),
        (["head", "adviser", "head", "head"], [0, 2, 3], False, [2, 3]),
    ],
)
def test_exactly_one_head_of_delegation(roles, heads, one_head, extra):
    members = [member(f"Name{i}", role=role) for i, role in enumerate(roles)]
    assert rules.heads(members) == heads
    assert rules.has_one_head(members) is one_head
    assert rules.extra_heads(members) == extra


def test_the_same_name_typed_twice_is_the_same_person_whatever_its_case_or_spaces():
    members = [
        member("Okonkwo", "Amara"),
        member("Lindqvist", "Erik"),
        member(" OKONKWO ", "amara"),
        member("Okonkwo", "Chidi"),  # another given name: another person
        member("okonkwo", "AMARA "),
    ]
    assert rules.name_key(members[0]) == rules.name_key(members[2]) == ("okonkwo", "amara")
    # The first row is kept; the later ones are the rows to change.
    assert rules.repeated(members) == [2, 4]
    assert rules.repeated_names(members) == ["Amara Okonkwo"]


def test_repeated_names_are_each_given_once_in_alphabetical_order():
    members = [member("Smith", "Zoe"), member("Abe", "Ken"), member("smith", "zoe"), member("ABE", "ken")]
    assert rules.repeated_names(members) == ["Ken Abe", "Zoe Smith"]


def test_no_one_listed_twice_gives_nothing():
    assert rules.repeated([member("Okonkwo"), member("Lindqvist")]) == []
    assert rules.repeated_names([]) == []


def test_attendance_days_must_fall_within_the_meeting():
    start, end = D(2023, 9, 11), D(2023, 9, 14)
    days = [D(2023, 9, 10), D(2023, 9, 11), D(2023, 9, 14), D(2023, 9, 15)]
    assert rules.days_outside(days, start=start, end=end) == [D(2023, 9, 10), D(2023, 9, 15)]
    assert rules.days_outside([], start=start, end=end) == []


def test_the_form_offers_no_more_rows_than_the_rules_allow():
    from registration.forms import MemberFormSet

    assert MemberFormSet.max_num == rules.MAX_MEMBERS
