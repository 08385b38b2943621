"""Article 7 reporting and Article 14 cost rules (docs/domain.md §2 and §6), as pure functions.

Free of the ORM, like treaties/rules.py, so that every edge case (leap years,
November deposits, withdrawals, overrides, awkward cent splits) is tested on its
own and the same rules serve the selectors, the admin and the exports.
"""

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from treaties import rules as treaty_rules

# Art. 7(2): annual updates are due by 30 April, covering the previous calendar year.
ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY = 4, 30

CENT = Decimal("0.01")


# --- Article 7 obligations -----------------------------------------------------------------------------------


class ReportKind(StrEnum):
    INITIAL = "initial"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        return REPORT_KIND_LABELS[self]


class ReportStatus(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return REPORT_STATUS_LABELS[self]


# Interface labels, in the reader's language (lazy: read when shown). A reminder's wording is content and
# takes its phrases from obligations.wording instead.
REPORT_KIND_LABELS = {
    ReportKind.INITIAL: _("Initial report"),
    ReportKind.ANNUAL: _("Annual report"),
}

REPORT_STATUS_LABELS = {
    ReportStatus.NOT_YET_DUE: pgettext_lazy("report status", "Not yet due"),
    ReportStatus.DUE: pgettext_lazy("report status", "Due"),
    ReportStatus.ON_TIME: pgettext_lazy("report status", "Submitted on time"),
    ReportStatus.LATE: pgettext_lazy("report status", "Submitted late"),
    ReportStatus.OVERDUE: pgettext_lazy("report status", "Overdue"),
}


@dataclass(frozen=True)
class Obligation:
    """One Article 7 report a State owes.

    ``arises_on``: the day the obligation exists (the State is party and, for an annual
    report, the covered year has begun). ``opens_on``: the day the report can be
    complete, i.e. entry into force for the initial report and the day after the covered
    year for an annual one; before it the report is "not yet due", from it until the
    due date "due".
    """

    kind: ReportKind
    year_covered: int | None  # None for the initial report
    due: dt.date
    arises_on: dt.date
    opens_on: dt.date

    @property
    def key(self) -> tuple[str, int | None]:
        """Matches a submission: (kind, year covered)."""
        return (self.kind.value, self.year_covered)

    def __str__(self) -> str:
        if self.kind is ReportKind.INITIAL:
            return f"Initial report due {self.due.isoformat()}"
        return f"Annual report for {self.year_covered} due {self.due.isoformat()}"


def annual_report_due(year_covered: int) -> dt.date:
    """The annual report covering ``year_covered`` is due on 30 April of the following year."""
    return dt.date(year_covered + 1, ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY)


def first_annual_year_covered(initial_report_due: dt.date) -> int:
    """The year covered by the first annual report.

    THE RULE FOR THE FIRST ANNUAL REPORT: the first annual report is due on 30 April of
    the calendar year after the year in which the initial report was due, and covers the
    year in which the initial report was due.

    So EIF 1 Aug 2010 → initial due 28 Jan 2011 → first annual due 30 Apr 2012 covering
    2011; EIF 1 Nov 2011 → initial due 29 Apr 2012 → first annual due 30 Apr 2013
    covering 2012. Keyed on the initial report's due date (override included), not on
    entry into force, because a November or December entry into force makes the initial
    report fall due in the next calendar year.
    """
    return initial_report_due.year


def article7_obligations(
    *,
    entry_into_force: dt.date | None,
    initial_report_due: dt.date | None,
    withdrawal_effective: dt.date | None,
    until: dt.date,
    since_year: int | None = None,
) -> list[Obligation]:
    """Every Article 7 report owed under one participation that has arisen by ``until``, oldest first.

    ``since_year`` leaves out the annual reports covering earlier years (the initial report stays), for
    readers that need only recent ones: the same as filtering the full list, without building it.

    Pass the participation's effective dates (overrides already applied):
    ``initial_report_due`` defaults to entry into force + 180 days when not given.

    - The initial report is owed once the treaty is in force for the State.
    - Annual reports follow :func:`first_annual_year_covered`, then one per calendar year.
    - Withdrawal ends the obligations: no annual report is owed whose covered year starts
      on or after the withdrawal's effective date. A report covering a year during which
      the State was a party for part of the year is still owed, even though it falls due
      after the State has left. A State whose withdrawal took effect before the treaty
      entered into force for it (only possible through overrides) owes nothing.
    - An annual report appears once its covered year has begun (and never before entry
      into force), so a report still being written shows as "not yet due".
    """
    if entry_into_force is None or entry_into_force > until:
        return []
    if withdrawal_effective is not None and withdrawal_effective <= entry_into_force:
        return []
    initial_due = initial_report_due or treaty_rules.initial_report_due(entry_into_force)
    found = [
        Obligation(
            kind=ReportKind.INITIAL,
            year_covered=None,
            due=initial_due,
            arises_on=entry_into_force,
            opens_on=entry_into_force,
        )
    ]
    year = max(first_annual_year_covered(initial_due), since_year or 0)
    while True:
        year_starts = dt.date(year, 1, 1)
        arises_on = max(year_starts, entry_into_force)
        if arises_on > until:
            break
        if withdrawal_effective is not None and year_starts >= withdrawal_effective:
            break
        found.append(
            Obligation(
                kind=ReportKind.ANNUAL,
                year_covered=year,
                due=annual_report_due(year),
                arises_on=arises_on,
                opens_on=dt.date(year + 1, 1, 1),
            )
        )
        year += 1
    return found


def report_status(*, obligation: Obligation, received_on: dt.date | None, at: dt.date) -> ReportStatus:
    """Status of one obligation on ``at``.

    A submission counts only from the day it was received, so a status "at" a past date
    ignores reports that came in later. Received on the due date is on time.
    """
    if received_on is not None and received_on <= at:
        return ReportStatus.ON_TIME if received_on <= obligation.due else ReportStatus.LATE
    if at > obligation.due:
        return ReportStatus.OVERDUE
    if at >= obligation.opens_on:
        return ReportStatus.DUE
    return ReportStatus.NOT_YET_DUE


def percentage(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, to one decimal (half up); None when there is nothing to measure."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Article 14 cost shares ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    key: Hashable
    name: str
    rate: Decimal
    exact: Fraction  # rate / sum of rates × total, unrounded
    amount: Decimal  # rounded to the cent; the amounts add up to the total


def apportion(*, total: Decimal, rates: Sequence[tuple[Hashable, str, Decimal]]) -> list[Share]:
    """Split ``total`` in proportion to ``rates`` (key, name, rate), to the cent, by the largest remainder method.

    Each party's exact share is rate / sum of rates × total, computed with fractions so
    nothing is lost to binary or decimal rounding. Every party first gets its share
    rounded down to the cent; the cents left over (fewer than the number of parties) go
    one each to the largest remainders. Equal remainders are broken by name, then by
    key, so the same inputs always give the same split. The amounts add up exactly to
    ``total``. Results keep the order of ``rates``.
    """
    if not rates:
        raise ValueError("No participants to share the cost between.")
    if total <= 0 or total != total.quantize(CENT):
        raise ValueError(f"The total must be a positive amount in cents, not {total}.")
    keys = [key for key, _, _ in rates]
    if len(set(keys)) != len(keys):
        raise ValueError("Each participant may appear only once.")
    if any(rate <= 0 for _, _, rate in rates):
        raise ValueError("Every rate must be positive.")

    total_cents = int(total / CENT)
    rate_sum = sum((Fraction(rate) for _, _, rate in rates), Fraction(0))
    exact_cents = [Fraction(rate) / rate_sum * total_cents for _, _, rate in rates]
    cents = [int(share) for share in exact_cents]  # floor: every share is positive
    leftover = total_cents - sum(cents)
    by_remainder = sorted(
        range(len(rates)),
        key=lambda i: (-(exact_cents[i] - cents[i]), rates[i][1], str(rates[i][0])),
    )
    for i in by_remainder[:leftover]:
        cents[i] += 1
    return [
        Share(key=key, name=name, rate=rate, exact=exact_cents[i] / 100, amount=Decimal(cents[i]) * CENT)
        for i, (key, name, rate) in enumerate(rates)
    ]
