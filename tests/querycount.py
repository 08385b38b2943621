"""Query-count guards: a page (or a function) runs the same number of queries with one row as with many.

    def test_participants_at_600_members(client):
        ... one delegation of one member ...
        assert_constant_queries(lambda: client.get(url), grow=lambda: add_members(599))

``run`` is called once to warm up (session, content types, the site, allauth's caches), once with
the small data, then ``grow`` adds rows and ``run`` is called again. A response must be 200 each
time, so a page that fails or refuses cannot pass for constant. On failure the message shows the
statements that were repeated more with the large data: the N+1 to fix.
"""

import re
from collections import Counter
from collections.abc import Callable

from django.db import connection
from django.http import HttpResponseBase
from django.test.utils import CaptureQueriesContext

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def shape(sql: str) -> str:
    """The statement with its literal values taken out, so the same query for another row counts as the same."""
    return _LITERALS.sub("?", sql)


def captured(run: Callable[[], object]) -> tuple[list[str], object]:
    """The SQL ``run`` executes, and what it returned (a 200 if it is a response)."""
    with CaptureQueriesContext(connection) as queries:
        result = run()
    if isinstance(result, HttpResponseBase):
        assert result.status_code == 200, f"the page answered {result.status_code}, not 200"
        if result.streaming:
            b"".join(result.streaming_content)
    return [q["sql"] for q in queries.captured_queries], result


def assert_constant_queries(
    run: Callable[[], object], *, grow: Callable[[], object], check: Callable[[object, object], None] | None = None
) -> int:
    """Fail unless ``run`` takes as many queries after ``grow`` as before; return that number.

    ``check(small_result, large_result)`` may assert that the large run really shows more rows.
    """
    run()
    small, small_result = captured(run)
    grow()
    large, large_result = captured(run)
    if check is not None:
        check(small_result, large_result)
    if len(small) != len(large):
        before, after = Counter(map(shape, small)), Counter(map(shape, large))
        grown = [f"  {after[s] - before[s]:+d} × {s[:300]}" for s in after if after[s] != before[s]]
        raise AssertionError(
            f"{len(small)} queries with the small data, {len(large)} with the large data. Repeated more:\n"
            + "\n".join(grown)
        )
    return len(small)


# --- growing the data fast --------------------------------------------------------------------------------------------


def many_states(count: int, *, prefix: str = "Q"):
    """``count`` new States in one statement (codes ``QAA``, ``QAB``…), clear of the codes already taken."""
    from treaties.models import State

    taken = {code for row in State.objects.values_list("iso2", "iso3", "iso_numeric", "name_en") for code in row}
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    pairs = (a + b for a in letters for b in letters)
    numbers = (f"{n:03d}" for n in range(1000))
    states = []
    for pair in pairs:
        if len(states) == count:
            break
        iso3, name = f"{prefix}{pair}", f"{prefix}-land {pair}"
        if {pair, iso3, name} & taken:
            continue
        number = next(n for n in numbers if n not in taken)
        states.append(State(iso2=pair, iso3=iso3, iso_numeric=number, name_en=name))
    assert len(states) == count, "not enough free State codes"
    return State.objects.bulk_create(states)
