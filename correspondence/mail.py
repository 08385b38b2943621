"""Django's SMTP backend, telling whether the server can have the message when a send fails.

A note verbale is mailed at most once, so a failure whose outcome is unknown marks the copy
"delivery uncertain" and waits for a person. But a connection dropped at the greeting, or any
time before the whole message (up to its final ".") was written to the server, means the
server cannot have it: that copy is safely retried. Only a failure after that is uncertain.
"""

import smtplib

from django.core.mail.backends.smtp import EmailBackend as SMTPEmailBackend


class _Tracking:
    """Mixed into smtplib's SMTP classes: ``message_sent`` turns true once a message's data is all written;
    ``refused`` keeps the addresses the server refused while it accepted the message for the others
    (smtplib returns them, and Django's backend drops them)."""

    message_sent = False
    refused: dict = {}

    def sendmail(self, *args, **kwargs):
        self.message_sent, self.refused = False, {}
        self.refused = super().sendmail(*args, **kwargs)
        return self.refused

    def send(self, s):
        # Commands go out as str; the message itself (from data()) as bytes, ending with "\r\n.\r\n".
        super().send(s)
        if isinstance(s, bytes):
            self.message_sent = True


class TrackingSMTP(_Tracking, smtplib.SMTP):
    pass


class TrackingSMTPSSL(_Tracking, smtplib.SMTP_SSL):
    pass


class EmailBackend(SMTPEmailBackend):
    @property
    def connection_class(self):
        return TrackingSMTPSSL if self.use_ssl else TrackingSMTP


def server_may_have_it(connection) -> bool:
    """After a failed send on ``connection``: could the server have taken the message?

    Backends that cannot tell (files, the test outbox, any other) answer yes, the safe side.
    Read it before closing the connection: closing forgets the session.
    """
    if not isinstance(connection, EmailBackend):
        return True
    session = connection.connection
    return session is not None and session.message_sent


def refused_recipients(connection) -> dict[str, tuple[int, bytes]]:
    """After a send that succeeded on ``connection``: the addresses the server refused, with its reply.

    Backends that cannot tell (the test outbox, files) report none refused.
    """
    if not isinstance(connection, EmailBackend) or connection.connection is None:
        return {}
    return dict(connection.connection.refused)
