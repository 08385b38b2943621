"""Shared by the obligations tests: their models' factories and small tables.

The lower apps' factories are in tests/factories.py."""

import factory

from obligations.models import AssessmentRate, MeetingCost, ReportSubmission
from registration.models import Delegation
from tests.factories import MeetingFactory, StateFactory, UserFactory, ccm
from tests.treaties.factories import csv_bytes, read_csv, read_xlsx, xlsx_bytes  # noqa: F401 (shared)

SCALE_HEADER = ["state_iso3", "first_year", "last_year", "rate", "source"]


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSubmission

    state = factory.SubFactory(StateFactory)
    treaty = factory.LazyFunction(ccm)
    kind = ReportSubmission.Kind.INITIAL
    year_covered = None
    language = ReportSubmission.Language.ENGLISH


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentRate

    state = factory.SubFactory(StateFactory)
    first_year = 2025
    last_year = 2027
    rate = "0.001"
    source = AssessmentRate.Source.UN
    reference = "A/RES/79/249"


class MeetingCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingCost

    meeting = factory.SubFactory(MeetingFactory)
    total = "100000.00"
    currency = "CHF"


def delegation(*, meeting, state=None, organisation=None, status=Delegation.Status.APPROVED) -> Delegation:
    return Delegation.objects.create(
        meeting=meeting,
        state=state,
        organisation=organisation,
        status=status,
        created_by=UserFactory(two_factor=False),
    )
