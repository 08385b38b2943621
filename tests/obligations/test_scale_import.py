"""Import of the scale of assessment: every row checked, nothing written if one is bad; the shipped file."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

import obligations
import treaties
from obligations.models import AssessmentRate
from obligations.services import ScaleImportError, scale_import
from tests.factories import StateFactory
from tests.obligations.factories import SCALE_HEADER, RateFactory, csv_bytes, xlsx_bytes
from treaties.models import Participation, State
from treaties.services import registry_import

D = dt.date
pytestmark = pytest.mark.django_db
SHIPPED = Path(obligations.__file__).parent / "data" / "scale_2025_2027.csv"


@pytest.fixture
def states():
    return {
        iso3: StateFactory(iso3=iso3, name_en=name)
        for iso3, name in [("XAA", "Testland A"), ("XAB", "Testland B"), ("XAC", "Testland C")]
    }


GOOD = [
    ["XAA", "2025", "2027", "0.001", "un"],
    ["XAB", "2025", "2027", "22.000", "UN"],
    ["XAC", "2025", "2027", "0.0015", "secretariat"],
]


def errors_of(excinfo) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in excinfo.value.errors]


def test_good_csv_imports(states):
    summary = scale_import(data=csv_bytes(SCALE_HEADER, GOOD))
    assert (summary.rows, summary.new, summary.updated, summary.errors) == (3, 3, 0, [])
    assert sorted(AssessmentRate.objects.values_list("state__iso3", "first_year", "last_year", "rate", "source")) == [
        ("XAA", 2025, 2027, Decimal("0.001000"), "un"),
        ("XAB", 2025, 2027, Decimal("22.000000"), "un"),
        ("XAC", 2025, 2027, Decimal("0.001500"), "secretariat"),
    ]


def test_reimport_updates_and_skips(states):
    scale_import(data=csv_bytes(SCALE_HEADER, GOOD))
    changed = [GOOD[0], ["XAB", "2025", "2026", "21.5", "un"], GOOD[2]]
    summary = scale_import(data=csv_bytes(SCALE_HEADER, changed))
    assert (summary.new, summary.updated, summary.skipped) == (0, 1, 2)
    assert AssessmentRate.objects.get(state__iso3="XAB").rate == Decimal("21.5")


def test_xlsx_with_numbers_and_a_reference(states):
    rows = [["XAA", 2025, 2027, 0.006, "un", "A/RES/79/249"], ["XAB", 2025.0, 2027.0, 1.053, "un", ""]]
    scale_import(data=xlsx_bytes([*SCALE_HEADER, "reference"], rows), file_format="xlsx")
    assert sorted(AssessmentRate.objects.values_list("state__iso3", "rate", "reference")) == [
        ("XAA", Decimal("0.006000"), "A/RES/79/249"),
        ("XAB", Decimal("1.053000"), ""),
    ]


def test_bad_rows_are_all_reported_and_nothing_is_written(states):
    RateFactory(state=states["XAC"], first_year=2022, last_year=2025)  # overlaps 2025–2027
    rows = [
        ["XAA", "2025", "2027", "0.001", "un"],  # row 2: good
        ["XZZ", "2025", "2027", "0.001", "un"],  # row 3: no such State
        ["XAB", "2025", "2027", "-0.5", "un"],  # row 4: negative
        ["XAB", "2028", "2027", "0", "imf"],  # row 5: backwards, zero, unknown source
        ["XAA", "twenty", "2027", "0.001", "un"],  # row 6: not a year
        ["XAB", "2040", "2042", "abc", "un"],  # row 7: not a number
        ["XAA", "2025", "2026", "0.002", "un"],  # row 8: same key as row 2
        ["XAC", "2025", "2027", "0.1234567", "un"],  # row 9: seven decimals; overlaps the stored period
        ["XAB", "2031", "2033", "", "un"],  # row 10: no rate
    ]
    with pytest.raises(ScaleImportError) as excinfo:
        scale_import(data=csv_bytes(SCALE_HEADER, rows))
    errors = errors_of(excinfo)
    assert errors == [
        (3, "state_iso3", "No state with ISO alpha-3 “XZZ”."),
        (4, "rate", "A rate is a percentage above 0 and at most 100."),
        (5, "last_year", "The last year cannot precede the first year."),
        (5, "rate", "A rate is a percentage above 0 and at most 100."),
        (5, "source", "Value 'imf' is not a valid choice."),
        (6, "first_year", "“twenty” is not a year."),
        (7, "rate", "“abc” is not a number; write the rate in percent, e.g. 0.123."),
        (8, "first_year", "Row 2 already gives a rate for XAA from 2025."),
        (9, "first_year", "Testland C already has a rate for 2022–2025; periods may not overlap."),
        (9, "rate", "Ensure that there are no more than 6 decimal places."),
        (10, "rate", "This field cannot be null."),
    ]
    assert str(excinfo.value.errors[0]) == "row 3, column “state_iso3”: No state with ISO alpha-3 “XZZ”."
    assert list(AssessmentRate.objects.values_list("state__iso3", "first_year")) == [("XAC", 2022)]


def test_missing_columns_are_reported_against_the_header(states):
    with pytest.raises(ScaleImportError) as excinfo:
        scale_import(data=csv_bytes(["state_iso3", "first_year", "rate"], [["XAA", "2025", "0.001"]]))
    assert errors_of(excinfo) == [(1, "last_year", "Missing column."), (1, "source", "Missing column.")]


def test_unreadable_files():
    with pytest.raises(ScaleImportError, match="1 error"):
        scale_import(data=b"\xff\xfe\x00garbage", file_format="csv")
    with pytest.raises(ScaleImportError) as excinfo:
        scale_import(data=b"x", file_format="ods")
    assert "Unsupported format" in str(excinfo.value.errors[0])


def test_command(states, tmp_path, capsys):
    path = tmp_path / "scale.csv"
    path.write_bytes(csv_bytes(SCALE_HEADER, GOOD))
    call_command("import_scale", str(path))
    assert "Scale: 3 rows, 3 new, 0 updated, 0 unchanged." in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(SCALE_HEADER, [["XAA", "2030", "2032", "0", "un"]]))
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_scale", str(bad))
    assert "bad.csv: row 2, column “rate”: A rate is a percentage above 0 and at most 100." in capsys.readouterr().err
    assert AssessmentRate.objects.count() == 3
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_scale", str(tmp_path / "missing.csv"))


# --- the shipped scale --------------------------------------------------------------------------------------


@pytest.fixture
def registry():
    data = Path(treaties.__file__).parent / "data"
    with transaction.atomic():
        for kind in ("states", "participations"):
            registry_import(kind=kind, data=(data / f"{kind}.csv").read_bytes(), file_format="csv")


def test_shipped_scale_covers_every_participating_state_but_cook_islands_and_niue(registry):
    summary = scale_import(data=SHIPPED.read_bytes())
    assert summary.errors == []
    rated = set(AssessmentRate.objects.values_list("state__iso3", flat=True))
    participating = set(Participation.objects.values_list("state__iso3", flat=True))
    assert participating - rated == {"COK", "NIU"}
    assert rated <= participating
    rates = AssessmentRate.objects.all()
    assert {(r.first_year, r.last_year, r.source) for r in rates} == {(2025, 2027, "un")}
    assert all(Decimal("0.001") <= r.rate <= Decimal("22") for r in rates)
    assert {r.reference for r in rates} == {"A/RES/79/249", "A/RES/79/249 (notional rate)"}
    # Non-members pay on a notional rate, flagged as such.
    assert set(
        State.objects.filter(assessment_rates__reference__contains="notional").values_list("iso3", flat=True)
    ) == {"VAT", "PSE"}


def test_the_admin_refuses_a_scale_that_gives_one_state_twice(admin_client, states):
    """The admin's import, like scale_import, does not let the second row silently replace the first."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    rows = [*GOOD, ["XAA", "2025", "2027", "0.005", "un"]]
    upload = SimpleUploadedFile("scale.csv", csv_bytes(SCALE_HEADER, rows), content_type="text/csv")
    response = admin_client.post(
        reverse("admin:obligations_assessmentrate_import"), {"resource": "0", "format": "0", "import_file": upload}
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "Row 2 already gives state_iso3 “XAA”, first_year “2025”" in response.content.decode()
    assert AssessmentRate.objects.count() == 0
