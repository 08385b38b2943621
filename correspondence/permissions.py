"""Who may do what with correspondence: the only place these rules live."""

from django.contrib.auth.models import AbstractBaseUser

from common.roles import is_secretariat

from .models import Note, NoteTemplate, Office


def office_ids_for(user: AbstractBaseUser) -> list[int] | None:
    """Offices whose notes the user sees; None means all (secretariat)."""
    if is_secretariat(user):
        return None
    return list(user.offices.values_list("pk", flat=True)) if user.is_authenticated else []


def can_draft_for(user: AbstractBaseUser, office: Office) -> bool:
    return user.is_active and user.is_staff and (is_secretariat(user) or office.members.filter(pk=user.pk).exists())


def can_edit(user: AbstractBaseUser, note: Note) -> bool:
    return note.status in Note.EDITABLE and can_draft_for(user, note.office)


def can_approve(user: AbstractBaseUser, note: Note) -> bool:
    """A second member of the issuing office (or the secretariat), never the drafter."""
    return (
        note.status == Note.Status.PENDING_APPROVAL
        and user.pk != note.created_by_id
        and can_draft_for(user, note.office)
    )


def can_issue(user: AbstractBaseUser, note: Note) -> bool:
    ready = {Note.Status.APPROVED} if note.office.requires_approval else {Note.Status.DRAFT, Note.Status.APPROVED}
    return note.status in ready and can_draft_for(user, note.office)


def can_resend(user: AbstractBaseUser, note: Note) -> bool:
    return note.is_issued and can_draft_for(user, note.office)


def can_resend_email(user: AbstractBaseUser) -> bool:
    """The portal's own e-mails (notifications to focal points) are the secretariat's to re-send."""
    return bool(user.is_active and user.is_staff and is_secretariat(user))


# --- templates: shared ones are the secretariat's, an office's own are that office's ----------------------------------


def is_member(user: AbstractBaseUser, office: Office) -> bool:
    return bool(user.is_active and user.is_staff and office.members.filter(pk=user.pk).exists())


def can_use_template(user: AbstractBaseUser, template: NoteTemplate) -> bool:
    """Draft from it: shared wording, or wording of an office the user drafts for."""
    if not (user.is_active and user.is_staff):
        return False
    return template.office_id is None or can_draft_for(user, template.office)


def can_own_template(user: AbstractBaseUser, office: Office | None) -> bool:
    """Keep templates for ``office``; ``None`` means shared with every office."""
    if office is None:
        return user.is_active and user.is_staff and is_secretariat(user)
    return bool(user.is_superuser and user.is_active) or is_member(user, office)


def can_change_template(user: AbstractBaseUser, template: NoteTemplate) -> bool:
    """Only the owner changes wording: the secretariat the shared ones, an office its own (not the secretariat)."""
    return can_own_template(user, template.office)


def can_copy_template(user: AbstractBaseUser, template: NoteTemplate) -> bool:
    """Wording the user may draft from can become the own copy of an office of theirs that does not own it yet."""
    return can_use_template(user, template) and user.offices.exclude(pk=template.office_id).exists()
