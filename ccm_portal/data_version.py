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

import logging
import pickle
import re
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)
T = TypeVar("T")

VERSION_KEY = "portal:data-version"
TTL_SECONDS = 600
# Reads, and the statements that only frame a transaction: everything else writes.
_NOT_A_WRITE = re.compile(r"\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN|SET|SHOW|EXPLAIN)\b", re.IGNORECASE)
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
# and forgotten at the start of each request and after each write made here. Reading a version a moment old
# is as if the request had started a moment earlier; it never hides this process's own writes.
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


def cached(name: str, compute: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS) -> T:
    """``compute()``, or what it returned for the same ``name`` and the same data. ``name`` says all
    the result depends on besides the data (the day, the language, the page's query...)."""
    connection = connections[using]
    if not settings.CACHE_FIGURES or _wrote_uncommitted(connection):
        return compute()
    try:
        version = _current_version()
        key = f"portal:{connection.settings_dict['NAME']}:{version}:{name}"
        found = cache.get(key)
    except Exception:
        logger.exception("The cache could not be read")
        return compute()
    if found is not None:
        try:
            return pickle.loads(found)
        except Exception:  # filed by another version of the code
            pass
    value = compute()
    if version is not None and not _wrote_uncommitted(connection):
        try:
            cache.set(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL), timeout=TTL_SECONDS)
        except Exception:
            logger.exception("The cache could not be written")
    return value
