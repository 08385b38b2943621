import os

from celery import Celery
from celery.signals import task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm_portal.settings")

app = Celery("ccm_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="ccm_portal.task_ping", time_limit=10, soft_time_limit=5)
def task_ping(value: str = "pong") -> str:
    """Round-trip probe for health checks and the worker test."""
    return value


@worker_process_init.connect
def _load_url_conf(**kwargs) -> None:
    """Load the URL conf when a worker process starts, not inside its first task.

    Every note links to its meeting page; the first reverse() imports every app's URLs
    (about 0.1 s), which would otherwise land on the first copy each process dispatches.
    """
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (building it is the point)


@task_prerun.connect
def _replace_broken_database_connections(task=None, **kwargs) -> None:
    """Before each task, a database connection the server closed since the last one is replaced.

    The worker keeps its connection across tasks (CELERY_DB_REUSE_MAX); when PostgreSQL ends it
    (a restart, pg_terminate_backend, a failover), every later task failed at once with "the
    connection is closed" until the worker was restarted. One "SELECT 1" a task is the price.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()
