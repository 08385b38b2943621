"""One dispatch engine for a batch, a single copy and a plain e-mail: the same steps, the same guarantees."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from correspondence import dispatch
from correspondence.models import Email, NoteCopy

from . import factories

pytestmark = pytest.mark.django_db

GOOD, BAD = "mission.two@example.org", "registry.two@example.org"


@pytest.fixture
def issued(note, secretariat, issue):
    """The note issued to its three States Parties, copies left queued."""
    return issue(note, secretariat, dispatch=False)


def copy_ids(note) -> list[int]:
    return list(note.copies.order_by("pk").values_list("pk", flat=True))


def stale() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.CORRESPONDENCE_CLAIM_SECONDS + 1)


def test_a_single_copy_and_a_batch_leave_the_same_rows(note, secretariat, issue):
    issued = issue(note, secretariat, dispatch=False)
    first, *others = copy_ids(issued)

    assert dispatch.copy_dispatch(copy_id=first) == "sent"
    assert dispatch.copies_dispatch(copy_ids=others) == dict.fromkeys(others, "sent")

    rows = NoteCopy.objects.filter(note=issued).order_by("pk")
    assert [(c.status, c.attempts, c.last_error, c.refused, c.claimed_at is not None) for c in rows] == [
        ("sent", 1, "", {}, True)
    ] * 3
    assert all(c.rendered_at and c.sent_at and c.pdf_sha256 for c in rows)
    assert len(mail.outbox) == 3


def test_one_run_takes_every_row_from_where_it_is(issued):
    """Abandoned while sending, abandoned while rendering, waiting for a retry and queued, in one run."""
    sending, rendering, queued = copy_ids(issued)
    dispatch.copy_dispatch(copy_id=sending)
    NoteCopy.objects.filter(pk=sending).update(status="sending", sent_at=None, claimed_at=stale())
    NoteCopy.objects.filter(pk=rendering).update(status="rendering", claimed_at=stale())
    mail.outbox.clear()

    outcomes = dispatch.copies_dispatch(copy_ids=[sending, rendering, queued])

    assert outcomes == {sending: "failed", rendering: "sent", queued: "sent"}
    assert NoteCopy.objects.get(pk=sending).last_error.startswith("Delivery uncertain")
    assert len(mail.outbox) == 2


def test_a_batch_mails_a_copy_waiting_for_its_retry_to_the_refused_address_alone(issued):
    """The batch clears the refusals of a copy it sends, as a single copy's run always did."""
    first, *_ = ids = copy_ids(issued)
    factories.FailingBackend.errors = [factories.transient(451)]
    with pytest.raises(dispatch.TransientDeliveryError):
        dispatch.copy_dispatch(copy_id=first, connection=factories.FailingBackend())
    NoteCopy.objects.filter(pk=first).update(
        emails=f"{GOOD}\n{BAD}", delivered_to=GOOD, refused={BAD: "450 4.2.1 Mailbox busy"}
    )

    assert dispatch.copies_dispatch(copy_ids=ids) == dict.fromkeys(ids, "sent")

    copy = NoteCopy.objects.get(pk=first)
    assert (copy.status, copy.attempts, copy.refused, copy.last_error) == ("sent", 2, {}, "")
    assert [m.to for m in mail.outbox if m.extra_headers["Message-ID"] == copy.message_id] == [[BAD]]


def test_a_copy_that_has_its_pdf_is_never_rendered_again(issued, monkeypatch):
    """A queued or by-hand row that already holds its PDF (a row left so) is mailed or settled, not re-rendered."""
    mailed, by_hand, _ = ids = copy_ids(issued)
    dispatch.copies_dispatch(copy_ids=ids)
    NoteCopy.objects.filter(pk=mailed).update(status="queued")
    NoteCopy.objects.filter(pk=by_hand).update(status="rendered", delivery="by_hand")
    before = dict(NoteCopy.objects.values_list("pk", "pdf_sha256"))
    mail.outbox.clear()

    def no_rendering(**kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(dispatch, "copy_render", no_rendering)

    assert dispatch.copies_dispatch(copy_ids=[mailed, by_hand]) == {mailed: "sent", by_hand: "by_hand"}
    assert dict(NoteCopy.objects.values_list("pk", "pdf_sha256")) == before
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == NoteCopy.objects.get(pk=mailed).message_id


def test_a_batch_costs_one_statement_per_copy_beyond_its_fixed_few(note, secretariat, issue, parties):
    """What keeps `make bench` where it is: claims, PDFs and rows cost statements per batch, not per copy."""
    for n in range(4):  # seven States Parties in all
        factories.party(name=f"Extraland {n}")
    issued = issue(note, secretariat, dispatch=False)
    ids = copy_ids(issued)
    dispatch.copies_dispatch(copy_ids=ids[:1])  # the issued note is then cached in this process

    with CaptureQueriesContext(connection) as two:
        dispatch.copies_dispatch(copy_ids=ids[1:3])
    with CaptureQueriesContext(connection) as four:
        dispatch.copies_dispatch(copy_ids=ids[3:])

    assert len(four) - len(two) == 2  # one statement per copy: "sent" for one and "sending" for the next
    assert len(two) <= 6  # rows, claim, PDFs, and one more statement than copies to record them


def test_an_email_takes_the_copies_steps(settings):
    """Claimed, mailed and recorded by the same statements as a copy, with nothing to render."""
    settings.EMAIL_BACKEND = "tests.correspondence.factories.FailingBackend"
    factories.FailingBackend.errors = [factories.transient(451)]
    email = Email.objects.create(source="registration", to=GOOD, subject="S", body="B", message_id="<e@x>")

    with pytest.raises(dispatch.TransientDeliveryError) as refused:
        dispatch.email_dispatch(email_id=email.pk)
    assert refused.value.attempts == 1
    email.refresh_from_db()
    assert (email.status, email.claimed_at) == ("queued", None)

    with CaptureQueriesContext(connection) as queries:
        assert dispatch.email_dispatch(email_id=email.pk) == "sent"
    assert len(queries) == 3  # the row, "sending", "sent"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error, email.refused) == ("sent", 2, "", {})
    assert email.sent_at and email.claimed_at
    factories.FailingBackend.errors = []


def test_a_row_that_does_not_exist_says_so(db):
    with pytest.raises(NoteCopy.DoesNotExist):
        dispatch.copy_dispatch(copy_id=0)
    with pytest.raises(Email.DoesNotExist):
        dispatch.email_dispatch(email_id=0)
    assert dispatch.copies_dispatch(copy_ids=[0]) == {}
