"""The public meeting pages: no login, upcoming/past lists with filters, detail, document download."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Document, Meeting, Officer
from tests.factories import (
    DocumentFactory,
    MeetingFactory,
    OfficerFactory,
    OrganisationFactory,
    StateFactory,
    apmbc,
)
from treaties.models import State

pytestmark = pytest.mark.django_db

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
LIST_URL = reverse("meetings:list")


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def shown_dates(html: str) -> list[str]:
    """The text of every date line (list cards and the detail page), whitespace-trimmed."""
    found = re.findall(r'<p class="when">(.*?)</p>|<dt>Dates</dt><dd>(.*?)</dd>', html, flags=re.DOTALL)
    return [(card or detail).strip() for card, detail in found]


def listed(client, **params) -> list[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return [meeting.title for meeting in response.context["meetings"]]


@pytest.fixture
def calendar_of_meetings():
    """Two past, one running today, two upcoming; CCM and APMBC; several kinds."""
    MeetingFactory(title="Long past MSP", kind=Meeting.Kind.MSP, number=1, start_date=days(-400), end_date=days(-397))
    MeetingFactory(title="Ended yesterday", start_date=days(-3), end_date=days(-1))
    MeetingFactory(title="Ends today", start_date=days(-2), end_date=days(0))
    MeetingFactory(
        title="APMBC committees", treaty=apmbc(), kind=Meeting.Kind.COMMITTEE, start_date=days(30), end_date=days(34)
    )
    MeetingFactory(title="Next MSP", kind=Meeting.Kind.MSP, number=2, start_date=days(10), end_date=days(13))


# The list


def test_list_is_public_and_shows_upcoming_meetings_soonest_first(client, calendar_of_meetings):
    assert listed(client) == ["Ends today", "Next MSP", "APMBC committees"]


def test_list_shows_past_meetings_most_recent_first(client, calendar_of_meetings):
    assert listed(client, when="past") == ["Ended yesterday", "Long past MSP"]


def test_unknown_when_falls_back_to_upcoming(client, calendar_of_meetings):
    response = client.get(LIST_URL, {"when": "someday"})

    assert response.context["when"] == "upcoming"
    assert [m.title for m in response.context["meetings"]] == ["Ends today", "Next MSP", "APMBC committees"]


def test_list_filters_by_treaty(client, calendar_of_meetings):
    assert listed(client, treaty="CCM") == ["Ends today", "Next MSP"]
    assert listed(client, treaty="APMBC") == ["APMBC committees"]
    assert listed(client, treaty="APMBC", when="past") == []
    assert listed(client, treaty="CCM", when="past") == ["Ended yesterday", "Long past MSP"]


def test_list_filters_by_kind(client, calendar_of_meetings):
    assert listed(client, kind="msp") == ["Next MSP"]
    assert listed(client, kind="msp", when="past") == ["Long past MSP"]
    assert listed(client, kind="committee", treaty="CCM") == []


def test_unknown_kind_is_ignored(client, calendar_of_meetings):
    response = client.get(LIST_URL, {"kind": "banquet"})

    assert response.context["kind"] == ""
    assert [m.title for m in response.context["meetings"]] == ["Ends today", "Next MSP", "APMBC committees"]
    assert "banquet" not in response.content.decode()


def test_list_keeps_the_chosen_filters_selected(client, calendar_of_meetings):
    html = client.get(LIST_URL, {"treaty": "APMBC", "kind": "committee"}).content.decode()

    assert '<option value="APMBC" selected>Anti-Personnel Mine Ban Convention</option>' in html
    assert '<option value="committee" selected>Committee meetings</option>' in html
    assert 'href="/en/meetings/calendar.ics?treaty=APMBC" download' in html
    assert 'href="webcal://testserver/en/meetings/calendar.ics?treaty=APMBC"' in html


def test_list_offers_to_subscribe_by_webcal_and_to_download(client):
    html = client.get(LIST_URL).content.decode()

    assert '<a href="webcal://testserver/en/meetings/calendar.ics">Subscribe (webcal)</a>' in html
    assert '<a href="/en/meetings/calendar.ics" download>Download .ics</a>' in html


def test_detail_offers_to_subscribe_by_webcal_and_to_download(client):
    meeting = MeetingFactory(slug="ccm-13msp")

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert '<a class="button" href="webcal://testserver/en/meetings/ccm-13msp/calendar.ics">Subscribe</a>' in html
    assert '<a href="/en/meetings/ccm-13msp/calendar.ics" download>Download the .ics file</a>' in html


def test_list_card_says_when_registration_is_open(client):
    MeetingFactory(
        title="Open one",
        start_date=days(30),
        end_date=days(33),
        registration_opens=days(-5),
        registration_deadline=days(10),
    )
    MeetingFactory(title="Not yet", start_date=days(60), end_date=days(63), registration_opens=days(5))
    MeetingFactory(
        title="Cancelled one",
        start_date=days(20),
        end_date=days(21),
        registration_opens=days(-5),
        status=Meeting.Status.CANCELLED,
    )

    html = client.get(LIST_URL).content.decode()

    assert html.count("<strong>Registration open</strong>") == 1
    assert f"<strong>Registration open</strong> until {days(10):%-d %B %Y}" in html


def test_empty_list_says_so(client):
    html = client.get(LIST_URL, {"when": "past"}).content.decode()

    assert "No past meetings match these filters." in html


def test_list_card_shows_code_dates_place_and_current_president_only(client):
    meeting = MeetingFactory(
        title="Thirtieth Meeting of States Parties",
        kind=Meeting.Kind.MSP,
        number=30,
        start_date=dt.date(2040, 9, 11),
        end_date=dt.date(2040, 9, 14),
        room="Room XIX",
    )
    OfficerFactory(
        meeting=meeting,
        role=Officer.Role.PRESIDENT_DESIGNATE,
        state=StateFactory(name_en="Formerland"),
        until=dt.date(2040, 1, 1),
    )
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT, state=StateFactory(name_en="Presidentia"))

    html = client.get(LIST_URL).content.decode()

    assert "CCM · Meeting of States Parties · 30MSP" in html
    assert f'<a href="/en/meetings/{meeting.slug}/"><bdi>Thirtieth Meeting of States Parties</bdi></a>' in html
    assert shown_dates(html) == ["11–14 September 2040"]
    assert '<p class="where">Room XIX, Palais des Nations, Geneva</p>' in html
    assert "President: Presidentia" in html
    assert "Formerland" not in html


def test_list_is_paginated_by_twenty(client):
    for n in range(21):
        MeetingFactory(title=f"Meeting {n:02d}", start_date=days(1 + n), end_date=days(1 + n))

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["meetings"]) == 20
    assert [m.title for m in second.context["meetings"]] == ["Meeting 20"]


# The detail page


@pytest.fixture
def msp11(pdf_bytes):
    meeting = MeetingFactory(
        slug="ccm-11msp",
        title="Eleventh Meeting of States Parties",
        kind=Meeting.Kind.MSP,
        number=11,
        start_date=dt.date(2023, 9, 11),
        end_date=dt.date(2023, 9, 14),
        city="Geneva",
        venue="Palais des Nations",
        room="Room XIX",
        registration_opens=dt.date(2023, 6, 1),
        registration_deadline=dt.date(2023, 9, 12),
        registration_deadline_reason="on-site registration for observers",
        delegation_details_deadline=dt.date(2023, 8, 31),
        host_state=StateFactory(name_en="Hostland"),
    )
    presidentia = StateFactory(name_en="Presidentia")
    OfficerFactory(
        meeting=meeting,
        role=Officer.Role.PRESIDENT_DESIGNATE,
        state=presidentia,
        person_name="H.E. Ms. Designate",
        since=dt.date(2022, 8, 30),
        until=dt.date(2023, 9, 11),
    )
    OfficerFactory(
        meeting=meeting,
        role=Officer.Role.PRESIDENT,
        state=presidentia,
        person_name="H.E. Mr. President",
        person_title="Ambassador",
        since=dt.date(2023, 9, 11),
    )
    OfficerFactory(
        meeting=meeting,
        role=Officer.Role.COORDINATOR,
        state=StateFactory(name_en="Coordinatia"),
        person_name="Ms. Coordinator",
        thematic_area="Victim assistance",
    )
    agenda = DocumentFactory(
        meeting=meeting,
        symbol="CCM/MSP/2023/1",
        title="Provisional agenda",
        file=ContentFile(pdf_bytes, name="agenda.pdf"),
    )
    DocumentFactory(
        meeting=meeting, symbol="CCM/MSP/2023/2", title="Programme of work", kind=Document.Kind.PROGRAMME_OF_WORK
    )
    return meeting, agenda


def test_detail_is_public_and_shows_dates_and_place(client, msp11):
    meeting, _ = msp11

    response = client.get(meeting.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1><bdi>Eleventh Meeting of States Parties</bdi></h1>" in html
    assert "Convention on Cluster Munitions · Meeting of States Parties · 11MSP" in html
    assert shown_dates(html) == ["11–14 September 2023"]
    assert "<dt>Venue</dt><dd>Room XIX, Palais des Nations, Geneva</dd>" in html
    assert "<dt>Host</dt><dd>Hostland</dd>" in html


def test_detail_shows_the_deadlines(client, msp11):
    meeting, _ = msp11

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert "<dt>Registration opens</dt><dd>1 June 2023</dd>" in html
    assert (
        "<dt>Registration deadline</dt><dd>12 September 2023"
        ' <span class="muted">(on-site registration for observers)</span></dd>'
    ) in html
    assert "<dt>Delegation details due</dt><dd>Thursday, 31 August 2023</dd>" in html


def test_detail_shows_the_presidency_history_and_other_officers(client, msp11):
    meeting, _ = msp11

    response = client.get(meeting.get_absolute_url())
    html = response.content.decode()

    assert [(o.role, o.is_current) for o in response.context["presidency"]] == [
        (Officer.Role.PRESIDENT_DESIGNATE, False),
        (Officer.Role.PRESIDENT, True),
    ]
    assert (
        '<li class="former"><strong>President-designate</strong>: H.E. Ms. Designate (Presidentia)'
        ' <span class="muted">(until 11 September 2023)</span></li>'
    ) in html
    assert (
        '<li><strong>President</strong>: H.E. Mr. President (Presidentia), <span class="muted">Ambassador</span></li>'
    ) in html
    assert (
        "<li><strong>Coordinator / Friend of the President</strong> – Victim assistance:"
        " Ms. Coordinator (Coordinatia)</li>"
    ) in html


def test_detail_lists_documents_with_a_download_link_when_there_is_a_file(client, msp11):
    meeting, agenda = msp11

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert f'<a href="/en/meetings/documents/{agenda.pk}.pdf"><bdi>Provisional agenda</bdi></a>' in html
    assert (
        '<td data-label="Symbol" class="breakable">CCM/MSP/2023/2</td>'
        '<td data-label="Title"><bdi>Programme of work</bdi><br>'
    ) in html
    assert html.count('href="/en/meetings/documents/') == 1


def test_detail_of_a_meeting_with_nothing_announced(client):
    meeting = MeetingFactory(start_date=dt.date(2031, 2, 3), end_date=dt.date(2031, 2, 3), start_time=dt.time(15))

    html = client.get(meeting.get_absolute_url()).content.decode()

    assert shown_dates(html) == ["Monday 3 February 2031, 15:00"]
    assert "No deadlines announced." in html
    assert "No officers announced yet." in html
    assert "No documents yet." in html


def test_detail_of_an_unknown_slug_is_404(client):
    assert client.get(reverse("meetings:detail", args=["no-such-meeting"])).status_code == 404


# Document download


def test_document_download_returns_the_pdf(client, msp11, pdf_bytes):
    _, agenda = msp11

    response = client.get(reverse("meetings:document_file", args=[agenda.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="CCM_MSP_2023_1-en.pdf"'
    assert b"".join(response.streaming_content) == pdf_bytes


def test_document_without_a_file_is_404(client, msp11):
    meeting, _ = msp11
    without_file = meeting.documents.get(symbol="CCM/MSP/2023/2")

    assert client.get(reverse("meetings:document_file", args=[without_file.pk])).status_code == 404


def test_unknown_document_is_404(client):
    assert client.get(reverse("meetings:document_file", args=[999999])).status_code == 404


# Mobile


def test_list_and_detail_pages_have_the_viewport_meta_tag(client):
    meeting = MeetingFactory()

    assert VIEWPORT in client.get(LIST_URL).content.decode()
    assert VIEWPORT in client.get(meeting.get_absolute_url()).content.decode()


# Query counts do not grow with the data


def upcoming_meeting_with_president(n: int, host: State, president: State) -> Meeting:
    # States are shared: StateFactory's iso2 sequence repeats after 26 rows within one test.
    meeting = MeetingFactory(
        kind=Meeting.Kind.MSP, number=100 + n, start_date=days(5 + n), end_date=days(6 + n), host_state=host
    )
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT, state=president)
    return meeting


def test_list_query_count_is_the_same_for_1_and_50_meetings(client, django_assert_num_queries):
    host, president = StateFactory(), StateFactory(name_en="Presidentia")
    upcoming_meeting_with_president(0, host, president)
    with CaptureQueriesContext(connection) as for_one:
        response = client.get(LIST_URL)
    assert len(response.context["meetings"]) == 1

    for n in range(1, 50):
        upcoming_meeting_with_president(n, host, president)

    with django_assert_num_queries(len(for_one.captured_queries)):
        response = client.get(LIST_URL)
    assert len(response.context["meetings"]) == 20  # a full page
    assert response.content.decode().count("President: Presidentia") == 20


def detailed_meeting_parts(meeting: Meeting, n: int) -> None:
    OfficerFactory(meeting=meeting, role=Officer.Role.VICE_PRESIDENT, organisation=OrganisationFactory())
    DocumentFactory(meeting=meeting, symbol=f"CCM/MSP/2040/{n}", file=ContentFile(b"%PDF-", name="x.pdf"))


def test_detail_query_count_is_the_same_for_1_and_20_officers_and_documents(client, django_assert_num_queries):
    meeting = MeetingFactory(
        kind=Meeting.Kind.MSP,
        number=40,
        host_state=StateFactory(),
        country=StateFactory(),
        preparatory_for=MeetingFactory(kind=Meeting.Kind.MSP, number=39),
    )
    meeting.supporting_organisations.add(OrganisationFactory())
    MeetingFactory(preparatory_for=meeting)
    detailed_meeting_parts(meeting, 0)
    with CaptureQueriesContext(connection) as for_one:
        client.get(meeting.get_absolute_url())

    for n in range(1, 20):
        detailed_meeting_parts(meeting, n)

    with django_assert_num_queries(len(for_one.captured_queries)):
        response = client.get(meeting.get_absolute_url())
    html = response.content.decode()
    assert html.count("<strong>Vice-President</strong>") == 20
    assert html.count('href="/en/meetings/documents/') == 20
