"""A version of the portal's data, so that figures computed from it can be cached and never read stale.

Every statement that writes to the database (anything but a read, except writes to the session
table) moves the version on, whichever code runs it: a service, the admin, a Celery task, a
QuerySet.update() or bulk_create(), a migration. Inside a transaction it moves on at the first
write and again when the transaction commits, so a figure computed from the data before the
commit, by this or any other process, is filed under a version that is already over. Cached
figures are keyed by the version (``cached``): after a write, the next read computes afresh.

A connection that has written in its open transaction neither reads nor files cached figures:
what it sees is not yet everyone's, and may be rolled back. A write made outside Django (psql)
is not seen; entries also expire after ``TTL_SECONDS`` to bound that. If the cache cannot be
reached, figures are computed as if nothing were cached. The version must be shared by every
process that writes (Redis): with no REDIS_URL nothing is cached (settings.CACHE_FIGURES).
"""

import functools
import hashlib
import logging
import pickle
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)
T = TypeVar("T")

VERSION_KEY = "portal:data-version"
TTL_SECONDS = 300
# Reads, and the statements that only frame a transaction: everything else writes.
# (A combined query may open with a parenthesis: "(SELECT ...) UNION (SELECT ...)".)
_NOT_A_WRITE = re.compile(
    r"[\s(]*(SELECT|VALUES|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN|SET|SHOW|EXPLAIN)\b", re.IGNORECASE
)
# A signed-in request may save its session: that changes no figure, and must not empty the cache.
_SESSION_WRITE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"django_session"', re.IGNORECASE)


def _is_write(sql: str) -> bool:
    return not _NOT_A_WRITE.match(sql) and not _SESSION_WRITE.match(sql)


def _bump() -> None:
    _forget_version()
    if not settings.CACHE_FIGURES:
        return
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # never set, or the cache was emptied: start from a value no entry was filed under
            cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:  # the cache is down: entries cannot be read either, and expire after TTL_SECONDS
        logger.exception("Could not move the data version on")


# The version read last in this thread, and when: reused for a second (a page asks for several cached figures),
# and forgotten at the start of each request and after each write made in this thread. Reading a version a
# moment old is as if the request had started a moment earlier; a user's next request reads it afresh.
_MEMO_SECONDS = 1.0
_memo = threading.local()


def _forget_version(**kwargs) -> None:
    _memo.version = None


def _current_version():
    version, read_at = getattr(_memo, "version", None), getattr(_memo, "read_at", 0.0)
    if version is not None and time.monotonic() - read_at < _MEMO_SECONDS:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        _bump()
        version = cache.get(VERSION_KEY)
    _memo.version, _memo.read_at = version, time.monotonic()
    return version


@functools.cache
def _code_stamp() -> str:
    """Which code filed an entry: a figure's shape or its template may change with a release, the data not."""
    root = Path(settings.BASE_DIR)
    files = [
        f
        for pattern in ("*.py", "*.html", "*.txt", "*.mo")  # .mo: a corrected translation changes pages too
        for f in root.rglob(pattern)
        if not f.relative_to(root).parts[0].startswith((".", "var", "tests", "node_modules"))
    ]
    stamp = hashlib.blake2b(digest_size=8)
    for f in sorted(files):
        info = f.stat()
        stamp.update(f"{f.relative_to(root)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return stamp.hexdigest()


def _wrote_uncommitted(connection) -> bool:
    """This connection has written in the transaction it has open (the bump waits for its commit)."""
    return connection.in_atomic_block and any(func is _bump for _, func, _ in connection.run_on_commit)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if _is_write(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            _bump()  # autocommit: the statement is committed already
        elif not _wrote_uncommitted(connection):
            _bump()
            connection.on_commit(_bump)
    return result


def watch_connection(sender, connection, **kwargs) -> None:
    """connection_created receiver: every statement of the connection goes through the write watch."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def on_request_started(**kwargs) -> None:
    """request_started receiver: each request reads the version afresh."""
    _forget_version()


_MISSING = object()


def _lookup(name: str, using: str) -> tuple[str | None, object]:
    """(the key to file ``name`` under, or None when nothing may be cached now; what is filed there, or _MISSING)"""
    connection = connections[using]
    if not settings.CACHE_FIGURES or _wrote_uncommitted(connection):
        return None, _MISSING
    try:
        key = f"portal:{connection.settings_dict['NAME']}:{_code_stamp()}:{_current_version()}:{name}"
        found = cache.get(key)
    except Exception:
        logger.exception("The cache could not be read")
        return None, _MISSING
    if found is None:
        return key, _MISSING
    try:
        return key, pickle.loads(found)
    except Exception:  # unreadable: filed by another version of a library
        return key, _MISSING


def _store(key: str, value, using: str) -> None:
    if _wrote_uncommitted(connections[using]):  # computed from what only this transaction sees
        return
    try:
        cache.set(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL), timeout=TTL_SECONDS)
    except Exception:
        logger.exception("The cache could not be written")


def cached(name: str, compute: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS) -> T:
    """``compute()``, or what it returned for the same ``name`` and the same data. ``name`` says all
    the result depends on besides the data (the day, the language, the page's query...)."""
    key, found = _lookup(name, using)
    if found is not _MISSING:
        return found
    value = compute()
    if key is not None:
        _store(key, value, using)
    return value


# A kept page carries no CSRF token: each reader gets their own where the form had one.
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf-token\x00"


def cached_page(
    request: HttpRequest, name: str, respond: Callable[[], HttpResponse], *, anonymous: bool = False
) -> HttpResponse:
    """A signed-in user's page as ``respond()`` made it for the same user, data, day, language and address.

    Only a plain 200 to a GET is kept; a page with a message to show is always made afresh. The forms of
    a kept page get the reader's CSRF token, as ``{% csrf_token %}`` would give it. A kept page is served
    only to the user it was made for, with the same data: what let them see it (their account, groups and
    permissions) is data too, so ``respond`` may hold the view's permission checks, which a kept page skips. With
    ``anonymous``, visitors who are not signed in share one copy (public pages).
    """
    signed_in = request.user.is_authenticated
    if request.method != "GET" or not (signed_in or anonymous) or len(get_messages(request)):
        return respond()
    if not signed_in and request.GET:
        # A visitor's copy is kept only for the plain address: anyone could otherwise fill the cache with
        # one copy per invented query string. Filtered lists are made for each visit.
        return respond()
    reader = request.user.pk if signed_in else "anonymous"  # a public page is the same for every visitor
    page = f"page:{name}:{reader}:{timezone.localdate()}:{translation.get_language()}:{request.get_full_path()}"
    key, found = _lookup(page, DEFAULT_DB_ALIAS)
    if found is not _MISSING:
        content, headers = found
        if _CSRF_PLACEHOLDER in content:
            content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
        return HttpResponse(content, headers=headers)
    response = respond()
    if key is not None and not response.streaming and response.status_code == 200:
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        # A page that sets a cookie of its own is made for this one visit (the CSRF cookie is the reader's).
        if not set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
            content = _CSRF_FIELD.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
            _store(key, (content, dict(response.headers)), DEFAULT_DB_ALIAS)
    return response
