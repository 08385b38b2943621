from celery import shared_task
from django.utils import timezone

from .services import reminders_send


@shared_task(name="obligations.task_send_reminders", time_limit=1800, soft_time_limit=1700, ignore_result=True)
def task_send_reminders() -> int:
    return len(reminders_send(at=timezone.localdate()))
