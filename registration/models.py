import datetime as dt
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common.labels import translate_labels
from common.uploads import validate_pdf
from meetings.models import Meeting
from treaties.models import Organisation, State

from . import rules

PARTY_XOR = Q(state__isnull=False, organisation__isnull=True) | Q(state__isnull=True, organisation__isnull=False)


@deconstructible(path="registration.models.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Outside MEDIA_ROOT and with no URL: only a permission-checked view serves these files."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        # FileSystemStorage falls back to MEDIA_URL when base_url is None; None here makes url() raise.
        return None


def private_storage() -> Storage:
    """Where credentials are kept: PrivateStorage above, or a bucket (STORAGES["private"], settings/files.py)."""
    return storages["private"]


class PartyMixin(models.Model):
    """Belongs to one State or one organisation, never both."""

    state = models.ForeignKey(State, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def clean(self) -> None:
        # The check constraint alone would only name itself.
        if bool(self.state_id) == bool(self.organisation_id):
            raise ValidationError(_("Choose one State or one organisation."))

    @property
    def party(self) -> State | Organisation:
        return self.state or self.organisation

    @property
    def party_key(self) -> str:
        return f"state-{self.state.iso3}" if self.state_id else f"org-{self.organisation_id}"


class FocalPoint(PartyMixin):
    """A user who registers delegations on behalf of one State or one organisation.

    A row without ``approved_at`` is a request waiting for the secretariat.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_points")
    reason = models.TextField(blank=True, help_text=_("Why the user asks to act for this State or organisation."))
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=255, blank=True)
    invitation = models.ForeignKey(
        "Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="focal_points"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=PARTY_XOR, name="focal_point_state_xor_organisation"),
            models.UniqueConstraint(fields=["user", "state"], name="focal_point_unique_user_state"),
            models.UniqueConstraint(fields=["user", "organisation"], name="focal_point_unique_user_org"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(rejected_at__isnull=True), name="focal_point_one_decision"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(user)s for %(party)s") % {"user": self.user, "party": self.party}

    @property
    def is_active(self) -> bool:
        return self.approved_at is not None


class Invitation(PartyMixin):
    """A registration link sent with an invitation: one meeting, one State or organisation, one use."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=PARTY_XOR, name="invitation_state_xor_organisation"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_by__isnull=False),
                name="invitation_accepted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Invitation of %(party)s to %(meeting)s") % {"party": self.party, "meeting": self.meeting}


class Delegation(PartyMixin):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    class Category(models.TextChoices):
        # In the order of UN lists of participants.
        STATE_PARTY = "1_state_party", _("States Parties")
        SIGNATORY = "2_signatory", _("Signatory States")
        OBSERVER_STATE = "3_observer_state", _("Observer States")
        ORGANISATION = "4_organisation", _("Organisations")

    class Admission(models.TextChoices):
        """Rule 1.3: an organisation that is not an observer by right asks; the presidency
        invites it provisionally; the secretariat records the meeting's approval."""

        BY_RIGHT = "by_right", _("Observer by right")
        REQUESTED = "requested", _("Asked to take part")
        INVITED = "invited", _("Invited provisionally by the President-designate")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="delegations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text=_("Raised on every save; detects concurrent edits."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(blank=True)

    admission = models.CharField(max_length=10, choices=Admission.choices, blank=True)
    admission_requested_at = models.DateTimeField(null=True, blank=True)
    admission_invited_at = models.DateTimeField(null=True, blank=True)
    admission_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "state__name_en", "organisation__name"]
        constraints = [
            models.CheckConstraint(condition=PARTY_XOR, name="delegation_state_xor_organisation"),
            models.UniqueConstraint(fields=["meeting", "state"], name="delegation_unique_meeting_state"),
            models.UniqueConstraint(fields=["meeting", "organisation"], name="delegation_unique_meeting_org"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="delegation_returned_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(state__isnull=True) | Q(admission=""), name="delegation_admission_only_for_orgs"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.meeting.short_code or self.meeting.title}"

    @property
    def is_editable_by_focal_point(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Member(models.Model):
    class Title(models.TextChoices):
        HE = "H.E.", pgettext_lazy("courtesy title", "H.E.")
        MR = "Mr.", pgettext_lazy("courtesy title", "Mr.")
        MS = "Ms.", pgettext_lazy("courtesy title", "Ms.")
        MRS = "Mrs.", pgettext_lazy("courtesy title", "Mrs.")
        DR = "Dr.", pgettext_lazy("courtesy title", "Dr.")
        PROF = "Prof.", pgettext_lazy("courtesy title", "Prof.")

    class Role(models.TextChoices):
        HEAD = rules.HEAD_OF_DELEGATION, _("Head of delegation")
        ALTERNATE = "alternate", _("Alternate")
        ADVISER = "adviser", _("Adviser")
        EXPERT = "expert", _("Expert")
        OTHER = "other", pgettext_lazy("role in a delegation", "Other")

    class Gender(models.TextChoices):
        FEMALE = "f", _("Female")
        MALE = "m", _("Male")
        OTHER = "x", pgettext_lazy("gender", "Other")

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    title = models.CharField(max_length=6, choices=Title.choices)
    family_name = models.CharField(max_length=120)
    given_name = models.CharField(max_length=120)
    role = models.CharField(max_length=10, choices=Role.choices)
    position = models.CharField(max_length=200, blank=True, help_text=_("e.g. Counsellor, Permanent Mission"))
    email = models.EmailField(blank=True)
    gender = models.CharField(
        max_length=1, choices=Gender.choices, blank=True, help_text=_("Optional, for statistics.")
    )
    days = models.JSONField(
        default=list, blank=True, help_text=_("ISO dates the member attends; empty means all days.")
    )
    position_in_list = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["delegation", "position_in_list", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"], condition=Q(role="head"), name="member_one_head_per_delegation"
            ),
            models.UniqueConstraint(
                "delegation", Lower("family_name"), Lower("given_name"), name="member_unique_name_in_delegation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.given_name} {self.family_name.upper()}"

    @property
    def courtesy_title(self) -> str:
        """ "H.E. Ms." / "H.E. Mr." as UN lists print an excellency, from the gender given; else the title alone."""
        # In the reader's language (“S.E. Mme”, “Excma. Sra.”): whole forms, since an excellency's title agrees
        # with the person's gender in some languages.
        if self.title == self.Title.HE and self.gender == self.Gender.FEMALE:
            return pgettext("courtesy title", "H.E. Ms.")
        if self.title == self.Title.HE and self.gender == self.Gender.MALE:
            return pgettext("courtesy title", "H.E. Mr.")
        return str(self.get_title_display()) if self.title in self.Title.values else self.title

    @property
    def name_in_list(self) -> str:
        """As UN lists of participants print it: "H.E. Ms. Amina OKONKWO"."""
        return f"{self.courtesy_title} {self.given_name} {self.family_name.upper()}"

    @cached_property
    def attendance_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(day) for day in self.days]


class Credentials(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_ORDER = "in_order", _("Original in order")
        COPY_ONLY = "copy_only", _("Copy only (provisional)")
        REJECTED = "rejected", _("Rejected")

    delegation = models.OneToOneField(Delegation, on_delete=models.CASCADE, related_name="credentials")
    file = models.FileField(storage=private_storage, upload_to="credentials/%Y/", validators=[validate_pdf])
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    reason = models.CharField(max_length=255, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("credentials")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="credentials_rejection_reason"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Credentials of %(delegation)s") % {"delegation": self.delegation}


class DelegationChange(models.Model):
    """Who changed what, and when. Every change after the deadline is logged here, and every decision."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        """The action in the reader's language. The row keeps the English code it was written with (the
        history is data), so the label is looked up when shown; an unknown code shows as written."""
        if self.action.startswith("credentials: "):
            with translation.override("en"):
                by_english = {str(choice.label): choice for choice in Credentials.Status}
            status = by_english.get(self.action.removeprefix("credentials: "))
            if status:
                return pgettext("delegation change", "credentials: %(status)s") % {"status": status.label}
        label = _CHANGE_ACTIONS.get(self.action)
        return str(label) if label else self.action

    @property
    def detail_label(self) -> str:
        """“3 member(s)” as written by the services, counted in the reader's language; other details as written."""
        count, _, rest = self.detail.partition(" ")
        if rest == "member(s)" and count.isdigit():
            return ngettext("%(count)s member", "%(count)s members", int(count)) % {"count": count}
        return self.detail


# The history's vocabulary (registration/services.py writes these codes).
_CHANGE_ACTIONS = {
    "members changed": pgettext_lazy("delegation change", "members changed"),
    "submitted": pgettext_lazy("delegation change", "submitted"),
    "approved": pgettext_lazy("delegation change", "approved"),
    "returned": pgettext_lazy("delegation change", "returned"),
    "invited provisionally": pgettext_lazy("delegation change", "invited provisionally"),
    "participation approved": pgettext_lazy("delegation change", "participation approved"),
    "participation refused": pgettext_lazy("delegation change", "participation refused"),
    "credentials uploaded": pgettext_lazy("delegation change", "credentials uploaded"),
}


class Profile(models.Model):
    """What sign-up asks beyond the account: the ministry or mission the person works for.

    The name itself lives on the user (first and last name), where allauth and the admin look for it.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    affiliation = models.CharField(
        _("ministry or mission"), max_length=200, blank=True, help_text=_("e.g. Permanent Mission of Mexico, Geneva")
    )
    # The interface language the person chose (a code of settings.LANGUAGES); blank until they choose,
    # when the browser's language applies. Their e-mails go out in it too.
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES, blank=True)

    def __str__(self) -> str:
        return self.affiliation


# Names Django would derive from the classes, in the interface language (common/labels.py says why here).
translate_labels(FocalPoint, verbose_name=_("focal point"), verbose_name_plural=_("focal points"))
translate_labels(Invitation, verbose_name=_("invitation"), verbose_name_plural=_("invitations"))
translate_labels(Delegation, verbose_name=_("delegation"), verbose_name_plural=_("delegations"))
translate_labels(Member, verbose_name=_("member"), verbose_name_plural=_("members"))
translate_labels(DelegationChange, verbose_name=_("delegation change"), verbose_name_plural=_("delegation changes"))
translate_labels(Profile, verbose_name=_("profile"), verbose_name_plural=_("profiles"))
