from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from common.labels import translate_labels
from common.languages import Language, translated
from treaties.models import State

from .references import format_reference, validate_reference_pattern


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Office(models.Model):
    """An office that issues correspondence under its own letterhead and numbering."""

    class Kind(models.TextChoices):
        PRESIDENCY = "presidency", _("Presidency (Permanent Mission)")
        SECRETARIAT = "secretariat", _("Secretariat")
        SUPPORT_UNIT = "support_unit", _("Implementation Support Unit")

    # Translated (correspondence/translation.py): name_en … name_zh_hans. Each as it reads inside a sentence of a
    # note in that language, with the article where the language has one (“le Bureau …” but “la Mission …”,
    # only the name tells its gender); English without (“the” is added). Empty: the English name stands in.
    name = models.CharField(
        max_length=255,
        help_text=_(
            "As it reads inside a sentence; in French and Spanish with its article, e.g. “le Bureau des "
            "affaires de désarmement”, “la Oficina de Asuntos de Desarme”. Empty: the English name."
        ),
    )
    short_name = models.CharField(
        max_length=80,
        blank=True,
        help_text=_(
            "How colleagues call the office, shown in the portal's header and lists, e.g. “UNODA”, "
            "“Permanent Mission of Iraq”. Empty: the full name."
        ),
    )
    code = models.CharField(max_length=40, unique=True, help_text=_("Office code used in references, e.g. Lao PM.GE"))
    kind = models.CharField(max_length=16, choices=Kind.choices)
    state = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.PROTECT, help_text=_("The State of a Permanent Mission.")
    )
    letterhead_lines = models.TextField(
        blank=True,
        help_text=_(
            "Letterhead lines in any script (Lao, Arabic, …), one per line, top to bottom, the motto where "
            "the office prints it. Rich text (bold, italics) allowed."
        ),
    )
    motto = models.CharField(max_length=255, blank=True)
    emblem = models.ImageField(upload_to="emblems/", blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    email = models.EmailField(blank=True)
    city = models.CharField(max_length=100, help_text=_("City written in the date line, e.g. Geneva."))
    reference_pattern = models.CharField(
        max_length=120,
        blank=True,
        validators=[validate_reference_pattern],
        help_text=_(
            "Tokens: {seq} or {seq:03}, {yy}, {yyyy}, {code}; e.g. “No: {seq:03} Lao PM.GE.{yy}”. "
            "Empty: the office issues without reference numbers, and none is printed."
        ),
    )
    reference_label = models.CharField(
        max_length=40, blank=True, help_text=_("Printed before the reference, e.g. “REFERENCE:”. Empty: none.")
    )
    # Layout: each office writes its letters its own way (seeds 000–004); nothing is printed that it does not use.
    header_lines = models.TextField(
        blank=True,
        help_text=_(
            "Lines printed above the letterhead on the first page, e.g. the headquarters' address and "
            "telephone. Rich text (bold, italics) allowed."
        ),
    )
    footer_lines = models.TextField(
        blank=True,
        help_text=_(
            "Lines printed at the foot of the first page, one per line, e.g. the unit's name and web site. "
            "Rich text allowed."
        ),
    )
    prints_subject = models.BooleanField(
        default=False, help_text=_("Print the note's subject as a line of its own (most offices do not).")
    )
    subject_label = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("Printed before the subject, e.g. “Ref:”. Only if the subject is printed."),
    )

    # Not translated: each label is an example of the date as English notes write it.
    class DateFormat(models.TextChoices):
        DAY_MONTH_YEAR = "d_month_yyyy", "18 April 2011"
        DAY2_MONTH_YEAR = "dd_month_yyyy", "08 August 2023"
        MONTH_DAY_YEAR = "month_d_yyyy", "March 5, 2010"

    date_format = models.CharField(
        max_length=16,
        choices=DateFormat.choices,
        default=DateFormat.DAY_MONTH_YEAR,
        help_text=_("How the date reads in English notes; other languages write it their own way."),
    )
    date_with_city = models.BooleanField(
        default=True, help_text=_("Write the city before the date (“Geneva, 18 April 2011”).")
    )
    addressees_at_end = models.BooleanField(
        default=False,
        help_text=_(
            "Print the addressees after the signature, as the Lao mission does; otherwise above the salutation."
        ),
    )
    requires_approval = models.BooleanField(
        default=False, help_text=_("Notes need a second user's approval before they are issued.")
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="offices")

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="presidency") | Q(state__isnull=False),
                name="office_presidency_has_state",
            ),
            # On the English name only: translations may be missing, and two missing ones are not a clash.
            models.UniqueConstraint(fields=["name_en"], name="office_name_en_unique"),
        ]

    def __str__(self) -> str:
        # The name as it reads in a sentence of the reader's language starts with its article in French and
        # Spanish (“la Misión Permanente …”); as a label it starts a line.
        return capfirst(self.name)

    @property
    def label(self) -> str:
        return self.short_name or capfirst(self.name)

    def name_in(self, language: str, *, fallback: bool = True) -> str:
        """The name as it reads in a note of a content language ("zh" for Chinese), article included.

        Without ``fallback``, "" when none is recorded: the note then puts its own article before the English name.
        """
        return translated(self, "name", language, fallback=fallback)

    @property
    def letterhead(self) -> list[str]:
        return lines_of(self.letterhead_lines)

    def reference_example(self, *, seq: int = 1, year: int = 2025) -> str:
        return format_reference(self.reference_pattern, seq=seq, year=year, code=self.code)


class Form(models.TextChoices):
    NOTE_VERBALE = "note_verbale", _("Note verbale")
    LETTER = "letter", _("Signed letter")
    CIRCULAR = "circular", _("Circular note")


class AddresseeGroup(models.TextChoices):
    STATES_PARTIES = "states_parties", _("States Parties")
    SIGNATORIES = "signatories", _("Signatories")
    STATES_NOT_PARTY = "states_not_party", _("States not party (neither party nor signatory)")
    OBSERVER_ORGANISATIONS = "observer_organisations", _("Observer organisations by right")
    INTERESTED_ORGANISATIONS = "interested_organisations", _("Interested organisations")
    ALL_MISSIONS = "all_missions", _("All Permanent Missions")


class ReferenceCounter(models.Model):
    """Last number issued by an office in a year; the row is locked while a note is issued."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="counter_unique_office_year")]

    def __str__(self) -> str:
        return f"{self.office.code} {self.year}: {self.last_seq}"


class NoteTemplate(models.Model):
    """Reusable wording, edited by staff in a sandboxed template language (Jinja, no access to data)."""

    name = models.CharField(max_length=200)
    form = models.CharField(max_length=16, choices=Form.choices)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    subject = models.CharField(max_length=300, help_text=_("May use placeholders, e.g. {{ meeting.title }}."))
    body = models.TextField(
        help_text=_(
            "Paragraphs separated by a blank line; a line holding only {% if … %} or {% endif %} disappears. "
            "Rich text: **bold**, *italics*, 30^th^, lines starting “- ” or “1. ” for lists, <https://…> for a link, "
            "::: centre … ::: for a centred block (README). "
            "Placeholders: {{ opening }}, {{ closing }}, {{ addressees }} (the groups, inside a sentence), "
            "{{ meeting.title }}, "
            "{{ meeting.when }} (“on 23 December 2026 at 10:00”, “from 11 to 14 September 2023”, in the note's "
            "language), {{ meeting.where }} (“at the Palais des Nations in Geneva (Room XIX)”), {{ meeting.dates }}, "
            "{{ meeting.registration_deadline }}, {{ meeting.registration_link }}, {{ addressee.name }}, "
            "{{ addressee.salutation }}, {{ sender.name }}, {% for e in enclosures %}{{ e.symbol }}{% endfor %} … "
            "The note's page lists them all with their values."
        )
    )
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="templates",
        help_text=_(
            "The office that owns the wording and alone may change it. Empty: shared with every office, "
            "managed by the secretariat."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "language", "office__name"]
        constraints = [
            # A shared template and each office's own copy of it may bear the same name.
            models.UniqueConstraint(
                fields=["name", "language"], condition=Q(office__isnull=True), name="template_unique_shared_name"
            ),
            models.UniqueConstraint(
                fields=["name", "language", "office"],
                condition=Q(office__isnull=False),
                name="template_unique_office_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_language_display()})"

    @property
    def is_shared(self) -> bool:
        return self.office_id is None


class Note(models.Model):
    """One piece of correspondence. Issuing freezes it and gives it its reference number."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("note status", "Draft")
        PENDING_APPROVAL = "pending_approval", pgettext_lazy("note status", "Awaiting approval")
        APPROVED = "approved", pgettext_lazy("note status", "Approved")
        ISSUED = "issued", pgettext_lazy("note status", "Issued")

    EDITABLE = (Status.DRAFT, Status.PENDING_APPROVAL, Status.APPROVED)

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="notes")
    treaty = models.ForeignKey("treaties.Treaty", on_delete=models.PROTECT, related_name="notes")
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="notes"
    )
    template = models.ForeignKey(NoteTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    form = models.CharField(max_length=16, choices=Form.choices)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    subject = models.CharField(max_length=300)
    subject_text = models.CharField(
        _("subject as it reads"),
        max_length=600,
        blank=True,
        help_text=_("The subject with its placeholders filled in, kept for lists, titles and searches."),
    )
    body = models.TextField()
    salutation = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Letters only; overrides “Excellency,” for every copy, e.g. “Excellencies, dear colleagues,”."),
    )
    addressee_groups = models.JSONField(default=list, blank=True, help_text=_("Codes of AddresseeGroup."))
    addressee_states = models.ManyToManyField(
        "treaties.State",
        blank=True,
        related_name="+",
        help_text=_("Individual States, reached through their missions."),
    )
    addressee_organisations = models.ManyToManyField(
        "treaties.Organisation",
        blank=True,
        related_name="+",
        help_text=_("Interested organisations listed by hand, in addition to the meeting's supporting organisations."),
    )
    addressee_block = models.TextField(
        _("addressees as printed"),
        blank=True,
        help_text=_(
            "The addressee lines as the letter prints them, one per line. Empty: the groups' wording in the "
            "note's language. Each addressee still receives a copy of its own."
        ),
    )
    letterhead_lines = models.TextField(
        blank=True, help_text=_("This note's own letterhead lines, one per line. Empty: the office's letterhead.")
    )
    footer_lines = models.TextField(
        blank=True, help_text=_("This note's own footer lines. Empty: the office's footer.")
    )
    dateline = models.CharField(
        _("date line as written"),
        max_length=120,
        blank=True,
        help_text=_(
            "Only to record a letter exactly as it was sent, e.g. “Geneva , March 5, 2010”. Empty: the issue "
            "date in the office's format."
        ),
    )
    postscript = models.TextField(
        blank=True,
        help_text=_(
            "Rich text printed after the signature and the addressees, e.g. “R.S.V.P. to …”. Placeholders allowed."
        ),
    )
    enclosures = models.ManyToManyField("meetings.Document", blank=True, related_name="notes")
    append_enclosures = models.BooleanField(
        default=False,
        help_text=_("Also append the enclosed documents to each PDF (they always travel as attachments)."),
    )
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    seq = models.PositiveIntegerField(null=True, blank=True)
    reference = models.CharField(max_length=120, blank=True)
    issue_date = models.DateField(null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "seq"], condition=Q(seq__isnull=False), name="note_unique_office_year_seq"
            ),
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""), name="note_unique_reference"),
            # An office without a reference pattern issues notes numbered only in its own register.
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(seq__isnull=False, year__isnull=False, issue_date__isnull=False),
                name="note_issued_has_number",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("created_by")),
                name="note_approver_is_second_user",
            ),
        ]

    def __str__(self) -> str:
        # Staff read it (admin titles, messages, breadcrumbs): the status in their own language.
        status = self.reference or (pgettext("note status", "Issued") if self.seq else pgettext("note status", "Draft"))
        return f"{status} – {self.title}"

    @property
    def title(self) -> str:
        """The subject as it reads; the wording itself only until the note is first saved through its service."""
        return self.subject_text or self.subject

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def register_label(self) -> str:
        """How staff find the note: its reference, else its place in the office's register (never printed)."""
        if self.reference:
            return self.reference
        # The numbered form stays as it is in every language: it also names the PDF attached to the missions' e-mail.
        return f"{self.office.code} {self.year} no. {self.seq}" if self.seq else pgettext("note status", "Draft")


class Signatory(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(max_length=200)
    title = models.TextField(help_text=_("One line per line of the title block."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return self.name


class IndividualAddressee(models.Model):
    """A named person, as the Ambassador of Norway in seed letter 001."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="individuals")
    person_name = models.CharField(max_length=200, help_text=_("e.g. H.E. Mme Bente ANGELL-Hansen"))
    person_title = models.CharField(max_length=255, blank=True, help_text=_("e.g. Ambassador Permanent Representative"))
    mission_name = models.CharField(
        max_length=255,
        blank=True,
        help_text=_(
            "The mission as the letter writes it, e.g. “Permanent Mission of Norway to UNO in Geneva”. "
            "Empty: the mission's or organisation's name."
        ),
    )
    salutation = models.CharField(max_length=100, default="Excellency,")
    mission = models.ForeignKey(
        "treaties.PermanentMission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "treaties.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(blank=True, help_text=_("Overrides the mission's correspondence address."))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(mission__isnull=True) | Q(organisation__isnull=True), name="individual_one_body"
            )
        ]

    def __str__(self) -> str:
        return self.person_name


def copy_pdf_path(instance: "NoteCopy", filename: str) -> str:
    return f"notes/{instance.note.year}/{instance.note_id}/{instance.pk}-{instance.addressee_key.replace(':', '-')}.pdf"


class NoteCopy(models.Model):
    """The outbox row: one addressee's personalised copy of an issued note."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("copy status", "Queued")
        RENDERING = "rendering", pgettext_lazy("copy status", "Rendering")
        RENDERED = "rendered", pgettext_lazy("copy status", "Rendered")
        SENDING = "sending", pgettext_lazy("copy status", "Sending")
        SENT = "sent", pgettext_lazy("copy status", "Sent")
        FAILED = "failed", pgettext_lazy("copy status", "Failed")
        BY_HAND = "by_hand", pgettext_lazy("copy status", "Deliver by hand")
        RECORDED = "recorded", pgettext_lazy("copy status", "Recorded (sent outside the portal)")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("E-mail")
        BY_HAND = "by_hand", _("By hand")

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="copies")
    addressee_key = models.CharField(max_length=60, help_text=_("state:NOR, org:ICRC or person:<id>"))
    addressee_name = models.CharField(max_length=300)
    addressee_title = models.CharField(max_length=300, blank=True)
    salutation = models.CharField(max_length=100, blank=True)
    state = models.ForeignKey("treaties.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "treaties.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mission = models.ForeignKey(
        "treaties.PermanentMission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    emails = models.TextField(blank=True, help_text=_("Frozen at issue."))
    delivery = models.CharField(max_length=8, choices=Delivery.choices)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    pdf = models.FileField(upload_to=copy_pdf_path, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    delivered_to = models.TextField(
        blank=True, help_text=_("Addresses the mail server accepted the copy for, one a line: never mailed again.")
    )
    refused = models.JSONField(
        default=dict, blank=True, help_text=_("Addresses the mail server refused, with its reply: {address: reason}.")
    )

    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a worker last claimed the row; a stale claim means it crashed.")
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["note", "addressee_name"]
        verbose_name_plural = _("note copies (outbox)")
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(fields=["note", "addressee_key"], name="copy_unique_addressee"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False) & ~Q(pdf_sha256=""),
                name="copy_sent_has_pdf_and_time",
            ),
            models.CheckConstraint(
                condition=~Q(delivery="email") | ~Q(emails=""), name="copy_email_delivery_has_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.note.reference} → {self.addressee_name}"

    @property
    def email_list(self) -> list[str]:
        return [line for line in self.emails.splitlines() if line.strip()]

    @property
    def pending_addresses(self) -> list[str]:
        """The addresses still to be mailed: a copy reaches each address at most once."""
        return _pending(self.email_list, self.delivered_to)


def _pending(addresses: list[str], delivered_to: str) -> list[str]:
    done = {line.strip().lower() for line in delivered_to.splitlines()}
    return [address for address in addresses if address.strip().lower() not in done]


class Email(models.Model):
    """An outbox row for a plain e-mail (a focal point's notification, …), mailed like a note copy.

    The same rules as NoteCopy: 'sending' is committed before the server is contacted, a stale
    'sending' row is marked uncertain and never sent again on its own, refusals for now are
    retried with the same waits, and each address that accepted is never mailed again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("e-mail status", "Queued")
        SENDING = "sending", pgettext_lazy("e-mail status", "Sending")
        SENT = "sent", pgettext_lazy("e-mail status", "Sent")
        FAILED = "failed", pgettext_lazy("e-mail status", "Failed")

    source = models.CharField(max_length=40, help_text=_("The part of the portal that wrote it, e.g. registration."))
    to = models.TextField(help_text=_("Addresses, one a line."))
    subject = models.CharField(max_length=255)
    body = models.TextField()

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    delivered_to = models.TextField(
        blank=True, help_text=_("Addresses the mail server accepted it for, one a line: never mailed again.")
    )
    refused = models.JSONField(
        default=dict, blank=True, help_text=_("Addresses the mail server refused, with its reply: {address: reason}.")
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail (outbox)")
        verbose_name_plural = _("e-mails (outbox)")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{', '.join(self.to_list)}: {self.subject}"

    @property
    def to_list(self) -> list[str]:
        return [line for line in self.to.splitlines() if line.strip()]

    @property
    def pending_addresses(self) -> list[str]:
        return _pending(self.to_list, self.delivered_to)


# The “correspondence field” context: short words (name, code, form, status …) mean something else in other
# apps' catalogues, and Django merges every catalogue into one.
translate_labels(
    Office,
    verbose_name=_("office"),
    verbose_name_plural=_("offices"),
    fields={
        "name": pgettext_lazy("correspondence field", "name"),
        "short_name": pgettext_lazy("correspondence field", "short name"),
        "code": pgettext_lazy("correspondence field", "code"),
        "kind": pgettext_lazy("correspondence field", "kind"),
        "state": pgettext_lazy("correspondence field", "state"),
        "letterhead_lines": pgettext_lazy("correspondence field", "letterhead lines"),
        "motto": pgettext_lazy("correspondence field", "motto"),
        "emblem": pgettext_lazy("correspondence field", "emblem"),
        "address": pgettext_lazy("correspondence field", "address"),
        "phone": pgettext_lazy("correspondence field", "phone"),
        "email": pgettext_lazy("correspondence field", "email"),
        "city": pgettext_lazy("correspondence field", "city"),
        "reference_pattern": pgettext_lazy("correspondence field", "reference pattern"),
        "reference_label": pgettext_lazy("correspondence field", "reference label"),
        "header_lines": pgettext_lazy("correspondence field", "header lines"),
        "footer_lines": pgettext_lazy("correspondence field", "footer lines"),
        "prints_subject": pgettext_lazy("correspondence field", "prints subject"),
        "subject_label": pgettext_lazy("correspondence field", "subject label"),
        "date_format": pgettext_lazy("correspondence field", "date format"),
        "date_with_city": pgettext_lazy("correspondence field", "date with city"),
        "addressees_at_end": pgettext_lazy("correspondence field", "addressees at end"),
        "requires_approval": pgettext_lazy("correspondence field", "requires approval"),
        "members": pgettext_lazy("correspondence field", "members"),
    },
)
translate_labels(
    ReferenceCounter,
    verbose_name=_("reference counter"),
    verbose_name_plural=_("reference counters"),
    fields={
        "office": pgettext_lazy("correspondence field", "office"),
        "year": pgettext_lazy("correspondence field", "year"),
        "last_seq": pgettext_lazy("correspondence field", "last seq"),
    },
)
translate_labels(
    NoteTemplate,
    verbose_name=_("note template"),
    verbose_name_plural=_("note templates"),
    fields={
        "name": pgettext_lazy("correspondence field", "name"),
        "form": pgettext_lazy("correspondence field", "form"),
        "language": pgettext_lazy("correspondence field", "language"),
        "subject": pgettext_lazy("correspondence field", "subject"),
        "body": pgettext_lazy("correspondence field", "body"),
        "office": pgettext_lazy("correspondence field", "office"),
        "updated_at": pgettext_lazy("correspondence field", "updated at"),
    },
)
translate_labels(
    Note,
    verbose_name=_("note"),
    verbose_name_plural=_("notes"),
    fields={
        "office": pgettext_lazy("correspondence field", "office"),
        "treaty": pgettext_lazy("correspondence field", "treaty"),
        "meeting": pgettext_lazy("correspondence field", "meeting"),
        "template": pgettext_lazy("correspondence field", "template"),
        "form": pgettext_lazy("correspondence field", "form"),
        "language": pgettext_lazy("correspondence field", "language"),
        "subject": pgettext_lazy("correspondence field", "subject"),
        "body": pgettext_lazy("correspondence field", "body"),
        "salutation": pgettext_lazy("correspondence field", "salutation"),
        "addressee_groups": pgettext_lazy("correspondence field", "addressee groups"),
        "addressee_states": pgettext_lazy("correspondence field", "addressee states"),
        "addressee_organisations": pgettext_lazy("correspondence field", "addressee organisations"),
        "letterhead_lines": pgettext_lazy("correspondence field", "letterhead lines"),
        "footer_lines": pgettext_lazy("correspondence field", "footer lines"),
        "postscript": pgettext_lazy("correspondence field", "postscript"),
        "enclosures": pgettext_lazy("correspondence field", "enclosures"),
        "append_enclosures": pgettext_lazy("correspondence field", "append enclosures"),
        "corrects": pgettext_lazy("correspondence field", "corrects"),
        "status": pgettext_lazy("correspondence field", "status"),
        "year": pgettext_lazy("correspondence field", "year"),
        "seq": pgettext_lazy("correspondence field", "seq"),
        "reference": pgettext_lazy("correspondence field", "reference"),
        "issue_date": pgettext_lazy("correspondence field", "issue date"),
        "created_by": pgettext_lazy("correspondence field", "created by"),
        "created_at": pgettext_lazy("correspondence field", "created at"),
        "approved_by": pgettext_lazy("correspondence field", "approved by"),
        "approved_at": pgettext_lazy("correspondence field", "approved at"),
        "issued_by": pgettext_lazy("correspondence field", "issued by"),
        "issued_at": pgettext_lazy("correspondence field", "issued at"),
    },
)
translate_labels(
    Signatory,
    verbose_name=_("signatory"),
    fields={
        "note": pgettext_lazy("correspondence field", "note"),
        "name": pgettext_lazy("correspondence field", "name"),
        "title": pgettext_lazy("correspondence field", "title"),
        "position": pgettext_lazy("correspondence field", "position"),
    },
)
translate_labels(
    IndividualAddressee,
    verbose_name=_("individual addressee"),
    verbose_name_plural=_("individual addressees"),
    fields={
        "note": pgettext_lazy("correspondence field", "note"),
        "person_name": pgettext_lazy("correspondence field", "person name"),
        "person_title": pgettext_lazy("correspondence field", "person title"),
        "mission_name": pgettext_lazy("correspondence field", "mission name"),
        "salutation": pgettext_lazy("correspondence field", "salutation"),
        "mission": pgettext_lazy("correspondence field", "mission"),
        "organisation": pgettext_lazy("correspondence field", "organisation"),
        "email": pgettext_lazy("correspondence field", "email"),
    },
)
translate_labels(
    NoteCopy,
    verbose_name=_("note copy"),
    fields={
        "note": pgettext_lazy("correspondence field", "note"),
        "addressee_key": pgettext_lazy("correspondence field", "addressee key"),
        "addressee_name": pgettext_lazy("correspondence field", "addressee name"),
        "addressee_title": pgettext_lazy("correspondence field", "addressee title"),
        "salutation": pgettext_lazy("correspondence field", "salutation"),
        "state": pgettext_lazy("correspondence field", "state"),
        "organisation": pgettext_lazy("correspondence field", "organisation"),
        "mission": pgettext_lazy("correspondence field", "mission"),
        "emails": pgettext_lazy("correspondence field", "emails"),
        "delivery": pgettext_lazy("correspondence field", "delivery"),
        "status": pgettext_lazy("correspondence field", "status"),
        "attempts": pgettext_lazy("correspondence field", "attempts"),
        "last_error": pgettext_lazy("correspondence field", "last error"),
        "pdf": pgettext_lazy("correspondence field", "pdf"),
        "pdf_sha256": pgettext_lazy("correspondence field", "pdf sha256"),
        "message_id": pgettext_lazy("correspondence field", "message id"),
        "delivered_to": pgettext_lazy("correspondence field", "delivered to"),
        "refused": pgettext_lazy("correspondence field", "refused"),
        "created_at": pgettext_lazy("correspondence field", "created at"),
        "rendered_at": pgettext_lazy("correspondence field", "rendered at"),
        "claimed_at": pgettext_lazy("correspondence field", "claimed at"),
        "sent_at": pgettext_lazy("correspondence field", "sent at"),
        "updated_at": pgettext_lazy("correspondence field", "updated at"),
    },
)
translate_labels(
    Email,
    fields={
        "source": pgettext_lazy("correspondence field", "source"),
        "to": pgettext_lazy("correspondence field", "to"),
        "subject": pgettext_lazy("correspondence field", "subject"),
        "body": pgettext_lazy("correspondence field", "body"),
        "status": pgettext_lazy("correspondence field", "status"),
        "attempts": pgettext_lazy("correspondence field", "attempts"),
        "last_error": pgettext_lazy("correspondence field", "last error"),
        "message_id": pgettext_lazy("correspondence field", "message id"),
        "delivered_to": pgettext_lazy("correspondence field", "delivered to"),
        "refused": pgettext_lazy("correspondence field", "refused"),
        "claimed_at": pgettext_lazy("correspondence field", "claimed at"),
        "created_at": pgettext_lazy("correspondence field", "created at"),
        "updated_at": pgettext_lazy("correspondence field", "updated at"),
        "sent_at": pgettext_lazy("correspondence field", "sent at"),
    },
)
