"""Article 14 cost shares of a meeting, through obligations.selectors."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obligations import selectors
from obligations.selectors import CostShareError, MissingAssessmentRate
from registration.models import Delegation
from tests.factories import MeetingFactory, OrganisationFactory, StateFactory
from tests.obligations.factories import MeetingCostFactory, RateFactory, delegation, read_csv, read_xlsx

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    """A 2025 meeting costing CHF 100 000 with three approved State delegations of equal rate, and others."""
    meeting = MeetingFactory(start_date=D(2025, 9, 15), end_date=D(2025, 9, 18))
    MeetingCostFactory(meeting=meeting, total="100000.00")
    for name in ["Testland Charlie", "Testland Alpha", "Testland Bravo"]:
        state = StateFactory(name_en=name)
        RateFactory(state=state, rate="0.395")
        delegation(meeting=meeting, state=state)
    # Not sharing: a delegation still in draft, one returned, and an organisation.
    for status in (Delegation.Status.DRAFT, Delegation.Status.SUBMITTED):
        state = StateFactory(name_en=f"Testland {status}")
        RateFactory(state=state, rate="5")
        delegation(meeting=meeting, state=state, status=status)
    delegation(meeting=meeting, organisation=OrganisationFactory())
    return meeting


def amounts(table) -> list[tuple[str, Decimal]]:
    return [(row.state.name_en, row.amount) for row in table.rows]


def test_shares_of_approved_state_delegations(meeting):
    table = selectors.meeting_cost_shares(meeting=meeting)
    assert amounts(table) == [
        ("Testland Alpha", Decimal("33333.34")),
        ("Testland Bravo", Decimal("33333.33")),
        ("Testland Charlie", Decimal("33333.33")),
    ]
    assert (table.total, table.currency, table.year, table.rate_sum) == (
        Decimal("100000.00"),
        "CHF",
        2025,
        Decimal("1.185000"),
    )
    assert sum(row.amount for row in table.rows) == table.total
    assert [row.percentage for row in table.rows] == [Decimal("33.333333")] * 3
    assert table.as_rows()[0] == {
        "state": "Testland Alpha",
        "state_iso3": table.rows[0].state.iso3,
        "rate": Decimal("0.395000"),
        "rate_source": "UN scale of assessment",
        "percentage": Decimal("33.333333"),
        "amount": Decimal("33333.34"),
        "currency": "CHF",
    }


def test_ceiling_and_floor_rates():
    meeting = MeetingFactory(start_date=D(2026, 6, 1), end_date=D(2026, 6, 1))
    MeetingCostFactory(meeting=meeting, total="1000.00", currency="USD")
    states = [StateFactory(name_en=n) for n in ("Testland Big", "Testland Tiny A", "Testland Tiny B")]
    for state, rate in zip(states, ["22", "0.001", "0.001"], strict=True):
        RateFactory(state=state, rate=rate)
    table = selectors.meeting_cost_shares(meeting=meeting, states=states)
    assert amounts(table) == [
        ("Testland Big", Decimal("999.91")),
        ("Testland Tiny A", Decimal("0.05")),
        ("Testland Tiny B", Decimal("0.04")),
    ]
    assert sum(row.amount for row in table.rows) == Decimal("1000.00")


def test_explicit_list_replaces_the_delegations(meeting):
    alpha, bravo = (selectors.participating_states(meeting=meeting)[i] for i in (0, 1))
    table = selectors.meeting_cost_shares(meeting=meeting, states=[bravo, alpha, alpha])  # duplicates count once
    assert amounts(table) == [("Testland Alpha", Decimal("50000.00")), ("Testland Bravo", Decimal("50000.00"))]


def test_rate_of_the_period_covering_the_meeting_year():
    state_a, state_b = StateFactory(name_en="Testland A"), StateFactory(name_en="Testland B")
    RateFactory(state=state_a, first_year=2022, last_year=2024, rate="3")
    RateFactory(state=state_a, first_year=2025, last_year=2027, rate="1")
    RateFactory(state=state_b, first_year=2022, last_year=2024, rate="1")
    RateFactory(state=state_b, first_year=2025, last_year=2027, rate="1")
    for year, expected in [(2024, ["750.00", "250.00"]), (2025, ["500.00", "500.00"]), (2027, ["500.00", "500.00"])]:
        table = selectors.cost_shares(total=Decimal("1000.00"), currency="CHF", year=year, states=[state_a, state_b])
        assert [str(row.amount) for row in table.rows] == expected


def test_missing_rates_stop_the_computation_naming_the_states(meeting):
    niue = StateFactory(name_en="Niue")
    cook = StateFactory(name_en="Cook Islands")
    for state in (niue, cook):
        delegation(meeting=meeting, state=state)
    RateFactory(state=niue, first_year=2022, last_year=2024)  # an old period does not count
    with pytest.raises(MissingAssessmentRate) as excinfo:
        selectors.meeting_cost_shares(meeting=meeting)
    assert excinfo.value.states == [cook, niue]
    assert excinfo.value.year == 2025
    assert str(excinfo.value).startswith("No assessment rate covering 2025 for: Cook Islands, Niue.")
    assert isinstance(excinfo.value, CostShareError)


def test_meeting_without_a_cost_or_participants():
    meeting = MeetingFactory(title="Costless meeting")
    with pytest.raises(CostShareError, match="No total cost is recorded for Costless meeting"):
        selectors.meeting_cost_shares(meeting=meeting)
    MeetingCostFactory(meeting=meeting)
    with pytest.raises(CostShareError, match="No participating States"):
        selectors.meeting_cost_shares(meeting=meeting)


def test_exports(meeting):
    table = selectors.meeting_cost_shares(meeting=meeting)
    sheet = read_xlsx(selectors.cost_shares_export(table=table))
    assert [(r["State"], r["Amount (CHF)"]) for r in sheet] == [
        ("Testland Alpha", 33333.34),
        ("Testland Bravo", 33333.33),
        ("Testland Charlie", 33333.33),
    ]
    assert list(sheet[0]) == ["State", "ISO code", "Rate (%)", "Source of the rate", "Share (%)", "Amount (CHF)"]
    rows = read_csv(selectors.cost_shares_export(table=table, file_format="csv"))
    assert sum(Decimal(r["Amount (CHF)"]) for r in rows) == Decimal("100000.00")
    assert rows[0]["Rate (%)"] == "0.395000"


def test_query_count_does_not_grow_with_delegations():
    meeting = MeetingFactory(start_date=D(2025, 9, 15), end_date=D(2025, 9, 18))
    MeetingCostFactory(meeting=meeting, total="250000.00")

    def add(count):
        for _ in range(count):
            state = StateFactory()
            RateFactory(state=state, rate="0.011")
            delegation(meeting=meeting, state=state)

    add(5)
    with CaptureQueriesContext(connection) as small:
        selectors.meeting_cost_shares(meeting=meeting)
    add(45)
    with CaptureQueriesContext(connection) as large:
        table = selectors.meeting_cost_shares(meeting=meeting)
    assert len(table.rows) == 50 and sum(r.amount for r in table.rows) == Decimal("250000.00")
    assert len(small.captured_queries) == len(large.captured_queries) == 3  # cost, States, rates
