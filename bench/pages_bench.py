"""Page benchmark (`make bench-pages`): how many requests a second each page a user waits on serves,
against the floor of the same stack, with the demo data and with ten times the data.

For each data size it starts gunicorn (2 sync workers, the production settings with DEBUG off,
PostgreSQL) and loads each page with `wrk` for BENCH_PAGE_SECONDS (5 s) at 20 connections, signed
in as the user who waits on it (a session made directly in the database, with the record of the
password and TOTP steps allauth keeps). The floor is the cheapest answer of the same stack, a 404 to
an anonymous request, measured before and after the pages in the same run; a page's share is its
requests per second over the floor's mean.

Data: ``manage.py load_demo``, then ``bench/scale_data.py`` (1,000 meetings; the open demo meeting
with 150 delegations and 600 participants). The database, BENCH_PAGES_DATABASE_URL
(ccm_guards_bench), is created at the start and dropped at the end.

Targets (issue 10): every page at least 1/10 of the floor, the dashboard 1/20, at both sizes.
The last line printed is one JSON object. Not a test: the figures depend on the machine.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_PAGES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccm_guards_bench")
REDIS_URL = os.environ.get("BENCH_PAGES_REDIS_URL", "redis://127.0.0.1:6379/4")
SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "5"))
FLOOR_SECONDS = 2.0
CONNECTIONS = 20
WORKERS = 2
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

OPEN_MEETING = "ccm-intersessional-demo"
FLOOR_PATH = "/bench-floor-404/"
# name: (who waits on it, path, share of the floor it must reach)
PAGES = {
    "dashboard": ("secretariat", "/admin/", 1 / 20),
    "delegation_form": ("focal point", f"/register/{OPEN_MEETING}/state-NOR/", 1 / 10),
    "participants_html": ("secretariat", f"/register/{OPEN_MEETING}/participants/", 1 / 10),
    "participants_xlsx": ("secretariat", f"/register/{OPEN_MEETING}/participants.xlsx", 1 / 10),
    "admin_delegations": ("secretariat", "/admin/registration/delegation/", 1 / 10),
    "meeting_list": ("anonymous", "/meetings/", 1 / 10),
    "meeting_detail": ("anonymous", f"/meetings/{OPEN_MEETING}/", 1 / 10),
    "my_registrations": ("focal point", "/register/", 1 / 10),
    "credentials_report": ("secretariat", f"/register/{OPEN_MEETING}/credentials-report/", 1 / 10),
    "cost_shares": ("secretariat", f"/obligations/{OPEN_MEETING}/cost-shares/", 1 / 10),
}
# BENCH_PAGES=dashboard,cost_shares measures only those pages (while working on them); unset: all.
if os.environ.get("BENCH_PAGES"):
    _chosen = os.environ["BENCH_PAGES"].split(",")
    if unknown := set(_chosen) - set(PAGES):
        sys.exit(f"BENCH_PAGES names unknown pages {sorted(unknown)}; known: {sorted(PAGES)}")
    PAGES = {name: PAGES[name] for name in _chosen}
ACCOUNTS = {"secretariat": "secretariat@ccm-portal.localhost", "focal point": "focalpoint@ccm-portal.localhost"}

# wrk reports through this script: one JSON line with the counts and the latency percentiles.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "status_errors": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def _env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ccm_portal.settings.production",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",  # not a warning for every 404 of the floor
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="ccm-bench-pages-media-"),
        "PRIVATE_MEDIA_ROOT": tempfile.mkdtemp(prefix="ccm-bench-pages-private-"),
    }


def _psql(*args: str) -> None:
    subprocess.run([*args, "-h", "127.0.0.1", "-U", "postgres", DATABASE_URL.rsplit("/", 1)[1]], check=True)


def _manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _sessions() -> dict[str, str]:
    """A signed-in session for each account, as allauth leaves it after the password and TOTP steps."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    cookies = {"anonymous": ""}
    for role, email in ACCOUNTS.items():
        user = get_user_model().objects.get(email=email)
        now = time.time()
        records = [{"method": "password", "at": now, "email": email}]
        for totp in Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP):
            records.append({"method": "mfa", "at": now, "id": totp.pk, "type": totp.type})
        session = SessionStore()
        session.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
                AUTHENTICATION_METHODS_SESSION_KEY: records,
                _AUTHENTICATION_METHODS_USER_SESSION_KEY: str(user.pk),
            }
        )
        session.create()
        cookies[role] = f"sessionid={session.session_key}"
    return cookies


def _focal_points_draft() -> None:
    """Norway's focal point has started a delegation to the open meeting: the form shows it, with members."""
    from django.contrib.auth import get_user_model

    from meetings.models import Meeting
    from registration import services
    from registration.models import Delegation
    from treaties.models import State

    meeting, norway = Meeting.objects.get(slug=OPEN_MEETING), State.objects.get(iso3="NOR")
    if Delegation.objects.filter(meeting=meeting, state=norway).exists():
        return
    member = services.MemberData
    services.delegation_save(
        meeting=meeting,
        user=get_user_model().objects.get(email=ACCOUNTS["focal point"]),
        state=norway,
        members=[
            member("H.E.", "Solberg", "Ingrid", "head", "Ambassador, Permanent Representative", gender="f"),
            member("Mr.", "Berg", "Lars", "alternate", "Deputy Permanent Representative", gender="m"),
            member("Ms.", "Nilsen", "Kari", "adviser", "Senior Adviser, Ministry of Foreign Affairs", gender="f"),
        ],
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _gunicorn(env: dict, log: Path):
    port = _free_port()
    output = log.open("ab")  # what the workers print (Django's own log) goes with gunicorn's
    server = subprocess.Popen(
        [
            *(GUNICORN, "ccm_portal.wsgi:application", "--workers", str(WORKERS), "--worker-class", "sync"),
            *("--bind", f"127.0.0.1:{port}", "--error-logfile", str(log), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/meetings/", timeout=30).read()
                break
            except OSError:  # not listening yet
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not answer; see {log}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        output.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _check(base: str, path: str, cookie: str, expected: int = 200) -> None:
    """The page answers as it should for this user (a session refused would measure the sign-in page),
    and each worker has served it once before it is timed."""
    opener = urllib.request.build_opener(NoRedirect)
    for _ in range(2 * WORKERS):
        request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
        try:
            status = opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != expected:
            raise RuntimeError(f"{path} answered {status}, not {expected}, with cookie {cookie!r}")


def _wrk(base: str, path: str, cookie: str, script: Path, seconds: float) -> dict:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, base + path], capture_output=True, text=True, check=True).stdout
    raw = json.loads(out.strip().splitlines()[-1])
    _drain(base)
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "requests": raw["requests"],
        "status_errors": raw["status_errors"],
        "socket_errors": raw["socket_errors"],
    }


def _drain(base: str) -> None:
    """Wait until both workers are free: when wrk stops, the requests already queued are still served, and
    would otherwise be counted against the next page. A quick answer on each of two parallel probes means
    no queued request was ahead of them."""
    opener = urllib.request.build_opener(NoRedirect)

    def probe(_) -> float:
        started = time.monotonic()
        with suppress(urllib.error.HTTPError):
            opener.open(base + FLOOR_PATH, timeout=120)
        return time.monotonic() - started

    with ThreadPoolExecutor(WORKERS) as pool:
        for _ in range(1000):
            if max(pool.map(probe, range(WORKERS))) < 0.1:
                return


def _measure(env: dict, cookies: dict, script: Path, log: Path) -> dict:
    """Each page between two short runs of the floor: its share is taken against the floor of its own
    minute, since on a shared machine the speed of the same work drifts from one minute to the next."""
    with _gunicorn(env, log) as base:
        _check(base, FLOOR_PATH, "", expected=404)
        for role, path, _ in PAGES.values():
            _check(base, path, cookies[role])
        floors = [_wrk(base, FLOOR_PATH, "", script, FLOOR_SECONDS)]
        pages = {}
        for name, (role, path, _) in PAGES.items():
            pages[name] = _wrk(base, path, cookies[role], script, SECONDS)
            floors.append(_wrk(base, FLOOR_PATH, "", script, FLOOR_SECONDS))
    for i, (name, figures) in enumerate(pages.items()):
        floor_rps = (floors[i]["rps"] + floors[i + 1]["rps"]) / 2
        target = PAGES[name][2]
        figures["floor_rps"] = round(floor_rps, 1)
        figures["share_of_floor"] = round(figures["rps"] / floor_rps, 4)
        figures["one_in"] = round(floor_rps / figures["rps"], 1) if figures["rps"] else None
        figures["target_one_in"] = round(1 / target)
        figures["meets_target"] = figures["rps"] >= target * floor_rps and not figures["status_errors"]
    floor_rps = [f["rps"] for f in floors]
    return {
        "floor": {"rps": round(sum(floor_rps) / len(floor_rps), 1), "min": min(floor_rps), "max": max(floor_rps)},
        "pages": pages,
    }


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make system` installs it (Debian package wrk).")
    env = _env()
    os.environ.update(env)
    work = Path(tempfile.mkdtemp(prefix="ccm-bench-pages-"))
    script = work / "report.lua"
    script.write_text(WRK_REPORT)
    _psql("dropdb", "--if-exists")
    _psql("createdb")
    started = time.monotonic()
    results = {}
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "collectstatic", "--noinput")
        _manage(env, "load_demo")
        import django

        django.setup()
        from django.contrib.auth import get_user_model

        from bench.scale_data import scale_up

        _focal_points_draft()
        cookies = _sessions()
        print("demo data loaded; measuring", file=sys.stderr)
        results["demo"] = _measure(env, cookies, script, work / "gunicorn-demo.log")
        secretariat = get_user_model().objects.get(email=ACCOUNTS["secretariat"])
        scaled = scale_up(creator=secretariat)
        print(f"scaled up: {scaled}; measuring", file=sys.stderr)
        results["ten_times"] = {"data": vars(scaled), **_measure(env, cookies, script, work / "gunicorn-10x.log")}
    finally:
        from django.db import connections

        connections.close_all()
        _psql("dropdb", "--if-exists")
    for size, run in results.items():
        floor = run["floor"]
        print(f"{size}: floor {floor['rps']:.0f} requests/s ({floor['min']:.0f}–{floor['max']:.0f})", file=sys.stderr)
        for name, f in run["pages"].items():
            verdict = "ok" if f["meets_target"] else "BELOW TARGET"
            print(
                f"  {name:<20} {f['rps']:>7.1f}/s  p50 {f['p50_ms']:>6.1f} ms  p99 {f['p99_ms']:>6.1f} ms  "
                f"1/{f['one_in']} of the floor (target 1/{f['target_one_in']}) {verdict}",
                file=sys.stderr,
            )
    summary = {
        "seconds_per_page": SECONDS,
        "floor_seconds": FLOOR_SECONDS,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "wall_seconds": round(time.monotonic() - started, 1),
        "targets_met": all(f["meets_target"] for run in results.values() for f in run["pages"].values()),
        **results,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
