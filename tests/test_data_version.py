"""Cached figures (common/data_version.py): computed once per change of the data, never read stale.

These tests commit (transactional_db): the cache only serves what every connection can see.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.data_version import cached, cached_page
from common.roles import SECRETARIAT
from registration.models import Delegation
from tests.factories import MeetingFactory, StateFactory, UserFactory


@pytest.fixture(autouse=True)
def _figures_cached(settings, _reference_data):
    settings.CACHE_FIGURES = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures"}}


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


def _to_review(html: str) -> int:
    """The dashboard tile's count of delegations waiting for review."""
    before, _ = html.split('<span class="board-label">Delegations to review</span>')
    return int(before.rsplit('<span class="board-number">', 1)[1].split("<")[0])


def _get(client, url: str):
    """The page, and what it read besides the user and the session (from Redis or the database, as settings say)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    own = {'"django_session"', '"auth_user"'}
    return response, [q["sql"] for q in queries.captured_queries if not own & set(q["sql"].split())]


def test_the_dashboard_is_computed_once_and_again_after_any_write(secretariat_client, secretariat):
    meeting = MeetingFactory()
    delegation = Delegation.objects.create(meeting=meeting, state=StateFactory(), created_by=secretariat)
    first = secretariat_client.get("/admin/")
    assert first.status_code == 200 and _to_review(first.text) == 0
    # Read again: the page, the figures, the permissions and the role come from the cache.
    assert _get(secretariat_client, "/admin/")[1] == []

    # A write the services do not make (a bulk update) is seen all the same, at the next visit.
    Delegation.objects.filter(pk=delegation.pk).update(status=Delegation.Status.SUBMITTED)
    assert _to_review(secretariat_client.get("/admin/").text) == 1

    # And a write inside a transaction, once it commits.
    with transaction.atomic():
        Delegation.objects.create(
            meeting=meeting, state=StateFactory(), created_by=secretariat, status=Delegation.Status.SUBMITTED
        )
    assert _to_review(secretariat_client.get("/admin/").text) == 2


def test_what_a_transaction_has_not_committed_is_neither_read_from_nor_put_in_the_cache(secretariat):
    calls = []

    def count_delegations() -> int:
        calls.append(1)
        return Delegation.objects.count()

    assert cached("test:delegations", count_delegations) == 0
    assert cached("test:delegations", count_delegations) == 0
    assert len(calls) == 1
    with transaction.atomic():
        Delegation.objects.create(meeting=MeetingFactory(), state=StateFactory(), created_by=secretariat)
        assert cached("test:delegations", count_delegations) == 1  # its own write, computed
        assert cached("test:delegations", count_delegations) == 1  # and not kept for others
        assert len(calls) == 3
        transaction.set_rollback(True)
    assert cached("test:delegations", count_delegations) == 0
    assert len(calls) == 4


def test_a_signed_in_request_saving_its_session_leaves_the_figures_cached(secretariat_client):
    calls = []
    cached("test:calls", lambda: calls.append(1))
    secretariat_client.get("/admin/")  # saves the session (the two-factor check is remembered in it)
    cached("test:calls", lambda: calls.append(1))
    assert len(calls) == 1


def test_a_secretariat_officer_removed_from_the_role_loses_it_at_the_next_request(secretariat_client, secretariat):
    report = reverse("registration:credentials_report", args=[MeetingFactory().slug])
    for _ in range(2):  # the second time from the cache: the permissions, and the kept report
        assert secretariat_client.get("/admin/obligations/reportsubmission/").status_code == 200
        assert secretariat_client.get(report).status_code == 200
    secretariat.groups.clear()
    assert secretariat_client.get("/admin/obligations/reportsubmission/").status_code == 403
    assert secretariat_client.get(report).status_code == 403
    response = secretariat_client.get("/admin/")
    assert "dashboard" not in response.context and "Secretariat" not in response.text


# --- pages kept for their reader (cached_page) ------------------------------------------------------------------------

DELEGATIONS = "/admin/registration/delegation/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_delegations_list_is_kept_for_its_reader_with_the_readers_csrf_token(secretariat):
    delegation = Delegation.objects.create(
        meeting=MeetingFactory(), state=StateFactory(), created_by=secretariat, status=Delegation.Status.SUBMITTED
    )
    # The same officer at the office and on another computer: two CSRF secrets (signing in is a write: first).
    at_the_office, client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    at_the_office.force_login(secretariat)
    client.force_login(secretariat)
    client.get("/no-such-page/")  # its session notes the second factor once
    assert at_the_office.get(DELEGATIONS).status_code == 200
    # On the other computer, the page as it was made at the office.
    kept, queries = _get(client, DELEGATIONS)
    assert queries == []  # the page is kept
    assert kept.text.count('<td class="field-status">Submitted</td>') == 1

    # The kept page's form is the reader's: its action goes through the CSRF check.
    (token,) = set(CSRF_FIELD.findall(kept.text))
    response = client.post(
        DELEGATIONS,
        {"action": "approve", "_selected_action": [delegation.pk], "csrfmiddlewaretoken": token},
        follow=True,
    )
    assert response.status_code == 200
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.APPROVED
    # The list after the action is made afresh: with the message, and the new status.
    assert "1 delegation(s) approved; the focal points were e-mailed." in response.text
    assert '<td class="field-status">Approved</td>' in response.text


def test_each_reader_has_their_own_page(secretariat, client):
    secretariat.first_name = "Amina"
    secretariat.save()
    other = UserFactory(username="second.officer@example.org", first_name="Bruno", is_staff=True)
    other.groups.add(Group.objects.get(name=SECRETARIAT))
    for user in (secretariat, other, secretariat, other):  # the second round is kept
        client.force_login(user)
        signed_in_as = re.findall(r"Signed in as <strong>([^<]+)</strong>", client.get("/admin/").text)
        assert signed_in_as == [user.get_full_name()]


def test_a_kept_download_keeps_its_headers(secretariat, rf):
    def respond():
        response = HttpResponse(b"a;b\n", content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="shares.csv"'
        return response

    request = rf.get("/shares/?format=csv")
    request.user, request._messages = secretariat, []
    first, second = (cached_page(request, "test-download", respond) for _ in range(2))
    assert (second.content, second["Content-Type"], second["Content-Disposition"]) == (
        b"a;b\n",
        "text/csv",
        'attachment; filename="shares.csv"',
    )
    assert second is not first
