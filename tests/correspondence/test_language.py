"""Dates written out and the fixed formulas, per language."""

import datetime as dt

import pytest

from correspondence import language as lang
from correspondence.models import AddresseeGroup, Note
from correspondence.rendering import Addressee, render_note
from treaties.models import State

from . import helpers

D = dt.date


@pytest.mark.parametrize(
    ("day", "language", "expected"),
    [
        (D(2023, 3, 21), "en", "21 March 2023"),
        (D(2023, 3, 21), "fr", "21 mars 2023"),
        (D(2010, 8, 1), "fr", "1er août 2010"),
        (D(2010, 8, 1), "en", "1 August 2010"),
        (D(2010, 8, 1), "es", "1 de agosto de 2010"),
        (D(2023, 3, 21), "es", "21 de marzo de 2023"),
        (D(2023, 3, 21), "ru", "21 марта 2023 года"),
        (D(2023, 3, 21), "zh", "2023年3月21日"),
        (D(2023, 3, 21), "ar", "21 مارس 2023"),
        (D(2023, 3, 21), "xx", "21 March 2023"),
    ],
)
def test_long_date(day, language, expected):
    assert lang.long_date(day, language) == expected


def test_long_date_of_nothing_is_empty():
    assert lang.long_date(None, "fr") == ""


@pytest.mark.parametrize(
    ("start", "end", "language", "expected"),
    [
        (D(2023, 9, 11), D(2023, 9, 14), "en", "11 to 14 September 2023"),
        (D(2023, 9, 11), D(2023, 9, 14), "fr", "du 11 au 14 septembre 2023"),
        (D(2023, 9, 11), D(2023, 9, 14), "es", "del 11 al 14 de septiembre de 2023"),
        (D(2023, 9, 11), D(2023, 9, 14), "ru", "с 11 по 14 сентября 2023 года"),
        (D(2023, 9, 11), D(2023, 9, 14), "zh", "2023年9月11日至2023年9月14日"),
        (D(2023, 9, 11), D(2023, 9, 14), "ar", "من 11 إلى 14 سبتمبر 2023"),
        (D(2010, 8, 1), D(2010, 8, 3), "fr", "du 1er au 3 août 2010"),
        # across months
        (D(2011, 6, 27), D(2011, 7, 1), "en", "27 June to 1 July 2011"),
        (D(2011, 6, 27), D(2011, 7, 1), "fr", "du 27 juin au 1er juillet 2011"),
        (D(2011, 6, 27), D(2011, 7, 1), "es", "del 27 de junio al 1 de julio de 2011"),
        (D(2010, 8, 1), D(2010, 9, 2), "fr", "du 1er août au 2 septembre 2010"),
        # across years
        (D(2010, 12, 30), D(2011, 1, 2), "en", "30 December 2010 to 2 January 2011"),
        (D(2010, 12, 30), D(2011, 1, 2), "fr", "du 30 décembre 2010 au 2 janvier 2011"),
        (D(2010, 12, 30), D(2011, 1, 2), "es", "del 30 de diciembre de 2010 al 2 de enero de 2011"),
        # one day
        (D(2010, 3, 17), D(2010, 3, 17), "en", "17 March 2010"),
        (D(2010, 3, 1), D(2010, 3, 1), "fr", "1er mars 2010"),
    ],
)
def test_date_range(start, end, language, expected):
    assert lang.date_range(start, end, language) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("la Mission permanente de la Norvège", "à la Mission permanente de la Norvège"),
        ("le Bureau des affaires de désarmement", "au Bureau des affaires de désarmement"),
        ("les Missions permanentes", "aux Missions permanentes"),
        ("H.E. Mme Bente ANGELL-Hansen", "à H.E. Mme Bente ANGELL-Hansen"),
    ],
)
def test_french_contracts_a_le_and_a_les(name, expected):
    opening = lang.note_opening(sender="X", addressee=name, language="fr")

    assert opening == f"X présente ses compliments {expected} et a l'honneur de"


@pytest.mark.django_db
def test_a_french_note_verbale_opens_and_closes_with_the_french_formulas(secretariat, meeting, issue):
    helpers.party(name="Norway")
    State.objects.filter(name_en="Norway").update(name_fr="Norvège")
    office = helpers.OfficeFactory(name="Mission permanente de l'Iraq")
    note = helpers.draft(
        office,
        secretariat,
        meeting=meeting,
        language="fr",
        groups=[AddresseeGroup.ALL_MISSIONS],
        subject="Invitation : {{ meeting.title }}",
        body="{{ opening }} l'inviter à la réunion qui se tiendra {{ meeting.dates }}.\n\n{{ closing }}",
    )
    issued = issue(note, secretariat, issue_date=D(2010, 8, 1))

    copy = issued.copies.get()
    assert copy.addressee_name == "Mission permanente de Norvège"
    text = helpers.pdf_text(copy.pdf.read())
    assert (
        "La Mission permanente de l'Iraq présente ses compliments à la Mission permanente de Norvège "
        "et a l'honneur de l'inviter à la réunion qui se tiendra du 10 au 13 septembre 2030."
    ) in text.replace("’", "'")
    assert (
        "La Mission permanente de l'Iraq saisit cette occasion pour renouveler à la Mission permanente de Norvège "
        "les assurances de sa très haute considération."
    ) in text.replace("’", "'")
    assert "Geneva, 1er août 2010" in text


@pytest.mark.django_db
def test_a_spanish_note_verbale_uses_the_spanish_formulas(secretariat, meeting, office):
    note = helpers.draft(office, secretariat, meeting=meeting, language="es")
    Note.objects.filter(pk=note.pk).update(issue_date=D(2023, 9, 11))
    note.refresh_from_db()

    rendered = render_note(note, Addressee(key="state:NOR", name="Misión Permanente de Noruega"))

    assert rendered.text.startswith(
        f"La {office.name} saluda atentamente a la Misión Permanente de Noruega y tiene el honor de invite it to "
        "the Eleventh Meeting of States Parties, del 10 al 13 de septiembre de 2030."
    )
    assert "aprovecha la oportunidad para reiterar a la Misión Permanente de Noruega" in rendered.text
    assert "11 de septiembre de 2023" in rendered.html


@pytest.mark.django_db
def test_a_letter_closes_with_the_letter_formula(secretariat, meeting, office):
    note = helpers.draft(office, secretariat, meeting=meeting, form="letter", language="fr")

    rendered = render_note(note, Addressee(key="state:NOR", name="Mission permanente de Norvège"))

    assert rendered.text.endswith("Je vous prie d'agréer, Excellence, les assurances de ma très haute considération.")
    assert '<p class="salutation">Excellence,</p>' in rendered.html
