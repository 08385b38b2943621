"""The five seed letters, loaded by manage.py load_demo, as issued notes with their real references."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from correspondence import services
from correspondence.forms import NoteTemplateForm
from correspondence.models import Email, Note, NoteCopy, NoteTemplate, Office, ReferenceCounter
from correspondence.tasks import outbox_dispatch
from demo.letters import TEMPLATES
from meetings.models import Meeting
from tests.correspondence import factories
from treaties.models import State

pytestmark = pytest.mark.django_db
User = get_user_model()

LAO_LETTERHEAD = "ສຳນັກງານຜູ້ຕາງຫນ້າຖາວອນ ສປປລາວ ປະຈຳຫ້ອງການ ສປຊ ແລະອົງການຈັດຕັ້ງ ສາກິນອື່ນຯ ທີ່ ເຂີແນວ"
REFERENCES = {
    "No: 026 Lao PM.GE.10",
    "No: 047 Lao PM.GE.11",
    "ODA/2023-00050",
}
# Seeds 002 (Iraq) and 003 (the ISU) carry no reference number: their offices issue without one.
UNNUMBERED = ["Iraq PM.GE", "APMBC ISU"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded twice for this module (the registry import takes seconds), rolled back at the end."""
    media = tmp_path_factory.mktemp("demo-media")
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast_hashing):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            before = len(mail.outbox)
            call_command("load_demo", stdout=io.StringIO())
            first = (Note.objects.count(), NoteCopy.objects.count(), NoteTemplate.objects.count())
            sent = len(mail.outbox) - before
            call_command("load_demo", stdout=io.StringIO())
            second = (Note.objects.count(), NoteCopy.objects.count(), NoteTemplate.objects.count())
            yield {"first": first, "second": second, "sent": sent, "media": media}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_media(demo, settings):
    settings.MEDIA_ROOT = demo["media"]


def test_the_five_seed_letters_are_issued_notes(demo):
    notes = Note.objects.filter(status=Note.Status.ISSUED)

    assert set(notes.values_list("reference", flat=True)) == REFERENCES | {""}
    assert Note.objects.count() == 5
    for code in UNNUMBERED:
        unnumbered = notes.get(office__code=code)
        assert (unnumbered.reference, unnumbered.seq) == ("", 1)
    lao = notes.get(reference="No: 047 Lao PM.GE.11")
    assert (lao.office.code, lao.seq, lao.year, str(lao.issue_date)) == ("Lao PM.GE", 47, 2011, "2011-04-18")
    assert notes.get(reference="No: 026 Lao PM.GE.10").individuals.get().person_name == "H.E. Mme Bente ANGELL-Hansen"
    oda = notes.get(reference="ODA/2023-00050")
    assert (oda.form, oda.approved_by.username) == ("note_verbale", "presidency@ccm-portal.localhost")
    assert ReferenceCounter.objects.get(office__code="Lao PM.GE", year=2011).last_seq == 47
    assert ReferenceCounter.objects.get(office__code="ODA", year=2023).last_seq == 50


def test_loading_twice_changes_nothing(demo):
    assert demo["second"] == demo["first"]
    assert demo["first"][0] == 5


def test_the_seed_letters_are_not_mailed(demo):
    assert demo["sent"] == 0
    assert not NoteCopy.objects.exclude(status=NoteCopy.Status.RECORDED).exists()
    # and the outbox recovery command leaves them alone (it sends only the demo's e-mails to focal points)
    emails = Email.objects.filter(status=Email.Status.QUEUED).count()
    assert outbox_dispatch() == emails
    assert not NoteCopy.objects.exclude(status=NoteCopy.Status.RECORDED).exists()


def test_copies_go_to_the_addressees_of_their_day(demo):
    lao_2010 = Note.objects.get(reference="No: 026 Lao PM.GE.10")
    (copy,) = lao_2010.copies.all()
    assert copy.addressee_name == "H.E. Mme Bente ANGELL-Hansen"
    assert copy.email_list == ["mission.nor.geneva@example.org", "ambassador.nor.geneva@example.org"]

    oda = Note.objects.get(reference="ODA/2023-00050")
    by_hand = set(oda.copies.filter(delivery="by_hand").values_list("state__iso3", flat=True))
    assert {"NIU", "COK", "VAT"} <= by_hand


def test_the_preview_pdf_of_047_has_the_lao_letterhead(demo, demo_media, admin_client):
    note = Note.objects.get(reference="No: 047 Lao PM.GE.11")

    response = admin_client.get(reverse("admin:correspondence_note_preview_pdf", args=[note.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = factories.pdf_text(response.content)
    assert LAO_LETTERHEAD in text
    assert "No: 047 Lao PM.GE.11" in text
    assert "18 April 2011" in text and "Geneva, 18 April" not in text  # the date as the letter writes it
    assert "27-30 June 2011 in Geneva" in text
    assert "Intersessional meeting on the CCM, 27 to 30 June 2011" not in text  # the office prints no subject


@pytest.mark.parametrize("office", ["Lao PM.GE", "Iraq PM.GE", "ODA", "APMBC ISU"])
def test_every_seed_letter_renders(demo, demo_media, office):
    for note in Note.objects.filter(office__code=office):
        rendered = services.note_preview(note=note)

        assert note.reference in rendered.html
        assert "{{" not in rendered.html and "{%" not in rendered.html
        assert "[reference on issue]" not in rendered.html


def test_11msp_letter_renders_with_its_placeholders(demo, demo_media):
    note = Note.objects.get(office__code="Iraq PM.GE")

    rendered = services.note_preview(note=note)

    assert rendered.subject == "Information on the Eleventh Meeting of the States Parties (11MSP)"
    assert "Ref: Information on the Eleventh Meeting of the States Parties (11MSP)" in rendered.html
    assert "scheduled to take place on the 11th to 14th September 2023, at the Palais des Nations, Room XIX." in (
        rendered.text
    )
    assert "Excellencies, dear colleagues," in rendered.html


@pytest.mark.parametrize("data", TEMPLATES, ids=lambda data: f"{data['name']}-{data['language']}")
def test_the_shipped_templates_pass_the_wording_check(data):
    form = NoteTemplateForm(data={**data, "name": f"{data['name']} (copy)"})

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        (
            "es",
            "La Oficina de Asuntos de Desarme saluda atentamente a la Misión Permanente de Francia y tiene el honor de "
            "invitarla a participar en la reunión «Undécima Reunión de los Estados Partes en la Convención sobre "
            "Municiones en Racimo», que se celebrará del 11 al 14 de septiembre de 2023",
        ),
        (
            "fr",
            "Le Bureau des affaires de désarmement présente ses compliments à la Mission permanente de la France et a "
            "l'honneur de l'inviter à participer à la réunion « Onzième Assemblée des États parties à la Convention "
            "sur les armes à sous-munitions », qui se tiendra du 11 au 14 septembre 2023",
        ),
    ],
)
def test_the_demo_invitation_from_unoda_names_office_and_meeting_in_the_note_language(demo, language, opening):
    note = services.note_create(
        office=Office.objects.get(code="ODA"),
        created_by=User.objects.get(username="secretariat@ccm-portal.localhost"),
        meeting=Meeting.objects.get(slug="ccm-11msp-geneva-2023"),
        template=NoteTemplate.objects.get(name="Invitation to a meeting", language=language),
        addressee_states=State.objects.filter(iso3="FRA"),
    )

    rendered = services.note_preview(note=note)

    assert rendered.text.startswith(opening)
