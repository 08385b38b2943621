"""Per-address outcomes through a real SMTP server, and one outbox for notes and every other e-mail."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from common.roles import roles_sync
from correspondence import dispatch, services, tasks
from correspondence.models import Email, NoteCopy
from correspondence.tasks import task_dispatch_email
from tests.smtp_sink import SMTPSink

from . import factories

pytestmark = pytest.mark.django_db

GOOD, BAD = "mission.two@example.org", "registry.two@example.org"
REFUSED = "550 5.1.1 <registry.two@example.org>: Recipient address rejected: User unknown"


@pytest.fixture
def smtp(settings):
    """A real SMTP server, reached through the portal's own backend (correspondence.mail)."""
    with SMTPSink() as sink:
        settings.EMAIL_BACKEND = "correspondence.mail.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink


@pytest.fixture
def two_addresses(office, secretariat, meeting, issue):
    """A note to one State whose mission has two addresses, issued and left queued."""
    state, _ = factories.party(name="Twoland", emails=f"{GOOD}\n{BAD}")
    note = factories.draft(office, secretariat, meeting=meeting, groups=[], addressee_states=[state])
    issue(note, secretariat, dispatch=False)
    return NoteCopy.objects.get(note=note)  # with the issued note, not the draft above


@pytest.mark.parametrize("path", ["one copy", "batch"])
def test_an_address_refused_for_good_fails_the_copy_with_the_reason_and_the_other_is_mailed_once(
    smtp, two_addresses, path
):
    smtp.refuse[BAD] = REFUSED

    if path == "batch":
        assert dispatch.copies_dispatch(copy_ids=[two_addresses.pk]) == {two_addresses.pk: "failed"}
    else:
        assert dispatch.copy_dispatch(copy_id=two_addresses.pk) == "failed"

    copy = NoteCopy.objects.get(pk=two_addresses.pk)
    assert copy.status == "failed"  # not "sent": a person must see the refused address
    assert copy.refused == {BAD: REFUSED}
    assert copy.delivered_to == GOOD
    assert f"Sent to {GOOD}" in copy.last_error and "User unknown" in copy.last_error
    assert smtp.addresses() == {GOOD: 1}


def test_correcting_the_refused_address_sends_to_it_alone(
    smtp, two_addresses, secretariat, django_capture_on_commit_callbacks
):
    smtp.refuse[BAD] = REFUSED
    dispatch.copy_dispatch(copy_id=two_addresses.pk)
    first_message_id = smtp.received[0].message_id

    with django_capture_on_commit_callbacks(execute=True):
        services.copy_address_correct(
            copy=two_addresses, address=BAD, new_address="registry@two.example.org", user=secretariat
        )

    copy = NoteCopy.objects.get(pk=two_addresses.pk)
    assert copy.status == "sent" and copy.refused == {}
    assert copy.email_list == [GOOD, "registry@two.example.org"]
    assert smtp.addresses() == {GOOD: 1, "registry@two.example.org": 1}  # never twice to the one that accepted
    assert smtp.received[1].message_id == first_message_id  # the same copy, the same Message-ID


def test_a_refusal_for_now_retries_only_the_refused_address(smtp, two_addresses):
    smtp.refuse[BAD] = "450 4.2.1 Mailbox busy, try later"
    with pytest.raises(dispatch.TransientDeliveryError):
        dispatch.copy_dispatch(copy_id=two_addresses.pk)
    copy = NoteCopy.objects.get(pk=two_addresses.pk)
    assert (copy.status, copy.delivered_to) == ("rendered", GOOD)
    assert dispatch.retry_delay(copy.attempts) == 30

    del smtp.refuse[BAD]
    assert dispatch.copy_dispatch(copy_id=two_addresses.pk) == "sent"

    assert smtp.addresses() == {GOOD: 1, BAD: 1}
    assert NoteCopy.objects.get(pk=two_addresses.pk).refused == {}


def test_only_a_refused_address_of_a_failed_copy_can_be_corrected(smtp, two_addresses, secretariat, outsider):
    with pytest.raises(services.CorrespondenceError, match="Only a failed message"):
        services.copy_address_correct(copy=two_addresses, address=BAD, new_address="x@example.org", user=secretariat)
    smtp.refuse[BAD] = REFUSED
    dispatch.copy_dispatch(copy_id=two_addresses.pk)
    with pytest.raises(services.CorrespondenceError, match="did not refuse"):
        services.copy_address_correct(copy=two_addresses, address=GOOD, new_address="x@example.org", user=secretariat)
    with pytest.raises(services.CorrespondenceError, match="already an address"):
        services.copy_address_correct(copy=two_addresses, address=BAD, new_address=GOOD, user=secretariat)
    with pytest.raises(services.CorrespondenceError, match="not an e-mail address"):
        services.copy_address_correct(copy=two_addresses, address=BAD, new_address="nobody", user=secretariat)
    with pytest.raises(services.CorrespondenceError, match="cannot re-send"):
        services.copy_address_correct(copy=two_addresses, address=BAD, new_address="x@example.org", user=outsider)
    assert NoteCopy.objects.get(pk=two_addresses.pk).email_list == [GOOD, BAD]


def test_the_copy_page_shows_refused_addresses_and_corrects_one(
    client, smtp, two_addresses, office, django_capture_on_commit_callbacks
):
    member = factories.presidency_user(office)
    smtp.refuse[BAD] = REFUSED
    dispatch.copy_dispatch(copy_id=two_addresses.pk)
    client.force_login(member)
    change_url = reverse("admin:correspondence_notecopy_change", args=[two_addresses.pk])
    correct_url = reverse("admin:correspondence_notecopy_correct_address", args=[two_addresses.pk])

    page = client.get(change_url).content.decode()
    assert f"{BAD} – refused: 550 5.1.1" in page and f"{GOOD} – accepted" in page and correct_url in page

    note_page = client.get(reverse("admin:correspondence_note_change", args=[two_addresses.note_id])).content.decode()
    assert f'href="{correct_url}"' in note_page  # from the note's list of copies too
    form = client.get(correct_url).content.decode()
    assert "Recipient address rejected" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(correct_url, {"address": BAD, "new_address": "registry@two.example.org"}, follow=True)
    assert f"Sending to registry@two.example.org alone, in place of {BAD}." in response.content.decode()
    assert smtp.addresses() == {GOOD: 1, "registry@two.example.org": 1}


def test_another_office_cannot_reach_the_correction_page(client, smtp, two_addresses):
    other = factories.presidency_user(factories.OfficeFactory())
    client.force_login(other)
    url = reverse("admin:correspondence_notecopy_correct_address", args=[two_addresses.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"address": BAD, "new_address": "x@example.org"}).status_code == 404


# --- plain e-mails: the same outbox ---------------------------------------------------------------------------------


def queue_email(to: list[str], django_capture_on_commit_callbacks, *, execute: bool = True) -> Email:
    with django_capture_on_commit_callbacks(execute=execute):
        return services.email_queue(to=to, subject="You are a focal point", body="Welcome.", source="registration")


def test_an_email_refused_for_now_is_retried_with_the_same_waits(smtp, django_capture_on_commit_callbacks):
    smtp.faults["451"] = 1

    email = queue_email([GOOD], django_capture_on_commit_callbacks, execute=False)
    with pytest.raises(dispatch.TransientDeliveryError) as refused:
        dispatch.email_dispatch(email_id=email.pk)
    assert dispatch.retry_delay(refused.value.attempts) == 30
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 1) and "451" in email.last_error

    assert task_dispatch_email.apply(args=[email.pk]).get() == "sent"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 2, "")
    assert smtp.addresses() == {GOOD: 1}
    assert smtp.received[0].message_id == email.message_id


def test_an_email_is_sent_at_most_once(smtp, django_capture_on_commit_callbacks):
    email = queue_email([GOOD], django_capture_on_commit_callbacks)
    assert dispatch.email_dispatch(email_id=email.pk) == "sent"
    assert task_dispatch_email.apply(args=[email.pk]).get() == "sent"
    # A worker that died while sending: the row is failed as uncertain, never sent on its own.
    stale = timezone.now() - dt.timedelta(hours=1)
    Email.objects.filter(pk=email.pk).update(status="sending", claimed_at=stale)
    assert dispatch.email_dispatch(email_id=email.pk) == "failed"
    assert "Delivery uncertain" in Email.objects.get(pk=email.pk).last_error
    assert smtp.addresses() == {GOOD: 1}


def test_the_sweep_sends_waiting_and_abandoned_emails(smtp, django_capture_on_commit_callbacks):
    waiting = queue_email([GOOD], django_capture_on_commit_callbacks, execute=False)
    abandoned = queue_email([BAD], django_capture_on_commit_callbacks, execute=False)
    stale = timezone.now() - dt.timedelta(hours=1)
    Email.objects.filter(pk=waiting.pk).update(updated_at=stale)
    Email.objects.filter(pk=abandoned.pk).update(status="sending", claimed_at=stale, updated_at=stale)

    assert tasks.outbox_dispatch(stale_only=True) == 2

    assert Email.objects.get(pk=waiting.pk).status == "sent"
    assert Email.objects.get(pk=abandoned.pk).status == "failed"  # uncertain: a person decides
    assert smtp.addresses() == {GOOD: 1}


def test_staff_resend_and_correct_an_email_in_the_admin(client, smtp, secretariat, django_capture_on_commit_callbacks):
    smtp.refuse[BAD] = REFUSED
    email = queue_email([BAD], django_capture_on_commit_callbacks)
    email.refresh_from_db()
    assert email.status == "failed" and email.refused == {BAD: REFUSED}
    assert email.last_error == f"Refused {BAD}: {REFUSED}"
    roles_sync()  # the secretariat's group sees the outbox (common.roles)
    client.force_login(secretariat)

    listing = client.get(reverse("admin:correspondence_email_changelist") + "?status__exact=failed").content.decode()
    assert "You are a focal point" in listing
    page = client.get(reverse("admin:correspondence_email_change", args=[email.pk])).content.decode()
    assert "refused: 550 5.1.1" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:correspondence_email_correct_address", args=[email.pk]),
            {"address": BAD, "new_address": GOOD},
            follow=True,
        )
    assert response.status_code == 200
    email.refresh_from_db()
    assert (email.status, email.to_list) == ("sent", [GOOD])

    Email.objects.filter(pk=email.pk).update(status="failed")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:correspondence_email_changelist"),
            {"action": "resend_failed", "_selected_action": [email.pk]},
        )
    assert smtp.addresses() == {GOOD: 2}  # re-sent on purpose, by a person


def test_only_the_secretariat_resends_emails(client, smtp, office, secretariat, django_capture_on_commit_callbacks):
    smtp.refuse[BAD] = REFUSED
    email = queue_email([BAD], django_capture_on_commit_callbacks)
    member = factories.presidency_user(office)
    with pytest.raises(services.CorrespondenceError, match="Only the secretariat"):
        services.email_resend(email=email, user=member)
    with pytest.raises(services.CorrespondenceError, match="Only the secretariat"):
        services.email_address_correct(email=email, address=BAD, new_address=GOOD, user=member)
    client.force_login(member)
    assert client.get(reverse("admin:correspondence_email_correct_address", args=[email.pk])).status_code == 403
    client.force_login(secretariat)
    assert client.get(reverse("admin:correspondence_email_correct_address", args=[email.pk])).status_code == 200
    assert services.email_resend(email=email, user=secretariat).status == "queued"
