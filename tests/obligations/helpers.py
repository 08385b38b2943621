"""Shared by the obligations tests (tests/factories.py belongs to another owner)."""

import csv
import io

import factory
import openpyxl

from obligations.models import AssessmentRate, MeetingCost, ReportSubmission
from registration.models import Delegation
from tests.factories import MeetingFactory, StateFactory, UserFactory, ccm

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


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def read_xlsx(data: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]
