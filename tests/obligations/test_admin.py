"""The obligations models in the Django admin, as a superuser."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from obligations.models import AssessmentRate
from tests.factories import MeetingFactory, ParticipationFactory, StateFactory, ccm
from tests.obligations.factories import SCALE_HEADER, MeetingCostFactory, RateFactory, SubmissionFactory, csv_bytes

D = dt.date
pytestmark = pytest.mark.django_db


def readonly_value(html: str, field: str) -> str:
    match = re.search(rf'field-{field}\b.*?<div class="readonly">([^<]*)</div>', html, re.S)
    assert match, f"no read-only {field} on the page"
    return match.group(1).strip()


@pytest.fixture
def records():
    party = StateFactory(name_en="Testland Party", iso3="XPA")
    signatory = StateFactory(name_en="Testland Signatory", iso3="XSG")
    ParticipationFactory(state=party)  # EIF 2011-09-01, initial due 2012-02-28
    ParticipationFactory(state=signatory, deposit_date=None, instrument="")
    meeting = MeetingFactory(title="Twelfth Meeting of States Parties")
    return {
        "late": SubmissionFactory(state=party, received_on=D(2012, 3, 5)),
        "annual": SubmissionFactory(state=party, kind="annual", year_covered=2012, received_on=D(2013, 4, 2)),
        "voluntary": SubmissionFactory(state=signatory, received_on=D(2013, 1, 1)),
        "rate": RateFactory(state=party, rate="0.123"),
        "cost": MeetingCostFactory(meeting=meeting, total="98765.43"),
    }


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("reportsubmission", ["Testland Party", "Testland Signatory"]),
        ("assessmentrate", ["Testland Party", "0.123", "A/RES/79/249"]),
        ("meetingcost", ["Twelfth Meeting of States Parties", "98765.43", "CHF"]),
    ],
)
def test_changelists(admin_client, records, model, expected):
    response = admin_client.get(reverse(f"admin:obligations_{model}_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html


@pytest.mark.parametrize(
    ("model", "query"),
    [("reportsubmission", {"kind": "annual"}), ("assessmentrate", {"source": "un"}), ("meetingcost", {"q": "Twelfth"})],
)
def test_filters_and_search(admin_client, records, model, query):
    response = admin_client.get(reverse(f"admin:obligations_{model}_changelist"), query)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize(
    ("key", "due", "status"),
    [
        ("late", "28 February 2012", "Submitted late"),
        ("annual", "30 April 2013", "Submitted on time"),
        ("voluntary", "—", "Voluntary: no such report is owed under the treaty"),
    ],
)
def test_submission_page_shows_computed_due_date_and_status(admin_client, records, key, due, status):
    response = admin_client.get(reverse("admin:obligations_reportsubmission_change", args=[records[key].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert readonly_value(html, "due_date") == due
    assert readonly_value(html, "status_today") == status
    assert 'name="due_date"' not in html and 'name="status_today"' not in html


@pytest.mark.parametrize(
    ("model", "autocomplete"),
    [("reportsubmission", ["state", "treaty"]), ("assessmentrate", ["state"]), ("meetingcost", ["meeting"])],
)
def test_add_pages_use_autocomplete(admin_client, model, autocomplete):
    response = admin_client.get(reverse(f"admin:obligations_{model}_add"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in autocomplete:
        assert re.search(rf'<select [^>]*name="{name}"[^>]*class="[^"]*admin-autocomplete', html) or re.search(
            rf'<select [^>]*class="[^"]*admin-autocomplete[^"]*"[^>]*name="{name}"', html
        ), f"{name} is not an autocomplete"


def test_add_submission_through_the_admin(admin_client, records):
    response = admin_client.post(
        reverse("admin:obligations_reportsubmission_add"),
        {
            "treaty": ccm().pk,
            "state": records["late"].state.pk,
            "kind": "annual",
            "year_covered": "",
            "received_on": "2014-04-01",
            "language": "en",
            "notes": "",
        },
    )
    assert response.status_code == 200  # redisplayed with the error
    assert "Say which calendar year the annual report covers." in response.content.decode()


def test_scale_import_through_the_admin(admin_client, records):
    response = admin_client.get(reverse("admin:obligations_assessmentrate_import"))
    assert response.status_code == 200
    state = StateFactory(iso3="XNW")
    data = csv_bytes(SCALE_HEADER, [["XNW", "2025", "2027", "0.005", "un"]])
    response = admin_client.post(
        reverse("admin:obligations_assessmentrate_import"),
        {"import_file": SimpleUploadedFile("scale.csv", data), "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert "confirm" in response.content.decode().lower()
    assert not AssessmentRate.objects.filter(state=state).exists()  # dry run until confirmed


@pytest.mark.parametrize("language", ["fr", "ar", "zh-hans"])
def test_every_obligations_admin_page_opens_in_other_languages(admin_client, records, settings, language):
    """Translated labels, choices and help texts (lazy strings) render in each list and form."""
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = [
        reverse(f"admin:obligations_{model}_{view}")
        for model in ("reportsubmission", "assessmentrate", "meetingcost", "reminderstage", "reminderlanguage")
        for view in ("changelist", "add")
    ]
    pages += [
        reverse("admin:obligations_reportsubmission_change", args=[records["late"].pk]),
        reverse("admin:obligations_remindersent_changelist"),
        reverse("admin:obligations_reminder_dry_run"),
    ]
    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page
        assert f'lang="{language}"' in response.content.decode(), page
    html = admin_client.get(reverse("admin:obligations_reportsubmission_changelist")).content.decode()
    expected = {"fr": "Rapport initial", "ar": "التقرير الأولي", "zh-hans": "初次报告"}[language]
    assert expected in html
