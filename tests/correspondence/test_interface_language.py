"""Staff read correspondence pages in their interface language; a note reads in its own language only.

What staff read (labels, choices, validation and admin messages) comes from correspondence/locale. The
wording of a note (formulas, dates, addressee groups) follows the note's ``language`` field: the reader's
interface language never changes a letter.
"""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from correspondence import services
from correspondence.forms import NoteForm
from correspondence.models import AddresseeGroup, Note, NoteCopy, Office
from correspondence.rendering import render_note, render_pdf
from correspondence.selectors import note_addressees

from . import factories

pytestmark = pytest.mark.django_db

NO_SEQ = "ODA/{yy}"  # a reference pattern without its number


def reference_pattern_error(office: Office) -> str:
    office.reference_pattern = NO_SEQ
    with pytest.raises(ValidationError) as refused:
        office.full_clean()
    return " ".join(refused.value.message_dict["reference_pattern"])


# --- validation -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The pattern needs exactly one {seq} token, e.g. {seq:03}."),
        ("fr", "Le modèle doit contenir exactement un élément {seq}, par exemple {seq:03}."),
        ("ar", "يجب أن يتضمن النمط رمز {seq} واحدا بالضبط، مثل {seq:03}."),
    ],
)
def test_a_reference_pattern_is_refused_in_the_interface_language(office, language, expected):
    with translation.override(language):
        assert reference_pattern_error(office) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Choisissez la réunion qui fait l'objet de la note, ou le traité si elle ne porte sur aucune réunion."),
        ("ar", "اختر الاجتماع الذي تتناوله المذكرة، أو المعاهدة إذا كانت لا تتناول أي اجتماع."),
    ],
)
def test_the_note_form_refuses_in_the_interface_language(office, language, expected):
    with translation.override(language):
        form = NoteForm(data={"office": office.pk, "subject": "Subject", "body": "{{ opening }} inform it."})
        assert not form.is_valid()
        assert form.errors["treaty"] == [expected]


def test_a_refused_step_speaks_the_interface_language(note, secretariat):
    with translation.override("fr"), pytest.raises(services.CorrespondenceError) as refused:
        services.note_approve(note=note, user=secretariat)
    assert str(refused.value) == "Cette note n'est pas en attente d'approbation."


def test_choices_and_field_labels_are_translated_without_changing_english():
    assert str(Note._meta.get_field("subject").verbose_name) == "subject"
    assert str(AddresseeGroup.STATES_PARTIES.label) == "States Parties"
    with translation.override("fr"):
        assert str(Note._meta.get_field("subject").verbose_name) == "objet"
        assert str(AddresseeGroup.STATES_PARTIES.label) == "États parties"
        assert str(NoteCopy.Status.FAILED.label) == "En échec"
    with translation.override("zh-hans"):
        assert str(Note.Status.DRAFT.label) == "草稿"


# --- admin ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def sent_copy(note, secretariat, issue) -> NoteCopy:
    return issue(note, secretariat).copies.first()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "0 copies queued again."),
        ("fr", "0 copie remise en file d'attente."),
        ("ar", "لم تُعد أي نسخة إلى قائمة الانتظار."),
    ],
)
def test_an_admin_action_reports_in_the_interface_language(client, admin_user, sent_copy, language, expected):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        reverse("admin:correspondence_notecopy_changelist"),
        {"action": "resend_failed", "_selected_action": [sent_copy.pk]},
        follow=True,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]


@pytest.mark.parametrize(
    ("language", "heading", "refusal"),
    [
        ("fr", "Envoi et distribution\u00a0: ", "Déjà envoyée sous la cote "),
        ("ar", "الإصدار والإرسال: ", "صدرت بالفعل تحت الرقم المرجعي "),
    ],
)
def test_the_issue_page_speaks_the_interface_language(client, admin_user, sent_copy, language, heading, refusal):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("admin:correspondence_note_issue", args=[sent_copy.note_id]))
    assert response.context["title"].startswith(heading)
    assert response.context["refusal"] == f"{refusal}{sent_copy.note.reference}."


# --- the note's own language ------------------------------------------------------------------------------------------


def rendered(note: Note, language: str):
    with translation.override(language):
        copy = render_note(note, note_addressees(note, at=factories.ISSUE_DATE)[0])
        return copy, factories.pdf_text(render_pdf(copy.html))


@pytest.mark.parametrize("note_language", ["en", "fr"])
def test_a_note_reads_the_same_whatever_the_interface_language(note, note_language):
    note.language = note_language
    note.body = "{{ opening }} inform it of the {{ meeting.kind }} {{ meeting.when }}.\n\n{{ closing }}"
    note.save()
    reference, reference_pdf = rendered(note, "en")

    for language in ("fr", "ar", "zh-hans"):
        copy, pdf = rendered(note, language)
        assert copy.html == reference.html
        assert pdf == reference_pdf
    assert ("has the honour to" in reference_pdf) == (note_language == "en")


def test_a_correction_is_titled_in_the_note_language(office, secretariat, meeting, parties, issue):
    french = factories.draft(office, secretariat, meeting=meeting, language="fr", subject="Réunion")
    issued = issue(french, secretariat)
    with translation.override("ar"):
        correction = services.note_correct(note=issued, user=secretariat)
    assert correction.subject == "Rectificatif\u00a0: Réunion"


@pytest.mark.parametrize("language", ["fr", "ar", "zh-hans"])
def test_the_correspondence_admin_pages_render_in_each_language(client, admin_user, office, sent_copy, language):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    draft = factories.draft(office, admin_user, subject="Another one")
    pages = [
        reverse("admin:correspondence_note_changelist"),
        reverse("admin:correspondence_note_changelist") + "?copies=failed",
        reverse("admin:correspondence_note_change", args=[draft.pk]),
        reverse("admin:correspondence_note_change", args=[sent_copy.note_id]),
        reverse("admin:correspondence_note_preview", args=[draft.pk]),
        reverse("admin:correspondence_office_change", args=[office.pk]),
        reverse("admin:correspondence_notetemplate_add"),
        reverse("admin:correspondence_notecopy_changelist"),
        reverse("admin:correspondence_notecopy_change", args=[sent_copy.pk]),
        reverse("admin:correspondence_email_changelist"),
    ]
    with translation.override(language):
        expected = [str(label) for label in (Note._meta.verbose_name_plural, AddresseeGroup.STATES_PARTIES.label)]
    for url in pages:
        assert client.get(url).status_code == 200, url
    changelist = client.get(reverse("admin:correspondence_note_changelist")).content.decode()
    assert all(text in changelist for text in expected)
