from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from common.languages import Language
from common.uploads import validate_pdf
from meetings.models import Meeting
from treaties.models import State, Treaty

from . import rules

# No treaty reports before the APMBC entered into force; also catches two-digit typos.
FIRST_REPORTING_YEAR = 1999


def report_upload_to(instance: "ReportSubmission", filename: str) -> str:
    period = instance.year_covered or "initial"
    return f"article7/{instance.treaty.code}/{instance.state.iso3}-{period}-{instance.language}.pdf"


class ReportSubmission(models.Model):
    """An Article 7 report as received by the secretariat.

    Not tied to a Participation on purpose: signatories and States not party also send
    voluntary reports, and the obligation it answers is computed, not stored.
    """

    class Kind(models.TextChoices):
        # The values of rules.ReportKind.
        INITIAL = "initial", "Initial report"
        ANNUAL = "annual", "Annual report"

    Language = Language  # kept as an attribute: callers write Document.Language.ENGLISH

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="report_submissions")
    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="report_submissions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    year_covered = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_REPORTING_YEAR)],
        help_text="Calendar year an annual report covers; empty for the initial report.",
    )
    received_on = models.DateField(help_text="Date the secretariat received the report.")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    file = models.FileField(upload_to=report_upload_to, validators=[validate_pdf], blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["treaty__code", "state__name_en", "kind", "year_covered"]
        indexes = [models.Index(fields=["treaty", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="initial", year_covered__isnull=True) | Q(kind="annual", year_covered__isnull=False),
                name="report_year_iff_annual",
                violation_error_message="An annual report covers a year; the initial report does not.",
            ),
            # Two conditional constraints rather than one over a nullable column, whose
            # NULLs would never clash: one initial report per State and treaty.
            models.UniqueConstraint(
                fields=["state", "treaty"],
                condition=Q(kind="initial"),
                name="report_one_initial_per_state_treaty",
                violation_error_message="The initial report of this State under this treaty is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["state", "treaty", "year_covered"],
                condition=Q(kind="annual"),
                name="report_one_annual_per_state_treaty_year",
                violation_error_message="The annual report of this State under this treaty for this year is "
                "already recorded.",
            ),
            models.CheckConstraint(
                condition=Q(year_covered__isnull=True) | Q(year_covered__gte=FIRST_REPORTING_YEAR),
                name="report_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        what = "initial report" if self.kind == rules.ReportKind.INITIAL else f"annual report {self.year_covered}"
        return f"{self.state} – {self.treaty.code if self.treaty_id else ''} {what}".strip()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == rules.ReportKind.INITIAL and self.year_covered is not None:
            errors["year_covered"] = "The initial report covers no calendar year; leave it empty."
        if self.kind == rules.ReportKind.ANNUAL and self.year_covered is None:
            errors["year_covered"] = "Say which calendar year the annual report covers."
        if self.received_on and self.received_on > timezone.localdate():
            errors["received_on"] = "A report cannot be received in the future."
        if self.received_on and self.year_covered and self.received_on.year < self.year_covered:
            errors["received_on"] = f"A report on {self.year_covered} cannot arrive before that year began."
        if errors:
            raise ValidationError(errors)

    @property
    def report_kind(self) -> rules.ReportKind:
        return rules.ReportKind(self.kind)


class AssessmentRate(models.Model):
    """A State's rate, in percent, for an Article 14 cost split over a period of years."""

    class Source(models.TextChoices):
        UN = "un", "UN scale of assessment"
        SECRETARIAT = "secretariat", "Set by the secretariat"  # for a State with no UN rate

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="assessment_rates")
    first_year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1946)])
    last_year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1946)])
    rate = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        help_text="In percent: 22.000000 for the ceiling, 0.001000 for the floor.",
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.UN)
    reference = models.CharField(max_length=60, blank=True, help_text="Resolution or decision, e.g. A/RES/79/249.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["state__name_en", "-first_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "first_year"],
                name="assessment_rate_unique_state_first_year",
                violation_error_message="This State already has a rate starting that year.",
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="assessment_rate_period_ordered",
                violation_error_message="The last year cannot precede the first year.",
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0) & Q(rate__lte=100),
                name="assessment_rate_positive_percentage",
                violation_error_message="A rate is a percentage above 0 and at most 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state}: {Decimal(str(self.rate)).normalize():f} % ({self.period})"

    @property
    def period(self) -> str:
        return f"{self.first_year}–{self.last_year}" if self.last_year != self.first_year else str(self.first_year)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def clean(self) -> None:
        # Field-keyed errors so an import reports the right column; the constraints repeat them in the database.
        errors: dict[str, str] = {}
        if self.rate is not None and not (Decimal(0) < self.rate <= 100):
            errors["rate"] = "A rate is a percentage above 0 and at most 100."
        if self.first_year and self.last_year and self.last_year < self.first_year:
            errors["last_year"] = "The last year cannot precede the first year."
        elif self.state_id and self.first_year and self.last_year:
            # Periods of one State must not overlap, or a meeting year would have two rates.
            overlapping = AssessmentRate.objects.filter(
                state_id=self.state_id, first_year__lte=self.last_year, last_year__gte=self.first_year
            ).exclude(pk=self.pk)
            clash = overlapping.order_by("first_year").first()
            if clash is not None:
                errors["first_year"] = f"{self.state} already has a rate for {clash.period}; periods may not overlap."
        if errors:
            raise ValidationError(errors)


class MeetingCost(models.Model):
    """The total cost of a meeting to be apportioned under Article 14."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="cost")
    total = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(
        max_length=3,
        default="CHF",
        validators=[RegexValidator(r"^[A-Z]{3}$", "An ISO 4217 code: three capital letters, e.g. CHF.")],
    )
    notes = models.TextField(blank=True, help_text="e.g. the cost estimate document it comes from.")

    class Meta:
        ordering = ["-meeting__start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gt=0),
                name="meeting_cost_total_positive",
                violation_error_message="The total cost must be above zero.",
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="meeting_cost_currency_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.currency} {self.total:,.2f}"

    @property
    def year(self) -> int:
        """Rates are taken from the scale covering the year the meeting opens."""
        return self.meeting.start_date.year

    def clean(self) -> None:
        if self.total is not None and self.total <= 0:
            raise ValidationError({"total": "The total cost must be above zero."})


class ReminderStage(models.Model):
    """A moment at which the secretariat reminds a State of an Article 7 report, e.g. 30 days before 30 April.

    Reminders are notes verbales issued through correspondence by ``office`` in the name of
    ``issued_by``. Switching a stage off stops it at once; the dry run shows what it would send.
    """

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", "Before the due date"
        OVERDUE = "overdue", "Overdue notice"

    class AppliesTo(models.TextChoices):
        INITIAL = "initial", "Initial reports"
        ANNUAL = "annual", "Annual reports"
        BOTH = "both", "Both"

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(
        help_text="Days before the due date, or days after it for an overdue notice."
    )
    window_days = models.PositiveSmallIntegerField(
        default=30, help_text="How long after its day a missed reminder is still sent (beat may not run every day)."
    )
    applies_to = models.CharField(max_length=8, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    enabled = models.BooleanField(default=True)
    office = models.ForeignKey("correspondence.Office", on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text="Reminders go out in this name."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Second person who approved this wording; needed where the office requires approval.",
    )
    subject = models.CharField(max_length=300, default="Article 7 report: [REPORT]")
    body = models.TextField(
        help_text="Wording of the note. [REPORT], [YEAR], [DUE_DATE] and [TREATY] are filled in; "
        "{{ opening }} and {{ closing }} are the note verbale formulas."
    )

    class Meta:
        ordering = ["kind", "days"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("issued_by")),
                name="reminder_stage_second_approver",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.office_id and self.office.requires_approval and not self.approved_by_id:
            raise ValidationError(
                {"approved_by": f"{self.office} requires a second person's approval: say who approved this wording."}
            )

    def applies(self, kind: str) -> bool:
        return self.applies_to in (self.AppliesTo.BOTH, kind)


class ReminderSent(models.Model):
    """One reminder for one obligation at one stage. The unique constraint is what stops a second one."""

    stage = models.ForeignKey(ReminderStage, on_delete=models.PROTECT, related_name="sent")
    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="+")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=[("initial", "Initial report"), ("annual", "Annual report")])
    year_covered = models.PositiveSmallIntegerField(default=0, help_text="0 for the initial report.")
    note = models.ForeignKey("correspondence.Note", null=True, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name_plural = "reminders sent"
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "treaty", "state", "kind", "year_covered"], name="reminder_once_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} – {self.state} ({self.kind} {self.year_covered or ''})"
