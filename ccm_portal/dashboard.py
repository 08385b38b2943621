"""The secretariat dashboard: the first page a secretariat officer sees after signing in.

Every panel is read in a fixed number of queries, whatever the number of States,
meetings or notes; every count carries the address of the list behind it. The
Article 7 figures come from obligations.selectors.reporting_overview, which reads
only the reports they can concern: computing every State's whole reporting history
on each visit was most of the page's time.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext, pgettext_lazy

from common.data_version import cached
from common.languages import translation_columns
from correspondence.models import Email, NoteCopy
from meetings.models import Meeting
from obligations.selectors import ObligationRow, ReportingOverview, reporting_overview
from registration.models import Credentials, Delegation, FocalPoint
from registration.selectors import delegation_counts

UPCOMING_MEETINGS = 8
LIST_LENGTH = 10
HORIZON_DAYS = 30
# The meeting's fields the board shows (its name, dates and links) and the counts read: the full rows,
# with their treaty joined, were a good part of the time of the page when nothing is kept.
MEETING_FIELDS = ("treaty_id", "kind", "number", "title", "slug", "start_date", "end_date", "start_time", "dates_note")


def _admin_list(model_or_url: str, **filters) -> str:
    url = model_or_url if model_or_url.startswith("/") else reverse(f"admin:{model_or_url}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


@dataclass
class Count:
    label: str
    count: int
    url: str


@dataclass
class MeetingPanel:
    meeting: Meeting
    total: Count
    by_category: list[Count]
    by_status: list[Count]
    links: dict[str, str] = field(default_factory=dict)  # the meeting's pages, by the keys of MEETING_LINKS


# The pages each meeting's row links to: the URL's name and the meeting's field its address takes.
MEETING_LINKS = {
    "change": ("admin:meetings_meeting_change", "pk"),
    "participants": ("registration:participants", "slug"),
    "credentials": ("registration:credentials_report", "slug"),
    "cost_shares": ("obligations:cost_shares", "slug"),
}
_KEY = "__key__"  # fits both the slug and the admin's object-id converters


def _addresses(name: str) -> Callable[[object], str]:
    """One reverse() for every row rather than one per row and link: {% url %} for eight meetings' four links
    was a fifth of the board's rendering."""
    pattern = reverse(name, args=[_KEY])
    return lambda key: pattern.replace(_KEY, quote(str(key), safe=""))


@dataclass
class ReportingPanel:
    overview: ReportingOverview
    counts: list[Count]  # owed, on time, late, overdue, not yet due: each with the States behind it


COMPLIANCE_COLUMNS = [
    ("owed", pgettext_lazy("reports", "Owed")),
    ("on_time", pgettext_lazy("reports", "On time")),
    ("late", pgettext_lazy("reports", "Late")),
    ("overdue", pgettext_lazy("reports", "Overdue")),
    ("pending", pgettext_lazy("reports", "Not yet due")),
]


def compliance_url(*, treaty_code: str, year: int | None = None, show: str = "") -> str:
    query = {"treaty": treaty_code, **({"year": year} if year else {}), **({"show": show} if show else {})}
    return f"{reverse('obligations:compliance')}?{urlencode(query)}{'#detail' if show else ''}"


@dataclass
class Deadline:
    day: dt.date
    what: str
    url: str = ""


@dataclass
class Dashboard:
    today: dt.date
    attention: list[Count]
    meetings: list[MeetingPanel]
    credentials_pending: list[Credentials]
    credentials_pending_count: int
    failed_copies: list[NoteCopy]
    failed_copies_count: int
    reporting: list[ReportingOverview]
    article7: list[ReportingPanel]
    deadlines: list[Deadline] = field(default_factory=list)
    html: str = ""  # the board as rendered (admin/_dashboard_board.html), cached with its figures

    @property
    def category_labels(self) -> list[str]:
        return [label for _, label in Delegation.Category.choices]

    @property
    def status_labels(self) -> list[str]:
        return [label for _, label in STATUSES]

    @property
    def overdue_initial(self) -> list[tuple[str, ObligationRow]]:
        """(treaty code, obligation), longest overdue first."""
        rows = [(r.treaty.code, row) for r in self.reporting for row in r.overdue_initial]
        return sorted(rows, key=lambda pair: (pair[1].due, pair[1].state.name_en))


# The order a reviewer reads them in: what waits for the secretariat first.
STATUSES = [
    (Delegation.Status.SUBMITTED, pgettext_lazy("delegations", "Submitted")),
    (Delegation.Status.RETURNED, pgettext_lazy("delegations", "Returned")),
    (Delegation.Status.APPROVED, pgettext_lazy("delegations", "Approved")),
    (Delegation.Status.DRAFT, pgettext_lazy("delegations", "Draft")),
]


def _meeting_panels(today: dt.date) -> list[MeetingPanel]:
    meetings = list(
        Meeting.objects.filter(end_date__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .only(*MEETING_FIELDS)
        .order_by("start_date", "start_time", "pk")[:UPCOMING_MEETINGS]
    )
    counts = delegation_counts(meetings=meetings)
    delegations = reverse("admin:registration_delegation_changelist")
    links = {key: (_addresses(name), attribute) for key, (name, attribute) in MEETING_LINKS.items()}
    # Each filter's query string encoded once, not once per meeting: urlencode() for nine counts in each of
    # eight rows was a tenth of the figures' time. The addresses are the same ("?meeting=…&category=…").
    # Labels as text: the board is kept per language (dashboard_cached), with its words already chosen.
    by_category = [(value, str(label), urlencode({"category": value})) for value, label in Delegation.Category.choices]
    by_status = [(value, str(label), urlencode({"status__exact": value})) for value, label in STATUSES]
    everything = pgettext("delegations", "All")
    panels = []
    for meeting in meetings:
        found = counts[meeting.pk]
        of_meeting = _admin_list(delegations, meeting=meeting.pk)
        panels.append(
            MeetingPanel(
                meeting=meeting,
                total=Count(everything, sum(found[value] for value, _ in STATUSES), of_meeting),
                by_category=[
                    Count(label, found[value], f"{of_meeting}&{query}") for value, label, query in by_category
                ],
                by_status=[Count(label, found[value], f"{of_meeting}&{query}") for value, label, query in by_status],
                links={key: address(getattr(meeting, attribute)) for key, (address, attribute) in links.items()},
            )
        )
    return panels


def _counts(*querysets: QuerySet) -> list[int]:
    """How many rows each queryset has, in one statement (a scalar subquery for each) rather than one each:
    the round trips were a good part of the board's time."""
    parts = [
        qs.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField())).query.sql_with_params()
        for qs in querysets
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"({sql})" for sql, _ in parts), [p for _, params in parts for p in params]
        )
        return list(cursor.fetchone())


def _attention(reporting: list[ReportingOverview]) -> list[Count]:
    """What waits for the secretariat, each with the list to work through."""
    delegations, credentials, focal_points, copies, emails = _counts(
        Delegation.objects.filter(status=Delegation.Status.SUBMITTED),
        Credentials.objects.filter(status=Credentials.Status.RECEIVED),
        FocalPoint.objects.filter(approved_at__isnull=True, rejected_at__isnull=True),
        NoteCopy.objects.filter(status=NoteCopy.Status.FAILED),
        Email.objects.filter(status=Email.Status.FAILED),
    )
    return [
        Count(
            gettext("Delegations to review"),
            delegations,
            _admin_list("registration_delegation", status__exact=Delegation.Status.SUBMITTED),
        ),
        Count(
            gettext("Credentials to examine"),
            credentials,
            _admin_list("registration_delegation", credentials=Credentials.Status.RECEIVED),
        ),
        Count(
            gettext("Focal point requests"), focal_points, _admin_list("registration_focalpoint", decision="pending")
        ),
        Count(
            gettext("Failed note copies"),
            copies,
            _admin_list("correspondence_notecopy", status__exact=NoteCopy.Status.FAILED),
        ),
        Count(
            gettext("Failed e-mails"), emails, _admin_list("correspondence_email", status__exact=Email.Status.FAILED)
        ),
        Count(
            gettext("Overdue initial reports"),
            sum(len(r.overdue_initial) for r in reporting),
            reverse("obligations:compliance") + "#overdue",
        ),
    ]


def _report_deadlines(reporting: list[ReportingOverview]) -> list[Deadline]:
    deadlines = []
    for overview in reporting:
        for row in overview.due_soon:
            values = {"state": row.state, "treaty": overview.treaty.code, "report": row.kind.label.lower()}
            if row.year_covered:
                what = gettext("%(state)s: %(treaty)s Article 7 %(report)s %(year)s") % {
                    **values,
                    "year": row.year_covered,
                }
            else:
                what = gettext("%(state)s: %(treaty)s Article 7 %(report)s") % values
            deadlines.append(Deadline(row.due, what))
    return deadlines


def _meeting_deadlines(today: dt.date) -> list[Deadline]:
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    fields = {
        "registration_opens": gettext("registration opens"),
        "registration_deadline": gettext("registration deadline"),
        "delegation_details_deadline": gettext("delegation details due"),
        "rsvp_by": gettext("R.S.V.P. by"),
        "start_date": gettext("meeting opens"),
    }
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__range": (today, horizon)})
    deadlines = []
    meetings = Meeting.objects.filter(condition).exclude(status=Meeting.Status.CANCELLED)
    for meeting in meetings.only(*MEETING_FIELDS, *fields):
        for name, label in fields.items():
            day = getattr(meeting, name)
            if day and today <= day <= horizon:
                what = gettext("%(meeting)s: %(event)s") % {"meeting": meeting, "event": label}
                deadlines.append(Deadline(day, what, meeting.get_absolute_url()))
    return deadlines


def dashboard(*, today: dt.date) -> Dashboard:
    reporting = reporting_overview(at=today, horizon_days=HORIZON_DAYS)
    pending = Credentials.objects.filter(status=Credentials.Status.RECEIVED)
    failed = NoteCopy.objects.filter(status=NoteCopy.Status.FAILED)
    attention = _attention(reporting)
    return Dashboard(
        today=today,
        attention=attention,
        meetings=_meeting_panels(today),
        credentials_pending=list(
            pending.select_related("delegation__meeting", "delegation__state", "delegation__organisation")
            .only(
                "delegation_id",
                "uploaded_at",
                "delegation__state_id",
                "delegation__organisation_id",
                "delegation__meeting_id",
                "delegation__meeting__kind",
                "delegation__meeting__number",
                *translation_columns("delegation__meeting__title"),  # modeltranslation: title reads title_<lang>
                "delegation__state__name_en",
                "delegation__organisation__name",
                "delegation__organisation__acronym",
            )
            .order_by("uploaded_at")[:LIST_LENGTH]
        ),
        credentials_pending_count=attention[1].count,
        failed_copies=list(
            failed.select_related("note")
            .only("note_id", "addressee_name", "last_error", "note__reference")
            .order_by("-updated_at")[:LIST_LENGTH]
        ),
        failed_copies_count=attention[3].count,
        reporting=reporting,
        article7=[
            ReportingPanel(
                overview,
                [
                    Count(
                        str(label),
                        getattr(overview.this_year, key),
                        compliance_url(treaty_code=overview.treaty.code, year=today.year, show=key),
                    )
                    for key, label in COMPLIANCE_COLUMNS
                ],
            )
            for overview in reporting
        ],
        deadlines=sorted(_meeting_deadlines(today) + _report_deadlines(reporting), key=lambda d: (d.day, d.what)),
    )


def dashboard_cached(*, today: dt.date) -> Dashboard:
    """The same with the board rendered, computed once per change of the data (or day, or language)
    rather than on every visit: it is the first page every officer opens, and the figures and their
    table were most of its time. The board shows no one's own data, only the secretariat's."""

    def compute() -> Dashboard:
        board = dashboard(today=today)
        board.html = render_to_string("admin/_dashboard_board.html", {"dashboard": board})
        return board

    return cached(f"dashboard:1:{today.isoformat()}:{translation.get_language()}", compute)
