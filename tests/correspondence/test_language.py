"""Dates written out, the fixed formulas, and the names of missions, per language."""

import csv
import datetime as dt
from pathlib import Path

import pytest

import treaties
from correspondence import language as lang
from correspondence.models import AddresseeGroup, Note
from correspondence.rendering import Addressee, render_note
from tests.factories import StateFactory
from tests.treaties.factories import csv_bytes
from treaties.models import State
from treaties.services import registry_import

from . import factories

D = dt.date
STATES_CSV = Path(treaties.__file__).parent / "data" / "states.csv"


def shipped_states(*iso3s: str) -> None:
    """These rows of the shipped treaties/data/states.csv, imported as the secretariat imports it."""
    with STATES_CSV.open(encoding="utf-8", newline="") as file:
        header, *rows = csv.reader(file)
    wanted = [row for row in rows if row[header.index("iso3")] in iso3s]
    assert len(wanted) == len(iso3s)
    registry_import(kind="states", data=csv_bytes(header, wanted), file_format="csv")


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
        (D(2023, 3, 21), "ar", "21 آذار/مارس 2023"),
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
        (D(2023, 9, 11), D(2023, 9, 14), "ar", "من 11 إلى 14 أيلول/سبتمبر 2023"),
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
    factories.party(name="Norway")
    State.objects.filter(name_en="Norway").update(name_fr="Norvège", article_fr="la")
    office = factories.OfficeFactory(name="Mission permanente de l'Iraq")
    note = factories.draft(
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
    assert copy.addressee_name == "Mission permanente de la Norvège"
    text = factories.pdf_text(copy.pdf.read())
    assert (
        "La Mission permanente de l'Iraq présente ses compliments à la Mission permanente de la Norvège "
        "et a l'honneur de l'inviter à la réunion qui se tiendra du 10 au 13 septembre 2030."
    ) in text.replace("’", "'")
    assert (
        "La Mission permanente de l'Iraq saisit cette occasion pour renouveler à la Mission permanente de la Norvège "
        "les assurances de sa très haute considération."
    ) in text.replace("’", "'")
    assert "Genève, le 1er août 2010" in text  # the French date line, city in French


@pytest.mark.django_db
def test_a_spanish_note_verbale_uses_the_spanish_formulas(secretariat, meeting, office):
    note = factories.draft(office, secretariat, meeting=meeting, language="es")
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
    note = factories.draft(office, secretariat, meeting=meeting, form="letter", language="fr")

    rendered = render_note(note, Addressee(key="state:NOR", name="Mission permanente de la Norvège"))

    assert rendered.text.endswith("Je vous prie d'agréer, Excellence, les assurances de ma très haute considération.")
    assert '<p class="salutation">Excellence,</p>' in rendered.html


@pytest.mark.parametrize(
    ("name", "article", "language", "expected"),
    [
        ("France", "la", "fr", "de la France"),
        ("Mexique", "le", "fr", "du Mexique"),
        ("Allemagne", "l'", "fr", "de l'Allemagne"),
        ("Pays-Bas (Royaume des)", "les", "fr", "des Pays-Bas (Royaume des)"),
        ("Cuba", "", "fr", "de Cuba"),
        ("Haïti", "", "fr", "d'Haïti"),
        ("Israël", "", "fr", "d'Israël"),
        ("El Salvador", "", "fr", "d'El Salvador"),
        ("Honduras", "le", "fr", "du Honduras"),
        ("Brasil", "el", "es", "del Brasil"),
        ("Alemania", "", "es", "de Alemania"),
        ("Argentina", "la", "es", "de la Argentina"),
        ("Países Bajos (Reino de los)", "los", "es", "de los Países Bajos (Reino de los)"),
        ("Islas Marshall", "las", "es", "de las Islas Marshall"),
        ("El Salvador", "", "es", "de El Salvador"),
    ],
)
def test_of_a_state_contracts_de_with_its_article(name, article, language, expected):
    assert lang.of_name(name, article, language) == expected


FRENCH_MISSIONS = {
    "FRA": "Mission permanente de la France",
    "MEX": "Mission permanente du Mexique",
    "NLD": "Mission permanente des Pays-Bas (Royaume des)",
    "DEU": "Mission permanente de l'Allemagne",
    "CUB": "Mission permanente de Cuba",
    "HTI": "Mission permanente d'Haïti",
    "GBR": "Mission permanente du Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
}
SPANISH_MISSIONS = {
    "BRA": "Misión Permanente del Brasil",
    "DEU": "Misión Permanente de Alemania",
    "ARG": "Misión Permanente de la Argentina",
    "NLD": "Misión Permanente de los Países Bajos (Reino de los)",
    "GBR": "Misión Permanente del Reino Unido de Gran Bretaña e Irlanda del Norte",
    "SLV": "Misión Permanente de El Salvador",
}


@pytest.mark.django_db
def test_a_french_circular_names_each_mission_with_the_un_article(office, secretariat, issue):
    shipped_states(*FRENCH_MISSIONS)
    note = factories.draft(office, secretariat, language="fr", groups=[AddresseeGroup.ALL_MISSIONS])

    issue(note, secretariat)

    assert dict(note.copies.values_list("state__iso3", "addressee_name")) == FRENCH_MISSIONS
    text = factories.pdf_text(note.copies.get(state__iso3="MEX").pdf.read()).replace("’", "'")
    assert "présente ses compliments à la Mission permanente du Mexique et a l'honneur de" in text
    assert "renouveler à la Mission permanente du Mexique les assurances de sa très haute considération" in text


@pytest.mark.django_db
def test_a_spanish_circular_names_each_mission_in_spanish_with_the_un_article(office, secretariat, issue):
    shipped_states(*SPANISH_MISSIONS)
    note = factories.draft(office, secretariat, language="es", groups=[AddresseeGroup.ALL_MISSIONS])

    issue(note, secretariat)

    assert dict(note.copies.values_list("state__iso3", "addressee_name")) == SPANISH_MISSIONS
    text = factories.pdf_text(note.copies.get(state__iso3="BRA").pdf.read())
    assert "saluda atentamente a la Misión Permanente del Brasil y tiene el honor de" in text
    assert "reiterar a la Misión Permanente del Brasil las seguridades de su más alta consideración" in text


@pytest.mark.django_db
def test_a_state_without_a_spanish_name_is_named_in_english_in_a_spanish_note(office, secretariat, issue):
    StateFactory(name_en="Testland Old", name_es="", article_es="")
    note = factories.draft(office, secretariat, language="es", groups=[AddresseeGroup.ALL_MISSIONS])

    issue(note, secretariat)

    assert note.copies.get().addressee_name == "Misión Permanente de Testland Old"


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru", "zh"])
@pytest.mark.parametrize("group", AddresseeGroup.values)
def test_every_addressee_group_has_its_line_in_every_language(group, language):
    (line,) = lang.group_lines([group], treaty="Convention on Cluster Munitions", code="CCM", language=language)

    assert line and "{" not in line
    if language != "en":
        assert line != lang.GROUP_LINES[group]["en"]
