"""The project's setup: settings defaults, production hardening, compose file, Celery round trip."""

import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PORTAL_VARS = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "EMAIL_URL"}


def _clean_env(**extra: str) -> dict[str, str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a deployment never has it.
    dropped = PORTAL_VARS | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return env | extra


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy():
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="ccm_portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL="postgres://portal:secret@db.example.org:5432/portal",
        REDIS_URL="redis://cache.example.org:6379/0",
        EMAIL_URL="smtp://mailer.example.org:587",
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key():
    env = _clean_env(DJANGO_SETTINGS_MODULE="ccm_portal.settings.production", ALLOWED_HOSTS="portal.example.org")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_defaults_run_with_nothing_set():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from ccm_portal.celery import app; "
        "print(s.DATABASES['default']['ENGINE'], app.conf.task_always_eager, s.EMAIL_BACKEND, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_clean_env(DJANGO_SETTINGS_MODULE="ccm_portal.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.filebased.EmailBackend",
        "True",
    ]


def test_compose_file_runs_every_service_from_the_same_variables():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "mailpit"}
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A ccm_portal worker")
    assert services["beat"]["command"].startswith("celery -A ccm_portal beat")
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env.keys() >= PORTAL_VARS, f"{name} lacks {PORTAL_VARS - env.keys()}"
        assert env["DJANGO_SETTINGS_MODULE"] == "ccm_portal.settings.production"
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert env["EMAIL_URL"] == "smtp://mailpit:1025"
        assert set(services[name]["depends_on"]) == {"postgres", "redis"}
    assert (ROOT / "Dockerfile").is_file()


def test_compose_keeps_uploaded_files_on_volumes_that_web_and_worker_share():
    """Credentials under PRIVATE_MEDIA_ROOT were on no volume: lost with the container, unseen by the worker."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    named = set(compose["volumes"])
    for name in ("web", "worker", "beat"):
        service = compose["services"][name]
        mounts = dict(reversed(volume.split(":")[:2]) for volume in service["volumes"])
        for variable in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
            folder = service["environment"][variable]
            assert mounts.get(folder) in named, f"{name}: {variable}={folder} is on no named volume"
    assert "/app/var/private" in (ROOT / "Dockerfile").read_text()  # created for the portal user to write in


def test_makefile_has_the_everyday_targets():
    text = (ROOT / "Makefile").read_text()
    for target in ("run", "test", "lint", "fmt", "worker"):
        assert f"\n{target}:" in text


@pytest.mark.worker
def test_celery_round_trip_through_a_real_worker():
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        if os.environ.get("CI"):
            pytest.fail("CI must export REDIS_URL so the worker test runs.")
        pytest.skip("REDIS_URL is not set")
    from ccm_portal.celery import app, task_ping

    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "ccm_portal",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env=_clean_env(DJANGO_SETTINGS_MODULE="ccm_portal.settings", REDIS_URL=redis_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        result = task_ping.apply_async(args=["across the broker"], queue=queue)
        assert result.get(timeout=60) == "across the broker"
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert worker.returncode is not None, output
