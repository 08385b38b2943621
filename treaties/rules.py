"""Treaty rules (docs/domain.md §2), as pure functions of dates.

Kept free of the ORM so that every edge case can be tested in isolation and the
same rules serve the models, the imports, the exports and later the Article 7
obligations.
"""

import calendar
import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

INITIAL_REPORT_DAYS = 180
MONTHS_AFTER_DEPOSIT = 6
WITHDRAWAL_MONTHS = 6


class Status(StrEnum):
    NOT_PARTY = "not_party"
    SIGNATORY = "signatory"
    NOT_YET_IN_FORCE = "not_yet_in_force"
    STATE_PARTY = "state_party"
    WITHDRAWAL_PENDING = "withdrawal_pending"
    FORMER_PARTY = "former_party"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.NOT_PARTY: _("Not party"),
    Status.SIGNATORY: _("Signatory"),
    Status.NOT_YET_IN_FORCE: _("Ratified or acceded, not yet in force"),
    Status.STATE_PARTY: _("State Party"),
    Status.WITHDRAWAL_PENDING: _("Withdrawal pending"),
    Status.FORMER_PARTY: _("Former State Party"),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def entry_into_force_for_state(
    *, deposit: dt.date, treaty_entry_into_force: dt.date, triggering_deposit: dt.date
) -> dt.date:
    """Art. 17 CCM / Art. 17 APMBC.

    Instruments deposited up to the one that triggered entry into force share the
    treaty's own date; any later one takes the first day of the sixth month after
    the month of deposit (never earlier than the treaty itself).
    """
    if deposit <= triggering_deposit:
        return treaty_entry_into_force
    first_of_month = deposit.replace(day=1)
    return max(add_months(first_of_month, MONTHS_AFTER_DEPOSIT), treaty_entry_into_force)


def initial_report_due(entry_into_force: dt.date) -> dt.date:
    """Art. 7(2): the initial report is due 180 days after entry into force for the State."""
    return entry_into_force + dt.timedelta(days=INITIAL_REPORT_DAYS)


def withdrawal_effective(notice_received: dt.date) -> dt.date:
    """Withdrawal takes effect six months after the notice is received (Art. 20 CCM, Art. 20 APMBC)."""
    return add_months(notice_received, WITHDRAWAL_MONTHS)


def status_at(
    at: dt.date,
    *,
    signature: dt.date | None,
    deposit: dt.date | None,
    entry_into_force: dt.date | None,
    withdrawal_notice: dt.date | None,
    withdrawal_effective: dt.date | None,
) -> Status:
    if withdrawal_effective and at >= withdrawal_effective:
        return Status.FORMER_PARTY
    if withdrawal_notice and at >= withdrawal_notice:
        return Status.WITHDRAWAL_PENDING
    if entry_into_force and at >= entry_into_force:
        return Status.STATE_PARTY
    if deposit and at >= deposit:
        return Status.NOT_YET_IN_FORCE
    if signature and at >= signature:
        return Status.SIGNATORY
    return Status.NOT_PARTY
