import importlib
import io
import os
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter

from ccm_portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Every test starts in English and leaves no language behind.

    A request through LocaleMiddleware (or a test's own ``activate``) leaves its language active on the
    thread; the next test would then create rows under it, and modeltranslation would file an English name
    under ``name_zh_hans``.
    """
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _isolated_side_effects(settings, tmp_path):
    """Uploads go to a temporary folder, mail to the test outbox, tasks run in-process.

    The worker tests switch Celery back to the real broker themselves.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Real hashing costs ~0.3 s a user; tests check behaviour, not key stretching. Set here only, for every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def admin_user(db, django_user_model, django_username_field):
    """pytest-django's superuser, with the TOTP authenticator every staff account must have."""
    from tests.factories import give_two_factor

    user = django_user_model._default_manager.create_superuser(
        **{django_username_field: "admin", "email": "admin@example.com", "password": "password"}
    )
    give_two_factor(user)
    return user


@pytest.fixture
def secretariat(db):
    """A secretariat officer: staff, in the Secretariat group with its permissions (common.roles), with TOTP."""
    from django.contrib.auth.models import Group

    from common.roles import SECRETARIAT, roles_sync
    from tests.factories import UserFactory

    roles_sync()
    user = UserFactory(username="secretariat@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


@pytest.fixture
def pdf_bytes() -> bytes:
    """A small, real, one-page PDF."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def _chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system` (installs Debian's chromium).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(_chromium, request):
    """A page the size of a small phone. A screenshot is saved to test-artifacts/ when the test fails."""
    context = _chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


# --- browser journeys -------------------------------------------------------------------------------------------------
# A journey is one person's way through the portal in Chromium, asserting what they read at each
# step. Every step leaves a screenshot in test-artifacts/journeys/<test>/, kept whether or not the
# test passes, so a reviewer can look at what the user saw.

JOURNEYS = ARTIFACTS / "journeys"
NAVIGATION_TIMEOUT_MS = 15_000


@pytest.fixture
def _reference_data(transactional_db):
    """A transactional test that ran before this one emptied the tables, and may have skipped
    post_migrate: put back the content types, permissions, site and the two treaties (idempotent)."""
    from django.apps import apps as django_apps
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DEFAULT_DB_ALIAS

    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    importlib.import_module("treaties.migrations.0002_treaties").create_treaties(django_apps, None)


@pytest.fixture
def portal(settings, _reference_data, live_server):
    """Links in e-mails point at the live server; mail goes to the test outbox; a private cache
    keeps allauth's rate limits and used TOTP codes away from other test runs."""
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "journey"}}
    return live_server


@pytest.fixture
def demo_portal(portal):
    """The live portal with the demo data of `make run` (``manage.py load_demo``)."""
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    return portal


@pytest.fixture
def browser_page(_chromium, request):
    """Desktop-size pages, one browser context each (one per person). Screenshots go to test-artifacts/ on failure."""
    contexts = []

    def open_page(*, width: int = 1280, height: int = 900, mobile: bool = False):
        context = _chromium.new_context(
            viewport={"width": width, "height": height}, is_mobile=mobile, device_scale_factor=2 if mobile else 1
        )
        context.set_default_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}-{j}.png"), full_page=True)
    for context in contexts:
        context.close()


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")


@pytest.fixture
def step(request):
    """``step(page, "approved")`` keeps a full-page screenshot of what the user sees now, numbered in order."""
    folder = JOURNEYS / _safe_name(request.node.name)
    if folder.exists():
        for old in folder.glob("*.png"):
            old.unlink()
    counter = iter(range(1, 1000))

    def take(page, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{next(counter):02d}-{_safe_name(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def fresh_totp_code(secret: str | None = None) -> str:
    """The current code, taken early enough in its 30-second window to be accepted when it arrives."""
    from tests.factories import TOTP_TEST_SECRET, totp_code

    if 30 - time.time() % 30 < 4:
        time.sleep(30 - time.time() % 30 + 0.5)
    return totp_code(secret or TOTP_TEST_SECRET)


def user_totp_secret(email: str) -> str:
    """The TOTP secret of an account, e.g. a demo account whose secret load_demo chose at random."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    return get_adapter().decrypt(authenticator.data["secret"])


def sign_in(page, base_url: str, *, email: str, password: str, totp_secret: str | None = None) -> None:
    """Sign in through allauth's pages as a person does: password, then the TOTP code when asked."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    if "/accounts/2fa/authenticate/" in page.url:
        page.get_by_label("Code").fill(fresh_totp_code(totp_secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name=re.compile("Sign out|Log out", re.I)).first).to_be_attached()
