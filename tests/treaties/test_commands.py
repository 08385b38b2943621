"""The registry_import and registry_export management commands."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.factories import ParticipationFactory, StateFactory
from tests.treaties.factories import (
    GOOD_ROWS,
    PARTICIPATION_HEADER,
    STATE_HEADER,
    STATE_ROWS,
    csv_bytes,
    read_csv,
    xlsx_bytes,
)
from treaties.models import Participation, State

D = dt.date
pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def states(tmp_path):
    path = tmp_path / "states.csv"
    path.write_bytes(csv_bytes(STATE_HEADER, STATE_ROWS))
    out, err = run("registry_import", "states", str(path))
    assert (out, err) == ("states: 3 rows, 3 new, 0 updated, 0 unchanged.\n", "")
    return path


def test_import_good_csv_then_again(states, tmp_path):
    path = tmp_path / "participations.csv"
    path.write_bytes(csv_bytes(PARTICIPATION_HEADER, GOOD_ROWS))
    assert run("registry_import", "participations", str(path)) == (
        "participations: 4 rows, 4 new, 0 updated, 0 unchanged.\n",
        "",
    )
    assert run("registry_import", "participations", str(path)) == (
        "participations: 4 rows, 0 new, 0 updated, 4 unchanged.\n",
        "",
    )
    assert Participation.objects.count() == 4


def test_import_xlsx(states, tmp_path):
    path = tmp_path / "Participations.XLSX"
    path.write_bytes(xlsx_bytes(PARTICIPATION_HEADER, GOOD_ROWS[:2]))
    out, _ = run("registry_import", "participations", str(path))
    assert out == "participations: 2 rows, 2 new, 0 updated, 0 unchanged.\n"
    assert sorted(Participation.objects.values_list("state__iso3", "deposit_date")) == [
        ("XAA", D(2011, 3, 24)),
        ("XAB", D(2011, 12, 31)),
    ]


def test_format_option_overrides_the_extension(states, tmp_path):
    path = tmp_path / "participations.txt"
    path.write_bytes(csv_bytes(PARTICIPATION_HEADER, GOOD_ROWS[:1]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("registry_import", "participations", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == "participations.txt: row 0: Unsupported format “txt”; use CSV or XLSX.\n"
    out, _ = run("registry_import", "participations", str(path), "--format", "csv")
    assert out == "participations: 1 rows, 1 new, 0 updated, 0 unchanged.\n"


def test_bad_file_prints_each_error_to_stderr_and_writes_nothing(states, tmp_path):
    path = tmp_path / "bad.csv"
    rows = [
        GOOD_ROWS[0],
        ["CCM", "ZZZ", "2008-12-03", "2011-03-24", "ratification", "false", "", ""],
        GOOD_ROWS[1],
        ["CCM", "XAC", "2008-12-03", "2011-03-24", "ratify", "false", "", ""],
    ]
    path.write_bytes(csv_bytes(PARTICIPATION_HEADER, rows))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("registry_import", "participations", str(path), stdout=out, stderr=err)
    assert str(excinfo.value) == "2 error(s) in bad.csv; nothing was imported."
    assert err.getvalue().splitlines() == [
        "bad.csv: row 3, column “state_iso3”: No state with ISO alpha-3 “ZZZ”.",
        "bad.csv: row 5, column “instrument”: Value 'ratify' is not a valid choice.",
    ]
    assert out.getvalue() == ""
    assert Participation.objects.count() == 0


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"No such file: .*missing\.csv"):
        run("registry_import", "states", str(tmp_path / "missing.csv"))


def test_unknown_kind_is_refused_by_the_parser(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a\n1\n")
    with pytest.raises(CommandError, match="invalid choice: 'treaties'"):
        run("registry_import", "treaties", str(path))


@pytest.fixture
def participations():
    ParticipationFactory(
        state=StateFactory(iso3="XLT", name_en="Testland Lithuania"), withdrawal_notice_date=D(2024, 9, 6)
    )
    ParticipationFactory(state=StateFactory(iso3="XAC", name_en="Testland Accession"), signature_date=None,
                         deposit_date=D(2010, 7, 28), instrument="accession")  # fmt: skip


def computed(rows):
    return [
        (r["state_iso3"], r["entry_into_force"], r["initial_report_due"], r["withdrawal_effective"], r["status"])
        for r in rows
    ]


EXPECTED = [
    ("XAC", "2011-01-01", "2011-06-30", "", "state_party"),
    ("XLT", "2011-09-01", "2012-02-28", "2025-03-06", "former_party"),
]


def test_export_csv_to_a_file(participations, tmp_path):
    path = tmp_path / "out.csv"
    out, _ = run("registry_export", "participations", str(path))
    assert out == f"Wrote participations to {path}.\n"
    assert computed(read_csv(path.read_bytes())) == EXPECTED


def test_export_xlsx_to_a_file(participations, tmp_path):
    path = tmp_path / "out.xlsx"
    run("registry_export", "participations", str(path))
    sheet = openpyxl.load_workbook(path).active
    header, *rows = sheet.iter_rows(values_only=True)
    rows = [{k: v or "" for k, v in zip(header, row, strict=True)} for row in rows]
    assert computed(rows) == EXPECTED


def test_export_csv_to_stdout(participations, capsys):
    run("registry_export", "participations", "-")
    assert computed(read_csv(capsys.readouterr().out.encode())) == EXPECTED


def test_export_format_option(participations, tmp_path):
    path = tmp_path / "out.dat"
    run("registry_export", "participations", str(path), "--format", "xlsx")
    assert path.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "--format", "xlsx"], "Only CSV can be written to standard output."),
        (["out.json"], "Give --format csv or xlsx, or a file ending in .csv or .xlsx."),
    ],
)
def test_export_refuses(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=re.escape(message)):
        run("registry_export", "states", *args)
    assert list(tmp_path.iterdir()) == []


def test_export_then_import_round_trip(tmp_path):
    StateFactory(
        iso2="XA",
        iso3="XAA",
        iso_numeric="004",
        name_en="Testland A",
        name_fr="Terre A",
        article_fr="la",
        name_es="Tierra A",
        article_es="la",
    )
    path = tmp_path / "states.xlsx"
    run("registry_export", "states", str(path))
    State.objects.all().delete()
    out, _ = run("registry_import", "states", str(path))
    assert out == "states: 1 rows, 1 new, 0 updated, 0 unchanged.\n"
    assert list(
        State.objects.values_list(
            "iso2", "iso3", "iso_numeric", "name_en", "name_fr", "article_fr", "name_es", "article_es"
        )
    ) == [("XA", "XAA", "004", "Testland A", "Terre A", "la", "Tierra A", "la")]
