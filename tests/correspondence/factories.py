"""Shared by the correspondence tests: offices, users with their roles, notes, PDF text and failing mail servers."""

import datetime as dt
import io
import re
import smtplib

import factory
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from pypdf import PdfReader

from common.roles import PRESIDENCY, SECRETARIAT
from correspondence import services
from correspondence.models import AddresseeGroup, Form, Note, Office
from tests.factories import MissionFactory, ParticipationFactory, StateFactory, UserFactory, ccm

ISSUE_DATE = dt.date(2023, 3, 21)
BODY = "{{ opening }} invite it to the {{ meeting.title }}, {{ meeting.dates }}.\n\n{{ closing }}"
SUBJECT = "Invitation to the {{ meeting.title }}"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Test Office for Disarmament Affairs {n}")
    code = factory.Sequence(lambda n: f"TOD{n}")
    kind = Office.Kind.SECRETARIAT
    letterhead_lines = "UNITED NATIONS | NATIONS UNIES\nTest Office for Disarmament Affairs"
    city = "Geneva"
    email = "office@example.org"
    reference_pattern = "{code}/{yyyy}-{seq:03}"


def grant_note_permissions(user) -> None:
    """The model permissions the admin asks for; the roles in common.roles do not grant them yet."""
    codenames = [
        f"{action}_{model}"
        for model in ("note", "notecopy", "notetemplate", "signatory", "individualaddressee")
        for action in ("add", "change", "delete", "view")
    ]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="correspondence", codename__in=codenames)
    )


def with_two_factor(user):
    """Staff must have an authenticator app before they reach the admin, when two-factor sign-in is installed."""
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
        )
    return user


def staff_user(**kwargs):
    return with_two_factor(UserFactory(is_staff=True, **kwargs))


def secretariat_user(**kwargs):
    user = staff_user(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    grant_note_permissions(user)
    return user


def presidency_user(office: Office, **kwargs):
    user = staff_user(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=PRESIDENCY)[0])
    grant_note_permissions(user)
    office.members.add(user)
    return user


def party(*, name: str | None = None, emails: str | None = None, deposit=dt.date(2011, 3, 24), **participation):
    """A State Party to the CCM (in force from 1 September 2011 by default) with a Geneva mission."""
    state = StateFactory(**({"name_en": name} if name else {}))
    mission = MissionFactory(state=state, **({} if emails is None else {"emails": emails}))
    ParticipationFactory(state=state, deposit_date=deposit, **participation)
    return state, mission


def draft(office: Office, user, *, meeting=None, groups=(AddresseeGroup.STATES_PARTIES,), **fields) -> Note:
    fields.setdefault("subject", SUBJECT if meeting else "Convention on Cluster Munitions")
    fields.setdefault("body", BODY if meeting else "{{ opening }} inform it.\n\n{{ closing }}")
    return services.note_create(
        office=office,
        created_by=user,
        treaty=None if meeting else ccm(),
        meeting=meeting,
        form=fields.pop("form", Form.NOTE_VERBALE),
        addressee_groups=list(groups),
        **fields,
    )


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace collapsed and bidi marks removed."""
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return re.sub(r"\s+", " ", text)


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses the next messages with the exceptions in ``FailingBackend.errors``.

    Each call takes one exception off the list; once the list is empty, messages are accepted
    into Django's test outbox like the locmem backend.
    """

    errors: list[BaseException] = []
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).errors:
            raise type(self).errors.pop(0)
        for message in messages:
            message.message()  # build it, as a real backend would
            mail.outbox.append(message)
        return len(messages)


class DiesAfterAcceptingBackend(BaseEmailBackend):
    """The mail server takes the message, then the worker is killed before it can record that."""

    def send_messages(self, messages):
        for message in messages:
            message.message()
            mail.outbox.append(message)
        raise WorkerKilled("worker killed after the server accepted the message")


class WorkerKilled(BaseException):
    """Like SystemExit: not an Exception, so nothing in the worker catches it."""


def transient(code: int = 451, text: bytes = b"4.3.0 Try again later") -> smtplib.SMTPResponseException:
    return smtplib.SMTPResponseException(code, text)
