"""Article 7 statuses per State and the per-year compliance table, through obligations.selectors."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obligations import selectors
from obligations.models import ReportSubmission
from obligations.rules import ReportKind, ReportStatus
from obligations.selectors import ComplianceRow
from tests.factories import ParticipationFactory, StateFactory, apmbc, ccm
from tests.obligations.factories import SubmissionFactory, read_csv, read_xlsx
from treaties.models import Participation, State

D = dt.date
pytestmark = pytest.mark.django_db
AT = D(2013, 6, 1)


def initial(state, received_on, treaty=None):
    return SubmissionFactory(state=state, treaty=treaty or ccm(), received_on=received_on)


def annual(state, year, received_on, treaty=None):
    return SubmissionFactory(
        state=state, treaty=treaty or ccm(), kind="annual", year_covered=year, received_on=received_on
    )


@pytest.fixture
def world():
    """Seven States with known CCM reporting histories; names sort in the order listed."""
    states = {
        key: StateFactory(name_en=f"{n} {key}")
        for n, key in enumerate(["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"], start=1)
    }
    # Before the triggering instrument: EIF 2010-08-01, initial due 2011-01-28.
    ParticipationFactory(state=states["alpha"], deposit_date=D(2009, 3, 18))
    initial(states["alpha"], D(2011, 1, 20))  # on time
    annual(states["alpha"], 2011, D(2012, 5, 10))  # late (due 2012-04-30); nothing for 2012
    # Lithuania's dates: EIF 2011-09-01, initial due 2012-02-28 (leap year).
    ParticipationFactory(state=states["bravo"], deposit_date=D(2011, 3, 24))
    initial(states["bravo"], D(2012, 3, 1))  # late
    annual(states["bravo"], 2012, D(2013, 4, 30))  # on time, on the due date
    # EIF 2011-11-01: initial due 2012-04-29; nothing received.
    ParticipationFactory(state=states["charlie"], deposit_date=D(2011, 5, 20))
    # Withdrew: effective 2011-12-01, so 2011 is owed and 2012 is not.
    ParticipationFactory(state=states["delta"], deposit_date=D(2009, 3, 18), withdrawal_notice_date=D(2011, 6, 1))
    initial(states["delta"], D(2011, 1, 10))
    # Initial due date overridden to 2012-03-15: the first annual report covers 2012.
    ParticipationFactory(state=states["echo"], deposit_date=D(2009, 3, 18), initial_report_due_override=D(2012, 3, 15))
    initial(states["echo"], D(2012, 3, 10))
    annual(states["echo"], 2012, D(2013, 4, 1))
    # A signatory owes nothing, even if it reports voluntarily.
    ParticipationFactory(state=states["foxtrot"], deposit_date=None, instrument="")
    initial(states["foxtrot"], D(2012, 1, 1))
    # Party to the APMBC only: not counted under the CCM.
    ParticipationFactory(
        treaty=apmbc(), state=states["golf"], signature_date=D(1997, 12, 3), deposit_date=D(1998, 7, 9)
    )
    return states


def table(rows):
    return [(r.year, r.owed, r.on_time, r.late, r.overdue, r.pending, r.on_time_rate) for r in rows]


def test_compliance_table(world):
    assert table(selectors.compliance_table(treaty=ccm(), at=AT)) == [
        (2011, 2, 2, 0, 0, 0, Decimal("100.0")),  # alpha and delta initial
        (2012, 5, 1, 2, 2, 0, Decimal("20.0")),  # echo initial | alpha 2011, bravo initial | charlie, delta 2011
        (2013, 4, 2, 0, 2, 0, Decimal("50.0")),  # bravo and echo 2012 | alpha, charlie 2012
    ]


def test_compliance_table_during_the_reporting_season(world):
    # Before 30 April 2013, the 2012 reports not yet in are pending, not overdue.
    assert table(selectors.compliance_table(treaty=ccm(), at=D(2013, 4, 15)))[-1] == (
        2013,
        4,
        1,  # echo, early
        0,
        0,
        3,
        Decimal("100.0"),
    )


def test_compliance_table_in_the_past_ignores_later_submissions(world):
    assert table(selectors.compliance_table(treaty=ccm(), at=D(2011, 1, 28))) == [
        (2011, 2, 2, 0, 0, 0, Decimal("100.0"))
    ]
    assert table(selectors.compliance_table(treaty=ccm(), at=D(2011, 1, 5))) == [
        (2011, 2, 0, 0, 0, 2, None)  # both initial reports owed, due later this month, none in yet
    ]
    # Only years up to the date asked about: on 31 December 2010 nothing had fallen due yet.
    assert selectors.compliance_table(treaty=ccm(), at=D(2010, 12, 31)) == []


def test_withdrawal_changes_the_table(world):
    delta = Participation.objects.get(state=world["delta"], treaty=ccm())
    delta.withdrawal_notice_date = None
    delta.save()
    # Without the withdrawal, delta also owes the report on 2012, due in 2013.
    assert table(selectors.compliance_table(treaty=ccm(), at=AT))[-1] == (2013, 5, 2, 0, 3, 0, Decimal("40.0"))
    # Withdrawal effective on 1 January 2012 (override): 2012 is not owed, 2011 still is.
    delta.withdrawal_notice_date = D(2011, 6, 1)
    delta.withdrawal_effective_override = D(2012, 1, 1)
    delta.save()
    statuses = selectors.state_obligation_statuses(state=world["delta"], treaty=ccm(), at=AT)
    assert [(r.kind, r.year_covered, r.status) for r in statuses] == [
        (ReportKind.INITIAL, None, ReportStatus.ON_TIME),
        (ReportKind.ANNUAL, 2011, ReportStatus.OVERDUE),
    ]
    # Effective on 2 January 2012: a day of 2012 as a party, so the report on 2012 is owed.
    delta.withdrawal_effective_override = D(2012, 1, 2)
    delta.save()
    statuses = selectors.state_obligation_statuses(state=world["delta"], treaty=ccm(), at=AT)
    assert [r.year_covered for r in statuses] == [None, 2011, 2012]


def test_overrides_change_the_table(world):
    echo = Participation.objects.get(state=world["echo"], treaty=ccm())
    echo.initial_report_due_override = None
    echo.save()
    # Computed dates: initial due 2011-01-28 (received 2012: late), 2011 overdue, 2012 on time.
    assert table(selectors.compliance_table(treaty=ccm(), at=AT)) == [
        (2011, 3, 2, 1, 0, 0, Decimal("66.7")),
        (2012, 5, 0, 2, 3, 0, Decimal("0.0")),
        (2013, 4, 2, 0, 2, 0, Decimal("50.0")),
    ]
    # An entry-into-force override moves everything that follows from it.
    charlie = Participation.objects.get(state=world["charlie"], treaty=ccm())
    charlie.entry_into_force_override = D(2013, 1, 1)
    charlie.save()
    statuses = selectors.state_obligation_statuses(state=world["charlie"], treaty=ccm(), at=AT)
    assert [(r.kind, r.year_covered, r.due, r.status) for r in statuses] == [
        (ReportKind.INITIAL, None, D(2013, 6, 30), ReportStatus.DUE),
        (ReportKind.ANNUAL, 2013, D(2014, 4, 30), ReportStatus.NOT_YET_DUE),
    ]


def test_statuses_of_one_state(world):
    rows = selectors.state_obligation_statuses(state=world["alpha"], treaty=ccm(), at=AT)
    assert [(r.kind, r.year_covered, r.due, r.status) for r in rows] == [
        (ReportKind.INITIAL, None, D(2011, 1, 28), ReportStatus.ON_TIME),
        (ReportKind.ANNUAL, 2011, D(2012, 4, 30), ReportStatus.LATE),
        (ReportKind.ANNUAL, 2012, D(2013, 4, 30), ReportStatus.OVERDUE),
        (ReportKind.ANNUAL, 2013, D(2014, 4, 30), ReportStatus.NOT_YET_DUE),
    ]
    assert rows[1].submission.received_on == D(2012, 5, 10)
    assert rows[2].submission is None and rows[2].days_overdue == 32
    assert selectors.state_obligation_statuses(state=world["foxtrot"], treaty=ccm(), at=AT) == []
    assert selectors.state_obligation_statuses(state=world["golf"], treaty=ccm(), at=AT) == []


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (D(2012, 4, 29), ReportStatus.DUE),
        (D(2012, 4, 30), ReportStatus.OVERDUE),
        (D(2011, 10, 31), None),  # not yet in force: nothing owed
        (D(2011, 11, 1), ReportStatus.DUE),
    ],
)
def test_obligation_status_at_boundary_days(world, at, expected):
    row = selectors.obligation_status(state=world["charlie"], treaty=ccm(), kind="initial", year_covered=None, at=at)
    assert (row.status if row else None) is expected


def test_submission_obligation(world):
    late = ReportSubmission.objects.get(state=world["bravo"], kind="initial")
    row = selectors.submission_obligation(submission=late, at=AT)
    assert (row.due, row.status) == (D(2012, 2, 28), ReportStatus.LATE)
    # Even asked about a day before it arrived, a recorded report is judged as received.
    assert selectors.submission_obligation(submission=late, at=D(2012, 1, 1)).status is ReportStatus.LATE
    voluntary = ReportSubmission.objects.get(state=world["foxtrot"])
    assert selectors.submission_obligation(submission=voluntary, at=AT) is None


def test_overdue_initial_reports(world):
    rows = selectors.overdue_initial_reports(treaty=ccm(), at=AT)
    assert [(r.state.name_en, r.due, r.days_overdue) for r in rows] == [("3 charlie", D(2012, 4, 29), 398)]
    before = selectors.overdue_initial_reports(treaty=ccm(), at=D(2012, 3, 1))
    # On 1 March 2012 bravo's report (due 28 February) had not arrived yet; it came that day: late, not overdue.
    assert [r.state.name_en for r in before] == []
    assert [r.state.name_en for r in selectors.overdue_initial_reports(treaty=ccm(), at=D(2012, 2, 29))] == ["2 bravo"]


def test_compliance_export_csv_and_xlsx(world):
    rows = read_csv(selectors.compliance_export(treaty=ccm(), at=AT, file_format="csv"))
    assert rows[1] == {
        "Year due": "2012",
        "Owed": "5",
        "On time": "1",
        "Late": "2",
        "Overdue": "2",
        "Not yet due": "0",
        "On-time rate (%)": "20.0",
    }
    xlsx = selectors.compliance_export(treaty=ccm(), at=AT, file_format="xlsx")
    assert openpyxl.load_workbook(io.BytesIO(xlsx)).sheetnames == ["CCM Article 7"]
    sheet = read_xlsx(xlsx)
    assert [(r["Year due"], r["Owed"], r["On-time rate (%)"]) for r in sheet] == [
        (2011, 2, 100),
        (2012, 5, 20),
        (2013, 4, 50),
    ]
    with pytest.raises(ValueError, match="Unsupported format"):
        selectors.compliance_export(treaty=ccm(), at=AT, file_format="pdf")


def test_empty_year_has_no_rate():
    assert ComplianceRow(year=2020).on_time_rate is None


# --- query count --------------------------------------------------------------------------------------------


def make_parties(count: int) -> None:
    """``count`` CCM parties, each with an initial report and a few annual ones, written in bulk."""
    first = State.objects.count()
    states = State.objects.bulk_create(StateFactory.build(name_en=f"Bulkland {first + n:04d}") for n in range(count))
    treaty = ccm()
    Participation.objects.bulk_create(
        Participation(
            treaty=treaty,
            state=state,
            signature_date=D(2008, 12, 3),
            deposit_date=D(2009, 3, 18) if n % 2 else D(2011, 3, 24),
            instrument="ratification",
            withdrawal_notice_date=D(2020, 1, 10) if n % 7 == 0 else None,
            initial_report_due_override=D(2012, 1, 31) if n % 5 == 0 else None,
        )
        for n, state in enumerate(states)
    )
    submissions = []
    for n, state in enumerate(states):
        if n % 4:  # every fourth State never sent its initial report
            submissions.append(ReportSubmission(state=state, treaty=treaty, kind="initial", received_on=D(2012, 1, 15)))
        submissions += [
            ReportSubmission(
                state=state,
                treaty=treaty,
                kind="annual",
                year_covered=year,
                received_on=D(year + 1, 4, 15) + dt.timedelta(days=n % 30),
            )
            for year in range(2012, 2024, 1 + n % 3)
        ]
    ReportSubmission.objects.bulk_create(submissions)


@pytest.mark.parametrize(
    "read",
    [
        lambda: selectors.compliance_table(treaty=ccm(), at=D(2025, 6, 1)),
        lambda: selectors.overdue_initial_reports(treaty=ccm(), at=D(2025, 6, 1)),
        lambda: selectors.obligation_statuses(treaty=ccm(), at=D(2025, 6, 1)),
    ],
    ids=["compliance_table", "overdue_initial_reports", "obligation_statuses"],
)
def test_query_count_does_not_grow_with_states(read):
    ccm()  # the treaty itself is looked up once by the caller, outside the measured block
    make_parties(5)
    with CaptureQueriesContext(connection) as small:
        small_result = read()
    make_parties(195)
    with CaptureQueriesContext(connection) as large:
        large_result = read()
    assert large_result != small_result
    # One query for ccm() in the lambda, one for participations, one for submissions.
    assert len(small.captured_queries) == len(large.captured_queries) == 3
