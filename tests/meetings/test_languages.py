"""Meetings in the reader's language: kinds, roles, validation messages and the calendar feed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from meetings.calendar import meetings_calendar
from meetings.models import Meeting, Officer
from tests.factories import MeetingFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def clean_errors(instance) -> dict[str, list[str]]:
    try:
        instance.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


@pytest.mark.parametrize(
    ("language", "kind", "label", "ends_before"),
    [
        ("fr", "Assemblée des États parties", "Date de fin", "La réunion ne peut se terminer avant d'avoir commencé."),
        ("ar", "اجتماع الدول الأطراف", "تاريخ الانتهاء", "لا يجوز أن ينتهي الاجتماع قبل أن يبدأ."),
    ],
)
def test_kind_label_and_validation(language, kind, label, ends_before):
    meeting = MeetingFactory.build(start_date=dt.date(2030, 9, 10), end_date=dt.date(2030, 9, 9))
    with translation.override(language):
        assert Meeting.Kind.MSP.label == kind
        assert str(Meeting._meta.get_field("end_date").verbose_name).capitalize() == label
        assert clean_errors(meeting)["end_date"] == [ends_before]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Les réunions du type «\u00a0réunion intersessions\u00a0» ne sont pas numérotées."),
        ("ar", "لا تُرقَّم الاجتماعات من نوع “اجتماع معقود بين الدورات”."),
    ],
)
def test_a_number_on_a_kind_that_is_not_numbered(language, message):
    meeting = MeetingFactory.build(kind=Meeting.Kind.INTERSESSIONAL, number=3)
    with translation.override(language):
        assert clean_errors(meeting)["number"] == [message]


def test_a_second_current_president_is_refused_in_french():
    president = OfficerFactory(role=Officer.Role.PRESIDENT)
    second = OfficerFactory.build(meeting=president.meeting, role=Officer.Role.PRESIDENT, person_name="Someone")
    with translation.override("fr"):
        assert clean_errors(second)["role"] == [
            "Cette réunion a déjà un titulaire en exercice de la fonction «\u00a0Président(e)\u00a0»\u00a0; "
            "indiquez d'abord une date de fin (jusqu'au) pour celui-ci."
        ]


def test_the_calendar_feed_in_french():
    meeting = MeetingFactory(registration_deadline=dt.date(2030, 8, 1))
    with translation.override("fr"):
        feed = meetings_calendar([meeting], base_url="https://portal.example", name="Réunions").decode()
    assert "Date limite d'inscription\u00a0: 1 août 2030" in feed.replace("\r\n ", "")
