"""The outbox: each copy rendered once, kept with its hash, and mailed at most once."""

import datetime as dt
import hashlib
import io
import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from correspondence import dispatch, services, tasks
from correspondence.models import Note, NoteCopy
from correspondence.tasks import task_dispatch_copy

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_party(db):
    return factories.party(name="Norway", emails="mission.nor@example.org")


@pytest.fixture
def queued(office, secretariat, one_party, issue):
    """A note issued to one State Party whose copy waits in the outbox."""
    note = issue(factories.draft(office, secretariat), secretariat, dispatch=False)
    return note.copies.get()


def stored(copy: NoteCopy) -> bytes:
    copy.refresh_from_db()
    with copy.pdf.open("rb") as handle:
        return handle.read()


def make_stale(copy: NoteCopy) -> None:
    stale = timezone.now() - dt.timedelta(seconds=settings.CORRESPONDENCE_CLAIM_SECONDS + 1)
    NoteCopy.objects.filter(pk=copy.pk).update(claimed_at=stale)


def test_each_copy_is_rendered_stored_and_sent_once(note, secretariat, issue):
    note = issue(note, secretariat)

    copies = list(note.copies.order_by("pk"))
    assert [copy.status for copy in copies] == ["sent"] * 3
    assert len(mail.outbox) == 3
    messages = {message.to[0]: message for message in mail.outbox}
    for copy in copies:
        data = stored(copy)
        assert data.startswith(b"%PDF-")
        assert copy.pdf_sha256 == hashlib.sha256(data).hexdigest()
        assert (copy.attempts, copy.last_error) == (1, "")
        assert copy.sent_at is not None and copy.rendered_at is not None
        assert copy.message_id == f"<note-{note.pk}.copy-{copy.pk}@{settings.MESSAGE_ID_DOMAIN}>"
        message = messages[copy.email_list[0]]
        assert message.extra_headers["Message-ID"] == copy.message_id
        assert message.message()["Message-ID"] == copy.message_id
        ((name, content, mimetype),) = message.attachments
        assert (name, mimetype) == (f"{note.reference.replace('/', '-')}.pdf", "application/pdf")
        assert content == data
        assert message.subject == f"{note.reference} – Invitation to the Eleventh Meeting of States Parties"
        assert copy.addressee_name in message.body
        assert message.reply_to == [note.office.email]
    # Each addressee's own PDF: three different files.
    assert len({copy.pdf_sha256 for copy in copies}) == 3


def test_running_the_task_again_sends_nothing_more(note, secretariat, issue):
    issue(note, secretariat)
    before = {copy.pk: (copy.pdf.name, copy.pdf_sha256, copy.sent_at, stored(copy)) for copy in note.copies.all()}

    for copy_id in before:
        assert task_dispatch_copy.delay(copy_id).get() == "sent"
        assert task_dispatch_copy.apply(args=[copy_id]).get() == "sent"
        assert dispatch.copy_dispatch(copy_id=copy_id) == "sent"

    assert len(mail.outbox) == 3
    after = {copy.pk: (copy.pdf.name, copy.pdf_sha256, copy.sent_at, stored(copy)) for copy in note.copies.all()}
    assert after == before
    assert set(note.copies.values_list("attempts", flat=True)) == {1}


def test_dispatch_outbox_command_sends_what_waits(office, secretariat, parties, issue):
    note = issue(factories.draft(office, secretariat), secretariat, dispatch=False)
    assert set(note.copies.values_list("status", flat=True)) == {"queued"}
    assert mail.outbox == []

    out = io.StringIO()
    call_command("dispatch_outbox", stdout=out)

    assert out.getvalue().strip() == "Queued 3 messages."
    assert set(note.copies.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 3

    out = io.StringIO()
    call_command("dispatch_outbox", stdout=out)
    assert out.getvalue().strip() == "Queued 0 messages."
    assert len(mail.outbox) == 3


def test_dispatch_outbox_stale_only_leaves_fresh_rows(queued):
    out = io.StringIO()
    call_command("dispatch_outbox", "--stale-only", stdout=out)
    assert out.getvalue().strip() == "Queued 0 messages."
    assert mail.outbox == []

    NoteCopy.objects.filter(pk=queued.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    call_command("dispatch_outbox", "--stale-only", stdout=out)
    assert "Queued 1 message." in out.getvalue()
    queued.refresh_from_db()
    assert queued.status == "sent"
    assert len(mail.outbox) == 1


def test_dispatch_outbox_skips_drafts_and_finished_rows(note, secretariat, issue, office):
    issue(note, secretariat)  # three sent
    factories.draft(office, secretariat)  # a draft has no copies

    out = io.StringIO()
    call_command("dispatch_outbox", stdout=out)

    assert out.getvalue().strip() == "Queued 0 messages."


# --- a worker that dies ------------------------------------------------------------------------------------------


def test_crash_after_the_server_accepted_is_not_sent_again(queued, settings):
    settings.EMAIL_BACKEND = "tests.correspondence.factories.DiesAfterAcceptingBackend"
    with pytest.raises(factories.WorkerKilled):
        task_dispatch_copy.apply(args=[queued.pk])
    queued.refresh_from_db()
    assert queued.status == "sending"
    assert len(mail.outbox) == 1
    pdf_hash = queued.pdf_sha256

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Another worker picks the task up at once (acks_late): the claim is fresh, someone may still be at it.
    assert task_dispatch_copy.apply(args=[queued.pk]).get() == "sending"
    queued.refresh_from_db()
    assert queued.status == "sending"
    assert len(mail.outbox) == 1

    # Later the claim is stale: the worker is dead, and the server may have the message.
    make_stale(queued)
    assert task_dispatch_copy.apply(args=[queued.pk]).get() == "failed"

    queued.refresh_from_db()
    assert queued.status == "failed"
    assert queued.last_error.startswith("Delivery uncertain")
    assert queued.message_id in queued.last_error
    assert len(mail.outbox) == 1
    assert queued.pdf_sha256 == pdf_hash
    # And it stays that way, however often the task runs.
    assert task_dispatch_copy.apply(args=[queued.pk]).get() == "failed"
    call_command("dispatch_outbox", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_stale_sending_row_after_a_real_send_is_marked_uncertain(queued):
    task_dispatch_copy.delay(queued.pk)
    assert len(mail.outbox) == 1
    # The worker died between the SMTP "250 OK" and recording it: the row still says "sending".
    NoteCopy.objects.filter(pk=queued.pk).update(status="sending", sent_at=None)
    make_stale(queued)

    assert task_dispatch_copy.delay(queued.pk).get() == "failed"

    queued.refresh_from_db()
    assert queued.last_error.startswith("Delivery uncertain")
    assert len(mail.outbox) == 1


def test_a_fresh_claim_is_left_alone(queued):
    for status in ("sending", "rendering"):
        NoteCopy.objects.filter(pk=queued.pk).update(status=status, claimed_at=timezone.now())

        assert task_dispatch_copy.delay(queued.pk).get() == status

        queued.refresh_from_db()
        assert queued.status == status
        assert (queued.pdf_sha256, queued.attempts) == ("", 0)
    assert mail.outbox == []


def test_a_worker_that_died_while_rendering_is_replaced(queued):
    NoteCopy.objects.filter(pk=queued.pk).update(status="rendering")
    make_stale(queued)

    assert task_dispatch_copy.delay(queued.pk).get() == "sent"

    queued.refresh_from_db()
    assert queued.status == "sent"
    assert queued.pdf_sha256 == hashlib.sha256(stored(queued)).hexdigest()
    assert len(mail.outbox) == 1


def test_a_rendering_row_without_a_claim_is_taken_over(queued):
    NoteCopy.objects.filter(pk=queued.pk).update(status="rendering", claimed_at=None)

    assert task_dispatch_copy.delay(queued.pk).get() == "sent"
    assert len(mail.outbox) == 1


# --- the mail server says no ------------------------------------------------------------------------------------


def test_a_transient_refusal_puts_the_row_back_for_a_retry(queued):
    with pytest.raises(dispatch.TransientDeliveryError):
        dispatch.copy_dispatch(copy_id=queued.pk, connection=failing(factories.transient(451)))

    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.claimed_at) == ("rendered", 1, None)
    assert "451" in queued.last_error
    pdf_hash = queued.pdf_sha256
    assert pdf_hash

    assert dispatch.copy_dispatch(copy_id=queued.pk) == "sent"
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error, queued.pdf_sha256) == ("sent", 2, "", pdf_hash)
    assert len(mail.outbox) == 1


def failing(*errors):
    backend = factories.FailingBackend()
    factories.FailingBackend.errors = list(errors)
    return backend


def test_the_task_retries_until_the_server_takes_it(queued, failing_mail):
    failing_mail.errors = [factories.transient(421, b"4.7.0 Too busy"), factories.transient(451)]

    task_dispatch_copy.delay(queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error) == ("sent", 3, "")
    assert failing_mail.calls == 3
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "error",
    [
        factories.transient(450),
        smtplib.SMTPRecipientsRefused({"mission.nor@example.org": (452, b"4.2.2 Mailbox full")}),
        ConnectionRefusedError(111, "Connection refused"),
        smtplib.SMTPConnectError(421, b"Service not available"),
    ],
)
def test_after_max_attempts_the_copy_fails(queued, failing_mail, error):
    failing_mail.errors = [error] * dispatch.MAX_SEND_ATTEMPTS

    task_dispatch_copy.delay(queued.pk)

    queued.refresh_from_db()
    assert queued.status == "failed"
    assert queued.attempts == dispatch.MAX_SEND_ATTEMPTS
    assert queued.last_error.startswith(f"Gave up after {dispatch.MAX_SEND_ATTEMPTS} attempts")
    assert failing_mail.calls == dispatch.MAX_SEND_ATTEMPTS
    assert mail.outbox == []


def test_a_permanent_refusal_fails_at_once_with_the_reason(queued, failing_mail):
    failing_mail.errors = [smtplib.SMTPRecipientsRefused({"mission.nor@example.org": (550, b"5.1.1 User unknown")})]

    task_dispatch_copy.delay(queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("failed", 1)
    assert "550" in queued.last_error and "User unknown" in queued.last_error
    assert failing_mail.calls == 1
    assert mail.outbox == []


def test_a_5xx_response_fails_at_once(queued, failing_mail):
    failing_mail.errors = [smtplib.SMTPDataError(554, b"5.7.1 Message rejected")]

    task_dispatch_copy.delay(queued.pk)

    queued.refresh_from_db()
    assert queued.status == "failed"
    assert queued.last_error.startswith("SMTPDataError") and "Message rejected" in queued.last_error


def test_a_disconnection_mid_send_is_uncertain_not_retried(queued, failing_mail):
    failing_mail.errors = [smtplib.SMTPServerDisconnected("Connection unexpectedly closed")]

    task_dispatch_copy.delay(queued.pk)

    queued.refresh_from_db()
    assert queued.status == "failed"
    assert queued.last_error.startswith("Delivery uncertain")
    assert failing_mail.calls == 1


def test_resend_of_a_failed_copy_reuses_the_pdf(queued, failing_mail, secretariat, django_capture_on_commit_callbacks):
    failing_mail.errors = [smtplib.SMTPRecipientsRefused({"mission.nor@example.org": (550, b"5.1.1 User unknown")})]
    task_dispatch_copy.delay(queued.pk)
    failed = stored(queued)
    name, pdf_hash = queued.pdf.name, queued.pdf_sha256

    with django_capture_on_commit_callbacks(execute=True):
        services.copy_resend(copy=queued, user=secretariat)

    queued.refresh_from_db()
    assert queued.status == "sent"
    assert (queued.pdf.name, queued.pdf_sha256, stored(queued)) == (name, pdf_hash, failed)
    (message,) = mail.outbox
    assert message.attachments[0][1] == failed


def test_resend_of_a_sent_or_waiting_copy_is_refused(queued, secretariat):
    with pytest.raises(services.CorrespondenceError, match="Only a failed copy can be re-sent; this one is Queued"):
        services.copy_resend(copy=queued, user=secretariat)

    task_dispatch_copy.delay(queued.pk)
    with pytest.raises(services.CorrespondenceError, match="this one is Sent"):
        services.copy_resend(copy=queued, user=secretariat)
    assert len(mail.outbox) == 1


def test_resend_needs_a_member_of_the_office(queued, outsider):
    NoteCopy.objects.filter(pk=queued.pk).update(status="failed")
    other = factories.presidency_user(factories.OfficeFactory())

    for user in (outsider, other):
        with pytest.raises(services.CorrespondenceError, match="cannot re-send"):
            services.copy_resend(copy=queued, user=user)


def test_resend_button_and_action_in_the_admin(
    client, queued, failing_mail, office, django_capture_on_commit_callbacks
):
    member = factories.presidency_user(office)
    failing_mail.errors = [smtplib.SMTPRecipientsRefused({"mission.nor@example.org": (550, b"5.1.1 User unknown")})]
    task_dispatch_copy.delay(queued.pk)
    client.force_login(member)
    note_url = reverse("admin:correspondence_note_change", args=[queued.note_id])
    resend_url = reverse("admin:correspondence_copy_resend", args=[queued.pk])

    page = client.get(note_url).content.decode()
    assert f'form="resend-{queued.pk}"' in page and f'action="{resend_url}"' in page
    assert (
        "0 / <strong>1</strong> / 0 / 0" in client.get(reverse("admin:correspondence_note_changelist")).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url, follow=True)
    assert "Re-sending to Permanent Mission of Norway at Geneva." in response.content.decode()
    queued.refresh_from_db()
    assert queued.status == "sent"
    assert len(mail.outbox) == 1

    response = client.post(resend_url, follow=True)
    assert "Only a failed copy can be re-sent" in response.content.decode()
    assert len(mail.outbox) == 1


def test_resend_action_of_the_outbox_admin(
    admin_client, note, secretariat, issue, failing_mail, django_capture_on_commit_callbacks
):
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 User unknown")})
    failing_mail.errors = [refused, refused]
    issue(note, secretariat)
    assert sorted(note.copies.values_list("status", flat=True)) == ["failed", "failed", "sent"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:correspondence_notecopy_changelist"),
            {"action": "resend_failed", "_selected_action": list(note.copies.values_list("pk", flat=True))},
            follow=True,
        )

    assert "2 copies queued again." in response.content.decode()
    assert sorted(note.copies.values_list("status", flat=True)) == ["sent", "sent", "sent"]
    assert len(mail.outbox) == 3


def test_a_copy_whose_wording_no_longer_renders_fails_with_the_reason(queued):
    Note.objects.filter(pk=queued.note_id).update(body="{{ opening }}\n\n{{ meeting.gone }}")

    assert task_dispatch_copy.delay(queued.pk).get() == "failed"

    queued.refresh_from_db()
    assert queued.last_error.startswith("Cannot render: body, line 3")
    assert mail.outbox == []


def test_a_transient_refusal_during_issue_does_not_stop_the_other_copies(note, secretariat, issue, failing_mail):
    failing_mail.errors = [factories.transient(451)]

    issued = issue(note, secretariat)

    assert issued.status == Note.Status.ISSUED
    assert sorted(note.copies.values_list("status", "attempts")) == [("sent", 1), ("sent", 1), ("sent", 2)]
    assert len(mail.outbox) == 3


# --- what travels with each copy ----------------------------------------------------------------------------------


@pytest.fixture
def enclosed(note, meeting, pdf_bytes):
    from django.core.files.base import ContentFile

    from tests.factories import DocumentFactory

    document = DocumentFactory(meeting=meeting, symbol="CCM/MSP/2030/1", title="Provisional agenda")
    document.file.save("agenda.pdf", ContentFile(pdf_bytes), save=True)
    note.enclosures.add(document)
    return document


def test_enclosures_travel_as_attachments(note, enclosed, secretariat, issue, pdf_bytes):
    issue(note, secretariat)

    for message in mail.outbox:
        names = [name for name, _, _ in message.attachments]
        assert names[1:] == ["CCM-MSP-2030-1-en.pdf"]
        assert message.attachments[1][1] == pdf_bytes
    copy = note.copies.first()
    text = factories.pdf_text(stored(copy))
    assert "Enclosures: CCM/MSP/2030/1 – Provisional agenda" in text
    assert len(PdfReader(io.BytesIO(stored(copy))).pages) == 1


def test_enclosures_can_be_appended_to_the_pdf(note, enclosed, secretariat, issue):
    Note.objects.filter(pk=note.pk).update(append_enclosures=True)

    issue(note, secretariat)

    for message in mail.outbox:
        assert len(message.attachments) == 1
    copy = note.copies.first()
    assert len(PdfReader(io.BytesIO(stored(copy))).pages) == 2
    assert copy.pdf_sha256 == hashlib.sha256(stored(copy)).hexdigest()


def test_addresses_are_frozen_at_issue(queued, one_party):
    _, mission = one_party
    mission.emails = "new.address@example.org"
    mission.save()

    task_dispatch_copy.delay(queued.pk)

    assert mail.outbox[0].to == ["mission.nor@example.org"]


def _javascript_pdf() -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_enclosure_that_fails_the_upload_checks_stops_the_issue(note, enclosed, secretariat, issue):
    """The file may have been replaced since it was checked: it is checked again, and nothing is numbered."""
    with open(enclosed.file.path, "wb") as handle:
        handle.write(_javascript_pdf())

    with pytest.raises(services.CorrespondenceError) as refused:
        issue(note, secretariat)

    assert str(refused.value).startswith("The enclosure CCM/MSP/2030/1 cannot be sent: The PDF contains JavaScript")
    note.refresh_from_db()
    assert note.status == Note.Status.DRAFT and note.seq is None
    assert mail.outbox == []


@pytest.mark.parametrize("appended", [False, True])
def test_an_enclosure_replaced_after_issue_fails_its_copies_instead_of_going_out(
    note, enclosed, secretariat, django_capture_on_commit_callbacks, appended
):
    Note.objects.filter(pk=note.pk).update(append_enclosures=appended)
    note.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False):
        services.note_issue(note=note, user=secretariat, issue_date=factories.ISSUE_DATE)
    with open(enclosed.file.path, "wb") as handle:
        handle.write(_javascript_pdf())

    tasks.outbox_dispatch()

    copies = list(note.copies.all())
    assert copies and all(c.status == NoteCopy.Status.FAILED for c in copies)
    reason = "The enclosure CCM/MSP/2030/1 cannot be sent: The PDF contains JavaScript"
    assert all(reason in copy.last_error for copy in copies)
    assert mail.outbox == []
