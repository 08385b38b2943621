"""The treaty rules of docs/domain.md §2 as pure functions (no database)."""

import datetime as dt

import pytest

from treaties import rules
from treaties.rules import Status

D = dt.date

# The treaties' own facts, as in treaties/migrations/0002_treaties.py.
CCM_EIF, CCM_TRIGGER = D(2010, 8, 1), D(2010, 2, 16)
APMBC_EIF, APMBC_TRIGGER = D(1999, 3, 1), D(1998, 9, 16)


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        # docs/domain.md worked examples
        (D(2011, 3, 24), D(2011, 9, 1)),
        (D(2010, 7, 28), D(2011, 1, 1)),  # after the 30th instrument, before the treaty's own date
        # on or before the triggering deposit: the treaty's own date
        (D(2010, 2, 16), D(2010, 8, 1)),
        (D(2009, 3, 18), D(2010, 8, 1)),
        (D(2008, 12, 3), D(2010, 8, 1)),
        # the day after the trigger: February 2010 + 6 months is the treaty's own date anyway
        (D(2010, 2, 17), D(2010, 8, 1)),
        (D(2010, 3, 1), D(2010, 9, 1)),
        (D(2010, 8, 1), D(2011, 2, 1)),
        # first and last day of a month fall in the same month
        (D(2011, 1, 1), D(2011, 7, 1)),
        (D(2011, 1, 31), D(2011, 7, 1)),
        # deposits late in a year cross into the next one
        (D(2011, 7, 1), D(2012, 1, 1)),
        (D(2011, 7, 15), D(2012, 1, 1)),
        (D(2011, 8, 31), D(2012, 2, 1)),
        (D(2011, 12, 1), D(2012, 6, 1)),
        (D(2011, 12, 31), D(2012, 6, 1)),
    ],
)
def test_ccm_entry_into_force_for_state(deposit, expected):
    assert (
        rules.entry_into_force_for_state(
            deposit=deposit, treaty_entry_into_force=CCM_EIF, triggering_deposit=CCM_TRIGGER
        )
        == expected
    )


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        (D(1997, 12, 3), D(1999, 3, 1)),  # Canada, at the signing conference
        (D(1998, 9, 16), D(1999, 3, 1)),  # Burkina Faso, the 40th instrument
        # the first day of the sixth month after September 1998 is 1 March 1999
        (D(1998, 9, 17), D(1999, 3, 1)),
        (D(1998, 9, 30), D(1999, 3, 1)),
        (D(1998, 10, 1), D(1999, 4, 1)),
        (D(1999, 7, 28), D(2000, 1, 1)),
    ],
)
def test_apmbc_entry_into_force_for_state(deposit, expected):
    assert (
        rules.entry_into_force_for_state(
            deposit=deposit, treaty_entry_into_force=APMBC_EIF, triggering_deposit=APMBC_TRIGGER
        )
        == expected
    )


@pytest.mark.parametrize(
    ("entry_into_force", "expected"),
    [
        (D(2010, 8, 1), D(2011, 1, 28)),
        (D(2011, 1, 1), D(2011, 6, 30)),
        (D(2012, 1, 1), D(2012, 6, 29)),  # 2012 is a leap year: one day earlier than 2011
        (D(2011, 9, 1), D(2012, 2, 28)),
        (D(2011, 9, 2), D(2012, 2, 29)),
        (D(2011, 9, 3), D(2012, 3, 1)),
        (D(1999, 3, 1), D(1999, 8, 28)),
    ],
)
def test_initial_report_due_is_180_days_after_entry_into_force(entry_into_force, expected):
    assert rules.initial_report_due(entry_into_force) == expected
    assert (rules.initial_report_due(entry_into_force) - entry_into_force).days == 180


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (D(2024, 9, 6), D(2025, 3, 6)),  # Lithuania, CCM
        (D(2025, 6, 27), D(2025, 12, 27)),
        (D(2025, 7, 10), D(2026, 1, 10)),  # across a year end
        (D(2023, 8, 31), D(2024, 2, 29)),  # clamped to the end of February in a leap year
        (D(2024, 8, 31), D(2025, 2, 28)),  # and in a common year
        (D(2024, 3, 31), D(2024, 9, 30)),  # clamped to a 30-day month
        (D(2023, 12, 31), D(2024, 6, 30)),
        (D(2024, 2, 29), D(2024, 8, 29)),
    ],
)
def test_withdrawal_takes_effect_six_months_after_notice(notice, expected):
    assert rules.withdrawal_effective(notice) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2023, 11, 15), 2, D(2024, 1, 15)),
        (D(2023, 12, 15), 12, D(2024, 12, 15)),
        (D(2023, 7, 1), 18, D(2025, 1, 1)),
        (D(2024, 5, 31), 0, D(2024, 5, 31)),
    ],
)
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


# Lithuania under the CCM: signed, ratified, in force, withdrew.
TIMELINE = dict(
    signature=D(2008, 12, 3),
    deposit=D(2011, 3, 24),
    entry_into_force=D(2011, 9, 1),
    withdrawal_notice=D(2024, 9, 6),
    withdrawal_effective=D(2025, 3, 6),
)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (D(2008, 12, 2), Status.NOT_PARTY),
        (D(2008, 12, 3), Status.SIGNATORY),
        (D(2011, 3, 23), Status.SIGNATORY),
        (D(2011, 3, 24), Status.NOT_YET_IN_FORCE),
        (D(2011, 8, 31), Status.NOT_YET_IN_FORCE),
        (D(2011, 9, 1), Status.STATE_PARTY),
        (D(2024, 9, 5), Status.STATE_PARTY),
        (D(2024, 9, 6), Status.WITHDRAWAL_PENDING),
        (D(2025, 3, 5), Status.WITHDRAWAL_PENDING),
        (D(2025, 3, 6), Status.FORMER_PARTY),
        (D(2040, 1, 1), Status.FORMER_PARTY),
    ],
)
def test_status_at_every_stage(at, expected):
    assert rules.status_at(at, **TIMELINE) is expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (D(2015, 1, 1), Status.NOT_PARTY),
        (D(2015, 1, 2), Status.NOT_YET_IN_FORCE),
        (D(2015, 6, 30), Status.NOT_YET_IN_FORCE),
        (D(2015, 7, 1), Status.STATE_PARTY),
    ],
)
def test_status_of_an_acceding_state_skips_signatory(at, expected):
    status = rules.status_at(
        at,
        signature=None,
        deposit=D(2015, 1, 2),
        entry_into_force=D(2015, 7, 1),
        withdrawal_notice=None,
        withdrawal_effective=None,
    )
    assert status is expected


def test_signatory_that_never_ratified_stays_signatory():
    kwargs = dict(signature=D(2008, 12, 3), deposit=None, entry_into_force=None)
    kwargs |= dict(withdrawal_notice=None, withdrawal_effective=None)
    assert rules.status_at(D(2008, 12, 2), **kwargs) is Status.NOT_PARTY
    assert rules.status_at(D(2030, 1, 1), **kwargs) is Status.SIGNATORY


def test_status_values_and_labels():
    assert [(s.value, s.label) for s in Status] == [
        ("not_party", "Not party"),
        ("signatory", "Signatory"),
        ("not_yet_in_force", "Ratified or acceded, not yet in force"),
        ("state_party", "State Party"),
        ("withdrawal_pending", "Withdrawal pending"),
        ("former_party", "Former State Party"),
    ]
