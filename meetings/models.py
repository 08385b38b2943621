import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common.labels import translate_labels
from common.languages import Language, translated
from common.uploads import validate_pdf
from treaties.models import Organisation, State, Treaty


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MSP = "msp", _("Meeting of States Parties")
        REVIEW_CONFERENCE = "rc", _("Review Conference")
        SPECIAL = "special", _("Special Meeting")
        INTERSESSIONAL = "intersessional", _("Intersessional meeting")
        PREPARATORY = "preparatory", _("Preparatory meeting")
        COMMITTEE = "committee", _("Committee meetings")
        COORDINATION = "coordination", _("Coordination Committee")
        BRIEFING = "briefing", _("Informal briefing")
        WORKSHOP = "workshop", _("Regional workshop")

    # Kinds whose numbered editions have a short code, e.g. "11MSP", "2RC".
    SHORT_CODE_SUFFIX = {Kind.MSP: "MSP", Kind.REVIEW_CONFERENCE: "RC", Kind.SPECIAL: "SM"}

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
        CONVENED = "convened", pgettext_lazy("meeting status", "Convened")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        POSTPONED = "postponed", pgettext_lazy("meeting status", "Postponed")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Edition number for numbered meetings (11 for the 11MSP).")
    )
    # Translated (meetings/translation.py): title_en … title_zh_hans, the official titles, used in the notes of
    # each language and on the pages of each interface language; empty: the English title.
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    preparatory_for = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="preparatory_meetings"
    )

    start_date = models.DateField()
    end_date = models.DateField(help_text=_("Same as the start date for a one-day meeting."))
    start_time = models.TimeField(null=True, blank=True, help_text=_("For a one-day meeting, e.g. 15:00."))
    dates_note = models.CharField(
        max_length=200, blank=True, help_text=_("When dates are approximate, e.g. “the week of 6 September 2010”.")
    )
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    city = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(State, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    venue = models.CharField(max_length=200, blank=True, help_text=_("e.g. Palais des Nations"))
    venue_address = models.CharField(max_length=255, blank=True)
    room = models.CharField(max_length=100, blank=True, help_text=_("e.g. Room XIX"))

    host_state = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_meetings"
    )
    supporting_organisations = models.ManyToManyField(Organisation, blank=True, related_name="supported_meetings")

    registration_opens = models.DateField(null=True, blank=True)
    registration_deadline = models.DateField(null=True, blank=True)
    registration_deadline_reason = models.CharField(
        max_length=255, blank=True, help_text=_("Required when registration stays open after the opening day.")
    )
    delegation_details_deadline = models.DateField(null=True, blank=True)
    rsvp_contact = models.CharField(max_length=200, blank=True)
    rsvp_email = models.EmailField(blank=True)
    rsvp_by = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "start_time", "title"]
        indexes = [models.Index(fields=["start_date"]), models.Index(fields=["end_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="meeting_end_not_before_start"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(end_date=F("start_date")),
                name="meeting_start_time_only_one_day",
            ),
            models.UniqueConstraint(
                fields=["treaty", "kind", "number"],
                condition=Q(number__isnull=False),
                name="meeting_number_unique_per_treaty_kind",
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("start_date"))
                | ~Q(registration_deadline_reason=""),
                name="meeting_late_deadline_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_deadline__isnull=True)
                | Q(registration_deadline__gte=F("registration_opens")),
                name="meeting_registration_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_code} – {self.title}" if self.short_code else self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def title_in(self, language: str) -> str:
        """The official title in a content language ("zh" for Chinese), or the English one when none is recorded."""
        return translated(self, "title", language)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = gettext("The meeting cannot end before it starts.")
        if self.start_time and self.start_date and self.end_date and self.end_date != self.start_date:
            errors["start_time"] = gettext("A start time is only for a one-day meeting.")
        if (
            self.registration_deadline
            and self.start_date
            and self.registration_deadline > self.start_date
            and not self.registration_deadline_reason.strip()
        ):
            errors["registration_deadline_reason"] = gettext(
                "The deadline falls after the opening day; say why registration stays open."
            )
        if (
            self.registration_opens
            and self.registration_deadline
            and self.registration_deadline < self.registration_opens
        ):
            errors["registration_deadline"] = gettext("Registration cannot close before it opens.")
        if self.number is not None and self.kind not in self.SHORT_CODE_SUFFIX:
            kind = self.get_kind_display().lower()
            # English picks its article by the kind's first sound; each other language words this once.
            not_numbered = (
                gettext("An %(kind)s is not numbered.")
                if kind[:1] in "aeiou"
                else gettext("A %(kind)s is not numbered.")
            )
            errors["number"] = not_numbered % {"kind": kind}
        elif self.number is not None and self.treaty_id and self.kind:
            # The conditional unique constraint alone would only give a generic non-field error.
            clash = Meeting.objects.filter(treaty_id=self.treaty_id, kind=self.kind, number=self.number)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["number"] = gettext("The %(meeting)s of the %(treaty)s already exists.") % {
                    "meeting": self.short_code,
                    "treaty": self.treaty,
                }
        if errors:
            raise ValidationError(errors)

    @property
    def short_code(self) -> str:
        suffix = self.SHORT_CODE_SUFFIX.get(self.kind)
        return f"{self.number}{suffix}" if suffix and self.number else ""

    @property
    def is_one_day(self) -> bool:
        return self.start_date == self.end_date

    @property
    def location(self) -> str:
        return ", ".join(part for part in (self.room, self.venue, self.city) if part)

    def is_upcoming(self, today: dt.date) -> bool:
        return self.end_date >= today


class MeetingLink(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=120)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "url"], name="meeting_link_unique_url")]

    def __str__(self) -> str:
        return self.label


class Officer(models.Model):
    """An office held at a meeting. Ended rows are kept: the presidency can change after designation."""

    class Role(models.TextChoices):
        PRESIDENT = "president", _("President")
        PRESIDENT_DESIGNATE = "president_designate", _("President-designate")
        VICE_PRESIDENT = "vice_president", _("Vice-President")
        COORDINATOR = "coordinator", _("Coordinator / Friend of the President")
        CO_CHAIR = "co_chair", _("Co-Chair")
        SECRETARY = "secretary", _("Secretary of the meeting")

    PRESIDING_ROLES = (Role.PRESIDENT, Role.PRESIDENT_DESIGNATE)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="officers")
    role = models.CharField(max_length=24, choices=Role.choices)
    state = models.ForeignKey(State, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(max_length=200, blank=True, help_text=_("e.g. H.E. Dr. Thongloun Sisoulith"))
    person_title = models.CharField(max_length=255, blank=True)
    thematic_area = models.CharField(max_length=200, blank=True, help_text=_("For coordinators and co-chairs."))
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True, help_text=_("Set when someone else takes over."))

    class Meta:
        ordering = ["meeting", "role", "thematic_area", "since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__isnull=False) | Q(organisation__isnull=False) | ~Q(person_name=""),
                name="officer_names_someone",
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=F("since")),
                name="officer_until_after_since",
            ),
            models.UniqueConstraint(
                fields=["meeting", "role"],
                condition=Q(until__isnull=True, role__in=["president", "president_designate"]),
                name="officer_one_current_presiding",
            ),
        ]

    def __str__(self) -> str:
        holder = self.person_name or self.state or self.organisation
        return f"{self.get_role_display()}: {holder}"

    def clean(self) -> None:
        # The conditional unique constraint alone would only give a generic non-field error.
        if self.role in self.PRESIDING_ROLES and self.until is None and self.meeting_id:
            current = Officer.objects.filter(meeting_id=self.meeting_id, role=self.role, until__isnull=True)
            if self.pk:
                current = current.exclude(pk=self.pk)
            if current.exists():
                raise ValidationError(
                    {
                        "role": gettext(
                            "This meeting already has a current %(role)s; give that one an end date (until) first."
                        )
                        % {"role": self.get_role_display()}
                    }
                )

    @property
    def is_current(self) -> bool:
        return self.until is None


def document_upload_to(instance: "Document", filename: str) -> str:
    safe_symbol = "".join(c if c.isalnum() else "_" for c in instance.symbol)
    return f"documents/{instance.meeting.slug}/{safe_symbol}-{instance.language}.pdf"


class Document(models.Model):
    class Kind(models.TextChoices):
        PROVISIONAL_AGENDA = "provisional_agenda", _("Provisional agenda")
        PROGRAMME_OF_WORK = "programme_of_work", _("Programme of work")
        NON_PAPER = "non_paper", _("Non-paper")
        COST_ESTIMATE = "cost_estimate", _("Cost estimate")
        REPORT = "report", _("Report")
        INFORMATION = "information", _("Information note")
        WORKING_PAPER = "working_paper", _("Working paper")
        DECISION = "decision", _("Decision")
        OTHER = "other", pgettext_lazy("document kind", "Other")

    Language = Language  # kept as an attribute: callers write Document.Language.ENGLISH

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    symbol = models.CharField(max_length=80, help_text=_("UN document symbol, e.g. CCM/MSP/2023/1"))
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    issued_on = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=document_upload_to, validators=[validate_pdf], blank=True)

    class Meta:
        ordering = ["meeting", "symbol", "language"]
        constraints = [
            # One symbol names one document in all six official languages.
            models.UniqueConstraint(fields=["symbol", "language"], name="document_symbol_language_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} ({self.get_language_display()})"

    def title_in(self, language: str) -> str:
        """The title in a content language ("zh" for Chinese), or the English one when none is recorded."""
        return translated(self, "title", language)


# Labels Django would derive from the names, in the interface language (common/labels.py says why here).
# The titles in each language are labelled where they are declared.
translate_labels(
    Meeting,
    verbose_name=_("meeting"),
    verbose_name_plural=_("meetings"),
    fields={
        "treaty": _("treaty"),
        "kind": pgettext_lazy("meeting", "kind"),
        "number": _("number"),
        "slug": _("address name (slug)"),
        "status": pgettext_lazy("meeting", "status"),
        "preparatory_for": _("preparatory for"),
        "start_date": _("start date"),
        "end_date": _("end date"),
        "start_time": _("start time"),
        "dates_note": _("note on the dates"),
        "format": _("format"),
        "city": _("city"),
        "country": _("country"),
        "venue": _("venue"),
        "venue_address": _("venue address"),
        "room": _("room"),
        "host_state": _("host State"),
        "supporting_organisations": _("supporting organisations"),
        "registration_opens": _("registration opens"),
        "registration_deadline": _("registration deadline"),
        "registration_deadline_reason": _("reason for a late registration deadline"),
        "delegation_details_deadline": _("deadline for delegation details"),
        "rsvp_contact": _("RSVP contact"),
        "rsvp_email": _("RSVP e-mail"),
        "rsvp_by": _("RSVP by"),
        "description": _("description"),
    },
)
translate_labels(
    MeetingLink,
    verbose_name=_("meeting link"),
    verbose_name_plural=_("meeting links"),
    fields={
        "meeting": _("meeting"),
        "label": _("label"),
        "url": _("address (URL)"),
    },
)
translate_labels(
    Officer,
    verbose_name=_("officer"),
    verbose_name_plural=_("officers"),
    fields={
        "meeting": _("meeting"),
        "role": _("role"),
        "state": _("state"),
        "organisation": _("organisation"),
        "person_name": _("name of the person"),
        "person_title": _("title of the person"),
        "thematic_area": _("thematic area"),
        "since": _("since"),
        "until": _("until"),
    },
)
translate_labels(
    Document,
    verbose_name=_("document"),
    verbose_name_plural=_("documents"),
    fields={
        "meeting": _("meeting"),
        "symbol": _("symbol"),
        "kind": pgettext_lazy("document", "kind"),
        "language": _("language"),
        "issued_on": _("issued on"),
        "file": _("file"),
    },
)
