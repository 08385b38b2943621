"""The registration pages as a focal point and the secretariat use them, and the admin's review actions."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registration import services
from registration.models import Credentials, Delegation, FocalPoint, Member

from .conftest import (
    delegation_url,
    formset_data,
    head,
    png_bytes,
    register,
    row,
    team,
    upload,
    upload_url,
)


def fieldsets(response) -> list[str]:
    """The HTML of each member's block, in order (the hidden template for new rows excluded)."""
    text = response.content.decode()
    text = text.split('<template id="member-template">')[0]
    return text.split('<fieldset class="member">')[1:]


def flashed(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the delegation form ----------------------------------------------------------------------------------------------


def test_focal_point_registers_through_the_page(login, focal_a, meeting, state_a):
    client = login(focal_a)
    url = delegation_url(meeting, state_a)

    page = client.get(url)
    assert page.status_code == 200
    assert b"Not registered yet" in page.content
    # A new list starts with one row, already marked as head; "Add member" adds the others.
    (first,) = fieldsets(page)
    assert 'value="head" selected' in first
    assert b'id="add-member"' in page.content and b'id="member-template"' in page.content

    response = client.post(
        url,
        formset_data(
            [
                row("Okonkwo", "Amara", role="head", title="H.E.", position="Ambassador", gender="f"),
                row("Lindqvist", "Brigitta", title="Ms.", role="alternate"),
            ]
        ),
        follow=True,
    )

    assert response.redirect_chain == [(url, 302)]
    assert "Saved. Submit the delegation when the list is complete." in flashed(response)
    delegation = Delegation.objects.get(meeting=meeting, state=state_a)
    assert list(delegation.members.values_list("family_name", "role", "position")) == [
        ("Okonkwo", "head", "Ambassador"),
        ("Lindqvist", "alternate", ""),
    ]
    assert 'name="version" value="1"' in response.content.decode()
    assert b"Category</dt><dd>States Parties" in response.content


def test_save_and_submit(login, focal_a, meeting, state_a, delegation_a):
    response = login(focal_a).post(
        delegation_url(meeting, state_a),
        formset_data([row("Okonkwo", "Amara", role="head")], version="1", submit="1"),
        follow=True,
    )

    assert "Submitted to the secretariat. You will get an e-mail now and when it is reviewed." in flashed(response)
    delegation_a.refresh_from_db()
    assert delegation_a.status == Delegation.Status.SUBMITTED
    # Submitted, the list is shown but not editable by the focal point.
    assert b'id="members-form"' not in response.content and b"Submitted" in response.content


def test_second_head_is_shown_next_to_the_field_and_what_was_typed_is_kept(login, focal_a, meeting, state_a):
    typed = [
        row("Okonkwo", "Amara", role="head", position="Ambassador", email="amara@example.org"),
        row("Lindqvist", "Brigitta", role="head", title="Ms.", position="Counsellor"),
        row("Novak", "Petra", role="expert", title="Dr.", position="Legal adviser"),
    ]

    response = login(focal_a).post(delegation_url(meeting, state_a), formset_data(typed))

    assert response.status_code == 200
    assert "Some entries need your attention; nothing was saved yet." in flashed(response)
    first, second, third = fieldsets(response)
    error = "There is already a head of delegation; choose another role."
    assert error in second and error not in first and error not in third
    assert second.index('name="members-1-role"') < second.index(error) < second.index('name="members-1-position"')
    text = response.content.decode()
    for value in ("Okonkwo", "Amara", "Ambassador", "amara@example.org", "Lindqvist", "Counsellor", "Novak"):
        assert f'value="{value}"' in text, value
    assert 'value="Legal adviser"' in third
    assert 'value="expert" selected' in third and 'value="Dr." selected' in third
    assert not Delegation.objects.exists()


def test_the_same_person_twice_is_shown_next_to_the_name(login, focal_a, meeting, state_a):
    response = login(focal_a).post(
        delegation_url(meeting, state_a),
        formset_data([row("Okonkwo", "Amara", role="head"), row("OKONKWO", "amara")]),
    )

    first, second = fieldsets(response)
    assert "This person is already listed." in second and "This person is already listed." not in first
    assert not Delegation.objects.exists()


def test_missing_head_is_explained(login, focal_a, meeting, state_a):
    response = login(focal_a).post(
        delegation_url(meeting, state_a), formset_data([row("Okonkwo", "Amara"), row("Lindqvist", "Brigitta")])
    )

    assert b"Mark one member as head of delegation." in response.content
    assert b'value="Lindqvist"' in response.content
    assert not Delegation.objects.exists()


def test_an_empty_list_is_refused(login, focal_a, meeting, state_a):
    response = login(focal_a).post(delegation_url(meeting, state_a), formset_data([]))
    assert b"Add at least one member." in response.content
    assert not Delegation.objects.exists()


def test_only_the_meeting_days_are_offered_and_others_refused(login, focal_a, meeting, state_a):
    client = login(focal_a)
    url = delegation_url(meeting, state_a)
    days = [(meeting.start_date + dt.timedelta(days=n)).isoformat() for n in range(4)]

    offered = re.findall(r'name="members-0-days" value="([0-9-]+)"', client.get(url).content.decode())
    assert offered == days

    before = (meeting.start_date - dt.timedelta(days=1)).isoformat()
    refused = client.post(url, formset_data([row("Okonkwo", role="head", days=[days[0], before])]))
    assert f"Select a valid choice. {before} is not one of the available choices." in fieldsets(refused)[0]
    assert not Delegation.objects.exists()

    client.post(url, formset_data([row("Okonkwo", role="head", days=[days[2], days[0]])]))
    assert Member.objects.get().days == [days[0], days[2]]


def test_another_focal_point_saved_first(login, focal_a, focal_a2, meeting, state_a, delegation_a):
    url = delegation_url(meeting, state_a)
    login(focal_a2).post(url, formset_data([row("Novak", "Petra", role="head")], version="1"))

    response = login(focal_a).post(url, formset_data([row("Mine", "Only", role="head")], version="1"))

    message = next(
        m for m in flashed(response) if m.startswith("Another focal point changed the delegation of Arcadia")
    )
    # Nothing this user typed is lost; the other version is named, and saving again now overwrites it knowingly.
    assert "Their list: Mr. Petra NOVAK" in message
    assert b'value="Mine"' in response.content and b'name="version" value="2"' in response.content
    assert list(Member.objects.values_list("family_name", flat=True)) == ["Novak"]


def test_submit_button_without_a_head_is_refused(login, focal_a, meeting, state_a):
    services.delegation_save(meeting=meeting, user=focal_a, members=[], state=state_a)
    response = login(focal_a).post(delegation_url(meeting, state_a), {"submit": "1"}, follow=True)

    assert "Add the members of the delegation before submitting." in flashed(response)
    assert Delegation.objects.get().status == Delegation.Status.DRAFT


def test_returned_delegation_shows_the_reason_and_can_be_corrected(
    login, focal_a, secretariat, meeting, state_a, delegation_a
):
    services.delegation_submit(delegation=delegation_a, user=focal_a)
    services.delegation_decide(delegation=delegation_a, by=secretariat, approve=False, reason="Add the head's title")

    page = login(focal_a).get(delegation_url(meeting, state_a))

    assert b"Returned by the secretariat: Add the head&#x27;s title" in page.content
    assert b'id="members-form"' in page.content


# --- credentials upload -----------------------------------------------------------------------------------------------


def test_a_png_named_pdf_shows_the_message_and_keeps_the_members(login, focal_a, meeting, state_a, delegation_a):
    response = login(focal_a).post(
        upload_url(meeting, state_a), {"file": upload("credentials.pdf", png_bytes(), "application/pdf")}
    )

    assert response.status_code == 200
    assert "The credentials were not accepted: The file is not a PDF (its content does not start like one)." in flashed(
        response
    )
    text = response.content.decode()
    assert 'value="Okonkwo"' in text and 'value="Lindqvist"' in text
    assert not Credentials.objects.exists()


def test_an_oversized_upload_shows_the_limit(login, focal_a, meeting, state_a, delegation_a, pdf_upload, settings):
    settings.PDF_UPLOAD_MAX_BYTES = 100
    response = login(focal_a).post(upload_url(meeting, state_a), {"file": pdf_upload()})

    assert any("the limit is 100" in m for m in flashed(response))
    assert not Credentials.objects.exists()


def test_a_pdf_upload_is_received(login, focal_a, meeting, state_a, delegation_a, pdf_upload):
    response = login(focal_a).post(upload_url(meeting, state_a), {"file": pdf_upload()}, follow=True)

    assert "Credentials received." in flashed(response)
    credentials = Credentials.objects.get(delegation=delegation_a)
    assert b'<dd id="credentials-status">Received' in response.content
    assert reverse("registration:credentials_file", args=[credentials.pk]).encode() in response.content


def test_upload_before_any_delegation_is_404(login, focal_a, meeting, state_a, pdf_upload):
    assert login(focal_a).post(upload_url(meeting, state_a), {"file": pdf_upload()}).status_code == 404


# --- same number of queries for 3 members as for 30 -------------------------------------------------------------------


def _queries(client, url) -> int:
    cache.clear()  # the list of participants is cached: measure building it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_delegation_page_queries_do_not_grow_with_members(login, focal_a, meeting, state_a, pdf_upload):
    client = login(focal_a)
    url = delegation_url(meeting, state_a)
    delegation = services.delegation_save(meeting=meeting, user=focal_a, members=team(3), state=state_a)
    services.credentials_upload(delegation=delegation, file=pdf_upload(), user=focal_a)
    client.get(url)  # warm up the session and caches

    three = _queries(client, url)
    services.delegation_save(meeting=meeting, user=focal_a, members=team(30), state=state_a, version=1)
    thirty = _queries(client, url)

    assert Member.objects.count() == 30
    assert thirty == three


def test_read_only_delegation_page_queries_do_not_grow_with_members(login, presidency, secretariat, meeting, state_a):
    client = login(presidency)
    url = delegation_url(meeting, state_a)
    services.delegation_save(meeting=meeting, user=secretariat, members=team(3), state=state_a)
    client.get(url)

    three = _queries(client, url)
    services.delegation_save(meeting=meeting, user=secretariat, members=team(30), state=state_a, version=1)
    thirty = _queries(client, url)

    assert thirty == three


def test_participants_list_queries_do_not_grow_with_members_or_delegations(
    login, secretariat, meeting, state_a, state_b
):
    client = login(secretariat)
    url = reverse("registration:participants", args=[meeting.slug])
    register(meeting, secretariat, team(3, prefix="A"), state=state_a, approve_by=secretariat)
    client.get(url)

    three = _queries(client, url)
    services.delegation_save(meeting=meeting, user=secretariat, members=team(30, prefix="A"), state=state_a, version=1)
    register(meeting, secretariat, team(30, prefix="B"), state=state_b, approve_by=secretariat)
    many = _queries(client, url)

    assert Member.objects.count() == 60
    assert many == three


# --- My registrations -------------------------------------------------------------------------------------------------


def test_my_registrations_lists_open_meetings_for_my_parties(
    login, focal_a, focal_b, meeting, other_meeting, closed_meeting, state_a, state_b, org_other, delegation_a
):
    FocalPoint.objects.create(user=focal_a, organisation=org_other, reason="Also MAW")  # not approved
    response = login(focal_a).get(reverse("registration:mine"))

    rows = response.context["rows"]
    assert [(r["meeting"], r["focal_point"].state) for r in rows] == [(meeting, state_a), (other_meeting, state_a)]
    text = response.content.decode()
    assert delegation_url(meeting, state_a) in text and delegation_url(other_meeting, state_a) in text
    assert '<span class="status status-draft">Draft</span>' in text and "Continue" in text and "Register" in text
    assert 'Mine Action Watch (MAW)</strong> – <span class="muted">awaiting the secretariat\'s approval' in text
    assert closed_meeting.title not in text
    assert "Borduria" not in text and delegation_url(meeting, state_b) not in text


def test_my_registrations_for_a_user_without_role(login, delegate, meeting):
    response = login(delegate).get(reverse("registration:mine"))
    assert response.context["rows"] == []
    assert b"No meeting is open for registration for your State or organisation." in response.content


def test_focal_point_request_page(login, delegate, state_a):
    client = login(delegate)
    url = reverse("registration:focal_point_request")

    refused = client.post(url, {"reason": "Counsellor"})
    assert b"Choose one State or one organisation." in refused.content

    response = client.post(url, {"state": state_a.pk, "reason": "Counsellor"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("registration:mine")
    assert FocalPoint.objects.get(user=delegate).state == state_a
    again = client.post(url, {"state": state_a.pk, "reason": "Again"})
    assert b"Your request is already with the secretariat." in again.content


# --- the admin's review actions ---------------------------------------------------------------------------------------


def test_admin_returns_delegations_with_a_reason(
    admin_client, meeting, delegation_a, delegation_b, focal_a, focal_b, on_commit
):
    services.delegation_submit(delegation=delegation_a, user=focal_a)
    services.delegation_submit(delegation=delegation_b, user=focal_b)
    changelist = reverse("admin:registration_delegation_changelist")
    selected = {"action": "return_for_changes", "_selected_action": [delegation_a.pk, delegation_b.pk]}

    form = admin_client.post(changelist, selected)
    assert form.status_code == 200 and b"Return delegations for changes" in form.content
    assert set(Delegation.objects.values_list("status", flat=True)) == {"submitted"}

    with on_commit():
        done = admin_client.post(changelist, {**selected, "reason": "List the advisers' positions."}, follow=True)

    assert "2 delegation(s) returned; the focal points were e-mailed." in flashed(done)
    assert set(Delegation.objects.values_list("status", "return_reason")) == {
        ("returned", "List the advisers' positions.")
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["focal.a@example.org", "focal.b@example.org"]


def test_admin_approves_focal_points(admin_client, delegate, state_a, on_commit):
    request = services.focal_point_request(user=delegate, state=state_a, reason="Counsellor")

    with on_commit():
        admin_client.post(
            reverse("admin:registration_focalpoint_changelist"), {"action": "approve", "_selected_action": [request.pk]}
        )

    request.refresh_from_db()
    assert request.is_active
    assert [m.subject for m in mail.outbox] == ["[CCM Portal] You are a focal point of Arcadia"]


def test_admin_invites_and_approves_participation(admin_client, meeting, focal_org, org_other, secretariat):
    delegation = register(meeting, focal_org, [head("Moreau")], organisation=org_other, submit=True)
    changelist = reverse("admin:registration_delegation_changelist")

    refused = admin_client.post(
        changelist, {"action": "approve_participation", "_selected_action": [delegation.pk]}, follow=True
    )
    assert any("presidency must first invite" in m for m in flashed(refused))
    admin_client.post(changelist, {"action": "invite_provisionally", "_selected_action": [delegation.pk]})
    admin_client.post(changelist, {"action": "approve_participation", "_selected_action": [delegation.pk]})
    admin_client.post(changelist, {"action": "approve", "_selected_action": [delegation.pk]})

    delegation.refresh_from_db()
    assert (delegation.admission, delegation.status) == ("approved", "approved")


# The review screen and the admin's other writes: tests/registration/test_admin.py.


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_participants_files_are_attachments_named_after_the_meeting(login, secretariat, meeting, fmt):
    response = login(secretariat).get(reverse("registration:participants_file", args=[meeting.slug, fmt]))
    assert response.status_code == 200
    assert f'filename="participants-20msp.{fmt}"' in response["Content-Disposition"]
