from celery import shared_task

from .services import TransientDeliveryError, copy_dispatch


@shared_task(
    bind=True,
    name="correspondence.task_dispatch_copy",
    acks_late=True,
    max_retries=None,  # copy_dispatch counts attempts on the row and gives up by itself
    time_limit=120,
    soft_time_limit=90,
)
def task_dispatch_copy(self, copy_id: int) -> str:
    try:
        return copy_dispatch(copy_id=copy_id)
    except TransientDeliveryError as exc:
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 900)) from exc
