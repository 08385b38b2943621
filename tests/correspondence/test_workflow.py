"""Draft → (submit → approve) → issue; an issued note is frozen and only corrected by a new draft."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from correspondence import services
from correspondence.models import Note, NoteCopy, ReferenceCounter
from tests.factories import OrganisationFactory

from . import factories

pytestmark = pytest.mark.django_db


def test_draft_then_issue_without_approval(note, secretariat, issue):
    assert note.status == Note.Status.DRAFT
    assert (note.reference, note.seq, note.year, note.issue_date) == ("", None, None, None)

    issued = issue(note, secretariat)

    note.refresh_from_db()
    assert note.status == Note.Status.ISSUED
    assert (note.seq, note.year, note.issue_date) == (1, 2023, factories.ISSUE_DATE)
    assert note.reference == issued.reference == f"{note.office.code}/2023-001"
    assert note.issued_by == secretariat
    assert note.issued_at is not None
    assert note.copies.count() == 3


def test_numbers_follow_each_other_and_restart_each_year(office, secretariat, parties, issue):
    import datetime as dt

    references = []
    for day in (dt.date(2023, 1, 5), dt.date(2023, 12, 31), dt.date(2024, 1, 2), dt.date(2024, 2, 1)):
        note = factories.draft(office, secretariat)
        references.append(issue(note, secretariat, issue_date=day, dispatch=False).reference)

    code = office.code
    assert references == [f"{code}/2023-001", f"{code}/2023-002", f"{code}/2024-001", f"{code}/2024-002"]


def test_offices_number_independently(secretariat, parties, issue):
    first, second = factories.OfficeFactory(), factories.OfficeFactory()

    a = issue(factories.draft(first, secretariat), secretariat, dispatch=False)
    b = issue(factories.draft(second, secretariat), secretariat, dispatch=False)

    assert (a.seq, b.seq) == (1, 1)
    assert a.reference != b.reference


def test_a_refused_issue_uses_no_number(office, secretariat, parties, issue):
    first = issue(factories.draft(office, secretariat), secretariat, dispatch=False)
    nobody = factories.draft(office, secretariat, groups=[])  # no addressees at all

    with pytest.raises(services.CorrespondenceError, match="no addressees"):
        issue(nobody, secretariat)

    nobody.refresh_from_db()
    assert (nobody.status, nobody.reference, nobody.seq) == (Note.Status.DRAFT, "", None)
    assert ReferenceCounter.objects.get(office=office, year=2023).last_seq == 1
    following = issue(factories.draft(office, secretariat), secretariat, dispatch=False)
    assert (first.seq, following.seq) == (1, 2)


def test_unknown_addressee_group_is_refused_without_a_number(office, secretariat, parties, issue):
    note = factories.draft(office, secretariat, groups=["states_parties", "friends"])

    with pytest.raises(services.CorrespondenceError, match="friends"):
        issue(note, secretariat)

    assert not ReferenceCounter.objects.filter(office=office, last_seq__gt=0).exists()


def test_a_letter_needs_a_signatory(office, secretariat, parties, issue):
    letter = factories.draft(office, secretariat, form="letter")

    with pytest.raises(services.CorrespondenceError, match="signatory"):
        issue(letter, secretariat)

    letter.signatories.create(name="H.E. Test", title="Ambassador")
    assert issue(letter, secretariat).seq == 1


def test_an_office_that_requires_approval_refuses_issue_until_approved(approval_office, meeting, parties, issue):
    drafter = factories.presidency_user(approval_office)
    second = factories.presidency_user(approval_office)
    note = factories.draft(approval_office, drafter, meeting=meeting)

    with pytest.raises(services.CorrespondenceError, match="approval"):
        issue(note, drafter)

    services.note_submit(note=note, user=drafter)
    note.refresh_from_db()
    assert note.status == Note.Status.PENDING_APPROVAL
    with pytest.raises(services.CorrespondenceError, match="approval"):
        issue(note, drafter)

    with pytest.raises(services.CorrespondenceError, match="second person"):
        services.note_approve(note=note, user=drafter)
    note.refresh_from_db()
    assert (note.status, note.approved_by) == (Note.Status.PENDING_APPROVAL, None)

    services.note_approve(note=note, user=second)
    note.refresh_from_db()
    assert (note.status, note.approved_by) == (Note.Status.APPROVED, second)
    assert note.approved_at is not None

    issued = issue(note, drafter)
    assert issued.status == Note.Status.ISSUED
    assert issued.seq == 1
    assert NoteCopy.objects.filter(note=note, status=NoteCopy.Status.SENT).count() == 3


def test_the_database_refuses_an_approval_by_the_drafter(approval_office, meeting):
    drafter = factories.presidency_user(approval_office)
    note = factories.draft(approval_office, drafter, meeting=meeting)

    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(status=Note.Status.APPROVED, approved_by=drafter)


def test_only_members_and_the_secretariat_draft_approve_and_issue(approval_office, meeting, parties, outsider):
    drafter = factories.presidency_user(approval_office)
    other_office_member = factories.presidency_user(factories.OfficeFactory())
    secretariat = factories.secretariat_user()

    with pytest.raises(services.CorrespondenceError, match="do not draft"):
        factories.draft(approval_office, outsider, meeting=meeting)

    note = factories.draft(approval_office, drafter, meeting=meeting)
    services.note_submit(note=note, user=drafter)
    for user in (outsider, other_office_member):
        with pytest.raises(services.CorrespondenceError, match="cannot approve"):
            services.note_approve(note=note, user=user)

    services.note_approve(note=note, user=secretariat)  # the secretariat may be the second person
    for user in (outsider, other_office_member):
        with pytest.raises(services.CorrespondenceError, match="cannot issue"):
            services.note_issue(note=note, user=user, issue_date=factories.ISSUE_DATE, dispatch=False)
    note.refresh_from_db()
    assert note.status == Note.Status.APPROVED


def test_issuing_freezes_the_note(note, secretariat, issue):
    issued = issue(note, secretariat, dispatch=False)

    with pytest.raises(services.CorrespondenceError, match=f"Already issued as {issued.reference}"):
        issue(note, secretariat)

    assert Note.objects.filter(office=note.office, status=Note.Status.ISSUED).count() == 1
    assert ReferenceCounter.objects.get(office=note.office).last_seq == 1
    assert note.copies.count() == 3


def test_correction_is_a_new_draft_and_the_issued_note_stays(office, secretariat, meeting, parties, issue):
    original = factories.draft(office, secretariat, meeting=meeting, form="letter", salutation="Excellencies,")
    original.signatories.create(name="H.E. Signer", title="Ambassador", position=0)
    issued = issue(original, secretariat, dispatch=False)
    before = Note.objects.values().get(pk=issued.pk)

    correction = services.note_correct(note=issued, user=secretariat)

    assert correction.pk != issued.pk
    assert correction.corrects_id == issued.pk
    assert correction.status == Note.Status.DRAFT
    assert (correction.reference, correction.seq) == ("", None)
    assert correction.subject == f"Corrigendum: {issued.subject}"
    assert (correction.body, correction.salutation, correction.form) == (issued.body, "Excellencies,", "letter")
    assert list(correction.signatories.values_list("name", flat=True)) == ["H.E. Signer"]
    assert Note.objects.values().get(pk=issued.pk) == before
    assert issued.copies.count() == 3 and not correction.copies.exists()

    corrected = issue(correction, secretariat, dispatch=False)
    assert corrected.seq == 2
    assert list(issued.corrections.all()) == [corrected]


def test_only_an_issued_note_can_be_corrected(note, secretariat):
    with pytest.raises(services.CorrespondenceError, match="Only an issued note"):
        services.note_correct(note=note, user=secretariat)


# --- the same steps through the admin buttons ---------------------------------------------------------------------


def test_admin_buttons_submit_approve_issue(
    client, approval_office, meeting, parties, django_capture_on_commit_callbacks
):
    drafter = factories.presidency_user(approval_office)
    second = factories.presidency_user(approval_office)
    note = factories.draft(approval_office, drafter, meeting=meeting)
    change_url = reverse("admin:correspondence_note_change", args=[note.pk])

    issue_url = reverse("admin:correspondence_note_issue", args=[note.pk])
    client.force_login(drafter)
    page = client.get(change_url).content.decode()
    assert 'form="step-submit"' in page and issue_url not in page

    refused = client.get(issue_url).content.decode()
    assert "This note cannot be issued: " in refused
    assert "requires a second person&#x27;s approval before issue" in refused
    assert 'name="confirmed"' not in refused
    response = client.post(issue_url, {"confirmed": "0" * 64}, follow=True)
    assert "requires a second person&#x27;s approval before issue" in response.content.decode()
    note.refresh_from_db()
    assert note.status == Note.Status.DRAFT

    response = client.post(reverse("admin:correspondence_note_submit", args=[note.pk]), follow=True)
    assert "Submitted for approval." in response.content.decode()
    response = client.post(reverse("admin:correspondence_note_approve", args=[note.pk]), follow=True)
    assert "you drafted this note" in response.content.decode()
    note.refresh_from_db()
    assert note.status == Note.Status.PENDING_APPROVAL

    client.force_login(second)
    assert 'form="step-approve"' in client.get(change_url).content.decode()
    response = client.post(reverse("admin:correspondence_note_approve", args=[note.pk]), follow=True)
    assert "Approved. It can now be issued." in response.content.decode()

    assert issue_url in client.get(change_url).content.decode()
    confirmation = client.get(issue_url)
    confirmed = confirmation.context["plan"].digest
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(issue_url, {"confirmed": confirmed}, follow=True)
    note.refresh_from_db()
    assert note.status == Note.Status.ISSUED
    assert response.redirect_chain[-1][0] == change_url
    assert f"Issued as {note.reference}." in response.content.decode()
    assert note.copies.filter(status=NoteCopy.Status.SENT).count() == 3

    response = client.post(issue_url, {"confirmed": confirmed}, follow=True)
    assert f"Already issued as {note.reference}." in response.content.decode()

    response = client.post(reverse("admin:correspondence_note_correct", args=[note.pk]), follow=True)
    correction = Note.objects.get(corrects=note)
    assert response.redirect_chain[-1][0] == reverse("admin:correspondence_note_change", args=[correction.pk])
    assert "A correction of the issued note was created as a draft." in response.content.decode()


@pytest.mark.parametrize("step", ["submit", "approve", "correct"])
def test_workflow_buttons_only_accept_post(admin_client, note, step):
    response = admin_client.get(reverse(f"admin:correspondence_note_{step}", args=[note.pk]))

    assert response.status_code == 405
    note.refresh_from_db()
    assert note.status == Note.Status.DRAFT


def test_opening_the_issue_page_issues_nothing(admin_client, note):
    response = admin_client.get(reverse("admin:correspondence_note_issue", args=[note.pk]))

    assert response.status_code == 200
    assert "Nothing has been sent yet." in response.content.decode()
    note.refresh_from_db()
    assert note.status == Note.Status.DRAFT
    assert not ReferenceCounter.objects.exists()


def test_issued_note_admin_page_is_read_only(admin_client, note, secretariat, issue):
    issue(note, secretariat)
    url = reverse("admin:correspondence_note_change", args=[note.pk])

    page = admin_client.get(url).content.decode()

    assert 'name="body"' not in page
    assert 'name="subject"' not in page
    assert 'name="office"' not in page
    assert note.reference in page
    assert 'form="step-correct"' in page and 'form="step-issue"' not in page


def test_post_to_an_issued_note_changes_nothing(admin_client, note, secretariat, issue, parties):
    issue(note, secretariat)
    before = Note.objects.values().get(pk=note.pk)
    other = factories.OfficeFactory()

    response = admin_client.post(
        reverse("admin:correspondence_note_change", args=[note.pk]),
        {
            "office": other.pk,
            "treaty": note.treaty_id,
            "form": "letter",
            "language": "fr",
            "subject": "Changed after issue",
            "body": "Changed after issue",
            "addressee_groups": ["all_missions"],
            "status": "draft",
            "reference": "FORGED/1",
            "copies-TOTAL_FORMS": "0",
            "copies-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 403  # an issued note's page is read-only
    after = Note.objects.values().get(pk=note.pk)
    assert after == before
    assert note.copies.count() == 3


def test_an_issued_note_cannot_be_deleted(admin_client, note, secretariat, issue):
    issue(note, secretariat)

    response = admin_client.post(reverse("admin:correspondence_note_delete", args=[note.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Note.objects.filter(pk=note.pk).exists()


def test_editing_an_approved_note_needs_a_new_approval(client, approval_office, meeting, parties):
    drafter = factories.presidency_user(approval_office)
    second = factories.presidency_user(approval_office)
    note = factories.draft(approval_office, drafter, meeting=meeting)
    services.note_submit(note=note, user=drafter)
    services.note_approve(note=note, user=second)
    client.force_login(drafter)

    client.post(
        reverse("admin:correspondence_note_change", args=[note.pk]),
        {
            "office": note.office_id,
            "treaty": note.treaty_id,
            "meeting": note.meeting_id,
            "form": note.form,
            "language": note.language,
            "subject": note.subject,
            "body": "{{ opening }} say something the approver never saw.\n\n{{ closing }}",
            "addressee_groups": note.addressee_groups,
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
            "individuals-TOTAL_FORMS": "0",
            "individuals-INITIAL_FORMS": "0",
        },
    )

    note.refresh_from_db()
    assert "never saw" in note.body
    assert note.status != Note.Status.APPROVED
    assert note.approved_by is None
    with pytest.raises(services.CorrespondenceError, match="approval"):
        services.note_issue(note=note, user=drafter, issue_date=factories.ISSUE_DATE, dispatch=False)


def test_saving_an_approved_note_unchanged_keeps_the_approval(client, approval_office, meeting, parties):
    drafter = factories.presidency_user(approval_office)
    second = factories.presidency_user(approval_office)
    note = factories.draft(approval_office, drafter, meeting=meeting)
    services.note_submit(note=note, user=drafter)
    services.note_approve(note=note, user=second)
    client.force_login(drafter)

    response = client.post(
        reverse("admin:correspondence_note_change", args=[note.pk]),
        {
            "office": note.office_id,
            "treaty": note.treaty_id,
            "meeting": note.meeting_id,
            "form": note.form,
            "language": note.language,
            "subject": note.subject,
            "salutation": "",
            "body": note.body,
            "addressee_groups": note.addressee_groups,
            "signatories-TOTAL_FORMS": "0",
            "signatories-INITIAL_FORMS": "0",
            "individuals-TOTAL_FORMS": "0",
            "individuals-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.status, note.approved_by) == (Note.Status.APPROVED, second)


def test_a_correction_keeps_the_letter_layout_but_not_the_recorded_date(office, secretariat, meeting, parties, issue):
    original = factories.draft(office, secretariat, meeting=meeting, form="letter")
    original.signatories.create(name="H.E. Signer", title="Ambassador", position=0)
    original.postscript, original.addressee_block = "R.S.V.P. by 15 March", "To: the missions"
    original.letterhead_lines, original.footer_lines, original.dateline = (
        "Own letterhead",
        "Own footer",
        "Geneva , May 5",
    )
    services.note_save(note=original, user=secretariat)
    original.addressee_organisations.add(OrganisationFactory())
    issued = issue(original, secretariat, dispatch=False)

    correction = services.note_correct(note=issued, user=secretariat)

    kept = ("postscript", "addressee_block", "letterhead_lines", "footer_lines")
    assert [getattr(correction, name) for name in kept] == [getattr(issued, name) for name in kept]
    assert correction.dateline == ""  # dated on its own issue
    assert list(correction.addressee_organisations.all()) == list(issued.addressee_organisations.all())
