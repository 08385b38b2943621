"""Pages kept until the data changes (ccm_portal/kept_pages.py), as a visitor and a focal point meet them.

These tests commit (transactional_db): a kept page is filed only when every connection can see its data.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver

from ccm_portal.kept_pages import KEPT_PAGES
from tests.factories import MeetingFactory

from .conftest import START, delegation_url, formset_data, row


@pytest.fixture(autouse=True)
def _pages_kept(settings, transactional_db, _reference_data):
    settings.CACHE_FIGURES = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"}}


def _url_names(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield prefix + pattern.name


def test_every_kept_page_is_a_page_of_the_portal():
    assert set(KEPT_PAGES) <= set(_url_names(get_resolver().url_patterns))


def _get(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_visitor_is_served_the_kept_list_and_sees_a_new_meeting_at_the_next_request(client, meeting):
    first, _ = _get(client, "/en/meetings/")
    kept, queries = _get(client, "/en/meetings/")
    assert first.status_code == kept.status_code == 200
    assert meeting.title in kept.text and queries == 0  # a visitor has no session: nothing read at all

    MeetingFactory(title="Meeting added this minute", start_date=START)

    assert "Meeting added this minute" in client.get("/en/meetings/").text


def test_a_focal_point_sees_what_they_saved_at_the_next_request(login, focal_a, meeting, state_a):
    client = login(focal_a)
    url = delegation_url(meeting, state_a)
    assert "Not registered yet" in client.get(url).text
    kept, queries = _get(client, url)
    assert "Not registered yet" in kept.text and queries <= 2  # the session and the user, nothing of the page

    saved = client.post(url, formset_data([row("Okonkwo", "Amara", role="head", title="H.E.")]), follow=True)

    assert "Okonkwo" in saved.text and "Not registered yet" not in saved.text
    again = client.get(url)
    assert "Okonkwo" in again.text and 'name="csrfmiddlewaretoken"' in again.text


def test_another_focal_point_is_never_served_the_first_ones_page(login, focal_a, focal_b, meeting, state_a):
    url = delegation_url(meeting, state_a)
    assert login(focal_a).get(url).status_code == 200

    assert login(focal_b).get(url).status_code == 404  # not theirs: the kept copy is focal_a's alone


def test_a_visitors_query_string_is_never_kept(client, meeting):
    """Anyone could otherwise fill the cache with one copy per invented address."""
    client.get("/en/meetings/?invented=1")
    _, queries = _get(client, "/en/meetings/?invented=1")
    assert queries > 0
