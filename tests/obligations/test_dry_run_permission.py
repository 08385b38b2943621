"""The reminder dry run lists States' overdue reports and the notes that would go out: it follows the
reminder stages' own permission, not merely "staff"."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from common.roles import PRESIDENCY, roles_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/obligations/reminderstage/dry-run/"


@pytest.fixture(autouse=True)
def _roles():
    roles_sync()


def test_the_url_is_the_stages_dry_run():
    assert reverse("admin:obligations_reminder_dry_run") == URL


def test_staff_without_the_stages_view_permission_are_refused(client):
    presidency = UserFactory(is_staff=True)
    presidency.groups.add(Group.objects.get(name=PRESIDENCY))
    client.force_login(presidency)
    assert client.get(reverse("admin:obligations_reminderstage_changelist")).status_code == 403
    assert client.get(URL).status_code == 403


def test_staff_who_may_view_the_stages_see_the_dry_run(client):
    officer = UserFactory(is_staff=True)
    officer.user_permissions.add(Permission.objects.get(codename="view_reminderstage"))
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Reminders that would be sent on" in response.content.decode()
