"""The registry in the Django admin, as a superuser."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import MissionFactory, OrganisationFactory, ParticipationFactory, StateFactory, ccm
from tests.treaties.factories import GOOD_ROWS, PARTICIPATION_HEADER, csv_bytes, read_csv, xlsx_bytes
from treaties.models import Participation

D = dt.date
pytestmark = pytest.mark.django_db


def readonly_value(html: str, field: str) -> str:
    match = re.search(rf'field-{field}\b.*?<div class="readonly">([^<]*)</div>', html, re.S)
    assert match, f"no read-only {field} on the page"
    return match.group(1).strip()


def input_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input [^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name} on the page"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


@pytest.fixture
def registry():
    lithuania = StateFactory(iso3="XLT", name_en="Testland Lithuania")
    override = StateFactory(iso3="XOV", name_en="Testland Override")
    signatory = StateFactory(iso3="XSI", name_en="Testland Signatory")
    MissionFactory(state=lithuania, name="Permanent Mission of Testland Lithuania at Geneva")
    OrganisationFactory(name="Cluster Munition Coalition", acronym="CMC").observer_by_right.set([ccm()])
    return {
        "former": ParticipationFactory(state=lithuania, withdrawal_notice_date=D(2024, 9, 6)),
        "override": ParticipationFactory(state=override, entry_into_force_override=D(2012, 1, 1)),
        "signatory": ParticipationFactory(state=signatory, deposit_date=None, instrument=""),
    }


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("treaty", ["Convention on Cluster Munitions", "Anti-Personnel Mine Ban Convention"]),
        ("state", ["Testland Lithuania", "Testland Override", "Testland Signatory"]),
        ("organisation", ["Cluster Munition Coalition"]),
        ("permanentmission", ["Permanent Mission of Testland Lithuania at Geneva"]),
        ("participation", ["Testland Lithuania", "Testland Override", "Testland Signatory"]),
    ],
)
def test_changelists(admin_client, registry, model, expected):
    response = admin_client.get(reverse(f"admin:treaties_{model}_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html
    assert response.context["cl"].result_count == len(expected)


def test_participation_changelist_shows_computed_columns(admin_client, registry):
    response = admin_client.get(reverse("admin:treaties_participation_changelist"))
    html = response.content.decode()
    row = re.search(r"<tr>.*?Testland Lithuania.*?</tr>", html, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    expected = ["1 Sep 2011", "28 Feb 2012", "6 Mar 2025"]  # the short UN form of tables
    assert cells[-4:] == [*expected, "Former State Party"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("former_party", {"former"}),
        ("state_party", {"override"}),
        ("signatory", {"signatory"}),
        ("not_party", set()),
    ],
)
def test_participation_status_filter(admin_client, registry, status, expected):
    response = admin_client.get(reverse("admin:treaties_participation_changelist"), {"status": status})
    assert response.status_code == 200
    assert {p.pk for p in response.context["cl"].result_list} == {registry[key].pk for key in expected}


def test_participation_change_page_shows_computed_dates_beside_overrides(admin_client, registry):
    participation = registry["override"]
    response = admin_client.get(reverse("admin:treaties_participation_change", args=[participation.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert readonly_value(html, "computed_entry_into_force") == "1 September 2011"  # computed, not the override
    assert input_value(html, "entry_into_force_override") == "2012-01-01"
    assert readonly_value(html, "computed_initial_report_due") == "29 June 2012"  # follows the override
    assert input_value(html, "initial_report_due_override") is None
    assert readonly_value(html, "computed_withdrawal_effective") == "—"  # no notice
    assert input_value(html, "withdrawal_effective_override") is None
    assert readonly_value(html, "status_today") == "State Party"
    # the computed values are not editable
    assert 'name="computed_entry_into_force"' not in html
    assert 'name="computed_initial_report_due"' not in html


def test_participation_change_page_of_a_former_party(admin_client, registry):
    response = admin_client.get(reverse("admin:treaties_participation_change", args=[registry["former"].pk]))
    html = response.content.decode()
    assert readonly_value(html, "computed_withdrawal_effective") == "6 March 2025"
    assert readonly_value(html, "status_today") == "Former State Party"


def test_participation_change_page_of_a_signatory(admin_client, registry):
    response = admin_client.get(reverse("admin:treaties_participation_change", args=[registry["signatory"].pk]))
    html = response.content.decode()
    assert readonly_value(html, "computed_entry_into_force") == "—"
    assert readonly_value(html, "computed_initial_report_due") == "—"
    assert readonly_value(html, "computed_withdrawal_effective") == "—"
    assert readonly_value(html, "status_today") == "Signatory"


def test_participation_add_page(admin_client):
    response = admin_client.get(reverse("admin:treaties_participation_add"))
    assert response.status_code == 200
    assert readonly_value(response.content.decode(), "computed_entry_into_force") == "—"


def change_data(participation: Participation, **changes) -> dict:
    data = {
        "treaty": participation.treaty_id,
        "state": participation.state_id,
        "signature_date": participation.signature_date or "",
        "deposit_date": participation.deposit_date or "",
        "instrument": participation.instrument,
        "withdrawal_notice_date": participation.withdrawal_notice_date or "",
        "entry_into_force_override": participation.entry_into_force_override or "",
        "initial_report_due_override": participation.initial_report_due_override or "",
        "withdrawal_effective_override": participation.withdrawal_effective_override or "",
        "notes": participation.notes,
    }
    return data | changes


def test_saving_a_withdrawal_override(admin_client, registry):
    participation = registry["former"]
    url = reverse("admin:treaties_participation_change", args=[participation.pk])
    response = admin_client.post(url, change_data(participation, withdrawal_effective_override="2026-03-06"))
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.withdrawal_effective_override == D(2026, 3, 6)
    assert participation.computed_withdrawal_effective == D(2025, 3, 6)
    html = admin_client.get(url).content.decode()
    assert readonly_value(html, "computed_withdrawal_effective") == "6 March 2025"
    assert input_value(html, "withdrawal_effective_override") == "2026-03-06"


def test_saving_an_invalid_participation_shows_the_error(admin_client, registry):
    participation = registry["former"]
    url = reverse("admin:treaties_participation_change", args=[participation.pk])
    response = admin_client.post(url, change_data(participation, deposit_date="2008-12-01"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"deposit_date": ["The deposit cannot precede the signature."]}
    participation.refresh_from_db()
    assert participation.deposit_date == D(2011, 3, 24)


def test_states_are_found_by_their_spanish_name_and_its_article_is_editable(admin_client):
    brazil = StateFactory(name_en="Testland Brazil", name_fr="Brésil de test", article_fr="le", name_es="Brasil test")
    StateFactory(name_en="Testland Other", name_es="Otra tierra")
    changelist = admin_client.get(reverse("admin:treaties_state_changelist"), {"q": "brasil"})
    assert list(changelist.context["cl"].result_list) == [brazil]
    assert "Brasil test" in changelist.content.decode()

    url = reverse("admin:treaties_state_change", args=[brazil.pk])
    assert input_value(admin_client.get(url).content.decode(), "name_es") == "Brasil test"
    fields = ["iso2", "iso3", "iso_numeric", "un_status", "name_en", "name_fr", "article_fr", "name_es"]
    data = {field: getattr(brazil, field) for field in fields} | {"name_es": "Brasil", "article_es": "el"}
    for inline in ("missions", "participations"):
        data |= {f"{inline}-TOTAL_FORMS": 0, f"{inline}-INITIAL_FORMS": 0}
    assert admin_client.post(url, data).status_code == 302
    brazil.refresh_from_db()
    assert (brazil.name_es, brazil.article_es, brazil.article_fr) == ("Brasil", "el", "le")

    response = admin_client.post(url, data | {"article_es": "lo"})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["article_es"]


# --- import and export pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["state", "organisation", "permanentmission", "participation"])
def test_import_and_export_pages(admin_client, model):
    for action in ("import", "export"):
        response = admin_client.get(reverse(f"admin:treaties_{model}_{action}"))
        assert response.status_code == 200
        assert [label for _, label in response.context["form"].fields["format"].choices] == ["---", "csv", "xlsx"]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def states():
    for n, iso3 in enumerate(["XAA", "XAB", "XAC"]):
        StateFactory(iso3=iso3, name_en=f"Testland {iso3}", iso2=f"X{chr(65 + n)}")


def test_admin_import_rejects_a_bad_file_without_writing(admin_client, states):
    rows = [
        GOOD_ROWS[0],
        ["CCM", "ZZZ", "2008-12-03", "2011-03-24", "ratification", "false", "", ""],
        ["CCM", "XAB", "2008-12-03", "2011-03-24", "ratify", "false", "", ""],
    ]
    response = admin_client.post(
        reverse("admin:treaties_participation_import"),
        {"resource": "0", "format": "0", "import_file": upload("bad.csv", csv_bytes(PARTICIPATION_HEADER, rows))},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert [(row.number, row.error_dict) for row in result.invalid_rows] == [
        (2, {"state": ["No state with ISO alpha-3 “ZZZ”."]}),
        (3, {"instrument": ["Value 'ratify' is not a valid choice."]}),
    ]
    assert "confirm_form" not in response.context
    html = response.content.decode()
    assert "Some rows failed to validate" in html
    assert "No state with ISO alpha-3 “ZZZ”." in html
    assert Participation.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "format_index", "data"),
    [
        ("good.csv", "0", csv_bytes(PARTICIPATION_HEADER, GOOD_ROWS)),
        ("good.xlsx", "1", xlsx_bytes(PARTICIPATION_HEADER, GOOD_ROWS)),
    ],
)
def test_admin_import_of_a_good_file_after_confirmation(admin_client, states, name, format_index, data):
    response = admin_client.post(
        reverse("admin:treaties_participation_import"),
        {"resource": "0", "format": format_index, "import_file": upload(name, data)},
    )
    assert response.status_code == 200
    assert not response.context["result"].has_errors()
    assert not response.context["result"].has_validation_errors()
    assert Participation.objects.count() == 0  # the first step is a dry run
    confirm = response.context["confirm_form"]
    response = admin_client.post(reverse("admin:treaties_participation_process_import"), confirm.initial)
    assert response.status_code == 302
    assert sorted(Participation.objects.values_list("treaty__code", "state__iso3", "deposit_date")) == [
        ("APMBC", "XAA", D(1998, 9, 17)),
        ("CCM", "XAA", D(2011, 3, 24)),
        ("CCM", "XAB", D(2011, 12, 31)),
        ("CCM", "XAC", None),
    ]


def test_admin_export_of_participations_includes_computed_columns(admin_client, registry):
    url = reverse("admin:treaties_participation_export")
    form = admin_client.get(url).context["form"]
    data = {"resource": "0", "format": "0"} | {name: "on" for name in form.fields if name.startswith("participation")}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response.content)
    assert sorted((r["state_iso3"], r["entry_into_force"], r["initial_report_due"], r["status"]) for r in rows) == [
        ("XLT", "2011-09-01", "2012-02-28", "former_party"),
        ("XOV", "2012-01-01", "2012-06-29", "state_party"),
        ("XSI", "", "", "signatory"),
    ]


def test_admin_import_refuses_a_quote_never_closed(admin_client, states):
    text = csv_bytes(PARTICIPATION_HEADER, GOOD_ROWS).decode()
    broken = text.replace(",Ratified", ',"Ratified, see the note of', 1).encode()
    response = admin_client.post(
        reverse("admin:treaties_participation_import"),
        {"resource": "0", "format": "0", "import_file": upload("broken.csv", broken)},
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    errors = response.context["form"].errors["import_file"]
    assert errors[0].startswith("Row 2: A quote opens here and is never closed")
    assert "Nothing was imported" in errors[-1]
    assert Participation.objects.count() == 0


def test_admin_import_refuses_the_same_key_twice(admin_client, states):
    rows = [*GOOD_ROWS, ["CCM", "XAA", "2008-12-03", "2012-01-05", "ratification", "false", "", "Again"]]
    response = admin_client.post(
        reverse("admin:treaties_participation_import"),
        {"resource": "0", "format": "0", "import_file": upload("twice.csv", csv_bytes(PARTICIPATION_HEADER, rows))},
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "Row 2 already gives treaty “CCM”, state_iso3 “XAA”" in response.content.decode()
    assert Participation.objects.count() == 0
