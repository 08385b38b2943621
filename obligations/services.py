"""Writes: Article 7 submissions, assessment rates (one by one or the whole UN scale) and meeting costs."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.base import File
from django.db import transaction
from import_export.results import Result

from meetings.models import Meeting
from treaties.models import State, Treaty
from treaties.services import RowError

from .models import AssessmentRate, MeetingCost, ReportSubmission
from .resources import SCALE_COLUMNS, AssessmentRateResource

IMPORT_FORMATS = ("csv", "xlsx")


class ScaleImportError(Exception):
    """The scale file has bad rows; ``errors`` lists each by row (header = row 1), column and reason."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); nothing was imported.")


@dataclass
class ScaleImportSummary:
    rows: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)


def _load_dataset(*, data: bytes, file_format: str) -> tablib.Dataset:
    if file_format not in IMPORT_FORMATS:
        raise ScaleImportError([RowError(0, "", f"Unsupported format “{file_format}”; use CSV or XLSX.")])
    try:
        if file_format == "csv":
            return tablib.Dataset().load(data.decode("utf-8-sig"), format="csv")
        return tablib.Dataset().load(data, format="xlsx")
    except UnicodeDecodeError:
        raise ScaleImportError([RowError(0, "", "The CSV file is not UTF-8 encoded.")]) from None
    except Exception as exc:  # tablib raises many kinds for a corrupt file
        raise ScaleImportError([RowError(0, "", f"The file cannot be read as {file_format.upper()}: {exc}")]) from exc


def _row_errors(result: Result, column_names: dict[str, str]) -> list[RowError]:
    errors = [RowError(0, "", str(error.error)) for error in result.base_errors]
    for number, row_errors in result.row_errors():
        errors += [RowError(number + 1, "", str(error.error)) for error in row_errors]
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = "" if key == NON_FIELD_ERRORS else column_names.get(key, key)
            errors += [RowError(invalid.number + 1, column, message) for message in messages]
    return sorted(errors, key=lambda e: (e.row, e.column))


def _duplicate_rows(dataset: tablib.Dataset) -> list[RowError]:
    first_seen: dict[tuple[str, str], int] = {}
    errors = []
    for number, row in enumerate(dataset.dict, start=2):
        key = (str(row["state_iso3"] or "").strip().upper(), str(row["first_year"] or "").strip().removesuffix(".0"))
        if not all(key):
            continue
        if key in first_seen:
            errors.append(
                RowError(
                    number, "first_year", f"Row {first_seen[key]} already gives a rate for {key[0]} from {key[1]}."
                )
            )
        else:
            first_seen[key] = number
    return errors


def scale_import(*, data: bytes, file_format: str = "csv") -> ScaleImportSummary:
    """Import a scale of assessment (columns state_iso3, first_year, last_year, rate, source[, reference]).

    Every row is checked (unknown State, bad year, rate not a positive percentage,
    unknown source, overlapping periods, the same State twice); if any row is bad,
    nothing is written and ScaleImportError lists every problem by row and column.
    A row for a State and first year already recorded updates it.
    """
    dataset = _load_dataset(data=data, file_format=file_format)
    headers = [str(h or "").strip() for h in (dataset.headers or [])]
    missing = [column for column in SCALE_COLUMNS if column not in headers]
    if missing:
        raise ScaleImportError([RowError(1, column, "Missing column.") for column in missing])
    dataset.headers = headers
    # Left to the resource, a second row with the same key would silently update the first.
    duplicates = _duplicate_rows(dataset)
    resource = AssessmentRateResource()
    column_names = {name: f.column_name for name, f in resource.fields.items()}
    column_names |= {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
        errors = sorted(_row_errors(result, column_names) + duplicates, key=lambda e: (e.row, e.column))
        if errors:
            transaction.set_rollback(True)
            raise ScaleImportError(errors)
    totals = result.totals
    return ScaleImportSummary(
        rows=len(dataset), new=totals.get("new", 0), updated=totals.get("update", 0), skipped=totals.get("skip", 0)
    )


def assessment_rate_set(
    *,
    state: State,
    first_year: int,
    last_year: int,
    rate: Decimal,
    source: str = AssessmentRate.Source.SECRETARIAT,
    reference: str = "",
    notes: str = "",
) -> AssessmentRate:
    """Record (or correct) one State's rate for a period, e.g. a secretariat rate for the Cook Islands."""
    with transaction.atomic():
        instance = AssessmentRate.objects.select_for_update().filter(
            state=state, first_year=first_year
        ).first() or AssessmentRate(state=state, first_year=first_year)
        instance.last_year, instance.rate, instance.source = last_year, rate, source
        instance.reference, instance.notes = reference, notes
        instance.full_clean()
        instance.save()
    return instance


def meeting_cost_set(*, meeting: Meeting, total: Decimal, currency: str = "CHF", notes: str = "") -> MeetingCost:
    """Record (or correct) the total cost of a meeting to be apportioned."""
    with transaction.atomic():
        cost = MeetingCost.objects.select_for_update().filter(meeting=meeting).first() or MeetingCost(meeting=meeting)
        cost.total, cost.currency, cost.notes = total, currency.strip().upper(), notes
        cost.full_clean()
        cost.save()
    return cost


def report_submission_record(
    *,
    state: State,
    treaty: Treaty,
    kind: str,
    year_covered: int | None,
    received_on: dt.date,
    language: str = ReportSubmission.Language.ENGLISH,
    file: File | None = None,
    notes: str = "",
) -> ReportSubmission:
    """Record an Article 7 report as received. Raises ValidationError if it is already recorded or inconsistent."""
    submission = ReportSubmission(
        state=state,
        treaty=treaty,
        kind=kind,
        year_covered=year_covered,
        received_on=received_on,
        language=language,
        notes=notes,
    )
    if file is not None:
        submission.file = file
    submission.full_clean()
    submission.save()
    return submission
