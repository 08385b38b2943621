"""A task that meets a database connection the server closed drops it and retries (the fault test shows it live)."""

from types import SimpleNamespace

import pytest
from django.db import InterfaceError, OperationalError

from correspondence import tasks


class Connection:
    def __init__(self, usable: bool):
        self.connection, self.usable, self.closed = object(), usable, False

    def is_usable(self) -> bool:
        return self.usable

    def close(self) -> None:
        self.closed = True


class Retry(Exception):
    pass


def run(error: Exception, *, usable: bool, retries: int = 0, eager: bool = False):
    connection = Connection(usable)
    task = SimpleNamespace(
        request=SimpleNamespace(is_eager=eager, retries=retries),
        retry=lambda exc, countdown: Retry(countdown),
    )

    @tasks.retried_on_lost_database
    def body(self):
        raise error

    tasks.connections.all = lambda initialized_only=False: [connection]
    return connection, lambda: body(task)


@pytest.fixture(autouse=True)
def _restore_connections(monkeypatch):
    monkeypatch.setattr(tasks, "connections", SimpleNamespace(all=None))


@pytest.mark.parametrize(
    "error", [InterfaceError("connection already closed"), OperationalError("the connection is closed")]
)
def test_a_broken_connection_is_closed_and_the_task_retried(error):
    connection, call = run(error, usable=False)
    with pytest.raises(Retry) as retried:
        call()
    assert connection.closed and retried.value.args == (tasks.DATABASE_RETRY_SECONDS,)


def test_an_error_of_a_working_connection_is_not_retried():
    connection, call = run(OperationalError("canceling statement due to statement timeout"), usable=True)
    with pytest.raises(OperationalError):
        call()
    assert not connection.closed


def test_retries_are_bounded():
    connection, call = run(InterfaceError("connection already closed"), usable=False, retries=tasks.DATABASE_RETRIES)
    with pytest.raises(InterfaceError):
        call()
    assert connection.closed
