"""The outbox's Celery tasks, and the only place that queues them.

Services queue through ``after_commit`` and the ``*_queue`` functions here, never through a task itself, so
that nothing is handed to a worker before the rows it names are committed. The tasks run dispatch.py.
"""

import functools
import logging
from collections.abc import Callable

from celery import shared_task
from django.db import DatabaseError, InterfaceError, OperationalError, connections, transaction
from kombu.exceptions import OperationalError as KombuOperationalError

from .dispatch import (
    TransientDeliveryError,
    copies_dispatch,
    copy_dispatch,
    dispatch_batches,
    email_dispatch,
    outbox_waiting,
    retry_delay,
)
from .models import NoteCopy

logger = logging.getLogger(__name__)

# A task that meets a database connection the server has closed (PostgreSQL restarted, the
# backend terminated, a failover) retries this often, this long apart, on a new connection.
DATABASE_RETRIES = 5
DATABASE_RETRY_SECONDS = 5


def database_gone(exc: DatabaseError) -> bool:
    """Whether ``exc`` means the connection is broken, not that a statement was wrong."""
    if isinstance(exc, InterfaceError):
        return True
    return isinstance(exc, OperationalError) and not all(
        connection.connection is None or connection.is_usable() for connection in connections.all(initialized_only=True)
    )


def retried_on_lost_database(task):
    """Run the task; when the database connection turns out broken, drop it and retry the task later.

    The worker reuses connections across tasks (CELERY_DB_REUSE_MAX), so without this a dead one
    failed every later task at once until the worker was restarted. Retrying is safe: each outbox
    row keeps its own claim, and a row left 'sending' is never sent again on its own.
    """

    @functools.wraps(task)
    def run(self, *args, **kwargs):
        try:
            return task(self, *args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not database_gone(exc):
                raise
            for connection in connections.all(initialized_only=True):
                connection.close()
            if self.request.is_eager or self.request.retries >= DATABASE_RETRIES:
                raise
            raise self.retry(exc=exc, countdown=DATABASE_RETRY_SECONDS) from exc

    return run


def sent_or_retried(task, send: Callable[[], str]) -> str:
    """Run ``send`` (one row's dispatch); when the server refuses for now, retry the task after the row's own wait.

    The one retry rule of a copy and an e-mail alike: ``retry_delay`` of the attempts on the row.
    """
    while True:
        try:
            return send()
        except TransientDeliveryError as exc:
            if not task.request.is_eager:
                raise task.retry(exc=exc, countdown=retry_delay(exc.attempts)) from exc
            # Run in-process (no broker), task.retry() would raise instead of retrying, out of the caller's
            # commit and past the other rows: try again at once; the attempts on the row bound the loop.


@shared_task(
    bind=True,
    name="correspondence.task_dispatch_copy",
    acks_late=True,
    ignore_result=True,  # the outcome lives on the outbox row
    max_retries=None,  # copy_dispatch counts attempts on the row and gives up by itself
    time_limit=120,
    soft_time_limit=90,
)
@retried_on_lost_database
def task_dispatch_copy(self, copy_id: int) -> str:
    """One copy: a retry after a refusal for now. The same engine as a batch (a batch of one)."""
    return sent_or_retried(self, lambda: copy_dispatch(copy_id=copy_id))


@shared_task(
    bind=True,
    name="correspondence.task_dispatch_copies",
    acks_late=True,
    ignore_result=True,
    max_retries=DATABASE_RETRIES,
    # A batch takes about a second; the limit stays under CORRESPONDENCE_CLAIM_SECONDS even when the mail
    # server hangs, so no other run takes over a copy this one is still working on.
    time_limit=240,
    soft_time_limit=200,
)
@retried_on_lost_database
def task_dispatch_copies(self, copy_ids: list[int]) -> dict[int, str]:
    outcomes = copies_dispatch(copy_ids=copy_ids)
    refused = [copy_id for copy_id, status in outcomes.items() if status == NoteCopy.Status.RENDERED]
    if refused:  # the server refused these for now: each retries on its own, after its own wait
        attempts = dict(NoteCopy.objects.filter(pk__in=refused).values_list("pk", "attempts"))
        for copy_id in refused:
            task_dispatch_copy.apply_async((copy_id,), countdown=retry_delay(attempts[copy_id]))
    return outcomes


@shared_task(
    bind=True,
    name="correspondence.task_dispatch_email",
    acks_late=True,
    ignore_result=True,
    max_retries=None,  # email_dispatch counts attempts on the row and gives up by itself
    time_limit=60,
    soft_time_limit=45,
)
@retried_on_lost_database
def task_dispatch_email(self, email_id: int) -> str:
    return sent_or_retried(self, lambda: email_dispatch(email_id=email_id))


@shared_task(bind=True, name="correspondence.task_dispatch_stale", time_limit=120, soft_time_limit=90)
@retried_on_lost_database
def task_dispatch_stale(self) -> int:
    """Beat's safety net: copies and e-mails left waiting or abandoned by a worker are queued again."""
    return outbox_dispatch(stale_only=True)


# --- queueing -------------------------------------------------------------------------------------------------------

# What the broker raises when it cannot be reached (Redis down): the rows are committed and stay
# queued, and beat's sweep (outbox_dispatch) hands them over once the queue is back.
QUEUE_UNAVAILABLE = (KombuOperationalError, OSError)


def after_commit(queue: Callable[[], bool], *, record_on: object | None = None) -> None:
    """Run ``queue`` (one of the functions below) once the caller's transaction commits, as pretix's
    transaction-aware task does: a worker never looks for a row that is not committed yet, nor one rolled back.

    ``record_on`` gets ``dispatch_queued``: read by the view once the transaction has committed, False means
    the queue was down.
    """

    def hand_over() -> None:
        queued = queue()
        if record_on is not None:
            record_on.dispatch_queued = queued

    transaction.on_commit(hand_over)


def copies_queue(copy_ids: list[int]) -> bool:
    """Hand the copies to the workers; False when the queue cannot be reached (nothing is lost: see above)."""
    try:
        for batch in dispatch_batches(copy_ids):
            task_dispatch_copies.delay(batch)
    except QUEUE_UNAVAILABLE as exc:
        logger.warning("The queue is unavailable (%s): %d copies wait for the next sweep.", exc, len(copy_ids))
        return False
    return True


def emails_queue(email_ids: list[int]) -> bool:
    """Hand the e-mails to the workers; False when the queue cannot be reached (beat's sweep sends them later)."""
    try:
        for email_id in email_ids:
            task_dispatch_email.delay(email_id)
    except QUEUE_UNAVAILABLE as exc:
        logger.warning("The queue is unavailable (%s): %d e-mails wait for the next sweep.", exc, len(email_ids))
        return False
    return True


def outbox_dispatch(*, stale_only: bool = False) -> int:
    """Queue every copy and e-mail still waiting (dispatch.outbox_waiting). Returns how many."""
    copy_ids, email_ids = outbox_waiting(stale_only=stale_only)
    copies_queue(copy_ids)
    emails_queue(email_ids)
    return len(copy_ids) + len(email_ids)
