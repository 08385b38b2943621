from celery import shared_task

from .models import NoteCopy
from .services import TransientDeliveryError, copies_dispatch, copy_dispatch, outbox_dispatch, retry_delay


@shared_task(
    bind=True,
    name="correspondence.task_dispatch_copy",
    acks_late=True,
    ignore_result=True,  # the outcome lives on the outbox row
    max_retries=None,  # copy_dispatch counts attempts on the row and gives up by itself
    time_limit=120,
    soft_time_limit=90,
)
def task_dispatch_copy(self, copy_id: int) -> str:
    while True:
        try:
            return copy_dispatch(copy_id=copy_id)
        except TransientDeliveryError as exc:
            if not self.request.is_eager:
                raise self.retry(exc=exc, countdown=retry_delay(exc.attempts)) from exc
            # Run in-process (no broker), self.retry() would raise instead of retrying, out of note_issue's
            # commit and past the other copies: try again at once; the attempts on the row bound the loop.


@shared_task(
    name="correspondence.task_dispatch_copies",
    acks_late=True,
    ignore_result=True,
    # A batch takes about a second; the limit stays under CORRESPONDENCE_CLAIM_SECONDS even when the mail
    # server hangs, so no other run takes over a copy this one is still working on.
    time_limit=240,
    soft_time_limit=200,
)
def task_dispatch_copies(copy_ids: list[int]) -> dict[int, str]:
    outcomes = copies_dispatch(copy_ids=copy_ids)
    refused = [copy_id for copy_id, status in outcomes.items() if status == NoteCopy.Status.RENDERED]
    if refused:  # the server refused these for now: each retries on its own, after its own wait
        attempts = dict(NoteCopy.objects.filter(pk__in=refused).values_list("pk", "attempts"))
        for copy_id in refused:
            task_dispatch_copy.apply_async((copy_id,), countdown=retry_delay(attempts[copy_id]))
    return outcomes


@shared_task(name="correspondence.task_dispatch_stale", time_limit=120, soft_time_limit=90)
def task_dispatch_stale() -> int:
    """Beat's safety net: copies left waiting or abandoned by a worker are queued again."""
    return outbox_dispatch(stale_only=True)
