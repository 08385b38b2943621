"""Every page of the portal, as each role, with the full demo data: no 500, and exactly the status the
permission matrix gives (tests/crawl.py derives it from common.roles and the apps' permissions.py).

The demo is loaded once for this module inside a transaction that is rolled back at the end, so no row
reaches the other tests. Each request runs in its own savepoint, rolled back too: a failing page cannot
spoil the next, and a GET that writes cannot change what the next one sees.
"""

import io
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.template import Template
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from ccm_portal.celery import app as celery_app
from demo.loader import DEMO_ACCOUNTS
from tests import crawl
from tests.csp import is_strict
from tests.factories import give_two_factor

pytestmark = pytest.mark.django_db

DEMO_USERS = {
    "focal point": "focalpoint@ccm-portal.localhost",
    "presidency": "presidency@ccm-portal.localhost",
    "secretariat": "secretariat@ccm-portal.localhost",
}


@dataclass
class Demo:
    users: dict
    media_root: Path
    private_root: Path


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """``manage.py load_demo`` once for the module, and a superuser; all rolled back at the module's end."""
    root = tmp_path_factory.mktemp("crawl")
    media, private = root / "media", root / "private"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    quick_hash = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=private, PASSWORD_HASHERS=quick_hash),
        transaction.atomic(),
    ):
        try:
            call_command("load_demo", stdout=io.StringIO())
            accounts = get_user_model().objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])
            by_email = {user.email: user for user in accounts}
            superuser = get_user_model().objects.create_superuser(
                "root@ccm-portal.localhost", "root@ccm-portal.localhost", "demo-superuser-2026"
            )
            give_two_factor(superuser)
            users = {role: by_email[email] for role, email in DEMO_USERS.items()}
            users |= {"anonymous": AnonymousUser(), "superuser": superuser}
            yield Demo(users, media, private)
        finally:
            transaction.set_rollback(True)
            celery_app.conf.task_always_eager = eager
    # Caches that may hold rows of the rolled-back demo.
    ContentType.objects.clear_cache()
    Site.objects.clear_cache()
    cache.clear()


@pytest.fixture
def as_role(demo, client, settings, monkeypatch):
    """A test client signed in as the role (nobody for "anonymous"), with the demo's files in place."""
    settings.MEDIA_ROOT = demo.media_root
    settings.PRIVATE_MEDIA_ROOT = demo.private_root
    # The test runner wraps template rendering to record every context for response.context; the crawl
    # reads statuses only, and the recording was a third of its time.
    monkeypatch.setattr(Template, "_render", _render_unrecorded)

    def sign_in(role: str):
        user = demo.users[role]
        if user.is_authenticated:
            crawl.sign_in(client, user)
        return client, user

    return sign_in


def _render_unrecorded(template: Template, context) -> str:
    """Django's own Template._render, which the test runner replaces with a recording one."""
    return template.nodelist.render(context)


def _get(client, url: str) -> tuple[int, str]:
    """The status of a GET, and what went wrong when the view raised (the 500 a visitor would get) or when the
    response lacks the strict Content-Security-Policy (reported as status 0: every page, every status, has it)."""
    try:
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
    except Exception as error:  # the test client re-raises what the view raised: a 500 for a visitor
        return 500, f"{type(error).__name__}: {error}"
    if response.streaming:
        # Read a download to its end, as a browser does: that closes its file (closing the response
        # directly would also close the database connection, and with it the demo's transaction).
        b"".join(response.streaming_content)
    if not is_strict(response):
        return 0, f"no strict Content-Security-Policy: {response.get('Content-Security-Policy')!r}"
    return response.status_code, response.get("Location", "")


def _crawl(role: str, kind: str, client, requests: list[tuple[str, int, str]]) -> None:
    """GET each (url, expected status, matrix entry); fail with every difference the matrix does not know."""
    known = [k for k in crawl.KNOWN_WRONG if role in k.roles]
    matched, seen = set(), set()
    wrong, timings = [], []
    started_crawl = time.process_time()
    for url, expected, source in requests:
        started = time.perf_counter()
        status, detail = _get(client, url)
        timings.append((time.perf_counter() - started, url))
        path = url.partition("?")[0]
        for entry in known:
            if re.fullmatch(entry.path, path):
                matched.add(entry)
        if status == expected:
            continue
        excuse = next((k for k in known if k.status == status and re.fullmatch(k.path, path)), None)
        if excuse:
            seen.add(excuse)
            continue
        wrong.append(f"GET {url} gave {status}, expected {expected} ({source}){': ' + detail if detail else ''}")
    wall, cpu = sum(t for t, _ in timings), time.process_time() - started_crawl
    slowest = ", ".join(f"{url} {t:.2f} s" for t, url in sorted(timings, reverse=True)[:3])
    print(f"\n{role}, {kind}: {len(requests)} requests in {wall:.1f} s ({cpu:.1f} s of CPU); slowest: {slowest}")
    fixed = [f"{k.path} ({k.why})" for k in matched - seen]
    assert not wrong, f"{len(wrong)} of {len(requests)} {kind} differ from the permission matrix as {role}:\n" + (
        "\n".join(wrong)
    )
    assert not fixed, f"KNOWN_WRONG in tests/crawl.py: these pages are right now, remove their entries: {fixed}"


def _url(name: str, case: crawl.Case, table: str) -> str:
    try:
        url = reverse(name, kwargs=case.kwargs)
    except NoReverseMatch:
        pytest.fail(f"{table}[{name!r}] in tests/crawl.py: its cases do not fill the URL's parameters")
    return f"{url}?{case.query}" if case.query else url


# --- the matrix covers every URL -------------------------------------------------------------------------------------


def test_every_portal_url_has_an_entry_saying_who_may_see_it():
    missing = [
        f"{r.name} ({r.pattern}): add PORTAL_VIEWS[{r.name!r}] in tests/crawl.py: Entry(rule, cases), the rule from "
        "the app's permissions.py saying who may see it"
        + (f", the cases filling {', '.join(r.params)} from the demo data" if r.params else "")
        for r in crawl.portal_routes()
        if r.name not in crawl.PORTAL_VIEWS
    ]
    gone = sorted(set(crawl.PORTAL_VIEWS) - {r.name for r in crawl.portal_routes()})
    assert not missing, "Portal URLs the crawl does not know:\n" + "\n".join(missing)
    assert not gone, f"PORTAL_VIEWS in tests/crawl.py names URLs that no longer exist: {gone}"


def test_every_admin_url_has_an_entry_saying_who_may_see_it():
    standard = crawl.standard_admin_names()
    missing = [
        f"{r.name} ({r.pattern}): add ADMIN_VIEWS[{r.name!r}] in tests/crawl.py: Entry(rule, cases), the rule "
        "saying who may see it (ROLE_PERMISSIONS or the app's permissions.py)"
        + (f", the cases filling {', '.join(r.params)} from the demo data" if r.params else "")
        for r in crawl.admin_routes()
        if r.name not in standard and crawl.admin_entry(r.name) is None
    ]
    gone = sorted(set(crawl.ADMIN_VIEWS) - {r.name for r in crawl.admin_routes()})
    assert not missing, "Admin URLs the crawl does not know:\n" + "\n".join(missing)
    assert not gone, f"ADMIN_VIEWS in tests/crawl.py names URLs that no longer exist: {gone}"


def test_an_admin_model_no_role_is_granted_is_left_to_the_superuser_on_purpose():
    granted = {key for grants in crawl.ROLE_PERMISSIONS.values() for key in grants}
    keys = {(m._meta.app_label, m._meta.model_name) for m in admin.site._registry}
    unlisted = sorted(keys - granted - crawl.SUPERUSER_ONLY)
    assert not unlisted, (
        "Admin models no role may see: grant them in common/roles.py, or list them in SUPERUSER_ONLY in "
        f"tests/crawl.py: {unlisted}"
    )


# --- the crawl --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", crawl.ROLES)
def test_portal_pages_as(role, as_role):
    client, user = as_role(role)
    requests = []
    for route in crawl.portal_routes():
        entry = crawl.PORTAL_VIEWS[route.name]
        for case in entry.cases():
            url = _url(route.name, case, "PORTAL_VIEWS")
            requests.append((url, entry.rule(user, role=role, **case.objs), f"PORTAL_VIEWS[{route.name!r}]"))
    _crawl(role, "portal pages", client, requests)


@pytest.mark.parametrize("role", crawl.ROLES)
def test_admin_pages_as(role, as_role):
    client, user = as_role(role)
    requests = []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        source = f"ROLE_PERMISSIONS[{crawl.model_key(model)}]"
        for page in ("changelist", "add"):
            requests.append((reverse(f"{info}_{page}"), crawl.admin_model_page(role, user, model, page), source))
        for obj in crawl.sample(model):
            expected = crawl.admin_model_page(role, user, model, "change", obj)
            requests.append((reverse(f"{info}_change", args=[obj.pk]), expected, source))
    for route in crawl.admin_routes():
        entry = crawl.admin_entry(route.name)
        if entry is None:
            continue  # a model page crawled above, or one test_every_admin_url_has_an_entry… reports
        for case in entry.cases():
            url = _url(route.name, case, "ADMIN_VIEWS")
            requests.append((url, entry.rule(user, role=role, **case.objs), f"ADMIN_VIEWS[{route.name!r}]"))
    _crawl(role, "admin pages", client, requests)
