"""The obligations' interface in the reader's language: validation messages, labels, export headings, numbers.

(Reminders are content in the addressee's language: see test_reminders.)
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from obligations import rules, selectors
from obligations.models import AssessmentRate, MeetingCost, ReportSubmission
from obligations.templatetags.figures import fixed
from tests.factories import StateFactory, ccm
from tests.obligations.factories import RateFactory, read_csv

D = dt.date


def errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.clean()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The initial report covers no calendar year; leave it empty."),
        ("fr", "Le rapport initial ne porte sur aucune année civile\u00a0: laissez ce champ vide."),
        ("ar", "لا يشمل التقرير الأولي أي سنة تقويمية؛ يرجى ترك هذا الحقل فارغاً."),
    ],
)
def test_a_validation_message_in_the_readers_language(language, expected):
    submission = ReportSubmission(kind="initial", year_covered=2020, received_on=D(2021, 3, 1))
    with translation.override(language):
        assert errors(submission) == {"year_covered": [expected]}


def test_a_validation_message_with_a_value_in_french_and_arabic():
    submission = ReportSubmission(kind="annual", year_covered=2020, received_on=D(2019, 12, 31))
    rate = AssessmentRate(first_year=2025, last_year=2027, rate=Decimal("0"))
    with translation.override("fr"):
        assert errors(submission)["received_on"] == [
            "Un rapport portant sur 2020 ne peut pas être reçu avant le début de cette année."
        ]
        assert errors(rate)["rate"] == ["Un taux est un pourcentage supérieur à 0 et au plus égal à 100."]
    with translation.override("ar"):
        assert errors(submission)["received_on"] == ["لا يمكن استلام تقرير عن عام 2020 قبل بداية ذلك العام."]
        assert errors(MeetingCost(total=Decimal("0"))) == {"total": ["يجب أن تكون التكلفة الإجمالية أكبر من صفر."]}


def test_labels_and_statuses_in_each_language():
    expected = {
        "fr": ("rapports reçus au titre de l'article 7", "Délai dépassé", "Fixé par le secrétariat"),
        "es": ("informes recibidos en virtud del artículo 7", "Plazo vencido", "Fijada por la secretaría"),
        "ar": ("التقارير المستلمة بموجب المادة 7", "فات موعده", "حددته الأمانة"),
        "ru": ("полученные доклады по статье 7", "Просрочен", "Установлена секретариатом"),
        "zh-hans": ("收到的第7条报告", "逾期未交", "由秘书处确定"),
    }
    for language, (plural, overdue, secretariat) in expected.items():
        with translation.override(language):
            assert str(ReportSubmission._meta.verbose_name_plural) == plural
            assert str(rules.ReportStatus.OVERDUE.label) == overdue
            assert AssessmentRate(source="secretariat").get_source_display() == secretariat
    assert str(rules.ReportStatus.OVERDUE.label) == "Overdue"  # English stays the default


@pytest.mark.django_db
def test_compliance_export_headed_in_the_readers_language():
    with translation.override("fr"):
        data = selectors.compliance_export(treaty=ccm(), at=D(2026, 12, 3), file_format="csv")
    header = data.decode().splitlines()[0].split(",")
    assert header[:3] == ["Année d'échéance", "Dus", "Présentés dans les délais"]


@pytest.mark.django_db
def test_cost_share_export_headed_in_russian():
    states = [StateFactory(name_en=f"Testland {n}") for n in ("A", "B")]
    for state in states:
        RateFactory(state=state, rate="0.5")
    table = selectors.cost_shares(total=Decimal("1000.00"), currency="USD", year=2025, states=states)
    with translation.override("ru"):
        rows = read_csv(selectors.cost_shares_export(table=table, file_format="csv"))
    assert list(rows[0]) == ["Государство", "Код ISO", "Ставка (%)", "Источник ставки", "Доля (%)", "Сумма (USD)"]
    assert rows[0]["Сумма (USD)"] == "500.00"  # the file keeps plain numbers whatever the language


@pytest.mark.parametrize(
    ("language", "amount", "share"),
    [
        ("en", "33,333.34", "33.3333"),
        ("fr", "33\u00a0333,34", "33,3333"),
        ("ru", "33\u00a0333,34", "33,3333"),
        ("ar", "33333,34", "33,3333"),
        ("zh-hans", "33333.34", "33.3333"),
    ],
)
def test_amounts_and_percentages_in_the_readers_number_form(language, amount, share):
    with translation.override(language):
        assert fixed(Decimal("33333.34"), "2g") == amount
        assert fixed(Decimal("33.333333"), 4) == share
