"""Staff must have TOTP (ccm_portal.mfa): checked in the database once per session, not on every request,
and checked again once the user deactivates it."""

import pytest
from allauth.mfa.base.internal.flows import delete_and_cleanup
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.roles import SECRETARIAT, roles_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/register/"


@pytest.fixture
def staff(client):
    roles_sync()
    user = UserFactory(is_staff=True)  # with a TOTP authenticator
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    client.force_login(user)
    return user


def _authenticator_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return sum('"mfa_authenticator"' in q["sql"] for q in queries.captured_queries)


def test_the_authenticator_is_looked_up_once_per_session(client, staff):
    assert _authenticator_queries(client) == 1
    assert _authenticator_queries(client) == 0
    assert _authenticator_queries(client) == 0


def test_a_staff_member_who_deactivates_totp_is_sent_to_set_it_up_again(client, staff):
    assert client.get(PAGE).status_code == 200
    request = RequestFactory().post(reverse("mfa_deactivate_totp"))
    request.user, request.session = staff, client.session
    delete_and_cleanup(request, Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP))
    request.session.save()

    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_new_staff_member_without_totp_is_sent_to_set_it_up_on_every_page(client):
    user = UserFactory(is_staff=True, two_factor=False)
    client.force_login(user)
    for _ in range(2):
        response = client.get(PAGE)
        assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))
