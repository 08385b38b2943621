from celery import shared_task

from .services import notification_send, notifications_waiting_dispatch


@shared_task(
    name="registration.task_send_notification", acks_late=True, ignore_result=True, time_limit=60, soft_time_limit=45
)
def task_send_notification(notification_id: int) -> str:
    return notification_send(notification_id=notification_id)


@shared_task(name="registration.task_send_waiting_notifications", time_limit=60, soft_time_limit=45)
def task_send_waiting_notifications() -> int:
    """Beat's safety net: notifications left queued while the queue was down are sent (each at most once)."""
    return notifications_waiting_dispatch()
