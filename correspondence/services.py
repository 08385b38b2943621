"""Correspondence: drafting, approval, issue and correction; re-sending from the outbox.

The workers' side (claim, render, mail, record) is dispatch.py; queueing is tasks.py's, after commit.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname as localized

from . import language as lang
from . import permissions, tasks
from .dispatch import office_sender
from .models import (
    AddresseeGroup,
    Email,
    Form,
    Note,
    NoteCopy,
    NoteTemplate,
    Office,
    ReferenceCounter,
)
from .references import format_reference
from .rendering import (
    Addressee,
    EnclosureRefused,
    RenderedNote,
    enclosures_check,
    render_note,
    render_pdf,
    sha256,
    subject_text,
)
from .sandbox import TemplateProblem
from .selectors import forbidden_addressees, note_addressees

logger = logging.getLogger(__name__)


class CorrespondenceError(Exception):
    """A refused step, with a message for the user."""


SAMPLE_ADDRESSEE = Addressee(
    key="sample",
    name="Permanent Mission of Norway to the United Nations Office at Geneva",
    title="",
    salutation="",
)


# --- drafting ---------------------------------------------------------------------------------------------------------


def note_create(
    *,
    office: Office,
    created_by,
    treaty=None,
    meeting=None,
    template: NoteTemplate | None = None,
    form: str | None = None,
    language: str | None = None,
    subject: str = "",
    body: str = "",
    salutation: str = "",
    addressee_groups: list[str] | None = None,
    addressee_states=(),
) -> Note:
    if not permissions.can_draft_for(created_by, office):
        raise CorrespondenceError(gettext("You do not draft for %(office)s.") % {"office": office})
    treaty = treaty or (meeting.treaty if meeting else None)
    if treaty is None:
        raise CorrespondenceError(gettext("Choose the treaty or the meeting the note is about."))
    note = Note(
        office=office,
        treaty=treaty,
        meeting=meeting,
        template=template,
        form=form or (template.form if template else Form.NOTE_VERBALE),
        language=language or (template.language if template else "en"),
        subject=subject or (template.subject if template else ""),
        salutation=salutation,
        body=body or (template.body if template else ""),
        addressee_groups=list(addressee_groups or []),
        created_by=created_by,
    )
    note.subject_text = subject_text(note)
    note.full_clean()
    note.save()
    if addressee_states:
        note.addressee_states.set(addressee_states)
    return note


def note_save(*, note: Note, user) -> Note:
    """Save a note typed in the admin: the drafter's right to the office, and its subject as it reads."""
    if not permissions.can_draft_for(user, note.office):
        raise CorrespondenceError(gettext("You do not draft for %(office)s.") % {"office": note.office})
    if note.pk is None:
        note.created_by = user
    elif not permissions.can_edit(user, Note.objects.select_related("office").get(pk=note.pk)):
        raise CorrespondenceError(
            gettext("This note can no longer be changed: an issued note is corrected by a new one.")
        )
    note.subject_text = subject_text(note)
    note.save()
    return note


def note_approval_reset(*, note: Note) -> bool:
    """What was approved is not what will be issued: an approved note that was edited needs approving again.

    Returns whether the approval was withdrawn.
    """
    withdrawn = Note.objects.filter(pk=note.pk, status=Note.Status.APPROVED).update(
        status=Note.Status.PENDING_APPROVAL, approved_by=None, approved_at=None
    )
    if withdrawn:
        note.status, note.approved_by, note.approved_at = Note.Status.PENDING_APPROVAL, None, None
    return bool(withdrawn)


def template_save(*, template: NoteTemplate, user) -> NoteTemplate:
    """Save wording typed in the admin. Shared wording is the secretariat's; an office's is that office's."""
    if template.pk is not None:
        stored = NoteTemplate.objects.select_related("office").get(pk=template.pk)
        if not permissions.can_change_template(user, stored):
            raise CorrespondenceError(
                gettext("“%(template)s” is not yours to change: copy it for your office instead.")
                % {"template": stored}
            )
    if not permissions.can_own_template(user, template.office):
        if template.office is None:
            raise CorrespondenceError(gettext("You cannot keep templates for every office (shared)."))
        raise CorrespondenceError(gettext("You cannot keep templates for %(office)s.") % {"office": template.office})
    template.full_clean()
    template.save()
    return template


def template_copy(*, template: NoteTemplate, office: Office, user) -> NoteTemplate:
    """An office's own copy of a template, to change without touching the wording others use."""
    if not permissions.can_use_template(user, template) or not permissions.can_own_template(user, office):
        raise CorrespondenceError(
            gettext("You cannot copy “%(template)s” for %(office)s.") % {"template": template, "office": office}
        )
    if template.office_id == office.pk:
        raise CorrespondenceError(
            gettext("“%(template)s” is already %(office)s's own: change it directly.")
            % {"template": template, "office": office.label}
        )
    # By the English name: ``name`` alone would follow whoever's interface language is active.
    if NoteTemplate.objects.filter(name_en=template.name_en, language=template.language, office=office).exists():
        raise CorrespondenceError(
            gettext(
                "%(office)s already has its own “%(template)s”: change that one, or rename it before copying again."
            )
            % {"office": office.label, "template": template}
        )
    names = {field: getattr(template, field) for field in (localized("name", code) for code, _ in settings.LANGUAGES)}
    return NoteTemplate.objects.create(
        **names,
        form=template.form,
        language=template.language,
        subject=template.subject,
        body=template.body,
        office=office,
    )


def note_preview(*, note: Note, addressee: Addressee | None = None) -> RenderedNote:
    """Render the note for one addressee (the first one, or a sample). Template errors carry their line."""
    if addressee is None:
        found = note_addressees(note, at=note.issue_date or timezone.localdate())
        addressee = found[0] if found else SAMPLE_ADDRESSEE
    return render_note(note, addressee)


def note_preview_pdf(*, note: Note, addressee: Addressee | None = None) -> bytes:
    return render_pdf(note_preview(note=note, addressee=addressee).html)


def note_submit(*, note: Note, user) -> Note:
    if note.status != Note.Status.DRAFT:
        raise CorrespondenceError(gettext("Only a draft can be submitted for approval."))
    if not permissions.can_edit(user, note):
        raise CorrespondenceError(gettext("You cannot submit notes of this office."))
    note_preview(note=note)  # refuse a note whose wording does not render
    note.status = Note.Status.PENDING_APPROVAL
    note.save(update_fields=["status"])
    return note


def note_approve(*, note: Note, user) -> Note:
    if note.status != Note.Status.PENDING_APPROVAL:
        raise CorrespondenceError(gettext("This note is not awaiting approval."))
    if user.pk == note.created_by_id:
        raise CorrespondenceError(gettext("A second person must approve: you drafted this note."))
    if not permissions.can_approve(user, note):
        raise CorrespondenceError(gettext("You cannot approve notes of this office."))
    note.status, note.approved_by, note.approved_at = Note.Status.APPROVED, user, timezone.now()
    note.save(update_fields=["status", "approved_by", "approved_at"])
    return note


def note_correct(*, note: Note, user) -> Note:
    """A correction is a new draft that refers to the issued note; the issued note never changes."""
    if not note.is_issued:
        raise CorrespondenceError(gettext("Only an issued note can be corrected; edit the draft instead."))
    correction = note_create(
        office=note.office,
        created_by=user,
        treaty=note.treaty,
        meeting=note.meeting,
        template=note.template,
        form=note.form,
        language=note.language,
        # The correction is written in the note's language, whoever drafts it.
        subject=lang.corrigendum_subject(note.subject, note.language),
        body=note.body,
        salutation=note.salutation,
        addressee_groups=note.addressee_groups,
    )
    correction.corrects = note
    # The correction looks like the note it corrects (postscript, addressee lines, letterhead, footer); it
    # takes its own date on issue, so the date line recorded for the old one stays behind.
    layout = ["postscript", "addressee_block", "letterhead_lines", "footer_lines"]
    for name in layout:
        setattr(correction, name, getattr(note, name))
    correction.save(update_fields=["corrects", *layout])
    correction.enclosures.set(note.enclosures.all())
    correction.addressee_states.set(note.addressee_states.all())
    correction.addressee_organisations.set(note.addressee_organisations.all())
    for signatory in note.signatories.all():
        correction.signatories.create(name=signatory.name, title=signatory.title, position=signatory.position)
    for person in note.individuals.all():
        person.pk = None
        person.note = correction
        person.save()
    return correction


# --- issue ------------------------------------------------------------------------------------------------------------


def _next_number(office: Office, year: int) -> int:
    """The next number of ``office`` in ``year``: locked, so concurrent issues never share or skip one."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(office=office, year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(office=office, year=year)
    counter.last_seq += 1
    counter.save(update_fields=["last_seq"])
    return counter.last_seq


@dataclass(frozen=True)
class IssuePlan:
    """What issuing a note will do, shown to the officer before anything is sent."""

    note: Note
    issue_date: dt.date
    addressees: list[Addressee]
    expected_reference: str
    enclosures: list
    sender: str
    reply_to: str

    @property
    def by_email(self) -> list[Addressee]:
        return [a for a in self.addressees if not a.by_hand]

    @property
    def by_hand(self) -> list[Addressee]:
        return [a for a in self.addressees if a.by_hand]

    @property
    def digest(self) -> str:
        """Fingerprint of the confirmed copies: issuing refuses if they changed since the officer read them."""
        lines = [self.issue_date.isoformat(), *(f"{a.key} {' '.join(a.emails)}" for a in self.addressees)]
        return sha256("\n".join(lines).encode())


def _refusal(note: Note, user, addressees: list[Addressee]) -> str:
    """Why the note cannot be issued now, or ""."""
    if note.is_issued:
        return gettext("Already issued as %(reference)s.") % {"reference": note.reference}
    if not permissions.can_issue(user, note):
        if note.office.requires_approval and note.status != Note.Status.APPROVED and note.status in Note.EDITABLE:
            return gettext("%(office)s requires a second person's approval before issue.") % {"office": note.office}
        return gettext("You cannot issue notes of this office.")
    unknown = set(note.addressee_groups) - set(AddresseeGroup.values)
    if unknown:
        return gettext("Unknown addressee group(s): %(groups)s.") % {"groups": ", ".join(sorted(unknown))}
    if note.form == Form.LETTER and not note.signatories.exists():
        return gettext("A signed letter needs at least one signatory.")
    if not addressees:
        return gettext("The note has no addressees: choose groups or name individuals.")
    refused = forbidden_addressees(note, addressees)
    if refused:
        names = ", ".join(a.name for a in refused[:5])
        return gettext(
            "Organisations receive letters, not notes verbales (%(names)s). Send them a signed letter, or remove them."
        ) % {"names": names}
    return ""


def _check_enclosures(enclosures: list) -> None:
    try:
        enclosures_check(enclosures)
    except EnclosureRefused as refused:
        raise CorrespondenceError(
            gettext("%(problem)s Replace the document's file, then issue.") % {"problem": refused}
        ) from None


def note_issue_plan(*, note: Note, user, issue_date: dt.date | None = None) -> IssuePlan:
    """Everything issuing would do, without doing it: raises CorrespondenceError with the reason it would refuse."""
    issue_date = issue_date or timezone.localdate()
    note = Note.objects.select_related("office", "treaty", "meeting").get(pk=note.pk)
    addressees = note_addressees(note, at=issue_date)
    refusal = _refusal(note, user, addressees)
    if refusal:
        raise CorrespondenceError(refusal)
    enclosures = list(note.enclosures.all())
    _check_enclosures(enclosures)
    note.issue_date = issue_date
    try:
        render_note(note, addressees[0], enclosures=enclosures)
    except TemplateProblem as problem:
        raise CorrespondenceError(
            gettext("The wording has an error (%(problem)s): correct it, then preview the note.") % {"problem": problem}
        ) from None
    last = ReferenceCounter.objects.filter(office=note.office, year=issue_date.year).values_list("last_seq", flat=True)
    expected = format_reference(
        note.office.reference_pattern, seq=(last.first() or 0) + 1, year=issue_date.year, code=note.office.code
    )
    return IssuePlan(
        note=note,
        issue_date=issue_date,
        addressees=addressees,
        expected_reference=expected,
        enclosures=enclosures,
        sender=office_sender(note.office),
        reply_to=note.office.email,
    )


def note_issue(
    *,
    note: Note,
    user,
    issue_date: dt.date | None = None,
    dispatch: bool = True,
    sent_elsewhere: bool = False,
    confirmed: str | None = None,
) -> Note:
    """Freeze the note, give it its number and queue one copy per addressee.

    Everything happens in one transaction: a refusal leaves the draft as it was and
    uses no number. ``dispatch=False`` leaves the copies queued for ``dispatch_outbox``;
    ``sent_elsewhere=True`` records a note that went out by other means (an archive
    being taken in): its copies are marked recorded and are never mailed. ``confirmed``
    is the ``IssuePlan.digest`` the officer confirmed: if the copies would differ from
    what they read (a State's status changed, a mission's address), nothing is issued.
    """
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        note = (
            Note.objects.select_for_update(of=("self",)).select_related("office", "treaty", "meeting").get(pk=note.pk)
        )
        if note.is_issued:
            raise CorrespondenceError(gettext("Already issued as %(reference)s.") % {"reference": note.reference})
        addressees = note_addressees(note, at=issue_date)
        refusal = _refusal(note, user, addressees)
        if refusal:
            raise CorrespondenceError(refusal)
        note.issue_date = issue_date
        enclosures = list(note.enclosures.all())
        if not sent_elsewhere:  # an archive taken in sends nothing
            _check_enclosures(enclosures)
        if confirmed is not None:
            plan = IssuePlan(note, issue_date, addressees, "", enclosures, "", "")
            if plan.digest != confirmed:
                raise CorrespondenceError(
                    gettext(
                        "The copies changed since you confirmed them (now %(count)s): nothing was sent. "
                        "Read the confirmation again."
                    )
                    % {"count": len(addressees)}
                )
        for addressee in addressees[:1]:
            render_note(note, addressee, enclosures=enclosures)  # wording errors stop the issue here

        note.year = issue_date.year
        note.seq = _next_number(note.office, note.year)
        note.reference = format_reference(
            note.office.reference_pattern, seq=note.seq, year=note.year, code=note.office.code
        )
        note.status, note.issued_by, note.issued_at = Note.Status.ISSUED, user, timezone.now()
        note.subject_text = subject_text(note)
        note.save()
        copies = NoteCopy.objects.bulk_create(
            [
                NoteCopy(
                    note=note,
                    addressee_key=a.key,
                    addressee_name=a.name,
                    addressee_title=a.title,
                    salutation=a.salutation,
                    state_id=a.state_id,
                    organisation_id=a.organisation_id,
                    mission_id=a.mission_id,
                    emails="\n".join(a.emails),
                    delivery=NoteCopy.Delivery.EMAIL if a.emails else NoteCopy.Delivery.BY_HAND,
                    status=NoteCopy.Status.RECORDED if sent_elsewhere else NoteCopy.Status.QUEUED,
                )
                for a in addressees
            ]
        )
        if dispatch and not sent_elsewhere:
            ids = [c.pk for c in copies]
            tasks.after_commit(lambda: tasks.copies_queue(ids), record_on=note)
    return note


def copy_resend(*, copy: NoteCopy, user) -> NoteCopy:
    """Staff decide to send a failed copy again. The stored PDF is reused unchanged, and only the
    addresses that have not accepted it are mailed."""
    if not permissions.can_resend(user, copy.note):
        raise CorrespondenceError(gettext("You cannot re-send copies of this office's notes."))
    with transaction.atomic():
        copy = NoteCopy.objects.select_for_update().get(pk=copy.pk)
        if copy.status != NoteCopy.Status.FAILED:
            raise CorrespondenceError(
                gettext("Only a failed copy can be re-sent; this one is %(status)s.")
                % {"status": copy.get_status_display()}
            )
        copy.status = NoteCopy.Status.RENDERED if copy.pdf_sha256 else NoteCopy.Status.QUEUED
        copy.claimed_at = None
        copy.save(update_fields=["status", "claimed_at", "updated_at"])
        tasks.after_commit(lambda: tasks.copies_queue([copy.pk]), record_on=copy)
    return copy


def _address_correct(row: NoteCopy | Email, *, address: str, new_address: str) -> None:
    """Replace a refused address of a failed row (locked by the caller) and put the row back in line.

    Only the new address is mailed: those that accepted are in ``delivered_to`` and never mailed again.
    """
    new_address = new_address.strip()
    try:
        validate_email(new_address)
    except ValidationError:
        raise CorrespondenceError(
            gettext("“%(address)s” is not an e-mail address.") % {"address": new_address}
        ) from None
    if row.status != row.Status.FAILED:
        raise CorrespondenceError(
            gettext("Only a failed message can be corrected; this one is %(status)s.")
            % {"status": row.get_status_display()}
        )
    if address not in row.refused:
        raise CorrespondenceError(
            gettext("The server did not refuse %(address)s for this message.") % {"address": address}
        )
    field = "emails" if isinstance(row, NoteCopy) else "to"
    addresses = [new_address if line.strip() == address else line for line in getattr(row, field).splitlines()]
    others = [line.strip().lower() for line in getattr(row, field).splitlines() if line.strip() != address]
    if new_address.lower() in others:
        raise CorrespondenceError(
            gettext("%(address)s is already an address of this message.") % {"address": new_address}
        )
    setattr(row, field, "\n".join(addresses))
    row.refused = {other: reply for other, reply in row.refused.items() if other != address}
    row.save(update_fields=[field, "refused", "updated_at"])


def copy_address_correct(*, copy: NoteCopy, address: str, new_address: str, user) -> NoteCopy:
    """Staff correct an address the server refused and send the copy to that address alone."""
    if not permissions.can_resend(user, copy.note):
        raise CorrespondenceError(gettext("You cannot re-send copies of this office's notes."))
    with transaction.atomic():
        locked = NoteCopy.objects.select_for_update(of=("self",)).select_related("note").get(pk=copy.pk)
        _address_correct(locked, address=address, new_address=new_address)
        return copy_resend(copy=locked, user=user)


# --- plain e-mails (notifications): the same outbox -----------------------------------------------------------------


def email_queue(*, to: list[str], subject: str, body: str, source: str) -> Email:
    """Put an e-mail in the outbox; it is handed to the workers once the caller's transaction commits."""
    email = Email.objects.create(source=source, to="\n".join(to), subject=subject[:255], body=body)
    email.message_id = f"<email-{email.pk}@{settings.MESSAGE_ID_DOMAIN}>"
    email.save(update_fields=["message_id"])
    tasks.after_commit(lambda: tasks.emails_queue([email.pk]))
    return email


def email_resend(*, email: Email, user) -> Email:
    """Staff decide to send a failed e-mail again, to the addresses that have not accepted it."""
    if not permissions.can_resend_email(user):
        raise CorrespondenceError(gettext("Only the secretariat re-sends the portal's e-mails."))
    with transaction.atomic():
        email = Email.objects.select_for_update().get(pk=email.pk)
        if email.status != Email.Status.FAILED:
            raise CorrespondenceError(
                gettext("Only a failed e-mail can be re-sent; this one is %(status)s.")
                % {"status": email.get_status_display()}
            )
        email.status, email.claimed_at = Email.Status.QUEUED, None
        email.save(update_fields=["status", "claimed_at", "updated_at"])
        tasks.after_commit(lambda: tasks.emails_queue([email.pk]))
    return email


def email_address_correct(*, email: Email, address: str, new_address: str, user) -> Email:
    """Staff correct an address the server refused and send the e-mail to that address alone."""
    if not permissions.can_resend_email(user):
        raise CorrespondenceError(gettext("Only the secretariat re-sends the portal's e-mails."))
    with transaction.atomic():
        locked = Email.objects.select_for_update().get(pk=email.pk)
        _address_correct(locked, address=address, new_address=new_address)
        return email_resend(email=locked, user=user)
