from celery import shared_task

from .services import TransientDeliveryError, copy_dispatch


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
                raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 900)) from exc
            # Run in-process (no broker), self.retry() would raise instead of retrying, out of note_issue's
            # commit and past the other copies: try again at once; the attempts on the row bound the loop.
