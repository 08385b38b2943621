"""Dispatch benchmark (`make bench`): one invitation to 250 addressees, 2 worker processes.

Measures, in one run:
- seconds: from issuing the note to the last copy recorded sent, with a real Celery
  worker (prefork, concurrency 2) on Redis and PostgreSQL, mailing to an in-process
  SMTP sink (a minimal one in this file);
- render_only_seconds: the same 250 documents rendered to PDF alone, across 2 processes;
- naive_cli_ms_per_note: 10 notes rendered by one `weasyprint` command-line process each.

Both timed phases are repeated in ROUNDS rounds (5; BENCH_ROUNDS), each with its own invitation
to the same addressees, and the figures reported are those of the round with the median
overhead ratio: on this shared machine the speed of the same work drifts by up to a fifth from
one minute to the next, more than the overhead being measured. "rounds" lists every round's ratio.

The last line printed is one JSON object. Not a test: numbers depend on the machine.
"""

import json
import multiprocessing
import os
import re
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOTES = int(os.environ.get("BENCH_NOTES", "250"))
WORKERS = 2
NAIVE_NOTES = 10
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccm_portal_bench")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class Sink(socketserver.ThreadingTCPServer):
    """A minimal SMTP server that counts what it receives, to find lost and duplicated e-mails.

    It reads each message in large blocks and looks only at the header, because it shares the
    machine's two cores with the workers: a line-by-line server (aiosmtpd) cost about 2 ms of
    CPU per message, which is the harness's cost, not the portal's.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.message_ids: list[str] = []
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]


class _SmtpSession(socketserver.BaseRequestHandler):
    def handle(self):
        connection = self.request
        connection.sendall(b"220 sink ESMTP\r\n")
        buffer = b""
        while True:
            while b"\r\n" not in buffer:
                block = connection.recv(65536)
                if not block:
                    return
                buffer += block
            line, buffer = buffer.split(b"\r\n", 1)
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                connection.sendall(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                connection.sendall(b"354 go on\r\n")
                while b"\r\n.\r\n" not in buffer:
                    block = connection.recv(65536)
                    if not block:
                        return
                    buffer += block
                content, buffer = buffer.split(b"\r\n.\r\n", 1)
                found = MESSAGE_ID.search(content[: content.find(b"\r\n\r\n")])
                with self.server.lock:
                    self.server.message_ids.append(found.group(1).decode() if found else "")
                connection.sendall(b"250 OK\r\n")
            elif verb == b"QUIT":
                connection.sendall(b"221 bye\r\n")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                connection.sendall(b"250 OK\r\n")


def _ensure_database() -> None:
    name = BENCH_DB.rsplit("/", 1)[1]
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def _setup_django(smtp_port: int) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "ccm_portal.settings",
        "DATABASE_URL": BENCH_DB,
        "REDIS_URL": REDIS,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DEBUG": "false",
        "MEDIA_ROOT": str(Path(tempfile.mkdtemp(prefix="ccm-bench-media-"))),
        "LOG_LEVEL": "WARNING",
        # As in production: a worker keeps its database connection between tasks.
        "CONN_MAX_AGE": "600",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Notes are issued from a running web process, which has its URL conf loaded long before.
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018
    return env


def _prepare_note():
    """A fresh office, meeting and NOTES States Parties, each with a mission e-mail, and a draft invitation."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from correspondence.models import Note, NoteCopy, Office
    from correspondence.services import note_create
    from meetings.models import Meeting
    from treaties.models import Participation, PermanentMission, State, Treaty

    NoteCopy.objects.all().delete()
    Note.objects.all().delete()
    ccm = Treaty.objects.get(code="CCM")
    Participation.objects.all().delete()
    PermanentMission.objects.all().delete()
    Meeting.objects.filter(slug="bench-msp").delete()
    State.objects.all().delete()
    states = State.objects.bulk_create(
        [
            State(
                iso2=f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}",
                iso3=f"B{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}",
                iso_numeric=f"{i:03d}",
                name_en=f"Benchland {i:03d}",
                name_fr=f"Benchland {i:03d}",
            )
            for i in range(NOTES)
        ]
    )
    PermanentMission.objects.bulk_create(
        [
            PermanentMission(
                state=s,
                city="Geneva",
                name=f"Permanent Mission of {s.name_en} to the United Nations Office at Geneva",
                emails=f"mission.{s.iso3.lower()}@example.org",
            )
            for s in states
        ]
    )
    Participation.objects.bulk_create(
        [
            Participation(
                treaty=ccm,
                state=s,
                signature_date=dt.date(2008, 12, 3),
                deposit_date=dt.date(2009, 6, 1),
                instrument="ratification",
            )
            for s in states
        ]
    )
    office, _ = Office.objects.update_or_create(
        code="BENCH",
        defaults={
            "name": "Office for Disarmament Affairs",
            "kind": Office.Kind.SECRETARIAT,
            "letterhead_lines": "UNITED NATIONS | NATIONS UNIES\nOffice for Disarmament Affairs",
            "city": "Geneva",
            "reference_pattern": "BENCH/{yyyy}-{seq:05}",
        },
    )
    meeting = Meeting.objects.create(
        treaty=ccm,
        kind="msp",
        number=99,
        title="Ninety-ninth Meeting of States Parties",
        slug="bench-msp",
        start_date=dt.date(2030, 9, 10),
        end_date=dt.date(2030, 9, 13),
        city="Geneva",
        venue="Palais des Nations",
        room="Room XIX",
        registration_deadline=dt.date(2030, 8, 20),
        delegation_details_deadline=dt.date(2030, 8, 31),
    )
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    body = (
        "{{ opening }} invite it to participate in the {{ meeting.title }}, to be held from {{ meeting.dates }} at the "
        "{{ meeting.location }}.\n\nDelegations are kindly requested to register at {{ meeting.registration_link }} by "
        "{{ meeting.registration_deadline }}. The details of delegations should be submitted by "
        "{{ meeting.delegation_details_deadline }}.\n\n{{ closing }}"
    )
    return note_create(
        office=office,
        created_by=user,
        meeting=meeting,
        form="note_verbale",
        subject="Invitation to the {{ meeting.short_code }}",
        body=body,
        addressee_groups=["states_parties"],
    ), user


def _start_worker(env: dict) -> subprocess.Popen:
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "ccm_portal",
            "worker",
            "--pool=prefork",
            f"--concurrency={WORKERS}",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from ccm_portal.celery import app, task_ping

    app.conf.task_always_eager = False
    for _ in range(2 * WORKERS):  # both children answer before timing starts
        task_ping.delay("warm").get(timeout=60)
    return worker


def _worker_processes(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _peak_rss_mb(pid: int) -> float:
    """The kernel's own high-water mark of the process's resident memory (VmHWM): exact, and
    free to read, where sampling RSS would both miss short peaks and cost the machine CPU."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _warm_page_cache() -> None:
    """Render one document in another process first, so that both timed phases find the font files
    in the OS page cache (the phase that runs first would otherwise pay for reading them from disk),
    without warming this process, whose forks do the render-only phase."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "warm.html"
        page.write_text("<p>Warm-up: Latin, Кириллица, العربية, 中文, ພາສາລາວ</p>")
        weasyprint = str(Path(sys.executable).parent / "weasyprint")
        subprocess.run([weasyprint, str(page), str(page.with_suffix(".pdf"))], check=True, capture_output=True)


def _dispatch(note, user, env: dict) -> tuple[float, float]:
    from django.db.models import Max
    from django.utils import timezone

    from correspondence.models import NoteCopy
    from correspondence.services import note_issue

    worker = _start_worker(env)
    try:
        started = timezone.now()
        note_issue(note=note, user=user)
        done = {NoteCopy.Status.SENT, NoteCopy.Status.FAILED, NoteCopy.Status.BY_HAND}
        deadline = time.perf_counter() + 600
        while time.perf_counter() < deadline:
            if not NoteCopy.objects.filter(note=note).exclude(status__in=done).exists():
                break
            time.sleep(0.5)
        # The end is the last row's own timestamp, written by the worker that finished it, so the
        # time between polls (slow, not to take CPU from the workers) does not count as dispatch time.
        finished = NoteCopy.objects.filter(note=note).aggregate(last=Max("updated_at"))["last"]
        seconds = (finished - started).total_seconds()
        peak_mb = max((_peak_rss_mb(pid) for pid in _worker_processes(worker.pid)), default=0.0)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    failed = NoteCopy.objects.filter(note=note, status=NoteCopy.Status.FAILED).count()
    if failed:
        print(f"warning: {failed} copies failed", file=sys.stderr)
    return seconds, peak_mb


def _html_of_copies(note) -> list[str]:
    from correspondence.dispatch import _addressee_of
    from correspondence.models import NoteCopy
    from correspondence.rendering import render_note

    copies = NoteCopy.objects.filter(note=note).select_related("note__office", "note__treaty", "note__meeting")
    return [render_note(c.note, _addressee_of(c)).html for c in copies]


def _render_one(html: str) -> int:
    from correspondence.rendering import render_pdf

    return len(render_pdf(html))


def _init_renderer():
    import django

    django.setup()


def _render_only(htmls: list[str]) -> float:
    context = multiprocessing.get_context("fork")
    with context.Pool(WORKERS, initializer=_init_renderer) as pool:
        pool.map(str, range(WORKERS))  # processes up before timing, as the worker's are
        start = time.perf_counter()
        pool.map(_render_one, htmls, chunksize=1)
        return time.perf_counter() - start


def _naive_cli(htmls: list[str]) -> float:
    from django.contrib.staticfiles import finders

    css = finders.find("correspondence/note.css")
    weasyprint = str(Path(sys.executable).parent / "weasyprint")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, html in enumerate(htmls[:NAIVE_NOTES]):
            path = Path(folder) / f"note-{i}.html"
            path.write_text(html)
            paths.append(path)
        start = time.perf_counter()
        for path in paths:
            subprocess.run(
                [weasyprint, "-s", css, str(path), str(path.with_suffix(".pdf"))], check=True, capture_output=True
            )
        return (time.perf_counter() - start) / len(paths) * 1000


def _round(sink: Sink, env: dict, number: int) -> dict:
    """One invitation to NOTES addressees, dispatched, then the same documents rendered alone."""
    note, user = _prepare_note()
    first_message = len(sink.message_ids)
    print(f"round {number}: dispatching {NOTES} notes with {WORKERS} worker processes…", file=sys.stderr)
    seconds, peak_mb = _dispatch(note, user, env)
    received = sink.message_ids[first_message:]
    print(f"round {number}: rendering the same documents alone…", file=sys.stderr)
    htmls = _html_of_copies(note)
    render_only = _render_only(htmls)
    ratio = seconds / render_only
    print(f"round {number}: {seconds:.2f} s against {render_only:.2f} s alone, ratio {ratio:.3f}", file=sys.stderr)
    return {
        "seconds": seconds,
        "render_only": render_only,
        "peak_mb": peak_mb,
        "received": len(received),
        "duplicates": len(received) - len(set(received)),
        "htmls": htmls,
    }


def main() -> None:
    _ensure_database()
    sink = Sink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    env = _setup_django(sink.port)
    try:
        _warm_page_cache()
        rounds = [_round(sink, env, number) for number in range(1, ROUNDS + 1)]
        print(f"rendering {NAIVE_NOTES} notes with the weasyprint command…", file=sys.stderr)
        naive_ms = _naive_cli(rounds[0]["htmls"])
    finally:
        sink.shutdown()
    # The round with the median ratio (see the module's docstring); the e-mail counts are
    # the worst of all rounds, so that one lost or doubled e-mail anywhere shows.
    middle = sorted(rounds, key=lambda r: r["seconds"] / r["render_only"])[len(rounds) // 2]
    seconds, render_only = middle["seconds"], middle["render_only"]
    result = {
        "notes": NOTES,
        "seconds": round(seconds, 2),
        "notes_per_s": round(NOTES / seconds, 2),
        "render_only_seconds": round(render_only, 2),
        "overhead_ratio": round(seconds / render_only, 3),
        "naive_cli_ms_per_note": round(naive_ms, 1),
        "speedup_vs_naive": round(naive_ms / (seconds * 1000 / NOTES), 1),
        "peak_rss_mb_per_worker": round(max(r["peak_mb"] for r in rounds), 1),
        "emails_received": min(r["received"] for r in rounds),
        "duplicate_emails": sum(r["duplicates"] for r in rounds),
        "rounds": [round(r["seconds"] / r["render_only"], 3) for r in rounds],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
