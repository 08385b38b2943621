"""Importing into the registry writes rows: only a role granted "add" may, not one that only views it."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.roles import PRESIDENCY, SECRETARIAT, roles_sync
from tests.factories import UserFactory
from tests.treaties.factories import csv_bytes
from treaties.models import State

pytestmark = pytest.mark.django_db


def _client_as(client, role: str):
    roles_sync()
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


STATES_CSV = csv_bytes(["iso2", "iso3", "iso_numeric", "name_en"], [["XQ", "XQQ", "998", "Testland Import"]])


@pytest.mark.parametrize("model", ["state", "organisation", "permanentmission", "participation"])
def test_the_presidency_views_the_registry_but_may_not_import_into_it(client, model):
    presidency = _client_as(client, PRESIDENCY)
    assert presidency.get(reverse(f"admin:treaties_{model}_changelist")).status_code == 200
    assert presidency.get(reverse(f"admin:treaties_{model}_export")).status_code == 200
    assert presidency.get(reverse(f"admin:treaties_{model}_import")).status_code == 403


def test_an_import_posted_by_the_presidency_is_refused_and_writes_nothing(client):
    presidency = _client_as(client, PRESIDENCY)
    upload = SimpleUploadedFile("states.csv", STATES_CSV, content_type="text/csv")
    response = presidency.post(reverse("admin:treaties_state_import"), {"format": "0", "import_file": upload})
    assert response.status_code == 403
    confirm = {"import_file_name": "x.csv", "original_file_name": "states.csv", "format": "0", "resource": "0"}
    assert presidency.post(reverse("admin:treaties_state_process_import"), confirm).status_code == 403
    assert not State.objects.filter(iso3="XQQ").exists()


@pytest.mark.parametrize("model", ["state", "organisation", "permanentmission", "participation"])
def test_the_secretariat_imports_and_exports_the_registry(client, model):
    secretariat = _client_as(client, SECRETARIAT)
    assert secretariat.get(reverse(f"admin:treaties_{model}_import")).status_code == 200
    assert secretariat.get(reverse(f"admin:treaties_{model}_export")).status_code == 200


def test_a_staff_member_with_no_role_may_neither_import_nor_export(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:treaties_state_import")).status_code == 403
    assert client.get(reverse("admin:treaties_state_export")).status_code == 403
