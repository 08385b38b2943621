"""The workers' side of the outbox: claim rows, render each copy's PDF once, mail each row once, record the outcome.

One engine for every run, whatever it is handed: a batch of copies, the single copy of a retry or a staff
re-send (a batch of one: ``copy_dispatch``), or one of the portal's plain e-mails (``email_dispatch``, the same
mechanism without a PDF). A run:

1. loads its rows and fails as *uncertain* any row a worker left 'sending' and abandoned: the server may have
   the message, so it is never sent again on its own (``_give_up_abandoned``);
2. copies only: claims in one statement the rows still to render (queued, or 'rendering' under a stale claim),
   renders them and records their PDFs in one statement; a PDF once stored is never replaced (``_prepare_copies``);
3. mails the rows waiting to be mailed one after another over one SMTP session, each marked 'sending'
   (committed) just before the server is contacted, by a conditional statement only one run can win; the
   statement that records a row as 'sent' is the one that claims the next (``_send_in_turn``);
4. records a failed send per address: a refusal for now puts the row back in line for a retry, a refusal for
   good fails it with the server's reply (``_after_send_error``).

Queueing is tasks.py's; drafting and issuing are services.py's.
"""

import contextlib
import datetime as dt
import functools
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import connection as database
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
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
    """The mail server refused for now; retry later. ``attempts``: sends of this row tried so far."""

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
    """How long to wait after a row's ``attempts``-th refused send: 30 s, then doubling (60, 120, 240 …).

    Counted from the attempts on the row, not from a task's own retries: a copy's first
    refusal happens in a batch task and the rest in its own task, whose retry count starts
    again at 0 (the intervals were 30, 30, 60, 120 s).
    """
    return min(settings.CORRESPONDENCE_RETRY_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def office_sender(office: Office) -> str:
    """Mail goes out in the office's name, from the portal's address (missions answer to Reply-To)."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((office.name_in("en"), address))


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


def outbox_waiting(*, stale_only: bool = False) -> tuple[list[int], list[int]]:
    """The copies and e-mails still waiting (after an outage, or an archive taken in): (copy ids, e-mail ids).

    Rows a worker claimed and then abandoned (it crashed, or its task failed) are included
    once their claim is stale: the next run re-renders a 'rendering' copy and marks a
    'sending' row failed as uncertain, never sending it on its own.
    """
    copies = NoteCopy.objects.filter(
        _waiting(
            NoteCopy,
            waiting=[NoteCopy.Status.QUEUED, NoteCopy.Status.RENDERED],
            claimed=[NoteCopy.Status.RENDERING, NoteCopy.Status.SENDING],
            stale_only=stale_only,
        ),
        note__status=Note.Status.ISSUED,
    )
    # The portal's other e-mails wait in the same outbox and are swept by the same run.
    emails = Email.objects.filter(
        _waiting(Email, waiting=[Email.Status.QUEUED], claimed=[Email.Status.SENDING], stale_only=stale_only)
    )
    return (
        list(copies.order_by("pk").values_list("pk", flat=True)),
        list(emails.order_by("pk").values_list("pk", flat=True)),
    )


def _waiting(model, *, waiting: list[str], claimed: list[str], stale_only: bool) -> Q:
    """Rows waiting for a worker (untouched for a while when ``stale_only``), and rows whose worker stopped."""
    cutoff = _stale_cutoff(timezone.now())
    condition = Q(status__in=waiting)
    if stale_only:
        condition &= Q(updated_at__lt=cutoff)
    return condition | Q(status__in=claimed) & (Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True))


@dataclass(frozen=True)
class _Kind:
    """What differs between the outbox's two kinds of row for the mechanism they share."""

    model: type[NoteCopy] | type[Email]
    # The status of a row waiting to be mailed: a send is claimed from it, and a refusal for now returns to it.
    ready: str


_COPY = _Kind(NoteCopy, NoteCopy.Status.RENDERED)
_EMAIL = _Kind(Email, Email.Status.QUEUED)


@dataclass
class _Run:
    """What one run did to each row: its status, and the refusals for now that wait for a retry."""

    statuses: dict[int, str] = field(default_factory=dict)
    retries: dict[int, TransientDeliveryError] = field(default_factory=dict)


# --- the runs: a batch of copies, one copy, one e-mail ------------------------------------------------------------


def copies_dispatch(*, copy_ids: list[int], connection=None) -> dict[int, str]:
    """Render (once), store and mail the copies, each at most once per address. Safe to run any number of times.

    Every row keeps its own claim, PDF, status, attempts and Message-ID; the run shares the work
    around them (see the module's docstring). Rows a live worker holds are left alone.

    Returns each copy's status; 'rendered' means the server refused it for now and it waits for a retry.
    """
    return _copies_run(copy_ids, connection).statuses


def copy_dispatch(*, copy_id: int, connection=None) -> str:
    """``copies_dispatch`` for one copy (a retry, a re-send); raises TransientDeliveryError on a refusal for now.

    At-most-once delivery: the row is marked 'sending' (committed) before the mail
    server is contacted and 'sent' after. If the worker dies in between, the next run
    finds a stale 'sending' row and marks it failed as *uncertain* instead of sending
    a second note verbale; staff check and re-send. See README, "Delivery guarantee".
    """
    return _one(_COPY, _copies_run([copy_id], connection), copy_id)


def email_dispatch(*, email_id: int) -> str:
    """Mail one e-mail of the outbox, at most once per address, by the same engine as the copies.

    Raises TransientDeliveryError on a refusal for now, as ``copy_dispatch`` does.
    """
    emails = list(Email.objects.filter(pk=email_id))
    return _one(_EMAIL, _run(_EMAIL, emails, _emails_to_mail, _email_message, connection=None), email_id)


def _one(kind: _Kind, run: _Run, row_id: int) -> str:
    if row_id in run.retries:
        raise run.retries[row_id]
    if row_id not in run.statuses:
        raise kind.model.DoesNotExist(f"No {kind.model._meta.verbose_name} {row_id}.")
    return run.statuses[row_id]


# --- the shared mechanism -----------------------------------------------------------------------------------------


# Picks the rows to mail, after doing what they need first (a copy's PDF), each with what its message needs;
# records in the run the outcome of any row it settles itself (failed, by hand).
Prepare = Callable[[list, _Run], list[tuple]]
# Builds a row's message once its send is claimed; None when the row failed instead (recorded by the builder).
MessageOf = Callable[[NoteCopy | Email, object, object], EmailMessage | None]


def _run(kind: _Kind, rows: list, prepare: Prepare, message_of: MessageOf, *, connection) -> _Run:
    """One run of the outbox over ``rows``, loaded by the caller in the order they are mailed (see the module)."""
    run = _Run()
    _give_up_abandoned(kind.model, rows)
    ready = prepare(rows, run)
    if ready:
        own = connection is None
        connection = connection or get_connection()
        try:
            _send_in_turn(kind, ready, connection, message_of, run)
        finally:
            if own:
                _close_quietly(connection)
    # Rows this run left alone (done already, or another worker's) report where they are now.
    rest = [row.pk for row in rows if row.pk not in run.statuses]
    if rest:
        run.statuses.update(kind.model.objects.filter(pk__in=rest).values_list("pk", "status"))
    return run


def _stale_cutoff(now: dt.datetime) -> dt.datetime:
    """Claims older than this are taken as a worker that crashed: the task time limits are below it."""
    return now - dt.timedelta(seconds=settings.CORRESPONDENCE_CLAIM_SECONDS)


def _claim_is_stale(row: NoteCopy | Email, cutoff: dt.datetime) -> bool:
    return row.claimed_at is None or row.claimed_at < cutoff


def _give_up_abandoned(model, rows: list) -> None:
    """Fail as *uncertain* the rows a worker left 'sending' and abandoned: it stopped before it recorded the
    outcome, the mail server may or may not have the message, and we do not send it again on our own."""
    cutoff = _stale_cutoff(timezone.now())
    stale = [row.pk for row in rows if row.status == model.Status.SENDING and _claim_is_stale(row, cutoff)]
    if not stale:
        return
    model.objects.filter(
        Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True), pk__in=stale, status=model.Status.SENDING
    ).update(
        status=model.Status.FAILED,
        last_error=Concat(
            Value("Delivery uncertain: the worker stopped while sending (Message-ID "),
            F("message_id"),
            Value("). Check the mail server's log before re-sending."),
        ),
        updated_at=timezone.now(),
    )


def _send_in_turn(kind: _Kind, ready: list[tuple], connection, message_of: MessageOf, run: _Run) -> None:
    """Mail the rows one after another, each marked 'sending' (committed) before the server is contacted."""
    just_sent = None
    try:
        for row, prepared in ready:
            claimed = _record_sent_and_claim(kind, sent=just_sent, sending=row)
            just_sent = None
            if not claimed:
                continue  # another run took it; the run reports where it is
            row.status, row.attempts = kind.model.Status.SENDING, row.attempts + 1
            try:
                connection.open()  # no-op when the session is already open
                message = message_of(row, prepared, connection)
                if message is None:
                    run.statuses[row.pk] = kind.model.Status.FAILED
                    continue
                _mail(message, connection)
            except Exception as exc:
                reached = server_may_have_it(connection)  # before closing, which forgets the session
                _close_quietly(connection)  # a session that failed once is not trusted with the next row
                try:
                    run.statuses[row.pk] = _after_send_error(kind, row, exc, server_may_have_it=reached)
                except TransientDeliveryError as refused:
                    run.statuses[row.pk], run.retries[row.pk] = kind.ready, refused
                continue
            just_sent = row
            run.statuses[row.pk] = kind.model.Status.SENT
    finally:
        if just_sent is not None:
            _record_sent_and_claim(kind, sent=just_sent, sending=None)


def _record_sent_and_claim(kind: _Kind, *, sent, sending) -> bool:
    """One statement: the row just mailed becomes 'sent', the next one (still waiting to be mailed) 'sending'.

    Written in SQL because it runs once per e-mail and the ORM spent longer building the
    conditional UPDATE than the database took to run it. Returns whether ``sending`` was claimed.
    """
    moment = timezone.now()
    now = database.ops.adapt_datetimefield_value(moment)
    sent_pk = sent.pk if sent else None
    sending_pk = sending.pk if sending else None
    Status = kind.model.Status
    with database.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {kind.model._meta.db_table} SET
                status = CASE WHEN id = %s THEN %s ELSE %s END,
                sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END,
                last_error = CASE WHEN id = %s THEN '' ELSE last_error END,
                refused = CASE WHEN id = %s THEN %s ELSE refused END,
                attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END,
                claimed_at = CASE WHEN id = %s THEN %s ELSE claimed_at END,
                updated_at = %s
            WHERE (id = %s AND status = %s) OR (id = %s AND status = %s)
            """,
            [
                *(sent_pk, Status.SENT.value, Status.SENDING.value),
                *(sent_pk, now),
                sent_pk,
                *(sent_pk, database.ops.adapt_json_value({}, None)),  # an address that accepted is not refused
                sending_pk,
                *(sending_pk, now),
                now,
                *(sent_pk, Status.SENDING.value, sending_pk, str(kind.ready)),
            ],
        )
        updated = cursor.rowcount
    if sending is None:
        return False
    if updated == (2 if sent else 1):
        return True
    return kind.model.objects.filter(pk=sending_pk, status=Status.SENDING, claimed_at=moment).exists()


def _close_quietly(connection) -> None:
    # The session is over either way; the next send opens a new one.
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()


def _mail(message: EmailMessage, connection) -> None:
    """Send ``message``; raises PartlyRefused when the server took it for some addresses only."""
    message.send()
    refused = refused_recipients(connection)
    if refused:
        accepted = [address for address in message.recipients() if address not in refused]
        raise PartlyRefused(refused, accepted=accepted)


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


def _after_send_error(kind: _Kind, row: NoteCopy | Email, exc: Exception, *, server_may_have_it: bool = True) -> str:
    """Record a failed send: back in line for a retry (raises TransientDeliveryError), or failed with the reason."""
    model = kind.model
    outcome = _classify(exc, server_may_have_it=server_may_have_it)
    reason = f"{type(exc).__name__}: {exc}"
    per_address = _per_address(row, exc)
    if per_address:
        refusals = "; ".join(f"{address}: {reply}" for address, reply in per_address["refused"].items())
        reason = f"Refused {refusals}"
        if isinstance(exc, PartlyRefused):
            reason = f"Sent to {', '.join(exc.accepted)}; r{reason[1:]}"
    logger.warning("Sending %s %s failed (%s): %s", model._meta.model_name, row.pk, outcome, reason)
    if outcome == "retry" and row.attempts < MAX_SEND_ATTEMPTS:
        model.objects.filter(pk=row.pk).update(
            status=kind.ready, last_error=reason[:2000], claimed_at=None, updated_at=timezone.now(), **per_address
        )
        raise TransientDeliveryError(reason, attempts=row.attempts) from exc
    if outcome == "uncertain":
        reason = f"Delivery uncertain ({reason}). Check the mail server's log before re-sending."
    elif outcome == "retry":
        reason = f"Gave up after {row.attempts} attempts: {reason}"
    _fail(model, row.pk, reason, **per_address)
    return model.Status.FAILED


def _fail(model, row_id: int, reason: str, **fields) -> None:
    model.objects.filter(pk=row_id).update(
        status=model.Status.FAILED, last_error=reason[:2000], updated_at=timezone.now(), **fields
    )


# --- what only a copy needs: its PDF ------------------------------------------------------------------------------


@dataclass
class _Rendered:
    """A copy rendered by this run: its wording (for the e-mail), enclosures and PDF, not read back from storage."""

    wording: RenderedNote
    enclosures: list
    pdf: bytes


def _copies_run(copy_ids: list[int], connection) -> _Run:
    copies = list(NoteCopy.objects.select_related("note").filter(pk__in=copy_ids).order_by("pk"))
    return _run(_COPY, copies, _prepare_copies, _copy_message, connection=connection)


def _prepare_copies(copies: list[NoteCopy], run: _Run) -> list[tuple[NoteCopy, _Rendered | None]]:
    """Render and store the PDFs still missing; returns the copies waiting to be mailed, in order.

    Each comes with its rendering when this run made it (None: the PDF stored by an earlier run, read back
    when it is mailed). Nothing is mailed before every PDF of the run is stored, so a crash while rendering
    leaves only claims for the sweep.
    """
    claimed = _claim_to_render(copies)
    rendered = _render_and_store([copy for copy in claimed if copy.status == NoteCopy.Status.RENDERING])
    for copy in claimed:
        if copy.status in (NoteCopy.Status.FAILED, NoteCopy.Status.BY_HAND):
            run.statuses[copy.pk] = copy.status
    return [
        (copy, rendered.get(copy.pk))
        for copy in copies
        if copy.status == NoteCopy.Status.RENDERED and copy.delivery == NoteCopy.Delivery.EMAIL
    ]


def _claim_to_render(copies: list[NoteCopy]) -> list[NoteCopy]:
    """Claim in one statement the rows left to render: queued ones, and 'rendering' ones whose worker stopped.

    Returns the rows this run claimed, with their new status: 'rendering' for those it is to render. A row
    that already has its PDF is never rendered again: it goes straight to waiting for the mail, or to 'by hand'.
    """
    now = timezone.now()
    cutoff = _stale_cutoff(now)
    Status = NoteCopy.Status
    candidates = [
        copy
        for copy in copies
        if copy.status == Status.QUEUED
        or (copy.status == Status.RENDERING and _claim_is_stale(copy, cutoff))
        or (copy.status == Status.RENDERED and copy.delivery == NoteCopy.Delivery.BY_HAND)
    ]
    if not candidates:
        return []
    moment, stale = database.ops.adapt_datetimefield_value(now), database.ops.adapt_datetimefield_value(cutoff)
    with database.cursor() as cursor:
        # SQL rather than the ORM's select_for_update and save: a batch is claimed in one round trip.
        cursor.execute(
            f"""
            UPDATE {NoteCopy._meta.db_table} SET
                status = CASE WHEN pdf_sha256 = '' THEN %s WHEN delivery = %s THEN %s ELSE %s END,
                claimed_at = CASE WHEN pdf_sha256 = '' THEN %s ELSE NULL END,
                updated_at = %s
            WHERE id IN ({", ".join(["%s"] * len(candidates))}) AND (
                status = %s
                OR status = %s AND (claimed_at IS NULL OR claimed_at < %s)
                OR status = %s AND delivery = %s
            )
            RETURNING id, status
            """,
            [
                *(Status.RENDERING.value, NoteCopy.Delivery.BY_HAND.value, Status.BY_HAND.value, Status.RENDERED.value),
                *(moment, moment),
                *(copy.pk for copy in candidates),
                *(Status.QUEUED.value, Status.RENDERING.value, stale),
                *(Status.RENDERED.value, NoteCopy.Delivery.BY_HAND.value),
            ],
        )
        claimed = dict(cursor.fetchall())
    ours = [copy for copy in candidates if copy.pk in claimed]
    for copy in ours:
        copy.status, copy.claimed_at = claimed[copy.pk], now if claimed[copy.pk] == Status.RENDERING else None
    return ours


def copy_render(*, copy: NoteCopy, rendered: RenderedNote, enclosures: list) -> bytes:
    """The copy's PDF. Raises EnclosureRefused when an enclosure no longer passes the upload checks."""
    enclosures_check(enclosures)  # they go out as attachments even when not appended
    pdf = render_pdf(rendered.html)
    if copy.note.append_enclosures and enclosures:
        pdf = append_documents(pdf, enclosures)
    return pdf


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


def _wording(copy: NoteCopy) -> tuple[RenderedNote | None, list]:
    """Give the copy its cached issued note and render its wording; a template error fails the row."""
    copy.note = _issued_note(copy.note_id, copy.note.issued_at)
    enclosures = list(copy.note.enclosures.all())
    try:
        return render_note(copy.note, _addressee_of(copy), enclosures=enclosures), enclosures
    except TemplateProblem as exc:
        _fail(NoteCopy, copy.pk, f"Cannot render: {exc}")
        return None, enclosures


def _message_id(copy: NoteCopy) -> str:
    return f"<note-{copy.note_id}.copy-{copy.pk}@{settings.MESSAGE_ID_DOMAIN}>"


def _render_and_store(claimed: list[NoteCopy]) -> dict[int, _Rendered]:
    """Render each claimed copy and keep its PDF; one conditional statement records them all.

    A copy whose wording or enclosures no longer pass fails alone with the reason, and nothing is sent.
    Returns the renderings whose PDFs were recorded, by copy id.
    """
    done: dict[int, _Rendered] = {}
    for copy in claimed:
        wording, enclosures = _wording(copy)
        if wording is None:
            copy.status = NoteCopy.Status.FAILED
            continue
        try:
            pdf = copy_render(copy=copy, rendered=wording, enclosures=enclosures)
        except EnclosureRefused as refused:
            # Nothing was sent: the copy fails with the reason, and staff replace the file and re-send.
            _fail(NoteCopy, copy.pk, str(refused))
            copy.status = NoteCopy.Status.FAILED
            continue
        copy.pdf.name = copy.pdf.storage.save(copy_pdf_path(copy, ""), ContentFile(pdf))
        copy.pdf_sha256, copy.message_id = sha256(pdf), copy.message_id or _message_id(copy)
        by_hand = copy.delivery == NoteCopy.Delivery.BY_HAND
        copy.status = NoteCopy.Status.BY_HAND if by_hand else NoteCopy.Status.RENDERED
        done[copy.pk] = _Rendered(wording, enclosures, pdf)
    if not done:
        return {}
    rendered = [copy for copy in claimed if copy.pk in done]
    if _store_pdfs(rendered) < len(rendered):
        kept = dict(NoteCopy.objects.filter(pk__in=done).values_list("pk", "pdf"))
        for copy in rendered:
            if kept[copy.pk] != copy.pdf.name:
                # Another run stored its PDF first: that one is kept and ours thrown away, and the copy is taken
                # from where that run left it (mailed with the stored PDF if it still waits for the mail).
                copy.pdf.storage.delete(copy.pdf.name)
                copy.refresh_from_db()
                del done[copy.pk]
    return done


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


def _copy_message(copy: NoteCopy, rendered: _Rendered | None, connection) -> EmailMessage | None:
    """The copy's e-mail; a copy rendered by an earlier run gets its wording again and its PDF as stored."""
    if rendered is None:
        wording, enclosures = _wording(copy)
        if wording is None:
            return None
        with copy.pdf.open("rb") as handle:
            rendered = _Rendered(wording, enclosures, handle.read())
    note = copy.note
    # An office that issues without reference numbers (seeds 002, 003) shows none in the mail either.
    message = EmailMessage(
        subject=" – ".join(part for part in (note.reference, rendered.wording.subject) if part),
        body=f"{rendered.wording.text}\n\n— "
        + ", ".join(part for part in (note.office.name_in(note.language), note.reference) if part),
        from_email=office_sender(note.office),
        to=copy.pending_addresses,  # an address that accepted it once never gets it again
        reply_to=[note.office.email] if note.office.email else None,
        headers={"Message-ID": copy.message_id},
        connection=connection,
    )
    message.attach(f"{note.register_label.replace('/', '-').replace(' ', '_')}.pdf", rendered.pdf, "application/pdf")
    if not note.append_enclosures:
        for document in rendered.enclosures:
            if document.file:
                with document.file.open("rb") as handle:
                    name = f"{document.symbol.replace('/', '-')}-{document.language}.pdf"
                    message.attach(name, handle.read(), "application/pdf")
    return message


# --- what only a plain e-mail needs: its message ------------------------------------------------------------------


def _emails_to_mail(emails: list[Email], run: _Run) -> list[tuple[Email, None]]:
    """An e-mail has nothing to prepare: a queued one waits for the mail."""
    return [(email, None) for email in emails if email.status == Email.Status.QUEUED]


def _email_message(email: Email, _prepared: None, connection) -> EmailMessage:
    return EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.pending_addresses,
        headers={"Message-ID": email.message_id},
        connection=connection,
    )
