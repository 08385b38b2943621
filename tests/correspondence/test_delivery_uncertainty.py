"""Only a failure after the message's data was sent leaves its delivery uncertain (a real SMTP conversation).

A connection dropped at the greeting or before the data means the server cannot have the message:
the copy is retried. Dropped after the data, the server may have kept it: the copy waits for a person.
"""

import socketserver
import threading

import pytest

from correspondence import dispatch
from correspondence.models import NoteCopy

from . import factories


class SinkHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP; ``mode`` says where it hangs up: greeting, before_data, after_data, or never."""

    mode = "never"
    received: list[bytes] = []

    def reply(self, text: bytes) -> None:
        self.wfile.write(text + b"\r\n")

    def handle(self):
        mode = type(self).mode
        if mode == "greeting":
            return  # hang up before saying anything
        self.reply(b"220 sink ESMTP")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.reply(b"250 sink")
            elif command.startswith(b"RCPT") and mode == "before_data":
                return  # the envelope was given; the message never was
            elif command.startswith((b"MAIL", b"RCPT", b"RSET", b"NOOP")):
                self.reply(b"250 ok")
            elif command == b"DATA":
                self.reply(b"354 go ahead")
                data = b"".join(iter(self.rfile.readline, b".\r\n"))
                if mode == "after_data":
                    return  # the whole message arrived; the answer never leaves
                type(self).received.append(data)
                self.reply(b"250 queued")
            elif command == b"QUIT":
                self.reply(b"221 bye")
                return
            else:
                self.reply(b"500 what?")


@pytest.fixture
def sink(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SinkHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_BACKEND = "correspondence.mail.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    SinkHandler.received = []
    yield SinkHandler
    server.shutdown()
    server.server_close()
    SinkHandler.mode = "never"


@pytest.fixture
def queued(office, secretariat, issue):
    factories.party(name="Norway", emails="mission.nor@example.org")
    note = issue(factories.draft(office, secretariat), secretariat, dispatch=False)
    return note.copies.get()


@pytest.mark.parametrize("mode", ["greeting", "before_data"])
def test_a_connection_dropped_before_the_data_is_retried(sink, queued, mode):
    sink.mode = mode
    with pytest.raises(dispatch.TransientDeliveryError):
        dispatch.copy_dispatch(copy_id=queued.pk)

    queued.refresh_from_db()
    assert queued.status == NoteCopy.Status.RENDERED  # waiting for its retry, not for a person
    assert "uncertain" not in queued.last_error

    sink.mode = "never"
    assert dispatch.copy_dispatch(copy_id=queued.pk) == NoteCopy.Status.SENT
    assert len(sink.received) == 1


def test_a_connection_dropped_after_the_data_is_uncertain(sink, queued):
    sink.mode = "after_data"
    assert dispatch.copy_dispatch(copy_id=queued.pk) == NoteCopy.Status.FAILED

    queued.refresh_from_db()
    assert queued.last_error.startswith("Delivery uncertain")
    assert queued.message_id in queued.last_error or "Check the mail server's log" in queued.last_error


def test_in_a_batch_too_a_drop_before_the_data_retries_and_the_others_go_on(sink, office, secretariat, issue):
    for name in ("Norway", "Chile", "Mexico"):
        factories.party(name=name, emails=f"mission.{name.lower()}@example.org")
    note = issue(factories.draft(office, secretariat), secretariat, dispatch=False)
    sink.mode = "greeting"

    outcomes = dispatch.copies_dispatch(copy_ids=list(note.copies.order_by("pk").values_list("pk", flat=True)))

    assert set(outcomes.values()) == {NoteCopy.Status.RENDERED}  # every copy waits for a retry
    assert not note.copies.filter(last_error__startswith="Delivery uncertain").exists()
