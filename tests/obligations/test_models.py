"""Constraints and clean() of the obligations models, and the write services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from obligations import services
from obligations.models import AssessmentRate, MeetingCost, ReportSubmission
from obligations.rules import ReportKind
from tests.factories import MeetingFactory, StateFactory, ccm
from tests.obligations.factories import MeetingCostFactory, RateFactory, SubmissionFactory

D = dt.date
pytestmark = pytest.mark.django_db


def integrity_error(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def messages(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- ReportSubmission ---------------------------------------------------------------------------------------


def test_kinds_are_the_rule_kinds():
    assert ReportSubmission.Kind.values == [kind.value for kind in ReportKind]


def test_year_covered_iff_annual_in_the_database():
    state = StateFactory()
    integrity_error(lambda: SubmissionFactory(state=state, kind="annual", year_covered=None, received_on=D(2012, 4, 1)))
    integrity_error(
        lambda: SubmissionFactory(state=state, kind="initial", year_covered=2011, received_on=D(2012, 4, 1))
    )


def test_one_initial_report_per_state_and_treaty():
    state = StateFactory()
    SubmissionFactory(state=state, received_on=D(2011, 1, 1))
    integrity_error(lambda: SubmissionFactory(state=state, received_on=D(2011, 2, 1)))
    with pytest.raises(ValidationError) as excinfo:
        services.report_submission_record(
            state=state, treaty=ccm(), kind="initial", year_covered=None, received_on=D(2011, 3, 1)
        )
    assert "already recorded" in str(excinfo.value)


def test_one_annual_report_per_year():
    state = StateFactory()
    SubmissionFactory(state=state, kind="annual", year_covered=2011, received_on=D(2012, 4, 1))
    SubmissionFactory(state=state, kind="annual", year_covered=2012, received_on=D(2013, 4, 1))
    integrity_error(lambda: SubmissionFactory(state=state, kind="annual", year_covered=2011, received_on=D(2012, 5, 1)))
    with pytest.raises(ValidationError, match="for this year is already recorded"):
        services.report_submission_record(
            state=state, treaty=ccm(), kind="annual", year_covered=2012, received_on=D(2013, 5, 1)
        )


def test_clean_keys_errors_to_fields():
    submission = ReportSubmission(
        state=StateFactory(), treaty=ccm(), kind="annual", year_covered=None, received_on=D(2099, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        submission.full_clean()
    assert messages(excinfo) == {
        "year_covered": ["Say which calendar year the annual report covers."],
        "received_on": ["A report cannot be received in the future."],
    }
    submission = ReportSubmission(
        state=StateFactory(), treaty=ccm(), kind="annual", year_covered=2015, received_on=D(2014, 12, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        submission.full_clean()
    assert messages(excinfo) == {"received_on": ["A report on 2015 cannot arrive before that year began."]}
    submission = ReportSubmission(
        state=StateFactory(), treaty=ccm(), kind="initial", year_covered=2015, received_on=D(2016, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        submission.full_clean()
    assert messages(excinfo) == {"year_covered": ["The initial report covers no calendar year; leave it empty."]}


def test_report_pdf_is_validated(pdf_bytes):
    state = StateFactory(iso3="XQA")
    good = services.report_submission_record(
        state=state,
        treaty=ccm(),
        kind="annual",
        year_covered=2011,
        received_on=D(2012, 4, 2),
        language="fr",
        file=SimpleUploadedFile("report.pdf", pdf_bytes, content_type="application/pdf"),
    )
    assert good.file.name == "article7/CCM/XQA-2011-fr.pdf"
    with pytest.raises(ValidationError) as excinfo:
        services.report_submission_record(
            state=state,
            treaty=ccm(),
            kind="annual",
            year_covered=2012,
            received_on=D(2013, 4, 2),
            file=SimpleUploadedFile("report.pdf", b"not a pdf at all", content_type="application/pdf"),
        )
    assert list(messages(excinfo)) == ["file"]
    assert ReportSubmission.objects.count() == 1


# --- AssessmentRate -----------------------------------------------------------------------------------------


def test_rate_constraints_in_the_database():
    state = StateFactory()
    RateFactory(state=state, first_year=2025, last_year=2027)
    integrity_error(lambda: RateFactory(state=state, first_year=2025, last_year=2025))
    integrity_error(lambda: RateFactory(state=StateFactory(), first_year=2027, last_year=2025))
    integrity_error(lambda: RateFactory(state=StateFactory(), rate="0"))
    integrity_error(lambda: RateFactory(state=StateFactory(), rate="-0.001"))


def test_rate_clean():
    state = StateFactory(name_en="Testland Rates")
    RateFactory(state=state, first_year=2022, last_year=2024)
    overlapping = AssessmentRate(state=state, first_year=2024, last_year=2026, rate=Decimal("0.5"))
    with pytest.raises(ValidationError) as excinfo:
        overlapping.full_clean()
    assert messages(excinfo) == {
        "first_year": ["Testland Rates already has a rate for 2022–2024; periods may not overlap."]
    }
    backwards = AssessmentRate(state=state, first_year=2030, last_year=2028, rate=Decimal("0"))
    with pytest.raises(ValidationError) as excinfo:
        backwards.full_clean()
    assert messages(excinfo) == {
        "last_year": ["The last year cannot precede the first year."],
        "rate": ["A rate is a percentage above 0 and at most 100."],
    }
    AssessmentRate(state=state, first_year=2025, last_year=2027, rate=Decimal("0.001")).full_clean()


def test_assessment_rate_set_creates_then_corrects():
    niue = StateFactory(name_en="Testland Niue")
    rate = services.assessment_rate_set(state=niue, first_year=2025, last_year=2027, rate=Decimal("0.001"))
    assert (rate.source, str(rate)) == ("secretariat", "Testland Niue: 0.001 % (2025–2027)")
    services.assessment_rate_set(state=niue, first_year=2025, last_year=2026, rate=Decimal("0.002"))
    assert list(AssessmentRate.objects.values_list("last_year", "rate")) == [(2026, Decimal("0.002000"))]


# --- MeetingCost --------------------------------------------------------------------------------------------


def test_meeting_cost_constraints():
    integrity_error(lambda: MeetingCostFactory(total="0.00"))
    integrity_error(lambda: MeetingCostFactory(currency="chf"))
    cost = MeetingCostFactory()
    integrity_error(lambda: MeetingCostFactory(meeting=cost.meeting))  # one cost per meeting


def test_meeting_cost_set():
    meeting = MeetingFactory(title="Eleventh Meeting")
    cost = services.meeting_cost_set(meeting=meeting, total=Decimal("412345.60"), currency="usd")
    assert (cost.total, cost.currency) == (Decimal("412345.60"), "USD")
    services.meeting_cost_set(meeting=meeting, total=Decimal("500000.00"))
    assert list(MeetingCost.objects.values_list("total", "currency")) == [(Decimal("500000.00"), "CHF")]
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_cost_set(meeting=meeting, total=Decimal("-1.00"), currency="EURO")
    assert set(messages(excinfo)) == {"total", "currency"}
