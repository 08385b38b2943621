from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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
        INITIAL = "initial", _("Initial report")
        ANNUAL = "annual", _("Annual report")

    Language = Language  # kept as an attribute: callers write Document.Language.ENGLISH

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="report_submissions", verbose_name=_("State")
    )
    treaty = models.ForeignKey(
        Treaty, on_delete=models.PROTECT, related_name="report_submissions", verbose_name=_("treaty")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    year_covered = models.PositiveSmallIntegerField(
        _("year covered"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_REPORTING_YEAR)],
        help_text=_("Calendar year an annual report covers; empty for the initial report."),
    )
    received_on = models.DateField(_("received on"), help_text=_("Date the secretariat received the report."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    file = models.FileField(_("file"), upload_to=report_upload_to, validators=[validate_pdf], blank=True)
    notes = models.TextField(pgettext_lazy("remarks", "notes"), blank=True)

    class Meta:
        verbose_name = _("Article 7 report received")
        verbose_name_plural = _("Article 7 reports received")
        ordering = ["treaty__code", "state__name_en", "kind", "year_covered"]
        indexes = [models.Index(fields=["treaty", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="initial", year_covered__isnull=True) | Q(kind="annual", year_covered__isnull=False),
                name="report_year_iff_annual",
                violation_error_message=_("An annual report covers a year; the initial report does not."),
            ),
            # Two conditional constraints rather than one over a nullable column, whose
            # NULLs would never clash: one initial report per State and treaty.
            models.UniqueConstraint(
                fields=["state", "treaty"],
                condition=Q(kind="initial"),
                name="report_one_initial_per_state_treaty",
                violation_error_message=_("The initial report of this State under this treaty is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["state", "treaty", "year_covered"],
                condition=Q(kind="annual"),
                name="report_one_annual_per_state_treaty_year",
                violation_error_message=_(
                    "The annual report of this State under this treaty for this year is already recorded."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year_covered__isnull=True) | Q(year_covered__gte=FIRST_REPORTING_YEAR),
                name="report_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        treaty = self.treaty.code if self.treaty_id else ""
        if self.kind == rules.ReportKind.INITIAL:
            return gettext("%(state)s – %(treaty)s initial report") % {"state": self.state, "treaty": treaty}
        return gettext("%(state)s – %(treaty)s annual report %(year)s") % {
            "state": self.state,
            "treaty": treaty,
            "year": self.year_covered,
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == rules.ReportKind.INITIAL and self.year_covered is not None:
            errors["year_covered"] = _("The initial report covers no calendar year; leave it empty.")
        if self.kind == rules.ReportKind.ANNUAL and self.year_covered is None:
            errors["year_covered"] = _("Say which calendar year the annual report covers.")
        if self.received_on and self.received_on > timezone.localdate():
            errors["received_on"] = _("A report cannot be received in the future.")
        if self.received_on and self.year_covered and self.received_on.year < self.year_covered:
            errors["received_on"] = _("A report on %(year)s cannot arrive before that year began.") % {
                "year": self.year_covered
            }
        if errors:
            raise ValidationError(errors)

    @property
    def report_kind(self) -> rules.ReportKind:
        return rules.ReportKind(self.kind)


class AssessmentRate(models.Model):
    """A State's rate, in percent, for an Article 14 cost split over a period of years."""

    class Source(models.TextChoices):
        UN = "un", _("UN scale of assessment")
        SECRETARIAT = "secretariat", _("Set by the secretariat")  # for a State with no UN rate

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="assessment_rates", verbose_name=_("State"))
    first_year = models.PositiveSmallIntegerField(_("first year"), validators=[MinValueValidator(1946)])
    last_year = models.PositiveSmallIntegerField(_("last year"), validators=[MinValueValidator(1946)])
    rate = models.DecimalField(
        _("rate"),
        max_digits=9,
        decimal_places=6,
        help_text=_("In percent: 22.000000 for the ceiling, 0.001000 for the floor."),
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.UN)
    reference = models.CharField(
        _("reference"), max_length=60, blank=True, help_text=_("Resolution or decision, e.g. A/RES/79/249.")
    )
    notes = models.TextField(pgettext_lazy("remarks", "notes"), blank=True)

    class Meta:
        verbose_name = _("assessment rate")
        verbose_name_plural = _("assessment rates")
        ordering = ["state__name_en", "-first_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "first_year"],
                name="assessment_rate_unique_state_first_year",
                violation_error_message=_("This State already has a rate starting that year."),
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="assessment_rate_period_ordered",
                violation_error_message=_("The last year cannot precede the first year."),
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0) & Q(rate__lte=100),
                name="assessment_rate_positive_percentage",
                violation_error_message=_("A rate is a percentage above 0 and at most 100."),
            ),
        ]

    def __str__(self) -> str:
        # In the reader's number format: 0.001 % · 0,001 %.
        return f"{self.state}: {number_format(Decimal(str(self.rate)).normalize())} % ({self.period})"

    @property
    def period(self) -> str:
        return f"{self.first_year}–{self.last_year}" if self.last_year != self.first_year else str(self.first_year)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def clean(self) -> None:
        # Field-keyed errors so an import reports the right column; the constraints repeat them in the database.
        errors: dict[str, str] = {}
        if self.rate is not None and not (Decimal(0) < self.rate <= 100):
            errors["rate"] = _("A rate is a percentage above 0 and at most 100.")
        if self.first_year and self.last_year and self.last_year < self.first_year:
            errors["last_year"] = _("The last year cannot precede the first year.")
        elif self.state_id and self.first_year and self.last_year:
            # Periods of one State must not overlap, or a meeting year would have two rates.
            overlapping = AssessmentRate.objects.filter(
                state_id=self.state_id, first_year__lte=self.last_year, last_year__gte=self.first_year
            ).exclude(pk=self.pk)
            clash = overlapping.order_by("first_year").first()
            if clash is not None:
                errors["first_year"] = _("%(state)s already has a rate for %(period)s; periods may not overlap.") % {
                    "state": self.state,
                    "period": clash.period,
                }
        if errors:
            raise ValidationError(errors)


class MeetingCost(models.Model):
    """The total cost of a meeting to be apportioned under Article 14."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="cost", verbose_name=_("meeting"))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="CHF",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code: three capital letters, e.g. CHF."))],
    )
    notes = models.TextField(
        pgettext_lazy("remarks", "notes"), blank=True, help_text=_("e.g. the cost estimate document it comes from.")
    )

    class Meta:
        verbose_name = _("meeting cost")
        verbose_name_plural = _("meeting costs")
        ordering = ["-meeting__start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gt=0),
                name="meeting_cost_total_positive",
                violation_error_message=_("The total cost must be above zero."),
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="meeting_cost_currency_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.currency} {number_format(self.total, 2, force_grouping=True)}"

    @property
    def year(self) -> int:
        """Rates are taken from the scale covering the year the meeting opens."""
        return self.meeting.start_date.year

    def clean(self) -> None:
        if self.total is not None and self.total <= 0:
            raise ValidationError({"total": _("The total cost must be above zero.")})


class ReminderStage(models.Model):
    """A moment at which the secretariat reminds a State of an Article 7 report, e.g. 30 days before 30 April.

    Reminders are notes verbales issued through correspondence by ``office`` in the name of
    ``issued_by``. Switching a stage off stops it at once; the dry run shows what it would send.
    """

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Before the due date")
        OVERDUE = "overdue", _("Overdue notice")

    class AppliesTo(models.TextChoices):
        INITIAL = "initial", _("Initial reports")
        ANNUAL = "annual", _("Annual reports")
        BOTH = "both", pgettext_lazy("initial and annual reports", "Both")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(
        _("days"), help_text=_("Days before the due date, or days after it for an overdue notice.")
    )
    window_days = models.PositiveSmallIntegerField(
        _("window (days)"),
        default=30,
        help_text=_("How long after its day a missed reminder is still sent (beat may not run every day)."),
    )
    applies_to = models.CharField(_("applies to"), max_length=8, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    enabled = models.BooleanField(_("enabled"), default=True)
    office = models.ForeignKey(
        "correspondence.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
        help_text=_("Reminders go out in this name."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
        help_text=_("Second person who approved this wording; needed where the office requires approval."),
    )
    subject = models.CharField(
        _("subject (English)"),
        max_length=300,
        default="Article 7 report: [REPORT]",
        help_text=_("The English wording; the other languages are below."),
    )
    body = models.TextField(
        _("body (English)"),
        help_text=_(
            "Wording of the note. [REPORT], [YEAR], [DUE_DATE] and [TREATY] are filled in; "
            "{{ opening }} and {{ closing }} are the note verbale formulas."
        ),
    )

    class Meta:
        verbose_name = _("reminder stage")
        verbose_name_plural = _("reminder stages")
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
                {
                    "approved_by": _("%(office)s requires a second person's approval: say who approved this wording.")
                    % {"office": self.office}
                }
            )

    def applies(self, kind: str) -> bool:
        return self.applies_to in (self.AppliesTo.BOTH, kind)


class ReminderWording(models.Model):
    """A stage's subject and body in a language other than English, as staff wrote and approved them.

    A reminder goes out in its addressee's language (see ReminderLanguage); a language with no wording of
    its own here takes the standard wording of ``obligations.wording``, never an English text.
    """

    stage = models.ForeignKey(ReminderStage, on_delete=models.CASCADE, related_name="wordings", verbose_name=_("stage"))
    language = models.CharField(
        _("language"), max_length=2, choices=[c for c in Language.choices if c[0] != Language.ENGLISH]
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Wording of the note in this language, with the same placeholders as the English: [REPORT], [YEAR], "
            "[DUE_DATE], [TREATY], {{ opening }} and {{ closing }}."
        ),
    )

    class Meta:
        ordering = ["stage", "language"]
        verbose_name = _("wording in another language")
        verbose_name_plural = _("wordings in other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "language"],
                name="reminder_wording_one_per_language",
                violation_error_message=_("This stage already has a wording in that language."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} ({self.get_language_display()})"


class ReminderLanguage(models.Model):
    """The language a State asked to receive its Article 7 reminders in.

    Without one, reminders follow the language of the State's latest Article 7 report, then English.
    """

    state = models.OneToOneField(
        State, on_delete=models.CASCADE, related_name="reminder_language", verbose_name=_("State")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    notes = models.TextField(
        pgettext_lazy("remarks", "notes"), blank=True, help_text=_("e.g. the note verbale in which the State asked.")
    )

    class Meta:
        ordering = ["state__name_en"]
        verbose_name = _("reminder language")
        verbose_name_plural = _("reminder languages")

    def __str__(self) -> str:
        return f"{self.state}: {self.get_language_display()}"


class ReminderSent(models.Model):
    """One reminder for one obligation at one stage. The unique constraint is what stops a second one."""

    stage = models.ForeignKey(ReminderStage, on_delete=models.PROTECT, related_name="sent", verbose_name=_("stage"))
    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="+", verbose_name=_("treaty"))
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+", verbose_name=_("State"))
    kind = models.CharField(
        _("kind"), max_length=8, choices=[("initial", _("Initial report")), ("annual", _("Annual report"))]
    )
    year_covered = models.PositiveSmallIntegerField(
        _("year covered"), default=0, help_text=_("0 for the initial report.")
    )
    note = models.ForeignKey(
        "correspondence.Note", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("note")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "treaty", "state", "kind", "year_covered"], name="reminder_once_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} – {self.state} ({self.kind} {self.year_covered or ''})"
