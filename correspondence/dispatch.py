"""The workers' side of the outbox: claim a row, render its PDF once, mail it once, record the outcome.

A note's copies (``copy_dispatch`` for one, ``copies_dispatch`` for a batch sharing one SMTP session and a few
statements) and the portal's plain e-mails (``email_dispatch``) follow the same rules: a row is marked
'sending' (committed) before the mail server is contacted, so a crash never sends twice; a refusal for now
leaves it for a retry (``TransientDeliveryError``), a refusal for good fails it with the reason. Queueing
is tasks.py's; drafting and issuing are services.py's.
"""

import contextlib
import datetime as dt
import functools
import logging
import smtplib
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import connection as database
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .mail import refused_recipients, server_may_have_it
from .models import Email, Note, NoteCopy, Office, copy_pdf_path
from .rendering import (
    EnclosureRefused,
    RenderedNote,
    append_documents,
    enclosures_check,
    render_note,
    render_pdf,
    sha256,
)
from .rendering import copy_addressee as _addressee_of  # under this name for the dispatch benchmark
from .sandbox import TemplateProblem

logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 5


class TransientDeliveryError(Exception):
    """The mail server refused for now; retry later. ``attempts``: sends of this copy tried so far."""

    def __init__(self, reason: str, *, attempts: int = 1):
        super().__init__(reason)
        self.attempts = attempts


class PartlyRefused(smtplib.SMTPRecipientsRefused):
    """The server took the message for ``accepted`` and refused the addresses in ``recipients``."""

    def __init__(self, recipients: dict, *, accepted: list[str]):
        super().__init__(recipients)
        self.accepted = accepted


RETRY_MAX_SECONDS = 900


def retry_delay(attempts: int) -> int:
    """How long to wait after a copy's ``attempts``-th refused send: 30 s, then doubling (60, 120, 240 …).

    Counted from the attempts on the row, not from a task's own retries: a copy's first
    refusal happens in a batch task and the rest in its own task, whose retry count starts
    again at 0 (the intervals were 30, 30, 60, 120 s).
    """
    return min(settings.CORRESPONDENCE_RETRY_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def office_sender(office: Office) -> str:
    """Mail goes out in the office's name, from the portal's address (missions answer to Reply-To)."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((office.name_in("en"), address))


def outbox_waiting(*, stale_only: bool = False) -> tuple[list[int], list[int]]:
    """The copies and e-mails still waiting (after an outage, or an archive taken in): (copy ids, e-mail ids).

    Copies a worker claimed and then abandoned (it crashed, or its task failed) are included
    once their claim is stale: the next run re-renders a 'rendering' one and marks a
    'sending' one failed as uncertain, never sending it on its own.
    """
    cutoff = timezone.now() - dt.timedelta(seconds=settings.CORRESPONDENCE_CLAIM_SECONDS)
    waiting = Q(status__in=[NoteCopy.Status.QUEUED, NoteCopy.Status.RENDERED])
    if stale_only:
        waiting &= Q(updated_at__lt=cutoff)
    abandoned = Q(status__in=[NoteCopy.Status.RENDERING, NoteCopy.Status.SENDING]) & (
        Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True)
    )
    ids = list(
        NoteCopy.objects.filter(waiting | abandoned, note__status=Note.Status.ISSUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # The portal's other e-mails wait in the same outbox and are swept by the same run.
    waiting_emails = Q(status=Email.Status.QUEUED)
    if stale_only:
        waiting_emails &= Q(updated_at__lt=cutoff)
    abandoned_emails = Q(status=Email.Status.SENDING) & (Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True))
    email_ids = list(
        Email.objects.filter(waiting_emails | abandoned_emails).order_by("pk").values_list("pk", flat=True)
    )
    return ids, email_ids


# --- one copy ---------------------------------------------------------------------------------------------


def copy_render(*, copy: NoteCopy, rendered: RenderedNote, enclosures: list) -> bytes:
    """The copy's PDF. Raises EnclosureRefused when an enclosure no longer passes the upload checks."""
    enclosures_check(enclosures)  # they go out as attachments even when not appended
    pdf = render_pdf(rendered.html)
    if copy.note.append_enclosures and enclosures:
        pdf = append_documents(pdf, enclosures)
    return pdf


def _render_or_fail(copy: NoteCopy, rendered: RenderedNote, enclosures: list) -> bytes | None:
    try:
        return copy_render(copy=copy, rendered=rendered, enclosures=enclosures)
    except EnclosureRefused as refused:
        # Nothing was sent: the copy fails with the reason, and staff replace the file and re-send.
        _fail(copy.pk, str(refused))
        return None


@functools.lru_cache(maxsize=16)
def _issued_note(note_id: int, issued_at: dt.datetime) -> Note:
    """An issued note with everything its copies need, loaded once per worker process.

    Safe to keep: an issued note never changes (a correction is another note). ``issued_at``
    is part of the key so that a reused id can never return another note.
    """
    return (
        Note.objects.select_related("office", "treaty", "meeting")
        .prefetch_related("enclosures", "signatories")
        .get(pk=note_id, issued_at=issued_at)
    )


def _claim_is_stale(copy: NoteCopy, now: dt.datetime) -> bool:
    return copy.claimed_at is None or now - copy.claimed_at > dt.timedelta(
        seconds=settings.CORRESPONDENCE_CLAIM_SECONDS
    )


@dataclass
class _Claim:
    copy: NoteCopy
    render: bool


def _claim(copy_id: int) -> _Claim | None:
    """Lock the row and decide what is left to do. None: nothing (done, or another worker is at it)."""
    now = timezone.now()
    with transaction.atomic():
        copy = NoteCopy.objects.select_for_update(of=("self",)).select_related("note").get(pk=copy_id)
        status = copy.status
        if status in (NoteCopy.Status.SENT, NoteCopy.Status.FAILED, NoteCopy.Status.BY_HAND, NoteCopy.Status.RECORDED):
            return None
        if status in (NoteCopy.Status.RENDERING, NoteCopy.Status.SENDING) and not _claim_is_stale(copy, now):
            return None
        if status == NoteCopy.Status.SENDING:
            # The worker that was sending stopped before it recorded the outcome. The mail
            # server may or may not have the message: we do not send it again on our own.
            copy.status = NoteCopy.Status.FAILED
            copy.last_error = (
                f"Delivery uncertain: the worker stopped while sending (Message-ID {copy.message_id}). "
                "Check the mail server's log before re-sending."
            )
            copy.save(update_fields=["status", "last_error", "updated_at"])
            return None
        needs_pdf = not copy.pdf_sha256
        copy.status = NoteCopy.Status.RENDERING if needs_pdf else NoteCopy.Status.SENDING
        copy.claimed_at = now
        if not needs_pdf:
            copy.attempts += 1
            copy.message_id = copy.message_id or _message_id(copy)
        copy.save(update_fields=["status", "claimed_at", "attempts", "message_id", "updated_at"])
        return _Claim(copy=copy, render=needs_pdf)


def _message_id(copy: NoteCopy) -> str:
    return f"<note-{copy.note_id}.copy-{copy.pk}@{settings.MESSAGE_ID_DOMAIN}>"


def _store_pdf(copy: NoteCopy, pdf: bytes) -> bool:
    """Keep the rendered PDF, then claim the row for sending. A PDF once stored is never replaced.

    One conditional UPDATE: it only applies while the row is still ours to render.
    """
    now = timezone.now()
    name = copy.pdf.storage.save(copy_pdf_path(copy, ""), ContentFile(pdf))
    digest = sha256(pdf)
    message_id = copy.message_id or _message_id(copy)
    stored = NoteCopy.objects.filter(pk=copy.pk, status=NoteCopy.Status.RENDERING, pdf_sha256="").update(
        pdf=name,
        pdf_sha256=digest,
        rendered_at=now,
        claimed_at=now,
        status=NoteCopy.Status.SENDING,
        attempts=F("attempts") + 1,
        message_id=message_id,
        updated_at=now,
    )
    if not stored:
        copy.pdf.storage.delete(name)
        return False
    copy.pdf.name, copy.pdf_sha256, copy.message_id = name, digest, message_id
    copy.status, copy.attempts = NoteCopy.Status.SENDING, copy.attempts + 1
    return True


def _email(copy: NoteCopy, rendered: RenderedNote, pdf: bytes, enclosures: list, connection) -> EmailMessage:
    note = copy.note
    # An office that issues without reference numbers (seeds 002, 003) shows none in the mail either.
    message = EmailMessage(
        subject=" – ".join(part for part in (note.reference, rendered.subject) if part),
        body=f"{rendered.text}\n\n— "
        + ", ".join(part for part in (note.office.name_in(note.language), note.reference) if part),
        from_email=office_sender(note.office),
        to=copy.pending_addresses,  # an address that accepted it once never gets it again
        reply_to=[note.office.email] if note.office.email else None,
        headers={"Message-ID": copy.message_id},
        connection=connection,
    )
    message.attach(f"{note.register_label.replace('/', '-').replace(' ', '_')}.pdf", pdf, "application/pdf")
    if not note.append_enclosures:
        for document in enclosures:
            if document.file:
                with document.file.open("rb") as handle:
                    name = f"{document.symbol.replace('/', '-')}-{document.language}.pdf"
                    message.attach(name, handle.read(), "application/pdf")
    return message


def _classify(exc: Exception, *, server_may_have_it: bool = True) -> str:
    """'retry' when the server surely did not take the message and may later; 'permanent' when it never
    will; 'uncertain' when it may already have it (only once the message's data was all sent)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return "retry" if codes and all(400 <= c < 500 for c in codes) else "permanent"
    if isinstance(exc, smtplib.SMTPResponseException):
        return "retry" if 400 <= exc.smtp_code < 500 else "permanent"
    if isinstance(exc, ConnectionRefusedError | smtplib.SMTPConnectError) or not server_may_have_it:
        return "retry"
    return "uncertain"


def copy_dispatch(*, copy_id: int, connection=None) -> str:
    """Render (once), store and mail one copy. Safe to run any number of times.

    At-most-once delivery: the row is marked 'sending' (committed) before the mail
    server is contacted and 'sent' after. If the worker dies in between, the next run
    finds a stale 'sending' row and marks it failed as *uncertain* instead of sending
    a second note verbale; staff check and re-send. See README, "Delivery guarantee".
    """
    claim = _claim(copy_id)
    if claim is None:
        return NoteCopy.objects.values_list("status", flat=True).get(pk=copy_id)
    if connection is not None:
        return _deliver(claim, connection)
    connection = get_connection()
    try:
        return _deliver(claim, connection)
    finally:
        _close_quietly(connection)


def copies_dispatch(*, copy_ids: list[int]) -> dict[int, str]:
    """Dispatch several copies in one run, with the same guarantee as ``copy_dispatch`` for each.

    Every row keeps its own claim, PDF, status and Message-ID. What the batch shares is the
    work around them: one statement claims the queued rows, one statement records
    their stored PDFs, one SMTP session carries the mail, and the statement that records a
    copy as sent also marks the next one as sending, just before the server is contacted
    for it. Rows in any other state take ``copy_dispatch``'s full path.

    Returns each copy's status; 'rendered' means a transient error left it for a retry.
    """
    now = timezone.now()
    ours = _claim_queued(copy_ids, now)
    copies = list(NoteCopy.objects.select_related("note").filter(pk__in=copy_ids).order_by("pk"))
    claimed = [copy for copy in copies if copy.pk in ours]
    for copy in claimed:
        copy.status, copy.claimed_at = NoteCopy.Status.RENDERING, now
    outcomes: dict[int, str] = {}
    connection = get_connection()
    try:
        ready = _render_and_store(claimed, outcomes)
        _send_in_turn([item for item in ready if item[0].delivery == NoteCopy.Delivery.EMAIL], connection, outcomes)
        for copy in copies:
            if copy.pk in outcomes:
                continue
            try:
                outcomes[copy.pk] = copy_dispatch(copy_id=copy.pk, connection=connection)
            except TransientDeliveryError:
                outcomes[copy.pk] = NoteCopy.Status.RENDERED
    finally:
        _close_quietly(connection)
    return outcomes


def _claim_queued(copy_ids: list[int], now: dt.datetime) -> set[int]:
    """Claim the queued rows among ``copy_ids`` in one statement; returns the ids this run claimed."""
    if not copy_ids:
        return set()
    moment = database.ops.adapt_datetimefield_value(now)
    with database.cursor() as cursor:
        cursor.execute(
            f"UPDATE {NoteCopy._meta.db_table} SET status = %s, claimed_at = %s, updated_at = %s "
            f"WHERE id IN ({', '.join(['%s'] * len(copy_ids))}) AND status = %s RETURNING id",
            [NoteCopy.Status.RENDERING.value, moment, moment, *copy_ids, NoteCopy.Status.QUEUED.value],
        )
        return {row[0] for row in cursor.fetchall()}


def _render_and_store(claimed: list[NoteCopy], outcomes: dict[int, str]) -> list[tuple[NoteCopy, RenderedNote, bytes]]:
    """Render each claimed copy and keep its PDF; one conditional statement records them all."""
    ready = []
    for copy in claimed:
        rendered, enclosures = _wording(copy)
        if rendered is None:
            outcomes[copy.pk] = NoteCopy.Status.FAILED
            continue
        pdf = _render_or_fail(copy, rendered, enclosures)
        if pdf is None:
            outcomes[copy.pk] = NoteCopy.Status.FAILED
            continue
        copy.pdf.name = copy.pdf.storage.save(copy_pdf_path(copy, ""), ContentFile(pdf))
        copy.pdf_sha256, copy.message_id = sha256(pdf), copy.message_id or _message_id(copy)
        by_hand = copy.delivery == NoteCopy.Delivery.BY_HAND
        copy.status = NoteCopy.Status.BY_HAND if by_hand else NoteCopy.Status.RENDERED
        ready.append((copy, rendered, pdf))
    if not ready:
        return []
    if _store_pdfs([copy for copy, _, _ in ready]) < len(ready):
        kept = dict(NoteCopy.objects.filter(pk__in=[copy.pk for copy, _, _ in ready]).values_list("pk", "pdf"))
        for copy, _, _ in ready:
            if kept[copy.pk] != copy.pdf.name:  # another run stored its PDF first; ours is not needed
                copy.pdf.storage.delete(copy.pdf.name)
        ready = [item for item in ready if kept[item[0].pk] == item[0].pdf.name]
    for copy, _, _ in ready:
        if copy.status == NoteCopy.Status.BY_HAND:
            outcomes[copy.pk] = NoteCopy.Status.BY_HAND
    return ready


def _store_pdfs(copies: list[NoteCopy]) -> int:
    """Record the rendered PDFs of ``copies`` in one statement; returns how many rows took theirs.

    Only rows still ours to render take a PDF: one once stored is never replaced. SQL for the
    same reason as ``_record_sent_and_claim``: the ORM's bulk_update cost more than the write.
    """
    now = database.ops.adapt_datetimefield_value(timezone.now())
    columns, params = [], []
    for column in ("pdf", "pdf_sha256", "message_id", "status"):
        columns.append(f"{column} = CASE id {' '.join(['WHEN %s THEN %s'] * len(copies))} END")
        for copy in copies:
            # str(): psycopg would write an enum member (a Status) by its name, not its value.
            params += [copy.pk, copy.pdf.name if column == "pdf" else str(getattr(copy, column))]
    ids = [copy.pk for copy in copies]
    with database.cursor() as cursor:
        cursor.execute(
            f"UPDATE {NoteCopy._meta.db_table} SET {', '.join(columns)}, rendered_at = %s, updated_at = %s "
            f"WHERE id IN ({', '.join(['%s'] * len(ids))}) AND status = %s AND pdf_sha256 = ''",
            [*params, now, now, *ids, NoteCopy.Status.RENDERING.value],
        )
        return cursor.rowcount


def _send_in_turn(ready: list[tuple[NoteCopy, RenderedNote, bytes]], connection, outcomes: dict[int, str]) -> None:
    """Mail stored copies one after another, each marked 'sending' (committed) before the server is contacted."""
    just_sent = None
    try:
        for copy, rendered, pdf in ready:
            claimed = _record_sent_and_claim(sent=just_sent, sending=copy)
            just_sent = None
            if not claimed:
                continue  # another run took it; the full path after the batch reports its status
            copy.status, copy.attempts = NoteCopy.Status.SENDING, copy.attempts + 1
            try:
                connection.open()  # no-op when the session is already open
                _mail(_email(copy, rendered, pdf, list(copy.note.enclosures.all()), connection), connection)
            except Exception as exc:
                reached = server_may_have_it(connection)
                _close_quietly(connection)
                try:
                    outcomes[copy.pk] = _after_send_error(copy, exc, server_may_have_it=reached)
                except TransientDeliveryError:
                    outcomes[copy.pk] = NoteCopy.Status.RENDERED
                continue
            just_sent = copy
            outcomes[copy.pk] = NoteCopy.Status.SENT
    finally:
        if just_sent is not None:
            _record_sent_and_claim(sent=just_sent, sending=None)


def _record_sent_and_claim(*, sent: NoteCopy | None, sending: NoteCopy | None) -> bool:
    """One statement: the copy just mailed becomes 'sent', the next one (still 'rendered') 'sending'.

    Written in SQL because it runs once per e-mail and the ORM spent longer building the
    conditional UPDATE than the database took to run it. Returns whether ``sending`` was claimed.
    """
    moment = timezone.now()
    now = database.ops.adapt_datetimefield_value(moment)
    sent_pk = sent.pk if sent else None
    sending_pk = sending.pk if sending else None
    Status = NoteCopy.Status
    with database.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {NoteCopy._meta.db_table} SET
                status = CASE WHEN id = %s THEN %s ELSE %s END,
                sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END,
                last_error = CASE WHEN id = %s THEN '' ELSE last_error END,
                attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END,
                claimed_at = CASE WHEN id = %s THEN %s ELSE claimed_at END,
                updated_at = %s
            WHERE (id = %s AND status = %s) OR (id = %s AND status = %s)
            """,
            [
                *(sent_pk, Status.SENT.value, Status.SENDING.value),
                *(sent_pk, now),
                sent_pk,
                sending_pk,
                *(sending_pk, now),
                now,
                *(sent_pk, Status.SENDING.value, sending_pk, Status.RENDERED.value),
            ],
        )
        updated = cursor.rowcount
    if sending is None:
        return False
    if updated == (2 if sent else 1):
        return True
    return NoteCopy.objects.filter(pk=sending_pk, status=Status.SENDING, claimed_at=moment).exists()


def dispatch_batches(copy_ids: list[int]) -> list[list[int]]:
    """Split copies into worker tasks of up to CORRESPONDENCE_DISPATCH_BATCH, smaller towards the end.

    Batches amortise a task's fixed costs; tapering them keeps one worker from being left
    with a full batch while the others have already finished.
    """
    largest = settings.CORRESPONDENCE_DISPATCH_BATCH
    batches, start = [], 0
    while start < len(copy_ids):
        size = max(1, min(largest, (len(copy_ids) - start) // 4))
        batches.append(copy_ids[start : start + size])
        start += size
    return batches


def _close_quietly(connection) -> None:
    # The session is over either way; the next send opens a new one.
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()


def _wording(copy: NoteCopy) -> tuple[RenderedNote | None, list]:
    """Give the copy its cached issued note and render its wording; a template error fails the row."""
    copy.note = _issued_note(copy.note_id, copy.note.issued_at)
    enclosures = list(copy.note.enclosures.all())
    try:
        return render_note(copy.note, _addressee_of(copy), enclosures=enclosures), enclosures
    except TemplateProblem as exc:
        _fail(copy.pk, f"Cannot render: {exc}")
        return None, enclosures


def _deliver(claim: _Claim, connection) -> str:
    """The rest of a claimed copy's way: render if needed, store, then mail once."""
    copy = claim.copy
    copy_id = copy.pk
    rendered, enclosures = _wording(copy)
    if rendered is None:
        return NoteCopy.Status.FAILED
    if claim.render:
        pdf = _render_or_fail(copy, rendered, enclosures)
        if pdf is None:
            return NoteCopy.Status.FAILED
        if not _store_pdf(copy, pdf):
            return NoteCopy.objects.values_list("status", flat=True).get(pk=copy_id)
    else:
        with copy.pdf.open("rb") as handle:
            pdf = handle.read()
    if copy.delivery == NoteCopy.Delivery.BY_HAND:
        NoteCopy.objects.filter(pk=copy_id).update(status=NoteCopy.Status.BY_HAND, updated_at=timezone.now())
        return NoteCopy.Status.BY_HAND
    try:
        connection.open()  # no-op when the session is already open
        _mail(_email(copy, rendered, pdf, enclosures, connection), connection)
    except Exception as exc:
        reached = server_may_have_it(connection)  # before closing, which forgets the session
        _close_quietly(connection)  # a session that failed once is not trusted with the next copy
        return _after_send_error(copy, exc, server_may_have_it=reached)
    now = timezone.now()
    NoteCopy.objects.filter(pk=copy_id).update(
        status=NoteCopy.Status.SENT, sent_at=now, last_error="", refused={}, updated_at=now
    )
    return NoteCopy.Status.SENT


def _fail(copy_id: int, reason: str, model=NoteCopy, **fields) -> None:
    model.objects.filter(pk=copy_id).update(
        status=model.Status.FAILED, last_error=reason[:2000], updated_at=timezone.now(), **fields
    )


def _mail(message: EmailMessage, connection) -> None:
    """Send ``message``; raises PartlyRefused when the server took it for some addresses only."""
    message.send()
    refused = refused_recipients(connection)
    if refused:
        accepted = [address for address in message.recipients() if address not in refused]
        raise PartlyRefused(refused, accepted=accepted)


def _per_address(row: NoteCopy | Email, exc: Exception) -> dict:
    """What a refusal tells per address: the server's reply for each refused one, and who took the message."""
    if not isinstance(exc, smtplib.SMTPRecipientsRefused):
        return {}
    refused = {
        address: f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
        for address, (code, reply) in exc.recipients.items()
    }
    delivered = [line for line in row.delivered_to.splitlines() if line.strip()]
    delivered += [address for address in getattr(exc, "accepted", []) if address not in delivered]
    return {"refused": refused, "delivered_to": "\n".join(delivered)}


def _after_send_error(row: NoteCopy | Email, exc: Exception, *, server_may_have_it: bool = True) -> str:
    """Record a failed send of a copy or an e-mail: back in line for a retry, or failed with the reason."""
    model = type(row)
    kind = _classify(exc, server_may_have_it=server_may_have_it)
    reason = f"{type(exc).__name__}: {exc}"
    per_address = _per_address(row, exc)
    if per_address:
        refusals = "; ".join(f"{address}: {reply}" for address, reply in per_address["refused"].items())
        reason = f"Refused {refusals}"
        if isinstance(exc, PartlyRefused):
            reason = f"Sent to {', '.join(exc.accepted)}; r{reason[1:]}"
    logger.warning("Sending %s %s failed (%s): %s", model._meta.model_name, row.pk, kind, reason)
    if kind == "retry" and row.attempts < MAX_SEND_ATTEMPTS:
        waiting = NoteCopy.Status.RENDERED if model is NoteCopy else Email.Status.QUEUED
        model.objects.filter(pk=row.pk).update(
            status=waiting, last_error=reason[:2000], claimed_at=None, updated_at=timezone.now(), **per_address
        )
        raise TransientDeliveryError(reason, attempts=row.attempts) from exc
    if kind == "uncertain":
        reason = f"Delivery uncertain ({reason}). Check the mail server's log before re-sending."
    elif kind == "retry":
        reason = f"Gave up after {row.attempts} attempts: {reason}"
    _fail(row.pk, reason, model, **per_address)
    return model.Status.FAILED


# --- plain e-mails (notifications) ------------------------------------------------------------------------------


def _email_claim(email_id: int) -> Email | None:
    """Lock the row and mark it 'sending' (committed), or None when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        email = Email.objects.select_for_update().get(pk=email_id)
        if email.status in (Email.Status.SENT, Email.Status.FAILED):
            return None
        if email.status == Email.Status.SENDING:
            if not _claim_is_stale(email, now):
                return None
            email.status = Email.Status.FAILED
            email.last_error = (
                f"Delivery uncertain: the worker stopped while sending (Message-ID {email.message_id}). "
                "Check the mail server's log before re-sending."
            )
            email.save(update_fields=["status", "last_error", "updated_at"])
            return None
        email.status, email.claimed_at, email.attempts = Email.Status.SENDING, now, email.attempts + 1
        email.save(update_fields=["status", "claimed_at", "attempts", "updated_at"])
        return email


def email_dispatch(*, email_id: int) -> str:
    """Mail one e-mail of the outbox, at most once per address: the rules of ``copy_dispatch``."""
    email = _email_claim(email_id)
    if email is None:
        return Email.objects.values_list("status", flat=True).get(pk=email_id)
    connection = get_connection()
    try:
        connection.open()
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=email.pending_addresses,
            headers={"Message-ID": email.message_id},
            connection=connection,
        )
        _mail(message, connection)
    except Exception as exc:
        reached = server_may_have_it(connection)
        _close_quietly(connection)
        return _after_send_error(email, exc, server_may_have_it=reached)
    _close_quietly(connection)
    now = timezone.now()
    Email.objects.filter(pk=email_id).update(
        status=Email.Status.SENT, sent_at=now, last_error="", refused={}, updated_at=now
    )
    return Email.Status.SENT
