"""The registry speaks the reader's language: labels, choices, statuses, validation and import messages.

English stays the default (the other tests read it); these read the same things in French and Arabic.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from tests.factories import ParticipationFactory, StateFactory, ccm
from tests.treaties.factories import PARTICIPATION_HEADER, csv_bytes
from treaties.models import Participation, State
from treaties.rules import Status
from treaties.services import RegistryImportError, registry_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """LocaleMiddleware leaves the request's language active in the thread: later tests read English."""
    yield
    translation.deactivate()


def clean_errors(instance) -> dict[str, list[str]]:
    try:
        instance.clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


@pytest.mark.parametrize(
    ("language", "model", "field", "choice", "status"),
    [
        ("en", "Participation", "Deposit date", "Accession", "State Party"),
        ("fr", "Participation", "Date de dépôt", "Adhésion", "État partie"),
        ("ar", "المشاركة", "تاريخ الإيداع", "الانضمام", "دولة طرف"),
    ],
)
def test_labels_choices_and_statuses(language, model, field, choice, status):
    with translation.override(language):
        assert capfirst(Participation._meta.verbose_name) == model
        assert capfirst(Participation._meta.get_field("deposit_date").verbose_name) == field
        assert Participation.Instrument.ACCESSION.label == choice
        assert Status.STATE_PARTY.label == status


def test_labels_set_after_the_class_leave_the_migrations_as_they_were():
    # Permissions and migrations read the English name ("Can add state"), whatever the reader's language.
    with translation.override("fr"):
        assert State._meta.verbose_name_raw == "state"
        assert State._meta.get_field("un_status").deconstruct()[3].get("verbose_name") is None


@pytest.mark.parametrize(
    ("language", "deposit", "signature_closed"),
    [
        ("fr", "Le dépôt ne peut précéder la signature.", "entrée en vigueur du traité, le 1 août 2010"),
        ("ar", "لا يجوز أن يسبق الإيداعُ التوقيعَ.", "أُغلق باب التوقيع عند بدء نفاذ المعاهدة في 1 أغسطس 2010"),
    ],
)
def test_validation_messages(language, deposit, signature_closed):
    early = ParticipationFactory.build(
        treaty=ccm(), state=StateFactory(), signature_date=dt.date(2011, 3, 1), deposit_date=dt.date(2010, 1, 1)
    )
    late = ParticipationFactory.build(
        treaty=ccm(), state=StateFactory(), signature_date=dt.date(2011, 3, 1), deposit_date=dt.date(2011, 4, 1)
    )
    with translation.override(language):
        assert clean_errors(early)["deposit_date"] == [deposit]
        assert signature_closed in clean_errors(late)["signature_date"][0]


def test_an_import_error_names_row_and_column_in_the_readers_language():
    data = csv_bytes(PARTICIPATION_HEADER, [["CCM", "ZZZ", "", "2011-03-24", "accession", "false", "", ""]])
    with translation.override("fr"), pytest.raises(RegistryImportError) as excinfo:
        registry_import(kind="participations", data=data, file_format="csv")
    with translation.override("fr"):
        assert [str(e) for e in excinfo.value.errors] == [
            "ligne 2, colonne «\u00a0state_iso3\u00a0»\u00a0: "
            "Aucun enregistrement «\u00a0État\u00a0» dont le champ «\u00a0ISO alpha-3\u00a0» est «\u00a0ZZZ\u00a0»."
        ]


def test_the_participation_list_in_french(admin_client):
    ParticipationFactory(state=StateFactory(name_en="Testland"), deposit_date=dt.date(2011, 3, 24))
    response = admin_client.get(reverse("admin:treaties_participation_changelist"), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert "Entrée en vigueur" in html
    assert "Date limite du rapport initial" in html
    assert "État partie" in html  # the status today
    assert "Par statut à ce jour" in html  # the filter's title
