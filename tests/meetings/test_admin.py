"""The secretariat's admin pages for meetings, officers and documents."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import Document, Meeting, Officer
from tests.factories import DocumentFactory, MeetingFactory, OfficerFactory, StateFactory, ccm
from tests.meetings.factories import form_errors, inline_errors, meeting_admin_data

pytestmark = pytest.mark.django_db

MEETING_ADD = reverse("admin:meetings_meeting_add")


def new_meeting_data(*, inlines=None, **fields):
    data = meeting_admin_data(
        inlines=inlines,
        treaty=ccm().pk,
        kind=Meeting.Kind.MSP,
        number="31",
        title_en="Thirty-first Meeting of States Parties",  # the admin edits each language: title_en, title_fr …
        slug="ccm-31msp",
        start_date="2041-09-10",
        end_date="2041-09-13",
        city="Geneva",
        venue="Palais des Nations",
        room="Room XIX",
    )
    data.update(fields)
    return data


def president_row(state, **fields):
    row = {
        "role": Officer.Role.PRESIDENT,
        "state": state.pk,
        "organisation": "",
        "person_name": "",
        "person_title": "",
        "thematic_area": "",
        "since": "",
        "until": "",
    }
    row.update(fields)
    return row


# Changelists


def test_meeting_changelist_lists_meetings_with_their_code_and_document_count(admin_client):
    meeting = MeetingFactory(title="Eleventh Meeting of States Parties", kind=Meeting.Kind.MSP, number=11)
    MeetingFactory(title="Intersessional Meeting")
    DocumentFactory(meeting=meeting)
    DocumentFactory(meeting=meeting)

    response = admin_client.get(reverse("admin:meetings_meeting_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
    rows = {m.title: m for m in response.context["cl"].result_list}
    assert rows["Eleventh Meeting of States Parties"].document_total == 2
    assert rows["Intersessional Meeting"].document_total == 0
    html = response.content.decode()
    assert "Eleventh Meeting of States Parties" in html
    assert '<td class="field-short_code">11MSP</td>' in html
    assert '<td class="field-document_count">2</td>' in html


def test_meeting_changelist_search_finds_by_city(admin_client):
    MeetingFactory(title="First MSP", city="Vientiane")
    MeetingFactory(title="Eleventh MSP", city="Geneva")

    response = admin_client.get(reverse("admin:meetings_meeting_changelist"), {"q": "Vientiane"})

    assert [m.title for m in response.context["cl"].result_list] == ["First MSP"]


def test_officer_changelist_lists_officers(admin_client):
    OfficerFactory(person_name="H.E. Mr. Abdul-Karim Hashim Mostafa", state=StateFactory(name_en="Presidentia"))
    OfficerFactory(role=Officer.Role.VICE_PRESIDENT, person_name="Ms. Vice")

    response = admin_client.get(reverse("admin:meetings_officer_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
    html = response.content.decode()
    assert "H.E. Mr. Abdul-Karim Hashim Mostafa" in html
    assert "Presidentia" in html
    assert "Ms. Vice" in html


def test_document_changelist_lists_documents(admin_client):
    DocumentFactory(symbol="CCM/MSP/2023/1", title="Provisional agenda")
    DocumentFactory(symbol="CCM/MSP/2023/2", title="Programme of work", kind=Document.Kind.PROGRAMME_OF_WORK)

    response = admin_client.get(reverse("admin:meetings_document_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
    html = response.content.decode()
    assert "CCM/MSP/2023/1" in html
    assert "CCM/MSP/2023/2" in html


@pytest.mark.parametrize(
    "url_name",
    ["admin:meetings_meeting_add", "admin:meetings_officer_add", "admin:meetings_document_add"],
)
def test_add_forms_open(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_meeting_change_form_opens_with_its_inlines(admin_client):
    meeting = MeetingFactory()
    OfficerFactory(meeting=meeting)
    DocumentFactory(meeting=meeting)

    response = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    assert response.status_code == 200
    assert [inline.formset.prefix for inline in response.context["inline_admin_formsets"]] == [
        "officers",
        "documents",
        "links",
    ]


def test_admin_pages_need_a_staff_login(client):
    response = client.get(reverse("admin:meetings_meeting_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# The Meeting add form


def test_meeting_add_form_creates_a_meeting(admin_client):
    response = admin_client.post(MEETING_ADD, new_meeting_data())

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.short_code, meeting.start_date, meeting.end_date, meeting.room) == (
        "31MSP",
        dt.date(2041, 9, 10),
        dt.date(2041, 9, 13),
        "Room XIX",
    )


def test_meeting_add_form_records_the_french_and_spanish_titles(admin_client):
    french = "Trente et unième Assemblée des États parties à la Convention sur les armes à sous-munitions"
    spanish = "Trigésima Primera Reunión de los Estados Partes en la Convención sobre Municiones en Racimo"

    response = admin_client.post(MEETING_ADD, new_meeting_data(title_fr=french, title_es=spanish))

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.title_in("fr"), meeting.title_in("es"), meeting.title_in("ar")) == (
        french,
        spanish,
        "Thirty-first Meeting of States Parties",
    )


def test_meeting_add_form_rejects_an_end_before_the_start(admin_client):
    response = admin_client.post(MEETING_ADD, new_meeting_data(start_date="2041-09-10", end_date="2041-09-09"))

    assert response.status_code == 200
    assert form_errors(response) == {"end_date": ["The meeting cannot end before it starts."]}
    assert "The meeting cannot end before it starts." in response.content.decode()
    assert Meeting.objects.count() == 0


def test_meeting_add_form_rejects_a_late_deadline_without_reason(admin_client):
    response = admin_client.post(MEETING_ADD, new_meeting_data(registration_deadline="2041-09-11"))

    assert form_errors(response) == {
        "registration_deadline_reason": ["The deadline falls after the opening day; say why registration stays open."]
    }
    assert Meeting.objects.count() == 0


def test_meeting_add_form_rejects_a_number_already_taken(admin_client):
    MeetingFactory(kind=Meeting.Kind.MSP, number=31)

    response = admin_client.post(MEETING_ADD, new_meeting_data())

    assert response.status_code == 200
    assert form_errors(response) == {"number": ["The 31MSP of the Convention on Cluster Munitions already exists."]}
    assert Meeting.objects.count() == 1


def test_meeting_add_form_saves_the_president_inline(admin_client):
    state = StateFactory()

    response = admin_client.post(MEETING_ADD, new_meeting_data(inlines={"officers": [president_row(state)]}))

    assert response.status_code == 302
    assert list(Officer.objects.values_list("meeting__slug", "role", "state")) == [
        ("ccm-31msp", Officer.Role.PRESIDENT, state.pk)
    ]


# Officers: one current President per meeting


def test_meeting_change_form_rejects_a_second_current_president(admin_client):
    meeting = MeetingFactory()
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT)
    data = meeting_admin_data(meeting, inlines={"officers": [president_row(StateFactory())]})

    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)

    assert response.status_code == 200
    assert inline_errors(response, "officers") == [
        {"role": ["This meeting already has a current President; give that one an end date (until) first."]}
    ]
    assert meeting.officers.count() == 1


def test_meeting_add_form_rejects_two_current_presidents_at_once(admin_client):
    rows = [president_row(StateFactory()), president_row(StateFactory())]

    response = admin_client.post(MEETING_ADD, new_meeting_data(inlines={"officers": rows}))

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "A meeting has only one current President; give the others an end date (until)."
    ]
    assert Meeting.objects.count() == 0
    assert Officer.objects.count() == 0


def test_meeting_add_form_accepts_an_ended_and_a_current_president(admin_client):
    rows = [
        president_row(StateFactory(), since="2040-01-01", until="2040-06-30"),
        president_row(StateFactory(), since="2040-06-30"),
    ]

    response = admin_client.post(MEETING_ADD, new_meeting_data(inlines={"officers": rows}))

    assert response.status_code == 302
    assert sorted(o.is_current for o in Officer.objects.all()) == [False, True]


def test_officer_add_form_rejects_a_second_current_president(admin_client):
    meeting = MeetingFactory()
    OfficerFactory(meeting=meeting, role=Officer.Role.PRESIDENT)

    response = admin_client.post(
        reverse("admin:meetings_officer_add"),
        {"meeting": meeting.pk, **president_row(StateFactory())},
    )

    assert response.status_code == 200
    assert form_errors(response) == {
        "role": ["This meeting already has a current President; give that one an end date (until) first."]
    }
    assert Officer.objects.count() == 1
