"""Who may be in a delegation (docs/domain.md §5), as pure functions of the members' plain data.

Kept free of the ORM, like treaties/rules.py: the delegation form asks them to put a message next to the
row concerned, and registration.services asks them again as the authority before anything is saved or
submitted. A member here is anything with ``role``, ``family_name`` and ``given_name`` (and ``days`` for
the attendance rule): the form's rows, services.MemberData and Member rows alike.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

# The value Member.Role.HEAD stores. Registration practice (docs/domain.md §5): the head of delegation
# clearly marked, exactly one; the list of participants names the head first.
HEAD_OF_DELEGATION = "head"

# A delegation's list on one page: the form offers no more rows than this. Larger delegations are a
# secretariat matter (they are seated, badged and listed), not a typing one.
MAX_MEMBERS = 60


class MemberLike(Protocol):
    role: str
    family_name: str
    given_name: str


def name_key(member: MemberLike) -> tuple[str, str]:
    """The name as the database's uniqueness constraint compares it (member_unique_name_in_delegation,
    on Lower()): “ Okonkwo ” and “OKONKWO” are the same person typed twice."""
    return member.family_name.strip().casefold(), member.given_name.strip().casefold()


def has_members(members: Sequence[MemberLike]) -> bool:
    """A delegation is submitted with at least one member: an empty list cannot be credentialed."""
    return bool(members)


def heads(members: Sequence[MemberLike]) -> list[int]:
    """Positions of the members marked head of delegation, in list order."""
    return [i for i, member in enumerate(members) if member.role == HEAD_OF_DELEGATION]


def has_one_head(members: Sequence[MemberLike]) -> bool:
    """Exactly one head of delegation: the list of participants names one, and the database allows one
    (member_one_head_per_delegation)."""
    return len(heads(members)) == 1


def extra_heads(members: Sequence[MemberLike]) -> list[int]:
    """Positions of every head after the first: those are the rows to change."""
    return heads(members)[1:]


def repeated(members: Sequence[MemberLike]) -> list[int]:
    """Positions of the members whose name an earlier row already has (the earlier row is the one kept)."""
    seen: set[tuple[str, str]] = set()
    found = []
    for i, member in enumerate(members):
        key = name_key(member)
        if key in seen:
            found.append(i)
        seen.add(key)
    return found


def repeated_names(members: Sequence[MemberLike]) -> list[str]:
    """The names listed more than once, “Given Family”, each once, in alphabetical order."""
    return sorted({" ".join(reversed(name_key(members[i]))).title() for i in repeated(members)})


def days_outside(days: Sequence[dt.date], *, start: dt.date, end: dt.date) -> list[dt.date]:
    """Attendance days outside the meeting: a member can only be badged for the days it sits."""
    return [day for day in days if not start <= day <= end]
