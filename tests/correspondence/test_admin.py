"""Staff pages: the archive, the copies' PDFs, and who sees which office's correspondence."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from correspondence.models import AddresseeGroup, IndividualAddressee, Note, NoteCopy
from correspondence.selectors import note_archive
from tests.factories import MeetingFactory

from . import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:correspondence_note_changelist"


@pytest.fixture
def sent_note(note, secretariat, issue):
    """Issued to the three States Parties, every copy sent."""
    return issue(note, secretariat)


def changelist(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return response


def listed(response) -> set[int]:
    return {note.pk for note in response.context["cl"].result_list}


@pytest.fixture(params=["superuser", "secretariat_group"])
def staff_client(request, client, secretariat, admin_user):
    """The secretariat, as a superuser or as a staff user in the Secretariat group."""
    client.force_login(admin_user if request.param == "superuser" else secretariat)
    return client


def test_changelist_shows_the_copy_counts(staff_client, sent_note, office, secretariat, issue, failing_mail):
    import smtplib

    factories.party(name="Niue", emails="")
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 User unknown")})
    failing_mail.errors = [refused, refused]
    mixed = issue(factories.draft(office, secretariat, subject="Mixed fortunes"), secretariat)
    waiting = issue(factories.draft(office, secretariat, subject="Still waiting"), secretariat, dispatch=False)
    factories.draft(office, secretariat, subject="Only a draft")

    page = changelist(staff_client).content.decode()

    assert "3 / <strong>0</strong> / 0 / 0" in page  # sent_note
    assert "1 / <strong>2</strong> / 1 / 0" in page  # mixed: 1 sent, 2 failed, Niue by hand
    assert "0 / <strong>0</strong> / 0 / 4" in page  # waiting
    assert "(draft)" in page
    for note in (sent_note, mixed, waiting):
        assert note.reference in page
    failed = changelist(staff_client, copies="failed")
    assert listed(failed) == {mixed.pk}
    assert "1 / <strong>2</strong> / 1 / 0" in failed.content.decode()  # filtering does not multiply the counts
    assert listed(changelist(staff_client, copies="by_hand")) == {mixed.pk}
    pending = changelist(staff_client, copies="pending")
    assert listed(pending) == {waiting.pk}
    assert "0 / <strong>0</strong> / 0 / 4" in pending.content.decode()


def test_an_archived_note_shows_its_copies_recorded_not_in_progress(staff_client, office, secretariat, parties, issue):
    archived = issue(
        factories.draft(office, secretariat, subject="Sent by hand in 2010"), secretariat, sent_elsewhere=True
    )

    page = changelist(staff_client).content.decode()

    assert archived.reference in page
    assert "3 recorded (sent outside the portal)" in page
    assert "0 / <strong>0</strong> / 0 / 3" not in page


def test_archive_search(staff_client, sent_note, secretariat, issue):
    other = unrelated_note(secretariat, issue)
    queries = {
        "reference": sent_note.reference,
        "meeting title": "eleventh meeting",
        "office name": sent_note.office.name,
        "addressee name": "partyland 1",
        "subject": "Invitation to the",
    }

    for field, query in queries.items():
        response = changelist(staff_client, q=query)

        assert listed(response) == {sent_note.pk}, field
        # Searching through the copies does not multiply the counts.
        assert "3 / <strong>0</strong> / 0 / 0" in response.content.decode(), field
    assert listed(changelist(staff_client, q="someone else")) == {other.pk}
    assert listed(changelist(staff_client, q="nothing like this")) == set()


def unrelated_note(user, issue) -> Note:
    """Issued by another office, about another meeting, to one person."""
    note = factories.draft(
        factories.OfficeFactory(name="Another Office"),
        user,
        meeting=MeetingFactory(title="Other"),
        groups=[],
        subject="Unrelated",
    )
    IndividualAddressee.objects.create(note=note, person_name="H.E. Someone Else", email="else@example.org")
    return issue(note, user, dispatch=False)


def test_archive_selector_search_keeps_the_counts(sent_note, issue, secretariat, office):
    other = unrelated_note(secretariat, issue)

    for query in ("partyland", sent_note.reference, "eleventh meeting", office.name, "invitation to"):
        found = list(note_archive(query=query))
        assert [note.pk for note in found] == [sent_note.pk]
        (note,) = found
        assert (note.copies_total, note.copies_sent, note.copies_failed, note.copies_by_hand) == (3, 3, 0, 0)

    assert [note.pk for note in note_archive(query="someone else")] == [other.pk]
    assert {note.pk for note in note_archive()} == {sent_note.pk, other.pk}
    assert list(note_archive(query="partyland", office_ids=[other.office_id])) == []


def test_copy_pdf_download_is_the_stored_file(staff_client, sent_note):
    for copy in sent_note.copies.all():
        response = staff_client.get(reverse("admin:correspondence_copy_pdf", args=[copy.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        data = b"".join(response.streaming_content)
        assert hashlib.sha256(data).hexdigest() == copy.pdf_sha256
        assert (
            f"{sent_note.reference.replace('/', '-')}-{copy.addressee_key.replace(':', '-')}.pdf"
            in (response["Content-Disposition"])
        )


def test_copy_pdf_of_an_unrendered_copy_is_404(staff_client, note, secretariat, issue):
    waiting = issue(note, secretariat, dispatch=False).copies.first()

    assert staff_client.get(reverse("admin:correspondence_copy_pdf", args=[waiting.pk])).status_code == 404


def test_note_change_page_lists_the_copies_with_their_pdf(staff_client, sent_note):
    page = staff_client.get(reverse("admin:correspondence_note_change", args=[sent_note.pk])).content.decode()

    for copy in sent_note.copies.all():
        assert reverse("admin:correspondence_copy_pdf", args=[copy.pk]) in page
        assert copy.pdf_sha256[:12] in page
        assert copy.addressee_name in page


# --- presidency offices see their own correspondence only -------------------------------------------------------


@pytest.fixture
def two_offices(meeting, issue):
    """Office A and office B, each with a member, an issued note (two copies sent) and a draft."""
    factories.party(name="Partyland A")
    factories.party(name="Partyland B")
    result = {}
    for name in ("A", "B"):
        office = factories.OfficeFactory(name=f"Office {name}")
        member = factories.presidency_user(office)
        issued = issue(factories.draft(office, member, meeting=meeting, subject=f"Issued by {name}"), member)
        draft = factories.draft(office, member, meeting=meeting, subject=f"Drafted by {name}")
        result[name] = {"office": office, "member": member, "issued": issued, "draft": draft}
    return result


@pytest.mark.parametrize(("me", "them"), [("A", "B"), ("B", "A")])
def test_a_presidency_office_sees_only_its_own_notes(client, two_offices, me, them):
    mine, theirs = two_offices[me], two_offices[them]
    client.force_login(mine["member"])

    assert listed(changelist(client)) == {mine["issued"].pk, mine["draft"].pk}
    assert listed(changelist(client, q=theirs["issued"].reference)) == set()
    assert client.get(reverse("admin:correspondence_note_change", args=[mine["issued"].pk])).status_code == 200

    for note in (theirs["issued"], theirs["draft"]):
        response = client.get(reverse("admin:correspondence_note_change", args=[note.pk]))
        assert response.status_code == 302  # the admin's "does not exist" redirect
        assert response.url == reverse("admin:index")
        for name in ("admin:correspondence_note_preview", "admin:correspondence_note_preview_pdf"):
            assert client.get(reverse(name, args=[note.pk])).status_code == 404
        for name in ("submit", "approve", "issue", "correct"):
            assert client.post(reverse(f"admin:correspondence_note_{name}", args=[note.pk])).status_code == 404
    for copy in theirs["issued"].copies.all():
        assert client.get(reverse("admin:correspondence_copy_pdf", args=[copy.pk])).status_code == 404
        NoteCopy.objects.filter(pk=copy.pk).update(status="failed")
        assert client.post(reverse("admin:correspondence_copy_resend", args=[copy.pk])).status_code == 404
        assert client.get(reverse("admin:correspondence_notecopy_change", args=[copy.pk])).status_code == 302
    for copy in mine["issued"].copies.all():
        response = client.get(reverse("admin:correspondence_copy_pdf", args=[copy.pk]))
        assert response.status_code == 200
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == copy.pdf_sha256

    outbox = client.get(reverse("admin:correspondence_notecopy_changelist"))
    assert {copy.note_id for copy in outbox.context["cl"].result_list} == {mine["issued"].pk}
    theirs["draft"].refresh_from_db()
    assert theirs["draft"].status == Note.Status.DRAFT
    assert not Note.objects.filter(corrects=theirs["issued"]).exists()


def test_a_presidency_member_can_only_file_notes_under_their_office(client, two_offices):
    client.force_login(two_offices["A"]["member"])

    page = client.get(reverse("admin:correspondence_note_add")).content.decode()

    assert "Office A" in page and "Office B" not in page
    response = client.post(
        reverse("admin:correspondence_note_add"),
        {
            "office": two_offices["B"]["office"].pk,
            "treaty": two_offices["B"]["issued"].treaty_id,
            "form": "note_verbale",
            "language": "en",
            "subject": "Smuggled",
            "body": "{{ opening }}",
            "addressee_groups": [AddresseeGroup.STATES_PARTIES],
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
            "individuals-TOTAL_FORMS": "0",
            "individuals-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Note.objects.filter(subject="Smuggled").exists()


def test_staff_outside_every_office_see_nothing(client, two_offices, outsider):
    factories.grant_note_permissions(outsider)
    client.force_login(outsider)

    assert listed(changelist(client)) == set()
    copy = two_offices["A"]["issued"].copies.first()
    assert client.get(reverse("admin:correspondence_copy_pdf", args=[copy.pk])).status_code == 404


def test_the_secretariat_sees_every_office(staff_client, two_offices):
    assert listed(changelist(staff_client)) == {
        two_offices[name][kind].pk for name in ("A", "B") for kind in ("issued", "draft")
    }


def test_non_staff_are_sent_to_the_login(client, two_offices):
    user = factories.presidency_user(two_offices["A"]["office"])
    user.is_staff = False
    user.save()
    client.force_login(user)
    copy = two_offices["A"]["issued"].copies.first()

    response = client.get(reverse("admin:correspondence_copy_pdf", args=[copy.pk]))

    assert response.status_code == 302
    assert "login" in response.url


# --- the changelist does not grow its query count with the rows ----------------------------------------------------


def test_changelist_query_count_does_not_depend_on_the_number_of_notes(client, office, meeting, parties, issue):
    member = factories.presidency_user(office)
    client.force_login(member)

    def count() -> int:
        client.get(reverse(CHANGELIST))  # warm the session and content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(CHANGELIST))
        assert response.status_code == 200
        return len(queries), len(response.context["cl"].result_list)

    issue(factories.draft(office, member, meeting=meeting), member, dispatch=False)
    one, rows = count()
    assert rows == 1
    for n in range(19):
        note = factories.draft(office, member, meeting=MeetingFactory() if n % 2 else meeting)
        if n % 3:
            issue(note, member, dispatch=False)
    twenty, rows = count()

    assert rows == 20
    assert twenty == one
