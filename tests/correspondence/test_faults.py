"""Hard faults against the real services: a Celery worker process, PostgreSQL, a Redis and an SMTP server.

Each test starts what it breaks: its own redis-server (ports 6390-6399, no persistence, so a
restart loses every queued task as a crash would), a 2-process Celery worker on the test
database, and an SMTP server (tests/smtp_sink.py) that misbehaves on demand. It then breaks
one thing while the outbox is being mailed, runs the sweep as beat would (``dispatch_outbox``)
and checks the delivery guarantee: every address got at most one message, and every copy and
e-mail ended either sent (each address holding exactly one message) or failed for a person to
see; nothing is left waiting.

Run them alone with ``pytest -m faults``; they are skipped without PostgreSQL or redis-server.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from correspondence import services, tasks
from correspondence.models import AddresseeGroup, Email, NoteCopy
from tests.smtp_sink import SMTPSink, free_port

from . import factories

ROOT = Path(__file__).resolve().parents[2]
REDIS_PORTS = range(6390, 6400)
# Short enough for a test to wait out; the hard time limits do not matter here (batches take a second).
CLAIM_SECONDS = 8
PARTIES = 16
EMAILS = 3

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),  # the worker must see what the test commits
]


@pytest.fixture(autouse=True)
def _needs_the_real_services():
    if connection.vendor != "postgresql":
        pytest.skip("The fault tests need PostgreSQL (set DATABASE_URL): a worker process shares the test database.")
    if not shutil.which("redis-server"):
        pytest.skip("The fault tests need redis-server on the PATH: they start and stop their own Redis.")


class Redis:
    """A redis-server of the test's own, stopped and started at will on the same port."""

    def __init__(self, tmp_path: Path):
        self.port = free_port(REDIS_PORTS)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()  # as a crash: nothing is saved, every queued task is lost
            self.process.wait(timeout=10)


@pytest.fixture
def redis(tmp_path):
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    with SMTPSink() as sink:
        yield sink


@pytest.fixture
def portal_env(redis, smtp, tmp_path):
    """The environment of the worker and of the operator's commands: the test database, Redis and SMTP server."""
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "ccm_portal.settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}",
        "REDIS_URL": redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "EMAIL_TIMEOUT": "10",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CORRESPONDENCE_CLAIM_SECONDS": str(CLAIM_SECONDS),
        "CORRESPONDENCE_RETRY_SECONDS": "1",
        "CORRESPONDENCE_DISPATCH_BATCH": "4",
        "LOG_LEVEL": "WARNING",
    }
    return env


class Worker:
    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                *("-A", "ccm_portal", "worker", "--concurrency=2", "--pool=prefork"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=warning"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid in self.children():
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def worker(portal_env, tmp_path):
    started = Worker(portal_env, tmp_path / "worker.log")
    started.start()
    yield started
    started.stop()


def sweep(env: dict) -> str:
    """What beat does every five minutes, run as an operator would."""
    done = subprocess.run(
        [sys.executable, "manage.py", "dispatch_outbox"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def outbox(office, secretariat, meeting, monkeypatch):
    """A note issued to PARTIES States Parties and EMAILS notifications, all left waiting in the outbox."""
    for n in range(PARTIES):
        factories.party(name=f"Faultland {n}")
    note = factories.draft(office, secretariat, meeting=meeting, groups=[AddresseeGroup.STATES_PARTIES])
    services.note_issue(note=note, user=secretariat, issue_date=factories.ISSUE_DATE, dispatch=False)
    with monkeypatch.context() as patched:
        # The sweep hands them to the worker, not this process (where tasks run in-process).
        patched.setattr(tasks, "emails_queue", lambda email_ids: True)
        for n in range(EMAILS):
            services.email_queue(
                to=[f"focal.{n}@example.org"], subject="You are a focal point", body="Welcome.", source="registration"
            )
    return note


def rows() -> list:
    return [*NoteCopy.objects.filter(delivery=NoteCopy.Delivery.EMAIL), *Email.objects.all()]


def addresses(row) -> list[str]:
    return row.email_list if isinstance(row, NoteCopy) else row.to_list


def settled() -> bool:
    return all(row.status in ("sent", "failed") for row in rows())


def wait_until_settled(env: dict, *, timeout: float = 90) -> None:
    """Wait for every row to be sent or failed, sweeping as beat would once claims have gone stale."""
    deadline = time.monotonic() + timeout
    last_sweep = time.monotonic()
    while not settled():
        assert time.monotonic() < deadline, sorted((type(r).__name__, r.pk, r.status, r.last_error) for r in rows())
        if time.monotonic() - last_sweep > CLAIM_SECONDS + 1:
            sweep(env)
            last_sweep = time.monotonic()
        time.sleep(0.5)


def assert_delivered_once(smtp, *, flagged_at_most: int) -> list:
    """Each address at most one message; each row sent (every address once) or failed for a person."""
    received = smtp.addresses()
    assert max(received.values(), default=0) == 1, [a for a, n in received.items() if n > 1]
    flagged = []
    for row in rows():
        if row.status == "sent":
            assert all(received[address] == 1 for address in addresses(row)), (
                row,
                row.status,
                row.attempts,
                row.last_error,
                [(r.recipients, r.message_id) for r in smtp.received],
            )
        else:
            assert row.status == "failed" and row.last_error, (row, row.status)
            flagged.append(row)
    assert len(flagged) <= flagged_at_most, [(r, r.last_error) for r in flagged]
    assert len(rows()) == PARTIES + EMAILS
    return flagged


def test_a_misbehaving_mail_server_loses_nothing_and_duplicates_nothing(outbox, smtp, worker, portal_env):
    """451 once, 550 for one mission, and a connection dropped at the greeting, after DATA and after the message."""
    refused = NoteCopy.objects.filter(note=outbox).order_by("pk").last()
    smtp.refuse[refused.email_list[0]] = "550 5.1.1 User unknown"
    smtp.faults.update({"451": 1, "greeting": 1, "data": 1, "after_message": 1})

    sweep(portal_env)
    wait_until_settled(portal_env)

    flagged = assert_delivered_once(smtp, flagged_at_most=2)
    refused.refresh_from_db()
    assert refused.status == "failed" and refused.refused == {refused.email_list[0]: "550 5.1.1 User unknown"}
    # Dropped after the message: the server has it, the portal cannot know; a person checks, nothing is re-sent.
    uncertain = [row for row in flagged if "uncertain" in row.last_error]
    assert len(uncertain) == 1 and smtp.count(addresses(uncertain[0])[0]) == 1
    assert not +smtp.faults  # every fault happened
    assert sum(smtp.addresses().values()) == PARTIES + EMAILS - 1  # all but the refused address


def test_a_worker_process_killed_mid_batch(outbox, smtp, worker, portal_env):
    smtp.delay = 0.15  # a slow server, so that the kill lands in the middle of a batch
    sweep(portal_env)
    assert smtp.wait_for(lambda: len(smtp.received) >= 3, timeout=60)

    killed = worker.children()[0]
    os.kill(killed, signal.SIGKILL)
    smtp.delay = 0

    wait_until_settled(portal_env)
    flagged = assert_delivered_once(smtp, flagged_at_most=1)  # at most the message being sent when it died
    for row in flagged:
        assert "uncertain" in row.last_error


def test_the_workers_database_connections_terminated(outbox, smtp, worker, portal_env):
    # First the e-mails alone, so that the worker's processes have connections to lose.
    copies = NoteCopy.objects.filter(note=outbox)
    copies.update(status=NoteCopy.Status.RECORDED)
    sweep(portal_env)
    assert smtp.wait_for(lambda: len(smtp.received) == EMAILS, timeout=60)

    # Between two tasks, PostgreSQL ends every connection of the worker (a restart, a failover, an operator).
    assert terminate_other_connections() >= 1
    copies.update(status=NoteCopy.Status.QUEUED)
    sweep(portal_env)

    wait_until_settled(portal_env)
    assert_delivered_once(smtp, flagged_at_most=0)  # mail resumed by itself, and nothing went twice


def test_redis_stopped_and_restarted_mid_mailing(outbox, smtp, worker, redis, portal_env):
    smtp.delay = 0.1
    sweep(portal_env)
    assert smtp.wait_for(lambda: len(smtp.received) >= 3, timeout=60)

    redis.stop()  # every task still waiting in the queue is lost with it
    assert "Queued" in sweep(portal_env)  # the sweep, with the queue down, reports and leaves the rows waiting
    time.sleep(2)
    redis.start()
    smtp.delay = 0

    wait_until_settled(portal_env, timeout=120)
    flagged = assert_delivered_once(smtp, flagged_at_most=2)
    for row in flagged:
        assert "uncertain" in row.last_error


def terminate_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]
