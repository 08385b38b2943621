"""Demo Article 7 reports (mostly on time, some late, some missing), the UN scale, the 11MSP's cost,
and reminder stages, so that the dashboard and the compliance table have something to show."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from correspondence.models import Office
from meetings.models import Meeting
from obligations import rules
from obligations.models import AssessmentRate, ReminderStage, ReportSubmission
from obligations.selectors import obligation_statuses
from obligations.services import assessment_rate_set, meeting_cost_set, scale_import
from treaties.models import State, Treaty

SCALE = Path(__file__).resolve().parent.parent / "obligations" / "data" / "scale_2025_2027.csv"

REMINDER_BODY = (
    "{{ opening }} recall that under Article 7 of the [TREATY], the [REPORT] is due by [DUE_DATE].\n\n"
    "Reports may be sent to the Office for Disarmament Affairs by e-mail at ccm@un.org.\n\n"
    "{{ closing }}"
)
OVERDUE_BODY = (
    "{{ opening }} recall that under Article 7 of the [TREATY], the [REPORT] was due by [DUE_DATE] and has not yet "
    "been received. The Office would be grateful to receive it at the earliest opportunity.\n\n{{ closing }}"
)


def _fingerprint(iso3: str) -> int:
    return sum(ord(c) * (i + 7) for i, c in enumerate(iso3))


def _reports() -> None:
    """Deterministic: the same States are late or missing on every run."""
    if ReportSubmission.objects.exists():
        return
    today = timezone.localdate()
    submissions = []
    for treaty in Treaty.objects.all():
        for row in obligation_statuses(treaty=treaty, at=today):
            seed = _fingerprint(row.state.iso3) + (row.year_covered or 0)
            if row.due > today or seed % 9 == 0:
                continue  # not yet due, or never sent: overdue
            late = seed % 5 == 0
            received = row.due + dt.timedelta(days=25) if late else row.due - dt.timedelta(days=10)
            if received > today:
                continue
            submissions.append(
                ReportSubmission(
                    state=row.state,
                    treaty=treaty,
                    kind=row.kind.value,
                    year_covered=row.year_covered if row.kind is rules.ReportKind.ANNUAL else None,
                    received_on=received,
                )
            )
    ReportSubmission.objects.bulk_create(submissions)


def _costs() -> None:
    if not AssessmentRate.objects.exists():
        scale_import(data=SCALE.read_bytes(), file_format="csv")
    for iso3 in ("COK", "NIU"):
        assessment_rate_set(
            state=State.objects.get(iso3=iso3),
            first_year=2025,
            last_year=2027,
            rate=Decimal("0.001"),
            notes="No UN rate: set by the secretariat at the scale's floor.",
        )
    meeting = Meeting.objects.get(slug="ccm-intersessional-demo")
    meeting_cost_set(meeting=meeting, total=Decimal("185400.00"), currency="CHF", notes="Estimate (demo).")


def _reminder_stages(*, users: dict) -> None:
    User = get_user_model()
    chief, _ = User.objects.get_or_create(
        username="chief@ccm-portal.localhost", defaults={"email": "chief@ccm-portal.localhost", "is_active": False}
    )
    office = Office.objects.get(code="ODA")
    stages = [
        ("before-30-april", "30 days before the due date", ReminderStage.Kind.BEFORE_DUE, 30, REMINDER_BODY),
        ("overdue-1", "Overdue notice", ReminderStage.Kind.OVERDUE, 1, OVERDUE_BODY),
        ("overdue-90", "Second overdue notice (90 days)", ReminderStage.Kind.OVERDUE, 90, OVERDUE_BODY),
    ]
    for code, label, kind, days, body in stages:
        ReminderStage.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "kind": kind,
                "days": days,
                "office": office,
                "issued_by": users["secretariat"],
                "approved_by": chief,
                "body": body,
            },
        )


def obligations_demo_load(*, users: dict) -> None:
    _reports()
    _costs()
    _reminder_stages(users=users)
