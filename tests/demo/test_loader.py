"""The demo loader (manage.py load_demo): the meetings of the seed letters, loaded idempotently."""

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from common.uploads import validate_pdf
from correspondence.models import Office
from meetings.models import Document, Meeting, MeetingLink, Officer
from registration.models import FocalPoint
from treaties.models import Organisation, Participation, PermanentMission, State

pytestmark = pytest.mark.django_db

COUNTED = [Meeting, Officer, Document, MeetingLink, Office, get_user_model(), EmailAddress, FocalPoint]
COUNTED += [State, Organisation, Participation, PermanentMission]

PAST_DEMO_MEETINGS = [
    "ccm-12msp-geneva-2024",
    "ccm-11msp-geneva-2023",
    "ccm-2msp-beirut-2011",
    "ccm-intersessional-2011",
    "apmbc-standing-committees-2011",
    "ccm-1msp-vientiane-2010",
    "ccm-1msp-preparatory-2010",
    "ccm-briefing-2010-03-17",
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@dataclass
class Demo:
    first: dict[str, int]
    second: dict[str, int]
    output: str
    media: Path
    private: Path


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded twice, once for this module (the registry import takes seconds), rolled back at the end."""
    media = tmp_path_factory.mktemp("demo-media")
    private = tmp_path_factory.mktemp("demo-private")  # the credentials the demo uploads
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=private, PASSWORD_HASHERS=fast_hashing),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_demo()
            first = counts()
            output = load_demo()
            yield Demo(first=first, second=counts(), output=output, media=media, private=private)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_media(demo, settings):
    """Point the storage at the demo's files (the shared conftest gives each test an empty MEDIA_ROOT)."""
    settings.MEDIA_ROOT = demo.media
    return demo.media


def test_loading_twice_creates_no_duplicates(demo):
    assert demo.second == demo.first
    assert {name: demo.first[name] for name in ("Meeting", "Officer", "Document", "Office", "User")} == {
        "Meeting": 11,
        "Officer": 8,
        "Document": 4,  # the 11MSP agenda and programme of work, and the two non-papers of seed 001
        "Office": 4,
        "User": 9,  # the three demo logins, the reminders' approver, four focal points who registered, an applicant
    }
    assert "Demo data loaded." in demo.output


def test_demo_files_are_stored_once_and_are_real_pdfs(demo_media):
    files = sorted((p for p in demo_media.rglob("*") if p.is_file()), key=lambda p: p.as_posix())

    assert [p.relative_to(demo_media).as_posix() for p in files] == [
        "documents/ccm-11msp-geneva-2023/CCM_MSP_2023_1-en.pdf",
        "documents/ccm-11msp-geneva-2023/CCM_MSP_2023_2-en.pdf",
        # Seed 001's two non-papers, enclosed with the letter
        "documents/ccm-briefing-2010-03-17/Lao_PDR_non_paper_1__February_2010_-en.pdf",
        "documents/ccm-briefing-2010-03-17/Lao_PDR_non_paper_2__February_2010_-en.pdf",
    ]
    for path in files:
        assert validate_pdf(SimpleUploadedFile(path.name, path.read_bytes())) is None


def test_every_demo_meeting_and_officer_passes_validation(demo):
    for meeting in Meeting.objects.all():
        meeting.full_clean()
    for officer in Officer.objects.all():
        officer.full_clean()


def test_11msp(demo):
    meeting = Meeting.objects.get(slug="ccm-11msp-geneva-2023")

    assert (meeting.treaty.code, meeting.kind, meeting.number, meeting.short_code) == ("CCM", "msp", 11, "11MSP")
    assert (meeting.start_date, meeting.end_date) == (dt.date(2023, 9, 11), dt.date(2023, 9, 14))
    assert meeting.location == "Room XIX, Palais des Nations, Geneva"
    assert meeting.delegation_details_deadline == dt.date(2023, 8, 31)
    president = meeting.officers.get()
    assert (president.role, president.is_current, president.state.iso3, president.person_name) == (
        Officer.Role.PRESIDENT,
        True,
        "IRQ",
        "H.E. Mr. Abdul-Karim Hashim Mostafa",
    )
    assert sorted(meeting.documents.values_list("symbol", flat=True)) == ["CCM/MSP/2023/1", "CCM/MSP/2023/2"]


def test_1msp_keeps_the_presidency_history(demo):
    meeting = Meeting.objects.get(slug="ccm-1msp-vientiane-2010")

    assert meeting.short_code == "1MSP"
    assert list(meeting.officers.order_by("since").values_list("role", "state__iso3", "since", "until")) == [
        (Officer.Role.PRESIDENT_DESIGNATE, "LAO", dt.date(2009, 12, 2), dt.date(2010, 11, 9)),
        (Officer.Role.PRESIDENT, "LAO", dt.date(2010, 11, 9), None),
    ]
    assert Meeting.objects.get(slug="ccm-1msp-preparatory-2010").preparatory_for == meeting


def test_briefing_is_one_afternoon(demo):
    meeting = Meeting.objects.get(slug="ccm-briefing-2010-03-17")

    assert (meeting.kind, meeting.start_date, meeting.end_date, meeting.start_time) == (
        Meeting.Kind.BRIEFING,
        dt.date(2010, 3, 17),
        dt.date(2010, 3, 17),
        dt.time(15, 0),
    )
    assert meeting.is_one_day is True
    assert meeting.room == "CD Council Chamber"


def test_intersessional_2011_supporters_and_registration(demo):
    meeting = Meeting.objects.get(slug="ccm-intersessional-2011")

    assert meeting.short_code == ""
    assert sorted(meeting.supporting_organisations.values_list("acronym", flat=True)) == ["GICHD", "UNDP"]
    assert meeting.registration_opens == dt.date(2011, 5, 9)
    assert meeting.venue_address == "Avenue de la Paix 7bis, Geneva"


def test_apmbc_standing_committees_deadline(demo):
    meeting = Meeting.objects.get(slug="apmbc-standing-committees-2011")

    assert (meeting.treaty.code, meeting.kind) == ("APMBC", Meeting.Kind.COMMITTEE)
    assert meeting.registration_deadline == dt.date(2011, 6, 13)
    assert meeting.registration_deadline_reason == ""


def test_public_lists_show_the_demo_meetings(demo, client):
    past = client.get(reverse("meetings:list"), {"when": "past"})
    upcoming = client.get(reverse("meetings:list"))

    assert [m.slug for m in past.context["meetings"]] == PAST_DEMO_MEETINGS
    assert [m.slug for m in upcoming.context["meetings"]] == [
        "ccm-coordination-committee-next",
        "ccm-coordination-committee-after",
        "ccm-intersessional-demo",
    ]
    html = past.content.decode()
    assert "CCM · Meeting of States Parties · 11MSP" in html
    assert "Eleventh Meeting of States Parties to the Convention on Cluster Munitions" in html


def test_11msp_page_links_its_documents_and_they_download(demo_media, client):
    meeting = Meeting.objects.get(slug="ccm-11msp-geneva-2023")
    agenda = meeting.documents.get(symbol="CCM/MSP/2023/1")

    html = client.get(meeting.get_absolute_url()).content.decode()
    download = client.get(reverse("meetings:document_file", args=[agenda.pk]))

    assert f'<a href="/en/meetings/documents/{agenda.pk}.pdf"><bdi>Provisional agenda</bdi></a>' in html
    assert "<dt>Delegation details due</dt><dd>Thursday, 31 August 2023</dd>" in html
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_secretariat_has_delegations_to_review(demo, settings):
    """Submitted delegations with credentials waiting, an organisation asking to take part, a focal point request:
    the dashboard's counts are not zero and each leads somewhere."""
    from ccm_portal.dashboard import dashboard
    from registration.models import Credentials, Delegation

    settings.PRIVATE_MEDIA_ROOT = demo.private
    waiting = Delegation.objects.filter(meeting__slug="ccm-intersessional-demo", status=Delegation.Status.SUBMITTED)
    assert sorted(str(d.party) for d in waiting) == [
        "Chile",
        "Humanity & Inclusion (HI)",
        "Lao People's Democratic Republic",
    ]
    lao = waiting.get(state__iso3="LAO")
    assert [m.family_name for m in lao.members.order_by("position_in_list")] == ["Phommachanh", "Sengdara"]
    assert lao.created_by.email == "focalpoint.lao@ccm-portal.localhost"
    credentials = Credentials.objects.filter(status=Credentials.Status.RECEIVED)
    assert sorted(c.delegation.state.iso3 for c in credentials) == ["CHL", "LAO"]
    assert validate_pdf(credentials.get(delegation=lao).file.open("rb")) is None
    assert waiting.get(organisation__acronym="HI").admission == Delegation.Admission.REQUESTED

    board = dashboard(today=dt.date.today())
    found = {c.label: c.count for c in board.attention}
    assert found["Delegations to review"] == 3
    assert found["Credentials to examine"] == 2
    assert found["Focal point requests"] == 1


def test_the_demo_people_are_named_as_a_sign_up_names_them(demo):
    """Pages and e-mails greet the demo people by name, with their ministry or mission, not by address."""
    from django.contrib.auth import get_user_model

    from demo.loader import DEMO_ACCOUNTS

    for account in DEMO_ACCOUNTS:
        user = get_user_model().objects.select_related("profile").get(email=account.email)
        assert user.get_full_name() == f"{account.first_name} {account.last_name}"
        assert user.profile.affiliation == account.affiliation
