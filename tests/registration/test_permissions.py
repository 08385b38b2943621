"""Who may see and change what, each rule both ways; an id changed in a URL never reveals or changes another
State's data."""

import pytest
from django.urls import reverse

from registration import services
from registration.models import Credentials, Delegation, DelegationChange, Member
from tests.factories import UserFactory

from .conftest import close_registration, delegation_url, formset_data, head, register, row, upload_url


def participants_url(meeting, fmt=None) -> str:
    if fmt:
        return reverse("registration:participants_file", args=[meeting.slug, fmt])
    return reverse("registration:participants", args=[meeting.slug])


def report_url(meeting) -> str:
    return reverse("registration:credentials_report", args=[meeting.slug])


def file_url(credentials) -> str:
    return reverse("registration:credentials_file", args=[credentials.pk])


def mentions(response, name: str) -> bool:
    """Names show as typed in forms and in capitals in lists (“Mr. Bruno VASQUEZ”)."""
    return name.casefold() in response.content.decode().casefold()


def snapshot(delegation: Delegation):
    """Everything a forbidden request must leave as it was."""
    delegation.refresh_from_db()
    credentials = Credentials.objects.filter(delegation=delegation).values_list("sha256", "status").first()
    members = list(delegation.members.values_list("family_name", "given_name", "role"))
    return delegation.status, delegation.version, members, credentials, delegation.changes.count()


@pytest.fixture
def credentials_a(delegation_a, focal_a, pdf_upload):
    return services.credentials_upload(delegation=delegation_a, file=pdf_upload(), user=focal_a)


@pytest.fixture
def credentials_b(delegation_b, focal_b, pdf_upload):
    return services.credentials_upload(delegation=delegation_b, file=pdf_upload(), user=focal_b)


@pytest.fixture
def approved_b(delegation_b, focal_b, secretariat):
    """B's delegation, approved, so it shows on the list of participants."""
    services.delegation_submit(delegation=delegation_b, user=focal_b)
    return services.delegation_decide(delegation=delegation_b, by=secretariat, approve=True)


# --- anonymous --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(lambda w: reverse("registration:mine"), id="mine"),
        pytest.param(lambda w: reverse("registration:focal_point_request"), id="focal-point-request"),
        pytest.param(lambda w: delegation_url(w["meeting"], w["state_b"]), id="delegation"),
        pytest.param(lambda w: participants_url(w["meeting"]), id="participants"),
        pytest.param(lambda w: participants_url(w["meeting"], "csv"), id="participants-csv"),
        pytest.param(lambda w: participants_url(w["meeting"], "pdf"), id="participants-pdf"),
        pytest.param(lambda w: report_url(w["meeting"]), id="credentials-report"),
        pytest.param(lambda w: file_url(w["credentials_b"]), id="credentials-file"),
    ],
)
def test_anonymous_is_sent_to_sign_in_and_sees_no_data(client, url, meeting, state_b, approved_b, credentials_b):
    response = client.get(url(locals()))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not mentions(response, "Vasquez") and b"%PDF" not in response.content


def test_anonymous_cannot_post(client, meeting, state_b, delegation_b, pdf_upload):
    before = snapshot(delegation_b)

    saved = client.post(delegation_url(meeting, state_b), formset_data([row("Intruder", role="head")]))
    uploaded = client.post(upload_url(meeting, state_b), {"file": pdf_upload()})

    assert saved.status_code == uploaded.status_code == 302
    assert saved["Location"].startswith("/accounts/login/")
    assert snapshot(delegation_b) == before


# --- a delegate (signed in, no role) ----------------------------------------------------------------------------------


def test_delegate_sees_own_page_but_no_delegation(login, delegate, meeting, state_a, delegation_a, credentials_a):
    client = login(delegate)
    before = snapshot(delegation_a)

    mine = client.get(reverse("registration:mine"))
    assert mine.status_code == 200 and b"not yet a focal point" in mine.content

    assert client.get(delegation_url(meeting, state_a)).status_code == 404
    assert client.post(delegation_url(meeting, state_a), formset_data([row("X", role="head")])).status_code == 404
    assert client.get(file_url(credentials_a)).status_code == 404
    assert client.get(participants_url(meeting)).status_code == 403
    assert client.get(participants_url(meeting, "xlsx")).status_code == 403
    assert client.get(report_url(meeting)).status_code == 403
    assert snapshot(delegation_a) == before


# --- focal point of State A acting on State B -------------------------------------------------------------------------


def test_focal_point_works_on_own_state(login, focal_a, meeting, state_a, delegation_a):
    client = login(focal_a)

    page = client.get(delegation_url(meeting, state_a))
    assert page.status_code == 200 and mentions(page, "Okonkwo") and b'id="members-form"' in page.content

    saved = client.post(
        delegation_url(meeting, state_a), formset_data([row("Okonkwo", "Amara", role="head")], version="1")
    )
    assert saved.status_code == 302
    delegation_a.refresh_from_db()
    assert delegation_a.version == 2 and delegation_a.members.get().family_name == "Okonkwo"


def test_focal_point_of_a_cannot_see_or_change_b(login, focal_a, meeting, state_b, delegation_b):
    client = login(focal_a)
    before = snapshot(delegation_b)

    page = client.get(delegation_url(meeting, state_b))
    assert page.status_code == 404 and not mentions(page, "Vasquez")

    for data in (
        formset_data([row("Intruder", role="head")], version="1"),
        formset_data([row("Intruder", role="head")], version="1", submit="1"),
        {"submit": "1"},
    ):
        response = client.post(delegation_url(meeting, state_b), data)
        assert response.status_code == 404 and not mentions(response, "Vasquez")
    assert snapshot(delegation_b) == before


def test_focal_point_of_a_cannot_register_a_state_without_delegation(login, focal_a, meeting, state_c):
    client = login(focal_a)

    assert client.get(delegation_url(meeting, state_c)).status_code == 404
    assert client.post(delegation_url(meeting, state_c), formset_data([row("X", role="head")])).status_code == 404
    assert not Delegation.objects.filter(state=state_c).exists()


def test_credentials_of_b_are_neither_served_nor_replaced_for_a(
    login, focal_a, focal_b, meeting, state_b, credentials_a, credentials_b, pdf_bytes, pdf_upload
):
    client = login(focal_a)
    before = snapshot(credentials_b.delegation)

    own = client.get(file_url(credentials_a))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert b"".join(own.streaming_content) == pdf_bytes

    other = client.get(file_url(credentials_b))
    assert other.status_code == 404 and b"%PDF" not in other.content
    assert client.post(upload_url(meeting, state_b), {"file": pdf_upload()}).status_code == 404
    assert snapshot(credentials_b.delegation) == before
    # B's own focal point gets B's file.
    assert login(focal_b).get(file_url(credentials_b)).status_code == 200


def test_credentials_upload_for_b_without_delegation_is_404(login, focal_a, meeting, state_c, pdf_upload):
    response = login(focal_a).post(upload_url(meeting, state_c), {"file": pdf_upload()})
    assert response.status_code == 404
    assert not Credentials.objects.exists()


@pytest.mark.parametrize(
    "party_key",
    [
        pytest.param(lambda w: f"state-{w['state_b'].iso3.lower()}", id="lower-case-iso3"),
        pytest.param(lambda w: f"org-{w['org_other'].pk}", id="an-organisation"),
        pytest.param(lambda w: "state-ZZZ", id="unknown-state"),
        pytest.param(lambda w: f"State-{w['state_b'].iso3}", id="odd-kind"),
        pytest.param(lambda w: "org-abc", id="org-not-a-number"),
        pytest.param(lambda w: f"{w['state_b'].pk}", id="bare-pk"),
    ],
)
def test_changing_the_party_key_never_reveals_another_party(
    login, focal_a, meeting, state_b, org_other, delegation_b, focal_org, party_key
):
    register(meeting, focal_org, [head("Moreau")], organisation=org_other)
    client = login(focal_a)
    key = party_key(locals())

    page = client.get(reverse("registration:delegation", args=[meeting.slug, key]))
    posted = client.post(
        reverse("registration:delegation", args=[meeting.slug, key]), formset_data([row("X", role="head")], version="1")
    )

    assert page.status_code == posted.status_code == 404
    assert not mentions(page, "Vasquez") and not mentions(page, "Moreau")
    assert sorted(Member.objects.values_list("family_name", flat=True)) == ["Moreau", "Tanaka", "Vasquez"]


def test_changing_the_meeting_slug_keeps_to_own_state(
    login, focal_a, focal_b, meeting, other_meeting, state_a, state_b
):
    b_at_y = register(other_meeting, focal_b, [head("Vasquez")], state=state_b)
    client = login(focal_a)

    assert client.get(delegation_url(other_meeting, state_b)).status_code == 404
    assert client.post(delegation_url(other_meeting, state_b), formset_data([row("X", role="head")])).status_code == 404
    assert list(b_at_y.members.values_list("family_name", flat=True)) == ["Vasquez"]
    # Its own State at the other meeting is its business.
    assert client.get(delegation_url(other_meeting, state_a)).status_code == 200
    assert (
        client.get(reverse("registration:delegation", args=["no-such-meeting", f"state-{state_a.iso3}"])).status_code
        == 404
    )


def test_credentials_ids_are_not_guessable_into_data(login, focal_a, credentials_a, credentials_b):
    client = login(focal_a)
    missing = max(credentials_a.pk, credentials_b.pk) + 100

    assert client.get(reverse("registration:credentials_file", args=[missing])).status_code == 404
    assert client.get(file_url(credentials_b)).status_code == 404


def test_focal_point_is_refused_the_secretariat_pages(login, focal_a, meeting):
    client = login(focal_a)
    assert client.get(participants_url(meeting)).status_code == 403
    assert client.get(participants_url(meeting, "csv")).status_code == 403
    assert client.get(report_url(meeting)).status_code == 403


def test_after_the_deadline_the_focal_point_only_reads(login, focal_a, meeting, state_a, delegation_a):
    close_registration(meeting)
    client = login(focal_a)
    before = snapshot(delegation_a)

    page = client.get(delegation_url(meeting, state_a))
    assert page.status_code == 200 and mentions(page, "Okonkwo")
    assert b'id="members-form"' not in page.content and b"only the secretariat can make changes" in page.content

    posted = client.post(delegation_url(meeting, state_a), formset_data([row("Late", role="head")], version="1"))
    assert b"Registration for this meeting is closed" in posted.content
    assert snapshot(delegation_a) == before


def test_an_unapproved_focal_point_is_refused(login, meeting, state_a, delegation_a):
    user = UserFactory(username="hopeful@example.org")
    services.focal_point_request(user=user, state=state_a, reason="Attaché")
    client = login(user)

    assert client.get(delegation_url(meeting, state_a)).status_code == 404
    assert client.get(reverse("registration:mine")).status_code == 200


# --- presidency office of meeting X -----------------------------------------------------------------------------------


def test_presidency_sees_the_participants_of_its_meeting_only(login, presidency, meeting, other_meeting, approved_b):
    client = login(presidency)

    own = client.get(participants_url(meeting))
    assert own.status_code == 200 and mentions(own, "Vasquez")
    assert client.get(participants_url(meeting, "csv")).status_code == 200
    assert client.get(participants_url(other_meeting)).status_code == 403
    assert client.get(participants_url(other_meeting, "csv")).status_code == 403
    # The credentials report is the secretariat's.
    assert client.get(report_url(meeting)).status_code == 403


def test_presidency_invites_organisations_provisionally_at_its_meeting_only(
    presidency, meeting, other_meeting, focal_org, org_other
):
    at_x = register(meeting, focal_org, [head("Moreau")], organisation=org_other)
    at_y = register(other_meeting, focal_org, [head("Moreau")], organisation=org_other)

    services.admission_invite(delegation=at_x, by=presidency)
    with pytest.raises(services.RegistrationError, match="Only the presidency of this meeting"):
        services.admission_invite(delegation=at_y, by=presidency)

    assert Delegation.objects.get(pk=at_x.pk).admission == Delegation.Admission.INVITED
    assert Delegation.objects.get(pk=at_y.pk).admission == Delegation.Admission.REQUESTED


def test_presidency_reads_delegations_of_its_meeting_but_changes_nothing(
    login, presidency, meeting, other_meeting, state_b, focal_b, delegation_b, credentials_b
):
    b_at_y = register(other_meeting, focal_b, [head("Tanaka")], state=state_b)
    client = login(presidency)
    before = snapshot(delegation_b)

    page = client.get(delegation_url(meeting, state_b))
    assert page.status_code == 200 and mentions(page, "Vasquez") and b'id="members-form"' not in page.content
    posted = client.post(delegation_url(meeting, state_b), formset_data([row("X", role="head")], version="1"))
    assert b"not a focal point" in posted.content
    assert snapshot(delegation_b) == before
    # Credentials are for the focal points and the secretariat only.
    assert client.get(file_url(credentials_b)).status_code == 404
    # Another meeting's delegations are not the presidency's business.
    assert client.get(delegation_url(other_meeting, state_b)).status_code == 404
    assert b_at_y.members.get().family_name == "Tanaka"


# --- secretariat ------------------------------------------------------------------------------------------------------


def test_secretariat_sees_everything(
    login, secretariat, meeting, other_meeting, state_a, state_b, credentials_a, credentials_b, approved_b, pdf_bytes
):
    client = login(secretariat)

    for url in (participants_url(meeting), participants_url(other_meeting), report_url(meeting)):
        assert client.get(url).status_code == 200, url
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(participants_url(meeting, fmt)).status_code == 200
    for state in (state_a, state_b):
        page = client.get(delegation_url(meeting, state))
        assert page.status_code == 200 and b'id="members-form"' in page.content
    for credentials in (credentials_a, credentials_b):
        response = client.get(file_url(credentials))
        assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes


def test_secretariat_edits_after_the_deadline_and_it_is_logged(
    login, secretariat, meeting, state_b, delegation_b, focal_b, pdf_upload
):
    services.delegation_submit(delegation=delegation_b, user=focal_b)
    close_registration(meeting)
    client = login(secretariat)

    page = client.get(delegation_url(meeting, state_b))
    assert b'id="members-form"' in page.content
    saved = client.post(
        delegation_url(meeting, state_b),
        formset_data([row("Vasquez", "Bruno", role="head"), row("Late", "Entry")], version="1"),
    )
    assert saved.status_code == 302
    uploaded = client.post(upload_url(meeting, state_b), {"file": pdf_upload()})
    assert uploaded.status_code == 302

    delegation_b.refresh_from_db()
    assert list(delegation_b.members.values_list("family_name", flat=True)) == ["Vasquez", "Late"]
    assert set(
        DelegationChange.objects.filter(delegation=delegation_b, user=secretariat).values_list("action", flat=True)
    ) == {
        "members changed",
        "credentials uploaded",
    }


def test_secretariat_registers_any_state_after_the_deadline(login, secretariat, closed_meeting, state_c):
    response = login(secretariat).post(
        delegation_url(closed_meeting, state_c), formset_data([row("Novak", "Petra", role="head")])
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get(meeting=closed_meeting, state=state_c)
    assert delegation.changes.get().user == secretariat


def test_staff_without_two_factor_is_sent_to_set_it_up(login, meeting):
    user = UserFactory(username="new.staff@example.org", is_staff=True, two_factor=False)
    response = login(user).get(participants_url(meeting))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_secretariat_reviews_in_the_admin_and_others_cannot(
    login, secretariat, presidency, focal_a, delegation_a, delegation_b, focal_b, on_commit
):
    services.delegation_submit(delegation=delegation_a, user=focal_a)
    changelist = reverse("admin:registration_delegation_changelist")
    action = {"action": "approve", "_selected_action": [delegation_a.pk, delegation_b.pk]}

    for user in (presidency, focal_a):
        client = login(user)
        assert client.get(changelist).status_code == 302
        client.post(changelist, action)
    assert set(Delegation.objects.values_list("status", flat=True)) == {"submitted", "draft"}

    client = login(secretariat)
    assert client.get(changelist).status_code == 200
    with on_commit():
        response = client.post(changelist, action, follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert "1 delegation(s) approved; the focal points were e-mailed." in shown
    assert "Borduria: only a submitted delegation can be decided." in shown
    assert dict(Delegation.objects.values_list("state__name_en", "status")) == {
        "Arcadia": "approved",
        "Borduria": "draft",
    }
