import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common.labels import translate_labels
from common.languages import translated

from . import rules


class Treaty(models.Model):
    code = models.SlugField(max_length=16, unique=True, help_text=_("Short code, e.g. CCM or APMBC."))
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=120)
    document_prefix = models.CharField(
        max_length=20, blank=True, help_text=_("Prefix of UN document symbols, e.g. CCM or APLC.")
    )
    adopted_on = models.DateField(null=True, blank=True)
    instruments_for_entry_into_force = models.PositiveSmallIntegerField(
        help_text=_("Number of instruments of ratification, acceptance, approval or accession needed.")
    )
    triggering_deposit_date = models.DateField(
        help_text=_("Date on which the instrument that triggered entry into force was deposited.")
    )
    entry_into_force = models.DateField()
    observer_rules = models.TextField(blank=True, help_text=_("Who may attend as observer (Art. 11)."))
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("treaties")
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_into_force__gt=F("triggering_deposit_date")),
                name="treaty_eif_after_trigger",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


# The article UNTERM gives with the short name (“France (la)”, “Brasil (el)”); notes need it
# to say “de la France”, “del Brasil”. Empty where the UN uses none (“Cuba”, “Alemania”).
class FrenchArticle(models.TextChoices):
    NONE = "", _("(no article)")
    LE = "le", "le"
    LA = "la", "la"
    L = "l'", "l'"
    LES = "les", "les"


class SpanishArticle(models.TextChoices):
    NONE = "", _("(no article)")
    EL = "el", "el"
    LA = "la", "la"
    LOS = "los", "los"
    LAS = "las", "las"


class State(models.Model):
    class UNStatus(models.TextChoices):
        MEMBER = "member", _("UN Member State")
        OBSERVER = "observer", _("UN observer State")
        NON_MEMBER = "non_member", _("Not a UN Member")

    iso2 = models.CharField(
        _("ISO alpha-2"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters."))],
    )
    iso3 = models.CharField(
        _("ISO alpha-3"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters."))],
    )
    iso_numeric = models.CharField(
        _("ISO numeric"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{3}$", _("Three digits."))],
    )
    # Translated (treaties/translation.py): name_en, name_fr, name_es, name_ar, name_ru, name_zh_hans, the UN
    # short names. Code reads name_en or name_in(language); ``name`` (and str()) follow the reader's language.
    name = models.CharField(_("UN short name"), max_length=120)
    article_fr = models.CharField(
        _("article (French)"),
        max_length=3,
        choices=FrenchArticle.choices,
        blank=True,
        help_text=_("As UNTERM lists it: France (la), Mexique (le), Allemagne (l'), Pays-Bas (les); none for Cuba."),
    )
    article_es = models.CharField(
        _("article (Spanish)"),
        max_length=3,
        choices=SpanishArticle.choices,
        blank=True,
        help_text=_("As UNTERM lists it: Argentina (la), Brasil (el), Países Bajos (los); none for Alemania."),
    )
    un_status = models.CharField(max_length=12, choices=UNStatus.choices, default=UNStatus.MEMBER)

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(condition=Q(iso2__regex=r"^[A-Z]{2}$"), name="state_iso2_format"),
            models.CheckConstraint(condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="state_iso3_format"),
            models.CheckConstraint(condition=Q(iso_numeric__regex=r"^[0-9]{3}$"), name="state_isonum_format"),
            models.CheckConstraint(condition=Q(article_fr__in=FrenchArticle.values), name="state_article_fr_valid"),
            models.CheckConstraint(condition=Q(article_es__in=SpanishArticle.values), name="state_article_es_valid"),
            # On the English name only: a translation may be missing, and two missing ones are not a clash.
            models.UniqueConstraint(fields=["name_en"], name="state_name_en_unique"),
        ]

    def __str__(self) -> str:
        # In the reader's interface language (modeltranslation's ``name``, English where it is missing), so
        # pages, lists and the admin name States as the reader reads them. Letters never print ``str(state)``:
        # they ask ``name_in(note.language)``.
        return self.name

    def name_in(self, language: str) -> str:
        """The UN short name in a content language (Language value, "zh" for Chinese); English if missing."""
        return translated(self, "name", language)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        UNITED_NATIONS = "un", _("United Nations")
        UN_ENTITY = "un_entity", _("UN office, programme or agency")
        INTERNATIONAL = "international", _("International organisation")
        REGIONAL = "regional", _("Regional organisation")
        RED_CROSS = "red_cross", _("Red Cross and Red Crescent Movement")
        NGO = "ngo", _("Non-governmental organisation")
        OTHER = "other", pgettext_lazy("organisation kind", "Other")

    name = models.CharField(max_length=255, unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    city = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    observer_by_right = models.ManyToManyField(
        Treaty,
        blank=True,
        related_name="observers_by_right",
        help_text=_("Treaties under which this organisation attends meetings as an observer by right."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["acronym"], condition=~Q(acronym=""), name="organisation_acronym_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


def validate_email_lines(value: str) -> None:
    for number, line in enumerate(value.splitlines(), start=1):
        if line.strip():
            try:
                validate_email(line.strip())
            except ValidationError:
                raise ValidationError(
                    gettext("Line %(number)s: “%(address)s” is not a valid e-mail address.")
                    % {"number": number, "address": line.strip()}
                ) from None


class PermanentMission(models.Model):
    class City(models.TextChoices):
        GENEVA = "Geneva", _("Geneva")
        NEW_YORK = "New York", _("New York")
        VIENNA = "Vienna", _("Vienna")

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="missions")
    city = models.CharField(max_length=20, choices=City.choices)
    name = models.CharField(
        max_length=255, help_text=_("e.g. Permanent Mission of Norway to the United Nations Office at Geneva")
    )
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    emails = models.TextField(
        blank=True,
        validators=[validate_email_lines],
        help_text=_("Addresses used for official correspondence, one per line."),
    )

    class Meta:
        ordering = ["state__name_en", "city"]
        constraints = [models.UniqueConstraint(fields=["state", "city"], name="mission_unique_state_city")]

    def __str__(self) -> str:
        return self.name

    @property
    def email_list(self) -> list[str]:
        return [line.strip() for line in self.emails.splitlines() if line.strip()]


class Participation(models.Model):
    """A State's relation to one treaty. Dates are recorded; everything else is computed."""

    class Instrument(models.TextChoices):
        RATIFICATION = "ratification", _("Ratification")
        ACCEPTANCE = "acceptance", _("Acceptance")
        APPROVAL = "approval", _("Approval")
        ACCESSION = "accession", _("Accession")
        SUCCESSION = "succession", _("Succession")

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="participations")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="participations")
    signature_date = models.DateField(null=True, blank=True)
    deposit_date = models.DateField(
        null=True, blank=True, help_text=_("Deposit of the instrument of consent to be bound.")
    )
    instrument = models.CharField(max_length=16, choices=Instrument.choices, blank=True)
    provisional_application = models.BooleanField(
        default=False, help_text=_("Declared provisional application on ratification (CCM Art. 18).")
    )
    withdrawal_notice_date = models.DateField(
        null=True, blank=True, help_text=_("Date the depositary received the notice of withdrawal.")
    )
    entry_into_force_override = models.DateField(
        null=True, blank=True, help_text=_("Set only to correct the computed entry into force.")
    )
    initial_report_due_override = models.DateField(
        null=True,
        blank=True,
        help_text=_("Set only to correct the computed Article 7 initial report due date."),
    )
    withdrawal_effective_override = models.DateField(
        null=True,
        blank=True,
        help_text=_("Set when withdrawal takes effect later than six months (e.g. the State is in armed conflict)."),
    )
    notes = models.TextField(blank=True)

    CONSENT_AFTER_SIGNATURE = (Instrument.RATIFICATION, Instrument.ACCEPTANCE, Instrument.APPROVAL)

    class Meta:
        ordering = ["treaty__code", "state__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "state"], name="participation_unique_treaty_state"),
            models.CheckConstraint(
                condition=Q(deposit_date__isnull=True, instrument="")
                | Q(deposit_date__isnull=False) & ~Q(instrument=""),
                name="participation_instrument_iff_deposit",
            ),
            models.CheckConstraint(
                condition=Q(signature_date__isnull=True)
                | Q(deposit_date__isnull=True)
                | Q(deposit_date__gte=F("signature_date")),
                name="participation_deposit_after_signature",
            ),
            models.CheckConstraint(
                condition=~Q(instrument__in=["ratification", "acceptance", "approval"])
                | Q(signature_date__isnull=False),
                name="participation_ratification_needs_signature",
            ),
            models.CheckConstraint(
                condition=Q(withdrawal_notice_date__isnull=True)
                | Q(deposit_date__isnull=False) & Q(withdrawal_notice_date__gte=F("deposit_date")),
                name="participation_withdrawal_after_deposit",
            ),
            models.CheckConstraint(
                condition=Q(signature_date__isnull=False) | Q(deposit_date__isnull=False),
                name="participation_signed_or_deposited",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state} – {self.treaty}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.signature_date and not self.deposit_date:
            errors["signature_date"] = gettext("Give a signature date, a deposit date, or both.")
        if self.deposit_date and not self.instrument:
            errors["instrument"] = gettext("Say which instrument was deposited.")
        if self.instrument and not self.deposit_date:
            errors["deposit_date"] = gettext("An instrument needs its deposit date.")
        if self.signature_date and self.deposit_date and self.deposit_date < self.signature_date:
            errors["deposit_date"] = gettext("The deposit cannot precede the signature.")
        if self.instrument in self.CONSENT_AFTER_SIGNATURE and not self.signature_date:
            errors["signature_date"] = gettext(
                "%(instrument)s follows a signature; a State that never signed accedes."
            ) % {"instrument": self.get_instrument_display()}
        eif = self.treaty.entry_into_force if self.treaty_id else None
        if self.signature_date and eif and self.signature_date >= eif:
            # The reader's language and the UN's date form ("1 August 2010"), not the process locale's %B.
            errors["signature_date"] = gettext(
                "Signature closed when the treaty entered into force on %(date)s; a State joining later accedes."
            ) % {"date": formats.date_format(eif, "DATE_FORMAT")}
        if self.withdrawal_notice_date and (not self.deposit_date or self.withdrawal_notice_date < self.deposit_date):
            errors["withdrawal_notice_date"] = gettext(
                "Only a State that has deposited an instrument can withdraw, after it."
            )
        if errors:
            raise ValidationError(errors)

    # Computed dates: the override wins, otherwise the treaty rule.
    @property
    def computed_entry_into_force(self) -> dt.date | None:
        if not self.deposit_date:
            return None
        return rules.entry_into_force_for_state(
            deposit=self.deposit_date,
            treaty_entry_into_force=self.treaty.entry_into_force,
            triggering_deposit=self.treaty.triggering_deposit_date,
        )

    @property
    def entry_into_force(self) -> dt.date | None:
        return self.entry_into_force_override or self.computed_entry_into_force

    @property
    def computed_initial_report_due(self) -> dt.date | None:
        eif = self.entry_into_force
        return rules.initial_report_due(eif) if eif else None

    @property
    def initial_report_due(self) -> dt.date | None:
        return self.initial_report_due_override or self.computed_initial_report_due

    @property
    def computed_withdrawal_effective(self) -> dt.date | None:
        return rules.withdrawal_effective(self.withdrawal_notice_date) if self.withdrawal_notice_date else None

    @property
    def withdrawal_effective(self) -> dt.date | None:
        return self.withdrawal_effective_override or self.computed_withdrawal_effective

    def status_at(self, at: dt.date) -> rules.Status:
        return rules.status_at(
            at,
            signature=self.signature_date,
            deposit=self.deposit_date,
            entry_into_force=self.entry_into_force,
            withdrawal_notice=self.withdrawal_notice_date,
            withdrawal_effective=self.withdrawal_effective,
        )

    @property
    def current_status(self) -> rules.Status:
        return self.status_at(timezone.localdate())


# Labels Django would derive from the names, in the interface language (common/labels.py says why here).
# The State's names and articles in each language are labelled where they are declared.
translate_labels(
    Treaty,
    verbose_name=_("treaty"),
    verbose_name_plural=_("treaties"),
    fields={
        "code": _("code"),
        "name": _("name"),
        "short_name": _("short name"),
        "document_prefix": _("document prefix"),
        "adopted_on": _("adopted on"),
        "instruments_for_entry_into_force": _("instruments for entry into force"),
        "triggering_deposit_date": _("triggering deposit date"),
        "entry_into_force": _("entry into force"),
        "observer_rules": _("observer rules"),
        "website": _("website"),
    },
)
translate_labels(
    State,
    verbose_name=_("state"),
    verbose_name_plural=_("states"),
    fields={
        "un_status": _("UN status"),
    },
)
translate_labels(
    Organisation,
    verbose_name=_("organisation"),
    verbose_name_plural=_("organisations"),
    fields={
        "name": _("name"),
        "acronym": _("acronym"),
        "kind": pgettext_lazy("organisation", "kind"),
        "parent": _("parent organisation"),
        "city": _("city"),
        "email": _("e-mail"),
        "website": _("website"),
        "observer_by_right": _("observer by right"),
    },
)
translate_labels(
    PermanentMission,
    verbose_name=_("permanent mission"),
    verbose_name_plural=_("permanent missions"),
    fields={
        "state": _("state"),
        "city": _("city"),
        "name": _("name"),
        "address": _("address"),
        "phone": _("phone"),
        "emails": _("e-mail addresses"),
    },
)
translate_labels(
    Participation,
    verbose_name=_("participation"),
    verbose_name_plural=_("participations"),
    fields={
        "treaty": _("treaty"),
        "state": _("state"),
        "signature_date": _("signature date"),
        "deposit_date": _("deposit date"),
        "instrument": _("instrument"),
        "provisional_application": _("provisional application"),
        "withdrawal_notice_date": _("withdrawal notice date"),
        "entry_into_force_override": _("entry into force (correction)"),
        "initial_report_due_override": _("initial report due (correction)"),
        "withdrawal_effective_override": _("withdrawal effective (correction)"),
        "notes": _("notes"),
    },
)
