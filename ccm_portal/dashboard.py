"""The secretariat dashboard: the first page a secretariat officer sees after signing in.

Every panel is read in a fixed number of queries, whatever the number of States,
meetings or notes (a test with 200 States guards it).
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from correspondence.models import NoteCopy
from meetings.models import Meeting
from obligations import rules as report_rules
from obligations.selectors import COUNTED_AS, ComplianceRow, ObligationRow, obligation_statuses
from registration.models import Credentials, Delegation
from registration.selectors import category_of
from treaties.models import Participation, Treaty

UPCOMING_MEETINGS = 8
LIST_LENGTH = 10
HORIZON_DAYS = 30


@dataclass
class MeetingPanel:
    meeting: Meeting
    by_category: dict[str, int]
    by_status: dict[str, int]


@dataclass
class TreatyReporting:
    treaty: Treaty
    this_year: ComplianceRow
    overdue_initial: list[ObligationRow]


@dataclass
class Deadline:
    day: dt.date
    what: str
    url: str = ""


@dataclass
class Dashboard:
    today: dt.date
    meetings: list[MeetingPanel]
    credentials_pending: list[Credentials]
    credentials_pending_count: int
    failed_copies: list[NoteCopy]
    failed_copies_count: int
    reporting: list[TreatyReporting]
    deadlines: list[Deadline] = field(default_factory=list)


def _meeting_panels(today: dt.date) -> list[MeetingPanel]:
    meetings = list(
        Meeting.objects.filter(end_date__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("treaty")
        .order_by("start_date")[:UPCOMING_MEETINGS]
    )
    delegations = Delegation.objects.filter(meeting__in=meetings).select_related("meeting")
    treaty_ids = {m.treaty_id for m in meetings}
    participations: dict[int, dict[int, Participation]] = defaultdict(dict)
    for participation in Participation.objects.filter(treaty_id__in=treaty_ids).select_related("treaty"):
        participations[participation.treaty_id][participation.state_id] = participation
    labels = dict(Delegation.Category.choices)
    by_category: dict[int, Counter] = defaultdict(Counter)
    by_status: dict[int, Counter] = defaultdict(Counter)
    for delegation in delegations:
        category = category_of(delegation, participations[delegation.meeting.treaty_id])
        by_category[delegation.meeting_id][labels[category]] += 1
        by_status[delegation.meeting_id][delegation.get_status_display()] += 1
    return [
        MeetingPanel(m, {label: by_category[m.pk].get(label, 0) for label in labels.values()}, dict(by_status[m.pk]))
        for m in meetings
    ]


def _reporting(today: dt.date) -> tuple[list[TreatyReporting], list[Deadline]]:
    reporting, deadlines = [], []
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    for treaty in Treaty.objects.order_by("code"):
        rows = obligation_statuses(treaty=treaty, at=today)
        counts: Counter = Counter()
        for row in rows:
            if row.due.year == today.year:
                counts["owed"] += 1
                counts[COUNTED_AS[row.status]] += 1
            if row.status is report_rules.ReportStatus.DUE and today <= row.due <= horizon:
                year = f" {row.year_covered}" if row.year_covered else ""
                deadlines.append(
                    Deadline(row.due, f"{row.state}: {treaty.code} Article 7 {row.kind.label.lower()}{year}")
                )
        overdue = sorted(
            (
                r
                for r in rows
                if r.kind is report_rules.ReportKind.INITIAL and r.status is report_rules.ReportStatus.OVERDUE
            ),
            key=lambda r: (r.due, r.state.name_en),
        )
        reporting.append(TreatyReporting(treaty, ComplianceRow(year=today.year, **counts), overdue))
    return reporting, deadlines


def _meeting_deadlines(today: dt.date) -> list[Deadline]:
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    window = {"range": (today, horizon)}
    fields = {
        "registration_opens": "registration opens",
        "registration_deadline": "registration deadline",
        "delegation_details_deadline": "delegation details due",
        "rsvp_by": "R.S.V.P. by",
        "start_date": "meeting opens",
    }
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__{lookup}": value for lookup, value in window.items()})
    deadlines = []
    for meeting in Meeting.objects.filter(condition).exclude(status=Meeting.Status.CANCELLED).select_related("treaty"):
        for name, label in fields.items():
            day = getattr(meeting, name)
            if day and today <= day <= horizon:
                deadlines.append(Deadline(day, f"{meeting}: {label}", meeting.get_absolute_url()))
    return deadlines


def dashboard(*, today: dt.date) -> Dashboard:
    reporting, report_deadlines = _reporting(today)
    pending = Credentials.objects.filter(status=Credentials.Status.RECEIVED)
    failed = NoteCopy.objects.filter(status=NoteCopy.Status.FAILED)
    return Dashboard(
        today=today,
        meetings=_meeting_panels(today),
        credentials_pending=list(
            pending.select_related("delegation__meeting", "delegation__state", "delegation__organisation").order_by(
                "uploaded_at"
            )[:LIST_LENGTH]
        ),
        credentials_pending_count=pending.count(),
        failed_copies=list(failed.select_related("note").order_by("-updated_at")[:LIST_LENGTH]),
        failed_copies_count=failed.count(),
        reporting=reporting,
        deadlines=sorted(_meeting_deadlines(today) + report_deadlines, key=lambda d: (d.day, d.what)),
    )
