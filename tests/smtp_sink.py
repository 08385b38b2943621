"""A real SMTP server for tests (aiosmtpd in a thread) that misbehaves on demand.

It keeps every message it accepted, by recipient, and can answer 451 to a message, 550 to
chosen addresses, and drop the connection at the greeting, after the DATA command (before the
message) or after the message (before its reply). Each fault is armed for a number of times.
"""

from __future__ import annotations

import email
import logging
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

# aiosmtpd narrates every command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)

# The port range the tests may use for SMTP servers (several test sessions share the machine).
PORTS = range(2600, 2700)


def free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {ports.start}-{ports.stop - 1}.")


@dataclass
class Received:
    recipients: list[str]
    message_id: str
    subject: str


@dataclass
class Sink:
    """What the server does and what it received; change the knobs while it runs."""

    refuse: dict[str, str] = field(default_factory=dict)  # address -> reply, e.g. "550 5.1.1 User unknown"
    faults: Counter = field(default_factory=Counter)  # "451", "greeting", "data", "after_message" -> times left
    delay: float = 0.0  # seconds before answering each message (to catch a worker mid-batch)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def take(self, fault: str) -> bool:
        with self.lock:
            if self.faults[fault] > 0:
                self.faults[fault] -= 1
                return True
            return False

    def count(self, address: str) -> int:
        with self.lock:
            return sum(item.recipients.count(address) for item in self.received)

    def addresses(self) -> Counter:
        with self.lock:
            return Counter(address for item in self.received for address in item.recipients)

    def wait_for(self, predicate, *, timeout: float, step: float = 0.2) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(step)
        return predicate()

    # --- aiosmtpd's handler hooks ---

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # blocks the server's loop: a slow server, one message at a time
        if self.take("451"):
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), message["Message-ID"], message["Subject"]))
        if self.take("after_message"):
            # The server has the message, but the client never hears so: delivery is uncertain.
            server.transport.close()
        return "250 OK"


class _FaultySMTP(SMTP):
    def __init__(self, handler, **kwargs):
        super().__init__(handler, **kwargs)
        self.sink: Sink = handler

    def connection_made(self, transport):
        super().connection_made(transport)
        if self.sink.take("greeting"):
            transport.close()

    async def smtp_DATA(self, arg):
        if self.sink.take("data"):
            self.transport.close()  # after the DATA command, before the message
            return
        await super().smtp_DATA(arg)


class _Controller(Controller):
    def factory(self):
        return _FaultySMTP(self.handler, **self.SMTP_kwargs)


class SMTPSink:
    """Start with ``with SMTPSink() as sink:``; ``sink.port`` is where it listens."""

    def __init__(self, ports: range = PORTS):
        self.sink = Sink()
        self.sink.port = free_port(ports)
        self.controller = _Controller(self.sink, hostname="127.0.0.1", port=self.sink.port)

    def __enter__(self) -> Sink:
        self.controller.start()
        return self.sink

    def __exit__(self, *exc) -> None:
        self.controller.stop()
