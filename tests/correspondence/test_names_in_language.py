"""French and Spanish notes name the issuing office and the meeting in their own language when one is recorded."""

import datetime as dt

import pytest
from django.urls import reverse

from correspondence import services
from correspondence.models import AddresseeGroup
from correspondence.rendering import Addressee, render_note
from tests.factories import MeetingFactory
from treaties.models import State

from . import factories

pytestmark = pytest.mark.django_db

NORWAY_ES = Addressee(key="state:NOR", name="Misión Permanente de Noruega")
NORWAY_FR = Addressee(key="state:NOR", name="Mission permanente de la Norvège")


@pytest.fixture
def oda():
    return factories.OfficeFactory(
        name="Office for Disarmament Affairs",
        name_fr="le Bureau des affaires de désarmement",
        name_es="la Oficina de Asuntos de Desarme",
    )


def test_a_spanish_note_opens_and_closes_with_the_spanish_name_of_the_office(oda, secretariat, meeting):
    note = factories.draft(oda, secretariat, meeting=meeting, language="es")

    text = render_note(note, NORWAY_ES).text

    assert text.startswith(
        "La Oficina de Asuntos de Desarme saluda atentamente a la Misión Permanente de Noruega y tiene el honor de"
    )
    assert text.endswith(
        "La Oficina de Asuntos de Desarme aprovecha la oportunidad para reiterar a la Misión Permanente de Noruega "
        "las seguridades de su más alta consideración."
    )
    assert "Office for Disarmament Affairs" not in text


def test_an_issued_french_note_names_a_masculine_office_with_le(oda, secretariat, meeting, issue):
    factories.party(name="Norway")
    State.objects.filter(name_en="Norway").update(name_fr="Norvège", article_fr="la")
    note = factories.draft(oda, secretariat, meeting=meeting, language="fr", groups=[AddresseeGroup.ALL_MISSIONS])

    issue(note, secretariat)

    text = factories.pdf_text(note.copies.get().pdf.read()).replace("’", "'")
    assert (
        "Le Bureau des affaires de désarmement présente ses compliments à la Mission permanente de la Norvège "
        "et a l'honneur de"
    ) in text
    assert (
        "Le Bureau des affaires de désarmement saisit cette occasion pour renouveler à la Mission permanente de la "
        "Norvège les assurances de sa très haute considération."
    ) in text
    assert "La Office" not in text and "la Le Bureau" not in text


def test_an_elided_french_name_is_capitalised_at_the_start(secretariat, meeting):
    isu = factories.OfficeFactory(name_fr="l'Unité d'appui à l'application de la Convention")
    note = factories.draft(isu, secretariat, meeting=meeting, language="fr")

    text = render_note(note, NORWAY_FR).text

    assert text.startswith(
        "L'Unité d'appui à l'application de la Convention présente ses compliments à la Mission permanente de la "
        "Norvège et a l'honneur de"
    )


def test_without_a_name_in_the_language_the_english_name_takes_la(secretariat, meeting):
    office = factories.OfficeFactory(name="Office for Disarmament Affairs", name_es="la Oficina de Asuntos de Desarme")
    note = factories.draft(office, secretariat, meeting=meeting, language="fr")

    text = render_note(note, NORWAY_FR).text

    assert text.startswith(
        "La Office for Disarmament Affairs présente ses compliments à la Mission permanente de la Norvège"
    )
    assert "renouveler à la Mission permanente de la Norvège" in text


def test_english_and_arabic_notes_keep_the_english_name(oda, secretariat, meeting):
    english = factories.draft(oda, secretariat, meeting=meeting, language="en")
    arabic = factories.draft(oda, secretariat, meeting=meeting, language="ar")
    norway = Addressee(key="state:NOR", name="Permanent Mission of Norway")

    assert render_note(english, norway).text.startswith(
        "The Office for Disarmament Affairs presents its compliments to the Permanent Mission of Norway"
    )
    # In an Arabic note each value is a bidi isolate (FSI … PDI), so Latin names keep their order.
    assert render_note(arabic, norway).text.startswith("\u2068Office for Disarmament Affairs\u2069 تهدي")


def test_the_sender_placeholder_stays_the_english_name(oda, secretariat, meeting):
    note = factories.draft(oda, secretariat, meeting=meeting, language="es", body="{{ sender.name }}")

    assert render_note(note, NORWAY_ES).text == "Office for Disarmament Affairs"


@pytest.fixture
def msp11():
    return MeetingFactory(
        title="Eleventh Meeting of States Parties to the Convention on Cluster Munitions",
        title_fr="Onzième Assemblée des États parties à la Convention sur les armes à sous-munitions",
        title_es="Undécima Reunión de los Estados Partes en la Convención sobre Municiones en Racimo",
        start_date=dt.date(2023, 9, 11),
    )


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "Onzième Assemblée des États parties à la Convention sur les armes à sous-munitions"),
        ("es", "Undécima Reunión de los Estados Partes en la Convención sobre Municiones en Racimo"),
        ("en", "Eleventh Meeting of States Parties to the Convention on Cluster Munitions"),
        ("ar", "Eleventh Meeting of States Parties to the Convention on Cluster Munitions"),
    ],
)
def test_the_meeting_title_is_in_the_language_of_the_note(oda, secretariat, msp11, language, title):
    note = factories.draft(oda, secretariat, meeting=msp11, language=language, subject="{{ meeting.title }}")

    rendered = services.note_preview(note=note, addressee=NORWAY_FR)

    isolated = f"\u2068{title}\u2069" if language == "ar" else title  # bidi isolate in right-to-left notes
    assert rendered.subject == isolated
    assert f"invite it to the {isolated}, " in rendered.text


def test_a_meeting_without_a_spanish_title_keeps_its_english_title(oda, secretariat):
    meeting = MeetingFactory(title="Intersessional Meeting", title_fr="Réunion intersessions")
    note = factories.draft(oda, secretariat, meeting=meeting, language="es", subject="{{ meeting.title }}")

    assert services.note_preview(note=note, addressee=NORWAY_ES).subject == "Intersessional Meeting"


def test_the_office_admin_edits_the_french_and_spanish_names(admin_client, oda):
    page = admin_client.get(reverse("admin:correspondence_office_change", args=[oda.pk])).content.decode()

    assert 'name="name_fr"' in page and 'value="le Bureau des affaires de désarmement"' in page
    assert 'name="name_es"' in page and 'value="la Oficina de Asuntos de Desarme"' in page
