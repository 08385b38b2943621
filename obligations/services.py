"""Writes: Article 7 submissions, assessment rates (one by one or the whole UN scale) and meeting costs."""

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from common.languages import Language
from common.tabular import RegistryImportError, RowError, import_row_errors, load_dataset
from correspondence.models import Form, Note
from correspondence.services import CorrespondenceError, note_create, note_issue
from meetings.models import Meeting
from treaties.models import State, Treaty

from . import wording
from .models import AssessmentRate, MeetingCost, ReminderSent, ReminderStage, ReminderWording, ReportSubmission
from .resources import SCALE_COLUMNS, AssessmentRateResource
from .selectors import ObligationRow, meeting_cost_shares, reminder_languages, reminders_planned

logger = logging.getLogger(__name__)


class ScaleImportError(Exception):
    """The scale file has bad rows; ``errors`` lists each by row (header = row 1), column and reason."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(
            ngettext("%(count)s error; nothing was imported.", "%(count)s errors; nothing was imported.", len(errors))
            % {"count": len(errors)}
        )


@dataclass
class ScaleImportSummary:
    rows: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)


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
                    number,
                    "first_year",
                    gettext("Row %(row)s already gives a rate for %(state)s from %(year)s.")
                    % {"row": first_seen[key], "state": key[0], "year": key[1]},
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
    try:
        dataset = load_dataset(data=data, file_format=file_format)
    except RegistryImportError as exc:
        raise ScaleImportError(exc.errors) from None
    headers = [str(h or "").strip() for h in (dataset.headers or [])]
    missing = [column for column in SCALE_COLUMNS if column not in headers]
    if missing:
        raise ScaleImportError([RowError(1, column, gettext("Missing column.")) for column in missing])
    dataset.headers = headers
    # Left to the resource, a second row with the same key would silently update the first.
    duplicates = _duplicate_rows(dataset)
    resource = AssessmentRateResource()
    column_names = {name: f.column_name for name, f in resource.fields.items()}
    column_names |= {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=False, raise_errors=False, use_transactions=True, duplicates_checked=True
        )
        errors = sorted(import_row_errors(result, column_names) + duplicates, key=lambda e: (e.row, e.column))
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


# --- Article 7 reminders ------------------------------------------------------------------------------------


def reminder_wording(*, stage: ReminderStage, row: ObligationRow, language: str, own: dict) -> tuple[str, str]:
    """The (subject, body) of one reminder in ``language``, placeholders filled in.

    English is the stage's own wording; another language takes the stage's wording in it (``own``, by
    (stage id, language)) or else the standard wording of that language: never the English text.
    """
    if language == Language.ENGLISH:
        subject, body = stage.subject, stage.body
    elif (stage.pk, language) in own:
        subject, body = own[(stage.pk, language)]
    else:
        subject, body = wording.standard_wording(overdue=stage.kind == ReminderStage.Kind.OVERDUE, language=language)
    values = {
        "treaty": row.participation.treaty,
        "year_covered": row.year_covered,
        "due": row.due,
        "language": language,
    }
    return wording.fill(subject, **values), wording.fill(body, **values)


def reminders_send(*, at: dt.date) -> list[ReminderSent]:
    """Issue one note verbale per planned reminder. Safe to run as often as beat likes.

    The ReminderSent row is inserted first, in the same transaction as the note: a second run
    (or a concurrent one, which waits on the unique index) finds it and sends nothing, and a
    refused note leaves no row behind, so it is tried again next time.
    """
    sent = []
    planned = reminders_planned(at=at)
    languages = reminder_languages(state_ids={reminder.row.state.pk for reminder in planned})
    own = {
        (w.stage_id, w.language): (w.subject, w.body)
        for w in ReminderWording.objects.filter(stage__in={reminder.stage.pk for reminder in planned})
    }
    for reminder in planned:
        stage, row = reminder.stage, reminder.row
        language = languages[row.state.pk]
        subject, body = reminder_wording(stage=stage, row=row, language=language, own=own)
        try:
            with transaction.atomic():
                record = ReminderSent.objects.create(
                    stage=stage,
                    treaty=row.participation.treaty,
                    state=row.state,
                    kind=row.kind.value,
                    year_covered=row.year_covered or 0,
                )
                note = note_create(
                    office=stage.office,
                    created_by=stage.issued_by,
                    treaty=row.participation.treaty,
                    form=Form.NOTE_VERBALE,
                    language=language,
                    subject=subject,
                    body=body,
                    addressee_states=[row.state],
                )
                if stage.office.requires_approval:
                    # The stage's wording was approved once by a second person; each note inherits it.
                    if stage.approved_by_id is None:
                        raise CorrespondenceError(
                            f"{stage.office} requires a second person's approval: set who approved “{stage}”."
                        )
                    note.status, note.approved_by = Note.Status.APPROVED, stage.approved_by
                    note.approved_at = timezone.now()
                    note.save(update_fields=["status", "approved_by", "approved_at"])
                note = note_issue(note=note, user=stage.issued_by, issue_date=at)
                record.note = note
                record.save(update_fields=["note"])
                sent.append(record)
        except IntegrityError:
            logger.info("Reminder %s already sent", reminder.key)
        except CorrespondenceError as error:
            logger.warning("Reminder %s not issued: %s", reminder.key, error)
    return sent


# --- Article 14 assessment notes -----------------------------------------------------------------------------

ASSESSMENT_BODY = (
    "{{{{ opening }}}} inform it that, in accordance with Article 14 of the Convention, the estimated cost of the "
    "{{{{ meeting.title }}}}, {total}, is borne by the States participating in it in accordance with the United "
    "Nations scale of assessment adjusted appropriately.\n\n"
    "The share of {state} is {amount} ({percentage} % of the total, on the basis of a rate of {rate} %).\n\n"
    "{{{{ closing }}}}"
)


def assessment_notes_issue(*, meeting: Meeting, office, user, states=None) -> list[Note]:
    """One assessment note verbale per participating State, with its share of the meeting's cost.

    All or nothing: if any State has no rate, or any note is refused, no note is issued.
    """
    table = meeting_cost_shares(meeting=meeting, states=states)
    notes = []
    with transaction.atomic():
        for row in table.rows:
            body = ASSESSMENT_BODY.format(
                total=f"{table.currency} {table.total:,.2f}",
                state=row.state.name_en,
                amount=f"{table.currency} {row.amount:,.2f}",
                percentage=f"{row.percentage:.4f}",
                rate=f"{row.rate:.3f}",
            )
            note = note_create(
                office=office,
                created_by=user,
                meeting=meeting,
                form=Form.NOTE_VERBALE,
                subject="Assessed contribution to the {{ meeting.title }}",
                body=body,
                addressee_states=[row.state],
            )
            notes.append(note_issue(note=note, user=user))
    return notes
