"""Article 7 obligations and Article 14 cost shares as pure functions (no database)."""

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from obligations import rules
from obligations.rules import Obligation, ReportKind, ReportStatus
from treaties import rules as treaty_rules

D = dt.date
CCM_EIF, CCM_TRIGGER = D(2010, 8, 1), D(2010, 2, 16)


def eif_for(deposit: dt.date) -> dt.date:
    return treaty_rules.entry_into_force_for_state(
        deposit=deposit, treaty_entry_into_force=CCM_EIF, triggering_deposit=CCM_TRIGGER
    )


FAR_FUTURE = D(2030, 12, 31)


def obligations(eif, *, until=FAR_FUTURE, initial_due=None, withdrawal=None):
    return rules.article7_obligations(
        entry_into_force=eif, initial_report_due=initial_due, withdrawal_effective=withdrawal, until=until
    )


def summary(found: list[Obligation]) -> list[tuple[str, int | None, dt.date]]:
    return [(o.kind.value, o.year_covered, o.due) for o in found]


# --- the first annual report --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deposit", "eif", "initial_due", "first_year", "first_due"),
    [
        # Deposited before the triggering instrument: the treaty's own date (the worked example).
        (D(2009, 3, 18), D(2010, 8, 1), D(2011, 1, 28), 2011, D(2012, 4, 30)),
        # The triggering deposit itself.
        (D(2010, 2, 16), D(2010, 8, 1), D(2011, 1, 28), 2011, D(2012, 4, 30)),
        # After the trigger but before the treaty's own date (docs/domain.md): six months after the month.
        (D(2010, 7, 28), D(2011, 1, 1), D(2011, 6, 30), 2011, D(2012, 4, 30)),
        # After the trigger: Lithuania. 2012 is a leap year but 28 Feb comes before the 29th.
        (D(2011, 3, 24), D(2011, 9, 1), D(2012, 2, 28), 2012, D(2013, 4, 30)),
        # EIF in August: the initial report falls due in the next year already.
        (D(2011, 2, 15), D(2011, 8, 1), D(2012, 1, 28), 2012, D(2013, 4, 30)),
        # EIF in November and December: due in the next year, which the first annual report follows.
        (D(2011, 5, 20), D(2011, 11, 1), D(2012, 4, 29), 2012, D(2013, 4, 30)),
        (D(2011, 6, 30), D(2011, 12, 1), D(2012, 5, 29), 2012, D(2013, 4, 30)),
        # EIF 1 January of a leap year: 180 days reach 29 June, not 30 June.
        (D(2011, 7, 15), D(2012, 1, 1), D(2012, 6, 29), 2012, D(2013, 4, 30)),
        # The same EIF in a common year: 30 June.
        (D(2012, 7, 2), D(2013, 1, 1), D(2013, 6, 30), 2013, D(2014, 4, 30)),
    ],
)
def test_initial_and_first_annual_report(deposit, eif, initial_due, first_year, first_due):
    assert eif_for(deposit) == eif
    found = obligations(eif, until=D(first_due.year, 12, 31))
    assert summary(found[:2]) == [("initial", None, initial_due), ("annual", first_year, first_due)]
    assert rules.first_annual_year_covered(initial_due) == first_year


def test_annual_reports_follow_every_year_on_30_april():
    found = obligations(D(2010, 8, 1), until=D(2014, 6, 1))
    assert summary(found) == [
        ("initial", None, D(2011, 1, 28)),
        ("annual", 2011, D(2012, 4, 30)),
        ("annual", 2012, D(2013, 4, 30)),
        ("annual", 2013, D(2014, 4, 30)),
        ("annual", 2014, D(2015, 4, 30)),  # 2014 has begun: owed, not yet due
    ]


def test_first_annual_rule_is_documented_verbatim():
    rule = (
        "the first annual report is due on 30 April of the calendar year after the year in which the initial "
        "report was due, and covers the year in which the initial report was due"
    )
    assert rule in " ".join(rules.first_annual_year_covered.__doc__.split())


# --- up to a date -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        (D(2010, 7, 31), []),  # not yet in force
        (D(2010, 8, 1), [("initial", None)]),
        (D(2010, 12, 31), [("initial", None)]),
        (D(2011, 1, 1), [("initial", None), ("annual", 2011)]),  # the covered year has begun
        (D(2012, 12, 31), [("initial", None), ("annual", 2011), ("annual", 2012)]),
    ],
)
def test_obligations_up_to_a_date(until, expected):
    assert [(o.kind.value, o.year_covered) for o in obligations(D(2010, 8, 1), until=until)] == expected


def test_annual_report_never_arises_before_entry_into_force():
    # EIF in March: the first covered year (2012) began before the treaty bound the State.
    found = obligations(D(2012, 3, 1), until=D(2012, 3, 1))
    assert summary(found) == [("initial", None, D(2012, 8, 28)), ("annual", 2012, D(2013, 4, 30))]
    assert found[1].arises_on == D(2012, 3, 1)
    assert obligations(D(2012, 3, 1), until=D(2012, 2, 29)) == []


def test_no_entry_into_force_no_obligation():
    assert obligations(None) == []


# --- withdrawal ---------------------------------------------------------------------------------------------


def test_withdrawal_stops_obligations_after_the_year_it_takes_effect():
    # Lithuania under the CCM: EIF 2011-09-01, withdrawal effective 2025-03-06.
    found = obligations(D(2011, 9, 1), withdrawal=D(2025, 3, 6))
    years = [o.year_covered for o in found if o.kind is ReportKind.ANNUAL]
    assert years == list(range(2012, 2026))
    # The report on 2025, a year it was party for two months, is still owed after it left.
    assert found[-1].due == D(2026, 4, 30)


@pytest.mark.parametrize(
    ("withdrawal", "last_year"),
    [
        (D(2026, 1, 1), 2025),  # 2026 starts on the effective date: not owed
        (D(2026, 1, 2), 2026),  # party on 1 January 2026: owed
        (D(2025, 12, 31), 2025),
    ],
)
def test_withdrawal_on_year_boundaries(withdrawal, last_year):
    found = obligations(D(2011, 9, 1), withdrawal=withdrawal)
    assert found[-1].year_covered == last_year


def test_withdrawal_before_the_initial_report_is_due():
    # Party from 1 Sep 2011 to 15 Jan 2012: the initial report and the report on 2012 stay owed.
    assert summary(obligations(D(2011, 9, 1), withdrawal=D(2012, 1, 15))) == [
        ("initial", None, D(2012, 2, 28)),
        ("annual", 2012, D(2013, 4, 30)),
    ]


def test_withdrawal_effective_before_entry_into_force_means_no_obligation():
    assert obligations(D(2011, 9, 1), withdrawal=D(2011, 9, 1)) == []


# --- overrides ----------------------------------------------------------------------------------------------


def test_initial_due_override_moves_the_first_annual_report():
    found = obligations(D(2010, 8, 1), initial_due=D(2012, 3, 1), until=D(2013, 12, 31))
    assert summary(found) == [
        ("initial", None, D(2012, 3, 1)),
        ("annual", 2012, D(2013, 4, 30)),
        ("annual", 2013, D(2014, 4, 30)),
    ]


def test_initial_due_defaults_to_180_days():
    assert obligations(D(2011, 11, 1), until=D(2011, 11, 1))[0].due == D(2012, 4, 29)


# --- statuses at boundary days ------------------------------------------------------------------------------

INITIAL = Obligation(ReportKind.INITIAL, None, due=D(2011, 1, 28), arises_on=D(2010, 8, 1), opens_on=D(2010, 8, 1))
ANNUAL = Obligation(ReportKind.ANNUAL, 2011, due=D(2012, 4, 30), arises_on=D(2011, 1, 1), opens_on=D(2012, 1, 1))


@pytest.mark.parametrize(
    ("obligation", "received_on", "at", "expected"),
    [
        (INITIAL, None, D(2010, 8, 1), ReportStatus.DUE),  # owed from entry into force
        (INITIAL, None, D(2011, 1, 28), ReportStatus.DUE),  # the due date itself
        (INITIAL, None, D(2011, 1, 29), ReportStatus.OVERDUE),
        (INITIAL, D(2011, 1, 28), D(2011, 1, 28), ReportStatus.ON_TIME),
        (INITIAL, D(2011, 1, 28), D(2020, 1, 1), ReportStatus.ON_TIME),
        (INITIAL, D(2011, 1, 29), D(2011, 1, 29), ReportStatus.LATE),
        (INITIAL, D(2011, 1, 29), D(2011, 1, 28), ReportStatus.DUE),  # not yet received on that day
        (INITIAL, D(2011, 3, 1), D(2011, 2, 28), ReportStatus.OVERDUE),
        (ANNUAL, None, D(2011, 12, 31), ReportStatus.NOT_YET_DUE),  # the covered year is still running
        (ANNUAL, None, D(2012, 1, 1), ReportStatus.DUE),
        (ANNUAL, None, D(2012, 4, 30), ReportStatus.DUE),
        (ANNUAL, None, D(2012, 5, 1), ReportStatus.OVERDUE),
        (ANNUAL, D(2011, 12, 20), D(2011, 12, 31), ReportStatus.ON_TIME),  # early
        (ANNUAL, D(2012, 4, 30), D(2012, 5, 1), ReportStatus.ON_TIME),
        (ANNUAL, D(2012, 5, 1), D(2012, 5, 1), ReportStatus.LATE),
    ],
)
def test_report_status(obligation, received_on, at, expected):
    assert rules.report_status(obligation=obligation, received_on=received_on, at=at) is expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(2, 3, Decimal("66.7")), (1, 3, Decimal("33.3")), (1, 8, Decimal("12.5")), (3, 3, Decimal("100.0")), (0, 0, None)],
)
def test_percentage(part, whole, expected):
    assert rules.percentage(part, whole) == expected


# --- Article 14 ---------------------------------------------------------------------------------------------


def amounts(shares) -> dict[str, Decimal]:
    return {share.name: share.amount for share in shares}


def test_three_equal_rates_share_100000_exactly():
    shares = rules.apportion(
        total=Decimal("100000.00"),
        rates=[(3, "Chile", Decimal("0.395")), (1, "Austria", Decimal("0.395")), (2, "Belgium", Decimal("0.395"))],
    )
    # 33 333.333… each: the one cent left over goes to the first by name.
    assert amounts(shares) == {
        "Chile": Decimal("33333.33"),
        "Austria": Decimal("33333.34"),
        "Belgium": Decimal("33333.33"),
    }
    assert sum(s.amount for s in shares) == Decimal("100000.00")
    assert [s.name for s in shares] == ["Chile", "Austria", "Belgium"]  # input order kept


def test_ties_do_not_depend_on_input_order():
    rates = [(n, name, Decimal("1")) for n, name in enumerate(["Delta", "Alpha", "Charlie", "Bravo", "Echo", "Fox"])]
    first = amounts(rules.apportion(total=Decimal("100.00"), rates=rates))
    second = amounts(rules.apportion(total=Decimal("100.00"), rates=list(reversed(rates))))
    assert first == second
    # 16.666… each: four cents left over go to Alpha, Bravo, Charlie, Delta.
    assert first == {
        "Alpha": Decimal("16.67"),
        "Bravo": Decimal("16.67"),
        "Charlie": Decimal("16.67"),
        "Delta": Decimal("16.67"),
        "Echo": Decimal("16.66"),
        "Fox": Decimal("16.66"),
    }


def test_tiny_rates_beside_the_ceiling():
    shares = rules.apportion(
        total=Decimal("1000.00"),
        rates=[(1, "Big", Decimal("22")), (2, "Tiny A", Decimal("0.001")), (3, "Tiny B", Decimal("0.001"))],
    )
    # Exact: 999.909…, 0.04545…, 0.04545…; floors leave 2 cents for the largest remainders.
    assert amounts(shares) == {"Big": Decimal("999.91"), "Tiny A": Decimal("0.05"), "Tiny B": Decimal("0.04")}
    assert sum(s.amount for s in shares) == Decimal("1000.00")
    assert shares[1].exact == Fraction(1000 * 1, 22002)


def test_a_tiny_rate_can_round_to_nothing_but_the_total_holds():
    rates = [(1, "Big", Decimal("22")), *[(n, f"Floor {n:03d}", Decimal("0.001")) for n in range(2, 52)]]
    shares = rules.apportion(total=Decimal("10.00"), rates=rates)
    assert sum(s.amount for s in shares) == Decimal("10.00")
    assert all(s.amount >= 0 for s in shares)


@pytest.mark.parametrize("seed", range(25))
def test_random_splits_add_up_and_stay_within_a_cent(seed):
    rng = random.Random(seed)
    rates = [
        (n, f"State {n:03d}", Decimal(rng.choice(["0.001", "0.002", "0.005", "0.033", "1.234", "6.930", "22"])))
        for n in range(rng.randint(1, 120))
    ]
    total = Decimal(rng.randint(1, 10**9)) / 100
    shares = rules.apportion(total=total, rates=rates)
    assert sum(s.amount for s in shares) == total
    for share in shares:
        assert abs(Fraction(share.amount) - share.exact) < Fraction(1, 100)
        assert share.amount == share.amount.quantize(Decimal("0.01"))


def test_single_state_pays_everything():
    assert amounts(rules.apportion(total=Decimal("1234.56"), rates=[(1, "Solo", Decimal("0.001"))])) == {
        "Solo": Decimal("1234.56")
    }


@pytest.mark.parametrize(
    ("total", "rates", "message"),
    [
        (Decimal("100.00"), [], "No participants"),
        (Decimal("0.00"), [(1, "A", Decimal("1"))], "positive amount"),
        (Decimal("-5.00"), [(1, "A", Decimal("1"))], "positive amount"),
        (Decimal("10.001"), [(1, "A", Decimal("1"))], "in cents"),
        (Decimal("10.00"), [(1, "A", Decimal("0"))], "positive"),
        (Decimal("10.00"), [(1, "A", Decimal("1")), (1, "A", Decimal("2"))], "only once"),
    ],
)
def test_apportion_rejects_nonsense(total, rates, message):
    with pytest.raises(ValueError, match=message):
        rules.apportion(total=total, rates=rates)
