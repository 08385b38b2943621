"""The reference data shipped in treaties/data, loaded through the same import as the Secretariat uses."""

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

import treaties
from treaties.models import FrenchArticle, Organisation, Participation, SpanishArticle, State
from treaties.rules import Status
from treaties.services import registry_import

D = dt.date
DATA = Path(treaties.__file__).parent / "data"
pytestmark = pytest.mark.django_db


def load(kind: str):
    return registry_import(kind=kind, data=(DATA / f"{kind}.csv").read_bytes(), file_format="csv")


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """Loaded once for the module (an import of 300 rows takes seconds), rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield {kind: load(kind) for kind in ("states", "organisations", "participations")}
        transaction.set_rollback(True)


def test_shipped_data_loads(shipped):
    assert {kind: (s.rows, s.new, s.errors) for kind, s in shipped.items()} == {
        "states": (197, 197, []),
        "organisations": (18, 18, []),
        "participations": (92, 92, []),
    }
    assert State.objects.count() == 197
    assert State.objects.filter(un_status=State.UNStatus.MEMBER).count() == 193
    assert sorted(State.objects.exclude(un_status="member").values_list("iso3", "un_status")) == [
        ("COK", "non_member"),
        ("NIU", "non_member"),
        ("PSE", "observer"),
        ("VAT", "observer"),
    ]
    assert Organisation.objects.count() == 18
    assert Participation.objects.count() == 92

    lao = Participation.objects.get(treaty__code="CCM", state__iso3="LAO")
    assert (lao.deposit_date, lao.entry_into_force, lao.initial_report_due) == (
        D(2009, 3, 18),  # before the triggering deposit of 2010-02-16
        D(2010, 8, 1),
        D(2011, 1, 28),
    )

    lithuania = Participation.objects.get(treaty__code="CCM", state__iso3="LTU")
    assert lithuania.entry_into_force == D(2011, 9, 1)
    assert lithuania.withdrawal_effective == D(2025, 3, 6)
    assert lithuania.status_at(D(2025, 3, 5)) is Status.WITHDRAWAL_PENDING
    assert lithuania.current_status is Status.FORMER_PARTY
    assert timezone.localdate() >= D(2025, 3, 6)

    # the two instruments that triggered CCM entry into force, and one deposited just after
    assert {
        iso3: Participation.objects.get(treaty__code="CCM", state__iso3=iso3).entry_into_force
        for iso3 in ("BFA", "MDA", "GBR", "LBN")
    } == {"BFA": D(2010, 8, 1), "MDA": D(2010, 8, 1), "GBR": D(2010, 11, 1), "LBN": D(2011, 5, 1)}
    assert Participation.objects.get(treaty__code="APMBC", state__iso3="BFA").entry_into_force == D(1999, 3, 1)


def test_shipped_data_reimports_unchanged(shipped):
    summaries = {kind: load(kind) for kind in shipped}
    assert {kind: (s.rows, s.new, s.updated, s.skipped) for kind, s in summaries.items()} == {
        "states": (197, 0, 0, 197),
        "organisations": (18, 0, 0, 18),
        "participations": (92, 0, 0, 92),
    }
    assert (State.objects.count(), Organisation.objects.count(), Participation.objects.count()) == (197, 18, 92)


def test_withdrawal_dates_in_the_notes_agree_with_the_rule(shipped):
    """Where the notes state when a withdrawal took effect, the computed date says the same."""
    checked = {}
    for participation in Participation.objects.exclude(withdrawal_notice_date=None).select_related("treaty", "state"):
        match = re.search(r"(?:took effect|take effect) (\d{4}-\d{2}-\d{2})", participation.notes)
        assert match, participation
        checked[(participation.treaty.code, participation.state.iso3)] = (
            participation.withdrawal_effective.isoformat(),
            match.group(1),
        )
    assert len(checked) == 6
    assert all(computed == noted for computed, noted in checked.values()), checked


def test_every_shipped_participation_passes_validation(shipped):
    for participation in Participation.objects.select_related("treaty", "state"):
        participation.full_clean()


def test_every_shipped_state_has_its_spanish_name_and_valid_articles(shipped):
    with (DATA / "states.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 197
    assert [row["iso3"] for row in rows if not row["name_es"].strip()] == []
    assert {row["article_fr"] for row in rows} <= set(FrenchArticle.values)
    assert {row["article_es"] for row in rows} <= set(SpanishArticle.values)
    for state in State.objects.all():
        state.full_clean()


def test_french_articles_agree_with_the_first_letter_of_the_name(shipped):
    """“l'” before a vowel, “le” or “la” before a consonant (le Honduras, la Hongrie: the h is aspirate)."""
    vowel = re.compile(r"^[AEIOUÉÈÊÎÏÔ]")
    wrong = [
        (state.article_fr, state.name_fr)
        for state in State.objects.all()
        if (state.article_fr == "l'") != bool(vowel.match(state.name_fr)) and state.article_fr in ("l'", "le", "la")
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("iso3", "french", "spanish"),
    [
        ("FRA", ("la", "France"), ("", "Francia")),
        ("MEX", ("le", "Mexique"), ("", "México")),
        ("DEU", ("l'", "Allemagne"), ("", "Alemania")),
        ("NLD", ("les", "Pays-Bas (Royaume des)"), ("los", "Países Bajos (Reino de los)")),
        ("CUB", ("", "Cuba"), ("", "Cuba")),
        ("HTI", ("", "Haïti"), ("", "Haití")),
        ("BRA", ("le", "Brésil"), ("el", "Brasil")),
        ("ARG", ("l'", "Argentine"), ("la", "Argentina")),
        ("NOR", ("la", "Norvège"), ("", "Noruega")),
        (
            "GBR",
            ("le", "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord"),
            ("el", "Reino Unido de Gran Bretaña e Irlanda del Norte"),
        ),
        ("USA", ("les", "États-Unis d'Amérique"), ("los", "Estados Unidos de América")),
        ("LAO", ("la", "République démocratique populaire lao"), ("la", "República Democrática Popular Lao")),
        ("IRQ", ("l'", "Iraq"), ("el", "Iraq")),
        ("VAT", ("le", "Saint-Siège"), ("la", "Santa Sede")),
        ("PSE", ("l'", "État de Palestine"), ("el", "Estado de Palestina")),
        ("COK", ("les", "Îles Cook"), ("las", "Islas Cook")),
        ("NIU", ("", "Nioué"), ("", "Niue")),
    ],
)
def test_shipped_names_as_unterm_lists_them(shipped, iso3, french, spanish):
    state = State.objects.get(iso3=iso3)
    assert ((state.article_fr, state.name_fr), (state.article_es, state.name_es)) == (french, spanish)
