"""Batches: a worker task takes several copies, and each keeps the one-copy guarantee."""

import datetime as dt
import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from ccm_portal.celery import app
from correspondence import dispatch
from correspondence.models import Note, NoteCopy, copy_pdf_path
from correspondence.tasks import task_dispatch_copies, task_dispatch_copy, task_dispatch_stale

from . import factories

pytestmark = pytest.mark.django_db


class SessionCountingBackend(LocmemBackend):
    """The test outbox, counting the SMTP sessions a real server would see."""

    sessions = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        self.is_open = True
        SessionCountingBackend.sessions += 1
        return True

    def close(self):
        self.is_open = False


@pytest.fixture
def counted_sessions(settings):
    settings.EMAIL_BACKEND = "tests.correspondence.test_dispatch_batches.SessionCountingBackend"
    SessionCountingBackend.sessions = 0
    return SessionCountingBackend


@pytest.fixture
def issued(note, secretariat, issue):
    """The note issued to its three States Parties, copies left queued."""
    return issue(note, secretariat, dispatch=False)


def copy_ids(note) -> list[int]:
    return list(note.copies.order_by("pk").values_list("pk", flat=True))


def statuses(note) -> list[str]:
    return list(note.copies.order_by("pk").values_list("status", flat=True))


def make_stale(*copies: int) -> None:
    stale = timezone.now() - dt.timedelta(seconds=settings.CORRESPONDENCE_CLAIM_SECONDS + 1)
    NoteCopy.objects.filter(pk__in=copies).update(claimed_at=stale, updated_at=stale)


def test_batches_cover_every_copy_once_in_order_and_shrink_towards_the_end(settings):
    settings.CORRESPONDENCE_DISPATCH_BATCH = 20
    ids = list(range(1, 251))

    batches = dispatch.dispatch_batches(ids)

    assert [copy_id for batch in batches for copy_id in batch] == ids
    sizes = [len(batch) for batch in batches]
    assert max(sizes) == 20 and sizes[-1] == 1
    assert sizes == sorted(sizes, reverse=True)
    assert dispatch.dispatch_batches([]) == []


def test_one_batch_uses_one_smtp_session_and_sends_each_copy_once(issued, counted_sessions):
    outcomes = dispatch.copies_dispatch(copy_ids=copy_ids(issued))

    assert set(outcomes.values()) == {"sent"}
    assert counted_sessions.sessions == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email_list[0] for c in issued.copies.all())
    for copy in issued.copies.all():
        assert (copy.status, copy.attempts, copy.last_error) == ("sent", 1, "")
        assert copy.sent_at and copy.rendered_at and copy.pdf_sha256
        assert copy.message_id == f"<note-{issued.pk}.copy-{copy.pk}@{settings.MESSAGE_ID_DOMAIN}>"
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 3


def test_running_a_batch_again_sends_nothing_more(issued):
    ids = copy_ids(issued)
    dispatch.copies_dispatch(copy_ids=ids)
    before = list(issued.copies.order_by("pk").values_list("pdf", "pdf_sha256", "sent_at"))

    assert task_dispatch_copies.apply(args=[ids]).get() == dict.fromkeys(ids, "sent")

    assert list(issued.copies.order_by("pk").values_list("pdf", "pdf_sha256", "sent_at")) == before
    assert len(mail.outbox) == 3


def test_a_batch_takes_each_row_from_where_it_is(note, secretariat, issue):
    factories.party(name="Handland", emails="")  # no e-mail: delivered by hand
    issued = issue(note, secretariat, dispatch=False)
    by_hand = issued.copies.get(delivery="by_hand")
    sent, rendered, queued = issued.copies.filter(delivery="email").order_by("pk")
    dispatch.copy_dispatch(copy_id=sent.pk)
    factories.FailingBackend.errors = [factories.transient(451)]
    with pytest.raises(dispatch.TransientDeliveryError):
        dispatch.copy_dispatch(copy_id=rendered.pk, connection=factories.FailingBackend())
    rendered.refresh_from_db()
    assert rendered.status == "rendered"
    mail.outbox.clear()

    outcomes = dispatch.copies_dispatch(copy_ids=copy_ids(issued))

    assert outcomes == {sent.pk: "sent", rendered.pk: "sent", queued.pk: "sent", by_hand.pk: "by_hand"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([rendered.email_list[0], queued.email_list[0]])
    assert NoteCopy.objects.get(pk=rendered.pk).pdf_sha256 == rendered.pdf_sha256  # the stored PDF, not a new one
    assert NoteCopy.objects.get(pk=by_hand.pk).pdf_sha256


def test_a_transient_refusal_retries_that_copy_alone(issued, failing_mail):
    failing_mail.errors = [factories.transient(451)]

    task_dispatch_copies.apply(args=[copy_ids(issued)])

    assert sorted(issued.copies.values_list("status", "attempts")) == [("sent", 1), ("sent", 1), ("sent", 2)]
    assert len(mail.outbox) == 3


class RefusingOnceBackend(SessionCountingBackend):
    """Refuses the first message for good (550), then accepts."""

    refusals: list[Exception] = []

    def send_messages(self, messages):
        if type(self).refusals:
            raise type(self).refusals.pop()
        return super().send_messages(messages)


def test_a_permanent_refusal_fails_one_copy_and_the_batch_goes_on_in_a_new_session(issued, settings):
    settings.EMAIL_BACKEND = "tests.correspondence.test_dispatch_batches.RefusingOnceBackend"
    RefusingOnceBackend.refusals = [smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 User unknown")})]
    SessionCountingBackend.sessions = 0
    first, *others = copy_ids(issued)

    outcomes = dispatch.copies_dispatch(copy_ids=[first, *others])

    assert outcomes == {first: "failed", **dict.fromkeys(others, "sent")}
    assert "550" in NoteCopy.objects.get(pk=first).last_error
    assert SessionCountingBackend.sessions == 2  # the session that failed was closed, not reused
    assert len(mail.outbox) == 2


def test_a_worker_killed_after_the_server_accepted_sends_nothing_twice(issued, settings):
    first, *others = ids = copy_ids(issued)
    settings.EMAIL_BACKEND = "tests.correspondence.factories.DiesAfterAcceptingBackend"

    with pytest.raises(factories.WorkerKilled):
        task_dispatch_copies.apply(args=[ids])

    assert statuses(issued) == ["sending", "rendered", "rendered"]  # every PDF was stored before mailing began
    assert len(mail.outbox) == 1

    # The broker hands the task to another worker at once: the copy being sent is left alone.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert task_dispatch_copies.apply(args=[ids]).get() == {first: "sending", **dict.fromkeys(others, "sent")}
    assert len(mail.outbox) == 3

    # Once the claim is stale, the safety net marks it uncertain instead of mailing it again.
    make_stale(first)
    assert task_dispatch_stale.apply().get() == 1
    failed = NoteCopy.objects.get(pk=first)
    assert failed.status == "failed" and failed.last_error.startswith("Delivery uncertain")
    assert len(mail.outbox) == 3


def test_a_copy_whose_wording_fails_fails_alone_and_the_batch_goes_on(issued):
    first, *others = ids = copy_ids(issued)
    name = NoteCopy.objects.get(pk=first).addressee_name
    body = "{{ opening }}\n\n{% if addressee.name == '" + name + "' %}{{ meeting.gone }}{% endif %}"
    Note.objects.filter(pk=issued.pk).update(body=body)

    assert dispatch.copies_dispatch(copy_ids=ids) == {first: "failed", **dict.fromkeys(others, "sent")}
    assert NoteCopy.objects.get(pk=first).last_error.startswith("Cannot render: body, line 3")
    assert len(mail.outbox) == 2


def test_a_crash_while_rendering_loses_no_copy(issued, monkeypatch):
    _, second, _ = ids = copy_ids(issued)
    render = dispatch.copy_render

    def crash_on_the_second(*, copy, rendered, enclosures):
        if copy.pk == second:
            raise MemoryError("the renderer ran out of memory")
        return render(copy=copy, rendered=rendered, enclosures=enclosures)

    monkeypatch.setattr(dispatch, "copy_render", crash_on_the_second)
    with pytest.raises(MemoryError):
        dispatch.copies_dispatch(copy_ids=ids)

    # Nothing was mailed before every PDF was rendered; the claims wait for the safety net.
    assert statuses(issued) == ["rendering", "rendering", "rendering"]
    assert mail.outbox == []

    monkeypatch.undo()
    make_stale(*ids)
    assert task_dispatch_stale.apply().get() == 3
    assert statuses(issued) == ["sent", "sent", "sent"]
    assert len(mail.outbox) == 3


def test_the_safety_net_requeues_copies_a_worker_abandoned(issued):
    rendering, fresh, waiting = copy_ids(issued)
    NoteCopy.objects.filter(pk__in=[rendering, fresh]).update(status="rendering", claimed_at=timezone.now())
    make_stale(rendering, waiting)

    assert task_dispatch_stale.apply().get() == 2

    assert statuses(issued) == ["sent", "rendering", "sent"]  # a live claim is nobody else's business
    assert len(mail.outbox) == 2


def test_a_pdf_another_run_stored_first_is_kept(issued, monkeypatch):
    first, *_ = copy_ids(issued)
    render = dispatch.copy_render

    def render_while_another_run_stores_first(*, copy, rendered, enclosures):
        pdf = render(copy=copy, rendered=rendered, enclosures=enclosures)
        if copy.pk == first:
            name = copy.pdf.storage.save("notes/other-run.pdf", ContentFile(pdf))
            NoteCopy.objects.filter(pk=first).update(
                status="rendered", pdf=name, pdf_sha256="0" * 64, message_id="<other@run>"
            )
        return pdf

    monkeypatch.setattr(dispatch, "copy_render", render_while_another_run_stores_first)

    dispatch.copies_dispatch(copy_ids=copy_ids(issued))

    kept = NoteCopy.objects.get(pk=first)
    assert (kept.status, kept.pdf.name, kept.pdf_sha256) == ("sent", "notes/other-run.pdf", "0" * 64)
    assert len(mail.outbox) == 3
    assert "<other@run>" in {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert not kept.pdf.storage.exists(copy_pdf_path(kept, ""))  # the PDF this run rendered was thrown away


def test_the_safety_net_runs_on_beat():
    schedule = settings.CELERY_BEAT_SCHEDULE["correspondence-stale-outbox"]
    assert schedule["task"] in app.tasks


def test_a_batch_task_stays_within_the_claim_lifetime():
    for task in (task_dispatch_copy, task_dispatch_copies):
        assert task.time_limit < settings.CORRESPONDENCE_CLAIM_SECONDS


def test_a_refused_copy_waits_30_seconds_then_twice_as_long_each_time(issued, failing_mail, monkeypatch):
    """The README's "30 s doubling", whichever task the refusal happens in (they were 30, 30, 60, 120 s)."""
    from celery.exceptions import Retry

    failing_mail.errors = [factories.transient(451)]
    waits: list[int] = []
    monkeypatch.setattr(task_dispatch_copy, "apply_async", lambda args, countdown: waits.append(countdown))
    monkeypatch.setattr(task_dispatch_copy, "retry", lambda exc, countdown: waits.append(countdown) or Retry())

    task_dispatch_copies.apply(args=[copy_ids(issued)])  # the first send of the batch is refused
    refused = issued.copies.get(status=NoteCopy.Status.RENDERED)
    failing_mail.errors = [factories.transient(451)] * 3
    for _ in range(3):  # a worker runs the copy's own task; each refusal schedules the next try
        with pytest.raises(Retry):
            task_dispatch_copy.run(refused.pk)

    assert waits == [30, 60, 120, 240]
    refused.refresh_from_db()
    assert refused.attempts == 4
    assert [dispatch.retry_delay(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]
