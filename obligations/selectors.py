"""Reads: Article 7 report statuses and compliance, Article 14 cost shares, and their exports.

Obligations are computed from dates (with overrides), so statuses are resolved in
Python over rows fetched in a fixed number of queries per treaty or meeting: the
query count does not grow with the number of States.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext

from common.languages import Language
from meetings.models import Meeting
from registration.models import Delegation
from treaties.models import Participation, State, Treaty

from . import rules
from .models import (
    AssessmentRate,
    MeetingCost,
    ReminderLanguage,
    ReminderSent,
    ReminderStage,
    ReportSubmission,
)
from .resources import ComplianceResource, CostShareResource

EXPORT_FORMATS = ("csv", "xlsx")

# --- Article 7 ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObligationRow:
    """One obligation of one State on a date, with the submission that answers it (if any)."""

    state: State
    participation: Participation
    obligation: rules.Obligation
    submission: ReportSubmission | None
    status: rules.ReportStatus
    at: dt.date

    @property
    def kind(self) -> rules.ReportKind:
        return self.obligation.kind

    @property
    def year_covered(self) -> int | None:
        return self.obligation.year_covered

    @property
    def due(self) -> dt.date:
        return self.obligation.due

    @property
    def days_overdue(self) -> int:
        return (self.at - self.due).days if self.status is rules.ReportStatus.OVERDUE else 0


def obligations_of(
    *, participation: Participation, until: dt.date, since_year: int | None = None
) -> list[rules.Obligation]:
    """The Article 7 obligations of one participation up to ``until``, with its overrides applied.

    Reads ``participation.treaty``: select it with the participation to avoid a query.
    """
    return rules.article7_obligations(
        entry_into_force=participation.entry_into_force,
        initial_report_due=participation.initial_report_due,
        withdrawal_effective=participation.withdrawal_effective,
        until=until,
        since_year=since_year,
    )


def _rows(
    participations: Iterable[Participation], submissions: Iterable[ReportSubmission], at: dt.date
) -> list[ObligationRow]:
    by_key = {(s.state_id, s.kind, s.year_covered): s for s in submissions}
    rows = []
    for participation in participations:
        for obligation in obligations_of(participation=participation, until=at):
            submission = by_key.get((participation.state_id, *obligation.key))
            received_on = submission.received_on if submission else None
            rows.append(
                ObligationRow(
                    state=participation.state,
                    participation=participation,
                    obligation=obligation,
                    submission=submission if received_on and received_on <= at else None,
                    status=rules.report_status(obligation=obligation, received_on=received_on, at=at),
                    at=at,
                )
            )
    return rows


def obligation_statuses(*, treaty: Treaty, at: dt.date, states: Iterable[State] | None = None) -> list[ObligationRow]:
    """Every Article 7 obligation under ``treaty`` that has arisen by ``at``, with its status on ``at``.

    Two queries whatever the number of States: the participations (with State and
    treaty) and the submissions received by ``at``. Sorted by State name, then
    initial report first and annual reports by year.
    """
    # Signatories come too: an entry-into-force override is respected even without a deposit.
    participations = Participation.objects.filter(treaty=treaty).select_related("state", "treaty")
    submissions = ReportSubmission.objects.filter(treaty=treaty, received_on__lte=at)
    if states is not None:
        state_ids = [s.pk for s in states]
        participations = participations.filter(state_id__in=state_ids)
        submissions = submissions.filter(state_id__in=state_ids)
    rows = _rows(participations, submissions, at)
    return sorted(rows, key=lambda r: (r.state.name_en, r.obligation.arises_on, r.year_covered or 0))


def state_obligation_statuses(*, state: State, treaty: Treaty, at: dt.date) -> list[ObligationRow]:
    """The obligations of one State under one treaty on ``at`` (empty if it is not bound by the treaty)."""
    return obligation_statuses(treaty=treaty, at=at, states=[state])


def obligation_status(
    *, state: State, treaty: Treaty, kind: str, year_covered: int | None, at: dt.date
) -> ObligationRow | None:
    """The status of one obligation, or None when the State owes no such report by ``at``."""
    key = (rules.ReportKind(kind).value, year_covered)
    rows = state_obligation_statuses(state=state, treaty=treaty, at=at)
    return next((row for row in rows if row.obligation.key == key), None)


def submission_obligation(*, submission: ReportSubmission, at: dt.date) -> ObligationRow | None:
    """The obligation a recorded report answers, as of ``at``; None for a voluntary report (nothing owed)."""
    return obligation_status(
        state=submission.state,
        treaty=submission.treaty,
        kind=submission.kind,
        year_covered=submission.year_covered,
        at=max(at, submission.received_on),
    )


@dataclass(frozen=True)
class ComplianceRow:
    """Reports that fell due in ``year`` under one treaty, as they stood on a date.

    ``pending`` counts reports whose due date had not passed and which were not yet in
    (status "not yet due" or "due"); they are owed but not yet late, so the on-time rate
    is measured over the others: on time / (on time + late + overdue).
    """

    year: int
    owed: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return rules.percentage(self.on_time, self.on_time + self.late + self.overdue)


COUNTED_AS = {
    rules.ReportStatus.ON_TIME: "on_time",
    rules.ReportStatus.LATE: "late",
    rules.ReportStatus.OVERDUE: "overdue",
    rules.ReportStatus.DUE: "pending",
    rules.ReportStatus.NOT_YET_DUE: "pending",
}


# The tables below count statuses; they read the dates reports were received (plain values, no model
# instances) and only the rows they need: on the dashboard that is most of the time it takes.


def _received_on(*, treaty_ids: Iterable[int], at: dt.date, only: Q | None = None) -> dict[tuple, dt.date]:
    """(treaty id, State id, kind, year covered) -> the day the report was received, for reports in by ``at``."""
    # Unordered: a lookup table needs no order, and the model's (by treaty code and State name) joined both
    # tables and sorted every row on each visit to the dashboard.
    rows = ReportSubmission.objects.filter(treaty_id__in=list(treaty_ids), received_on__lte=at).order_by()
    if only is not None:
        rows = rows.filter(only)
    return {
        (treaty_id, state_id, kind, year): received
        for treaty_id, state_id, kind, year, received in rows.values_list(
            "treaty_id", "state_id", "kind", "year_covered", "received_on"
        )
    }


def _status(participation: Participation, obligation: rules.Obligation, received: dict, at: dt.date):
    received_on = received.get((participation.treaty_id, participation.state_id, *obligation.key))
    return rules.report_status(obligation=obligation, received_on=received_on, at=at)


def _count(counts: dict[str, int], status: rules.ReportStatus) -> None:
    counts["owed"] += 1
    counts[COUNTED_AS[status]] += 1


def compliance_table(*, treaty: Treaty, at: dt.date) -> list[ComplianceRow]:
    """Per year in which reports were due (up to the year of ``at``): owed, on time, late, overdue, pending.

    Initial and annual reports are counted together, each in the year of its due date. Two queries.
    """
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    received = _received_on(treaty_ids=[treaty.pk], at=at)
    for participation in Participation.objects.filter(treaty=treaty).select_related("treaty"):
        for obligation in obligations_of(participation=participation, until=at):
            if obligation.due.year <= at.year:  # a report on the current year is not due before next year
                _count(counts[obligation.due.year], _status(participation, obligation, received, at))
    return [ComplianceRow(year=year, **counts[year]) for year in sorted(counts)]


def _overdue_row(participation: Participation, obligation: rules.Obligation, at: dt.date) -> ObligationRow:
    return ObligationRow(
        state=participation.state,
        participation=participation,
        obligation=obligation,
        submission=None,
        status=rules.ReportStatus.OVERDUE,
        at=at,
    )


def overdue_initial_reports(*, treaty: Treaty, at: dt.date) -> list[ObligationRow]:
    """Initial reports past their due date and not received by ``at``, longest overdue first."""
    received = _received_on(treaty_ids=[treaty.pk], at=at, only=Q(kind=rules.ReportKind.INITIAL))
    rows = [
        _overdue_row(participation, obligation, at)
        for participation in Participation.objects.filter(treaty=treaty).select_related("state", "treaty")
        for obligation in obligations_of(participation=participation, until=at)[:1]  # the initial report
        if _status(participation, obligation, received, at) is rules.ReportStatus.OVERDUE
    ]
    return sorted(rows, key=lambda r: (r.due, r.state.name_en))


def obligations_counted_as(*, treaty: Treaty, at: dt.date, year: int, counted_as: str) -> list[ObligationRow]:
    """The obligations behind one count of the compliance table: due in ``year``, counted as ``counted_as``
    (owed, on_time, late, overdue or pending), by State."""
    return [
        row
        for row in obligation_statuses(treaty=treaty, at=at)
        if row.due.year == year and counted_as in ("owed", COUNTED_AS[row.status])
    ]


# The participation's fields the Article 7 rules read (with its treaty's dates).
RULE_FIELDS = (
    "treaty_id",
    "state_id",
    "signature_date",
    "deposit_date",
    "entry_into_force_override",
    "initial_report_due_override",
    "withdrawal_notice_date",
    "withdrawal_effective_override",
)


@dataclass(frozen=True)
class ReportingOverview:
    """One treaty's Article 7 reporting on a date, as the dashboard shows it."""

    treaty: Treaty
    this_year: ComplianceRow
    overdue_initial: list[ObligationRow]
    due_soon: list[ObligationRow]  # not yet in, due between the date and the horizon


def reporting_overview(*, at: dt.date, horizon_days: int = 30) -> list[ReportingOverview]:
    """Per treaty: the reports due in the year of ``at`` (the compliance table's row for that year), the
    overdue initial reports and the reports due within ``horizon_days``. Three queries for every treaty.

    Only the submissions these can concern are read: initial reports, and annual reports covering the
    previous year or later (those fall due in the year of ``at`` or after).
    """
    horizon = at + dt.timedelta(days=horizon_days)
    treaties = list(Treaty.objects.order_by("code"))
    received = _received_on(
        treaty_ids=[t.pk for t in treaties],
        at=at,
        only=Q(kind=rules.ReportKind.INITIAL) | Q(year_covered__gte=at.year - 1),
    )
    counts: dict[int, dict[str, int]] = {t.pk: defaultdict(int) for t in treaties}
    overdue: dict[int, list[ObligationRow]] = {t.pk: [] for t in treaties}
    due_soon: dict[int, list[ObligationRow]] = {t.pk: [] for t in treaties}
    by_id = {t.pk: t for t in treaties}
    # Only the dates the rules read, and the State's name: building ~300 full model instances per visit
    # was a third of this function's time. The treaty (two rows) is attached rather than joined.
    participations = (
        Participation.objects.filter(treaty__in=treaties)
        .select_related("state")
        .only(*RULE_FIELDS, "state__name_en", "state__iso3")
        .order_by()  # the lists are sorted below; the model's order joined the treaty only to sort by its code
    )
    for participation in participations:
        participation.treaty = by_id[participation.treaty_id]
        for obligation in obligations_of(participation=participation, until=at, since_year=at.year - 1):
            is_initial = obligation.kind is rules.ReportKind.INITIAL
            this_year = obligation.due.year == at.year
            soon = at <= obligation.due <= horizon
            if not (is_initial or this_year or soon):
                continue  # its submission was not read
            status = _status(participation, obligation, received, at)
            if this_year:
                _count(counts[participation.treaty_id], status)
            if is_initial and status is rules.ReportStatus.OVERDUE:
                overdue[participation.treaty_id].append(_overdue_row(participation, obligation, at))
            if soon and status is rules.ReportStatus.DUE:
                due_soon[participation.treaty_id].append(
                    ObligationRow(participation.state, participation, obligation, None, status, at)
                )
    return [
        ReportingOverview(
            treaty=treaty,
            this_year=ComplianceRow(year=at.year, **counts[treaty.pk]),
            overdue_initial=sorted(overdue[treaty.pk], key=lambda r: (r.due, r.state.name_en)),
            due_soon=sorted(due_soon[treaty.pk], key=lambda r: (r.due, r.state.name_en)),
        )
        for treaty in treaties
    ]


def _export(dataset_rows, resource, file_format: str, title: str = "") -> bytes:
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"Unsupported format “{file_format}”; use CSV or XLSX.")
    # Native types: numbers stay numbers in XLSX, and CSV gets "66.7" whatever the locale.
    dataset = resource.export(queryset=dataset_rows, force_native_type=True)
    dataset.title = title[:31]  # the XLSX sheet's name (Excel allows 31 characters)
    exported = dataset.export(file_format)
    return exported.encode("utf-8") if isinstance(exported, str) else exported


def compliance_export(*, treaty: Treaty, at: dt.date, file_format: str) -> bytes:
    return _export(
        compliance_table(treaty=treaty, at=at),
        ComplianceResource(),
        file_format,
        # Translators: the name of a spreadsheet's sheet, 31 characters at most.
        gettext("%(treaty)s Article 7") % {"treaty": treaty.code},
    )


# --- Article 14 -----------------------------------------------------------------------------------------------


class CostShareError(Exception):
    """The cost of a meeting cannot be apportioned; the message says why."""


class MissingAssessmentRate(CostShareError):
    """Some participating States have no rate for the meeting's year: the split would be wrong for everyone."""

    def __init__(self, *, states: Iterable[State], year: int):
        self.states = sorted(states, key=lambda s: s.name_en)
        self.year = year
        names = ", ".join(s.name_en for s in self.states)
        super().__init__(
            gettext(
                "No assessment rate covering %(year)s for: %(states)s. "
                "Import the UN scale or set a secretariat rate before apportioning the cost."
            )
            % {"year": year, "states": names}
        )


@dataclass(frozen=True)
class CostShareRow:
    state: State
    rate: Decimal
    rate_source: str
    percentage: Decimal  # of the total, to six decimals, for reading only
    amount: Decimal
    source: str = AssessmentRate.Source.UN  # rate_source is its label in the reader's language

    @property
    def set_by_secretariat(self) -> bool:
        """For the page's “(rate set by the secretariat)”, whatever the language the label is in."""
        return self.source == AssessmentRate.Source.SECRETARIAT


@dataclass(frozen=True)
class CostShareTable:
    total: Decimal
    currency: str
    year: int
    rows: list[CostShareRow]

    @property
    def rate_sum(self) -> Decimal:
        return sum((row.rate for row in self.rows), Decimal(0))

    def as_rows(self) -> list[dict]:
        """Plain rows for a template or JSON: State, ISO code, rate, share and amount."""
        return [
            {
                "state": row.state.name_en,
                "state_iso3": row.state.iso3,
                "rate": row.rate,
                "rate_source": row.rate_source,
                "percentage": row.percentage,
                "amount": row.amount,
                "currency": self.currency,
            }
            for row in self.rows
        ]


def participating_states(*, meeting: Meeting) -> list[State]:
    """States with an approved delegation to ``meeting``, by name (organisations do not share costs)."""
    state_ids = Delegation.objects.filter(
        meeting=meeting, status=Delegation.Status.APPROVED, state__isnull=False
    ).values("state_id")
    return list(State.objects.filter(pk__in=state_ids).order_by("name_en"))


def assessment_rates(*, states: Iterable[State], year: int) -> dict[int, AssessmentRate]:
    """The rate of each State for ``year``, by State id; States without one are absent. One query."""
    rates = AssessmentRate.objects.filter(
        state__in=[s.pk for s in states], first_year__lte=year, last_year__gte=year
    ).order_by("first_year")
    # Periods do not overlap (AssessmentRate.clean); should they, the most recent period wins.
    return {rate.state_id: rate for rate in rates}


def cost_shares(*, total: Decimal, currency: str, year: int, states: Iterable[State]) -> CostShareTable:
    """Apportion ``total`` between ``states`` by their rates for ``year`` (Article 14).

    Raises MissingAssessmentRate naming every State without a rate.
    """
    unique = {s.pk: s for s in states}
    if not unique:
        raise CostShareError(gettext("No participating States: there is nobody to share the cost between."))
    rates = assessment_rates(states=unique.values(), year=year)
    missing = [s for pk, s in unique.items() if pk not in rates]
    if missing:
        raise MissingAssessmentRate(states=missing, year=year)
    ordered = sorted(unique.values(), key=lambda s: s.name_en)
    shares = rules.apportion(total=total, rates=[(s.pk, s.name_en, rates[s.pk].rate) for s in ordered])
    rate_sum = sum((rates[s.pk].rate for s in ordered), Decimal(0))
    rows = [
        CostShareRow(
            state=state,
            rate=share.rate,
            rate_source=rates[state.pk].get_source_display(),
            source=rates[state.pk].source,
            percentage=(share.rate * 100 / rate_sum).quantize(Decimal("0.000001")),
            amount=share.amount,
        )
        for state, share in zip(ordered, shares, strict=True)
    ]
    return CostShareTable(total=total, currency=currency, year=year, rows=rows)


def meeting_cost_shares(*, meeting: Meeting, states: Iterable[State] | None = None) -> CostShareTable:
    """The Article 14 shares of ``meeting``'s recorded total cost.

    Participants are the States with an approved delegation unless ``states`` is given;
    rates come from the AssessmentRate whose period covers the year the meeting opens.
    """
    cost = MeetingCost.objects.filter(meeting=meeting).first()
    if cost is None:
        raise CostShareError(gettext("No total cost is recorded for %(meeting)s.") % {"meeting": meeting})
    participants = list(states) if states is not None else participating_states(meeting=meeting)
    return cost_shares(total=cost.total, currency=cost.currency, year=meeting.start_date.year, states=participants)


def cost_shares_export(*, table: CostShareTable, file_format: str = "xlsx") -> bytes:
    return _export(table.rows, CostShareResource(currency=table.currency), file_format)


# --- Article 7 reminders ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedReminder:
    stage: ReminderStage
    row: ObligationRow

    @property
    def key(self) -> tuple:
        return (
            self.stage.pk,
            self.row.participation.treaty_id,
            self.row.state.pk,
            self.row.kind.value,
            self.row.year_covered or 0,
        )


def _stage_is_due(stage: ReminderStage, row: ObligationRow, at: dt.date) -> bool:
    if not stage.applies(row.kind.value):
        return False
    if stage.kind == ReminderStage.Kind.BEFORE_DUE:
        day = row.due - dt.timedelta(days=stage.days)
        return (
            row.status is rules.ReportStatus.DUE
            and day <= at < row.due
            and at < day + dt.timedelta(days=stage.window_days)
        )
    day = row.due + dt.timedelta(days=stage.days)
    return row.status is rules.ReportStatus.OVERDUE and day <= at < day + dt.timedelta(days=stage.window_days)


def reminders_planned(*, at: dt.date, include_disabled: bool = False) -> list[PlannedReminder]:
    """The dry run: every reminder that would go out on ``at`` and has not gone out before.

    A few queries per treaty, whatever the number of States.
    """
    stages = list(ReminderStage.objects.select_related("office", "issued_by"))
    if not include_disabled:
        stages = [s for s in stages if s.enabled]
    if not stages:
        return []
    done = set(ReminderSent.objects.values_list("stage_id", "treaty_id", "state_id", "kind", "year_covered"))
    planned = []
    for treaty in Treaty.objects.order_by("code"):
        for row in obligation_statuses(treaty=treaty, at=at):
            for stage in stages:
                reminder = PlannedReminder(stage, row)
                if reminder.key not in done and _stage_is_due(stage, row, at):
                    planned.append(reminder)
    return planned


def reminder_languages(*, state_ids: Iterable[int]) -> dict[int, str]:
    """The language each State's reminders are written in (a content language code), by State id. Two queries.

    The language the State asked for (ReminderLanguage); failing that, the language of its latest Article 7
    report, the language it chose to report in; failing that, English.
    """
    ids = set(state_ids)
    languages = dict.fromkeys(ids, Language.ENGLISH.value)
    # The latest report's language per State, as a subquery (DISTINCT ON would be PostgreSQL only).
    latest = (
        ReportSubmission.objects.filter(state_id=OuterRef("pk")).order_by("-received_on", "-pk").values("language")[:1]
    )
    reported = State.objects.filter(pk__in=ids).annotate(language=Subquery(latest)).values_list("pk", "language")
    languages.update((state_id, language) for state_id, language in reported if language)
    languages.update(ReminderLanguage.objects.filter(state_id__in=ids).values_list("state_id", "language"))
    return languages


def annual_reminder_days(*, after: dt.date) -> list[tuple[dt.date, ReminderStage]]:
    """For each stage that applies to annual reports, the next day on or after ``after`` it sends them
    (annual reports all fall due on 30 April): the dates worth a dry run."""
    days = []
    for stage in ReminderStage.objects.order_by("kind", "days"):
        if not stage.applies(rules.ReportKind.ANNUAL):
            continue
        offset = dt.timedelta(days=-stage.days if stage.kind == ReminderStage.Kind.BEFORE_DUE else stage.days)
        year = after.year
        while rules.annual_report_due(year - 1) + offset < after:
            year += 1
        days.append((rules.annual_report_due(year - 1) + offset, stage))
    return sorted(days, key=lambda pair: pair[0])
