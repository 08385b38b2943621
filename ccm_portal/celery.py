import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm_portal.settings")

app = Celery("ccm_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="ccm_portal.task_ping", time_limit=10, soft_time_limit=5)
def task_ping(value: str = "pong") -> str:
    """Round-trip probe for health checks and the worker test."""
    return value
