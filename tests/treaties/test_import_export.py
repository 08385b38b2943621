"""The registry import (all rows or none) and export (with computed dates), via treaties.services."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import MissionFactory, OrganisationFactory, ParticipationFactory, StateFactory, apmbc, ccm
from tests.treaties.factories import (
    EXPORT_HEADER,
    GOOD_ROWS,
    OLD_STATE_HEADER,
    OLD_STATE_ROWS,
    PARTICIPATION_HEADER,
    STATE_HEADER,
    STATE_ROWS,
    csv_bytes,
    read_csv,
    read_xlsx,
    xlsx_bytes,
)
from treaties import rules
from treaties.models import Organisation, Participation, PermanentMission, State
from treaties.services import RegistryImportError, RowError, registry_export, registry_import

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def states():
    registry_import(kind="states", data=csv_bytes(STATE_HEADER, STATE_ROWS), file_format="csv")
    return {s.iso3: s for s in State.objects.all()}


def import_participations(rows, header=PARTICIPATION_HEADER, file_format="csv"):
    data = csv_bytes(header, rows) if file_format == "csv" else xlsx_bytes(header, rows)
    return registry_import(kind="participations", data=data, file_format=file_format)


def errors_of(excinfo) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in excinfo.value.errors]


def summary_of(summary) -> tuple[int, int, int, int, list]:
    return summary.rows, summary.new, summary.updated, summary.skipped, summary.errors


# --- import: the good case --------------------------------------------------------------------------------------


def test_states_import():
    summary = registry_import(kind="states", data=csv_bytes(STATE_HEADER, STATE_ROWS), file_format="csv")
    assert summary_of(summary) == (3, 3, 0, 0, [])
    assert list(State.objects.values_list("iso2", "iso3", "iso_numeric", "name_en", "un_status")) == [
        ("XA", "XAA", "901", "Testland A", "member"),
        ("XB", "XAB", "902", "Testland B", "member"),
        ("XC", "XAC", "903", "Testland C", "observer"),
    ]
    assert list(State.objects.values_list("name_fr", "article_fr", "name_es", "article_es")) == [
        ("Terre de test A", "la", "Tierra de prueba A", "la"),
        ("Terre de test B", "", "Tierra de prueba B", ""),
        ("Terre de test C", "les", "Tierra de prueba C", "los"),
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_states_file_from_before_the_spanish_names_still_imports(file_format):
    data = (csv_bytes if file_format == "csv" else xlsx_bytes)(OLD_STATE_HEADER, OLD_STATE_ROWS)
    summary = registry_import(kind="states", data=data, file_format=file_format)
    assert summary_of(summary) == (3, 3, 0, 0, [])
    # A translation not given is missing (NULL, as modeltranslation keeps it): English stands in.
    assert list(State.objects.values_list("iso3", "name_fr", "article_fr", "name_es", "article_es")) == [
        ("XAA", "Terre de test A", "", None, ""),
        ("XAB", "Terre de test B", "", None, ""),
        ("XAC", "Terre de test C", "", None, ""),
    ]


def test_an_old_states_file_leaves_the_spanish_names_already_recorded(states):
    summary = registry_import(kind="states", data=csv_bytes(OLD_STATE_HEADER, OLD_STATE_ROWS), file_format="csv")
    assert summary_of(summary) == (3, 0, 0, 3, [])
    assert State.objects.get(iso3="XAA").name_es == "Tierra de prueba A"
    assert State.objects.get(iso3="XAC").article_fr == "les"


def test_article_cells_as_a_spreadsheet_may_have_retyped_them():
    rows = [["XA", "XAA", "901", "Testland A", "Allemagne de test", "member", "Alemania de prueba", " L\u2019 ", "LOS"]]
    registry_import(kind="states", data=xlsx_bytes(STATE_HEADER, rows), file_format="xlsx")
    assert State.objects.values_list("article_fr", "article_es").get() == ("l'", "los")


def test_good_participations_csv_imports(states):
    summary = import_participations(GOOD_ROWS)
    assert summary_of(summary) == (4, 4, 0, 0, [])
    rows = Participation.objects.order_by("treaty__code", "state__iso3")
    assert [
        (
            p.treaty.code,
            p.state.iso3,
            p.signature_date,
            p.deposit_date,
            p.instrument,
            p.withdrawal_notice_date,
            p.entry_into_force,
            p.initial_report_due,
            p.withdrawal_effective,
            p.notes,
        )
        for p in rows
    ] == [
        ("APMBC", "XAA", D(1997, 12, 3), D(1998, 9, 17), "ratification", D(2023, 8, 31), D(1999, 3, 1),
         D(1999, 8, 28), D(2024, 2, 29), "Withdrew"),
        ("CCM", "XAA", D(2008, 12, 3), D(2011, 3, 24), "ratification", None, D(2011, 9, 1), D(2012, 2, 28), None,
         "Ratified"),
        ("CCM", "XAB", None, D(2011, 12, 31), "accession", None, D(2012, 6, 1), D(2012, 11, 28), None, ""),
        ("CCM", "XAC", D(2008, 12, 3), None, "", None, None, None, None, "Signatory"),
    ]  # fmt: skip


def test_instrument_and_header_variants_are_normalised(states):
    """A UTF-8 BOM (as Excel writes CSV) and capitalised instruments are accepted."""
    data = b"\xef\xbb\xbf" + csv_bytes(
        PARTICIPATION_HEADER, [["CCM", "XAA", "2008-12-03", "2011-03-24", " Acceptance ", "true", "", ""]]
    )
    summary = registry_import(kind="participations", data=data, file_format="csv")
    assert summary_of(summary) == (1, 1, 0, 0, [])
    participation = Participation.objects.get()
    assert (participation.instrument, participation.provisional_application) == ("acceptance", True)


def test_xlsx_import_with_text_and_date_cells(states):
    rows = [
        ["CCM", "XAA", "2008-12-03", "2011-03-24", "ratification", "false", None, "text dates"],
        ["CCM", "XAB", dt.datetime(2008, 12, 3), dt.datetime(2010, 7, 28), "ratification", "false", None, None],
    ]
    summary = import_participations(rows, file_format="xlsx")
    assert summary_of(summary) == (2, 2, 0, 0, [])
    assert sorted(
        (p.state.iso3, p.signature_date, p.deposit_date, p.entry_into_force, p.notes)
        for p in Participation.objects.all()
    ) == [
        ("XAA", D(2008, 12, 3), D(2011, 3, 24), D(2011, 9, 1), "text dates"),
        ("XAB", D(2008, 12, 3), D(2010, 7, 28), D(2011, 1, 1), ""),
    ]


def test_reimporting_the_same_file_creates_no_duplicates(states):
    data = csv_bytes(PARTICIPATION_HEADER, GOOD_ROWS)
    registry_import(kind="participations", data=data, file_format="csv")
    again = registry_import(kind="participations", data=data, file_format="csv")
    assert summary_of(again) == (4, 0, 0, 4, [])
    assert Participation.objects.count() == 4


def test_reimport_updates_changed_rows_in_place(states):
    import_participations(GOOD_ROWS)
    changed = [row.copy() for row in GOOD_ROWS]
    changed[3][3:5] = ["2012-01-05", "ratification"]  # the signatory ratifies
    summary = import_participations(changed)
    assert summary_of(summary) == (4, 0, 1, 3, [])
    assert Participation.objects.count() == 4
    updated = Participation.objects.get(treaty__code="CCM", state__iso3="XAC")
    assert (updated.deposit_date, updated.instrument, updated.entry_into_force) == (
        D(2012, 1, 5),
        "ratification",
        D(2012, 7, 1),
    )


def test_states_reimport_is_idempotent(states):
    summary = registry_import(kind="states", data=csv_bytes(STATE_HEADER, STATE_ROWS), file_format="csv")
    assert summary_of(summary) == (3, 0, 0, 3, [])
    assert State.objects.count() == 3


def test_import_of_overrides(states):
    header = [*PARTICIPATION_HEADER, "entry_into_force_override", "withdrawal_effective_override"]
    import_participations(
        [
            [
                "CCM",
                "XAA",
                "2008-12-03",
                "2011-03-24",
                "ratification",
                "false",
                "2024-09-06",
                "",
                "2012-01-01",
                "2026-03-06",
            ]
        ],
        header=header,
    )
    participation = Participation.objects.get()
    assert (participation.entry_into_force, participation.initial_report_due, participation.withdrawal_effective) == (
        D(2012, 1, 1),
        D(2012, 6, 29),
        D(2026, 3, 6),
    )


# --- import: all rows or none -----------------------------------------------------------------------------------


def test_several_bad_rows_are_all_reported_and_nothing_is_written(states):
    ParticipationFactory(treaty=apmbc(), state=states["XAC"], signature_date=D(1997, 12, 3), deposit_date=D(1999, 1, 1))
    rows = [
        GOOD_ROWS[0],  # row 2: good
        ["CCM", "ZZZ", "2008-12-03", "2011-03-24", "ratification", "false", "", ""],  # row 3: unknown State
        GOOD_ROWS[1],  # row 4: good
        ["CCM", "XAC", "2008-12-03", "2011-02-30", "ratification", "false", "", ""],  # row 5: no such day
        ["APMBC", "XAB", "1997-12-03", "1998-10-01", "ratify", "false", "", ""],  # row 6: unknown instrument
        ["APMBC", "XAC", "1997-12-03", "1999-01-01", "ratification", "false", "", "updated"],  # row 7: good update
        ["APMBC", "XAA", "", "1999-01-01", "ratification", "false", "", ""],  # row 8: ratification, never signed
    ]
    before = Participation.objects.count()
    with pytest.raises(RegistryImportError) as excinfo:
        import_participations(rows)
    errors = errors_of(excinfo)
    assert {(row, column) for row, column, _ in errors} == {
        (3, "state_iso3"),
        (5, "deposit_date"),
        (6, "instrument"),
        (8, "signature_date"),
    }
    assert (3, "state_iso3", "No state with ISO alpha-3 “ZZZ”.") in errors
    assert (5, "deposit_date", "Value could not be parsed using defined formats.") in errors
    assert (6, "instrument", "Value 'ratify' is not a valid choice.") in errors
    assert (8, "signature_date", "Ratification follows a signature; a State that never signed accedes.") in errors
    assert [e.row for e in excinfo.value.errors] == sorted(e.row for e in excinfo.value.errors)
    assert str(excinfo.value) == f"{len(errors)} error(s); nothing was imported."
    # nothing written: neither the good new rows nor the good update
    assert before == 1
    assert Participation.objects.count() == before
    assert Participation.objects.get().notes == ""


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            ["CCM", "ZZZ", "2008-12-03", "2011-03-24", "ratification", "false", "", ""],
            (2, "state_iso3", "No state with ISO alpha-3 “ZZZ”."),
            id="unknown-state",
        ),
        pytest.param(
            ["CCW", "XAA", "2008-12-03", "2011-03-24", "ratification", "false", "", ""],
            (2, "treaty", "No treaty with code “CCW”."),
            id="unknown-treaty",
        ),
        pytest.param(
            ["CCM", "XAA", "03/12/2008", "2011-03-24", "ratification", "false", "", ""],
            (2, "signature_date", "Value could not be parsed using defined formats."),
            id="bad-date",
        ),
        pytest.param(
            ["CCM", "XAA", "2008-12-03", "2011-03-24", "signature", "false", "", ""],
            (2, "instrument", "Value 'signature' is not a valid choice."),
            id="unknown-instrument",
        ),
        pytest.param(
            ["CCM", "XAA", "2010-05-01", "2010-04-01", "ratification", "false", "", ""],
            (2, "deposit_date", "The deposit cannot precede the signature."),
            id="deposit-before-signature",
        ),
        pytest.param(
            ["CCM", "XAA", "2008-12-03", "2011-03-24", "ratification", "false", "2011-03-01", ""],
            (2, "withdrawal_notice_date", "Only a State that has deposited an instrument can withdraw, after it."),
            id="withdrawal-before-deposit",
        ),
        pytest.param(
            ["CCM", "XAA", "2008-12-03", "2011-03-24", "", "false", "", ""],
            (2, "instrument", "Say which instrument was deposited."),
            id="deposit-without-instrument",
        ),
        pytest.param(
            ["CCM", "XAA", "2008-12-03", "", "ratification", "false", "", ""],
            (2, "deposit_date", "An instrument needs its deposit date."),
            id="instrument-without-deposit",
        ),
    ],
)
def test_one_bad_row(states, row, expected):
    with pytest.raises(RegistryImportError) as excinfo:
        import_participations([row])
    assert expected in errors_of(excinfo)
    assert {(r, c) for r, c, _ in errors_of(excinfo)} == {expected[:2]}
    assert Participation.objects.count() == 0


def test_xlsx_with_bad_rows_writes_nothing(states):
    rows = [GOOD_ROWS[0], ["CCM", "XAB", "2008-12-03", "24 March 2011", "ratification", "false", None, None]]
    with pytest.raises(RegistryImportError) as excinfo:
        import_participations(rows, file_format="xlsx")
    assert (3, "deposit_date", "Value could not be parsed using defined formats.") in errors_of(excinfo)
    assert Participation.objects.count() == 0


def test_bad_states_are_reported_by_row():
    rows = [
        STATE_ROWS[0],
        ["XB", "XAB", "902", "Testland B", "Terre de test B", "alien", "", "", "", "", "", ""],
        ["xc", "XAC", "903", "Testland C", "Terre de test C", "member", "", "", "", "", "", ""],
        ["XD", "XAD", "904", "Testland D", "Terre de test D", "member", "Tierra D", "de la", "lo", "", "", ""],
    ]
    with pytest.raises(RegistryImportError) as excinfo:
        registry_import(kind="states", data=csv_bytes(STATE_HEADER, rows), file_format="csv")
    assert errors_of(excinfo) == [
        (3, "un_status", "Value 'alien' is not a valid choice."),
        (4, "iso2", "Two capital letters."),
        (5, "article_es", "Value 'lo' is not a valid choice."),
        (5, "article_fr", "Value 'de la' is not a valid choice."),
    ]
    assert State.objects.count() == 0


def test_unknown_parent_organisation_is_reported_in_its_column():
    header = ["name", "acronym", "kind", "parent", "city", "email", "website", "observer_by_right"]
    rows = [
        ["United Nations", "UN", "un", "", "New York", "", "https://www.un.org", "CCM;APMBC"],
        ["Some Office", "SO", "un_entity", "United Natons", "Geneva", "", "", ""],
    ]
    with pytest.raises(RegistryImportError) as excinfo:
        registry_import(kind="organisations", data=csv_bytes(header, rows), file_format="csv")
    assert errors_of(excinfo) == [(3, "parent", "No organisation with name “United Natons”.")]
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(kind="treaties", data=b"code\nCCM\n", file_format="csv"), "Unknown table “treaties”; choose one of"),
        (dict(kind="states", data=b"iso2\nXA\n", file_format="ods"), "Unsupported format “ods”; use CSV or XLSX."),
        (dict(kind="states", data="iso2\nÉ\n".encode("latin-1"), file_format="csv"), "The CSV file is not UTF-8"),
        (dict(kind="states", data=b"not a workbook", file_format="xlsx"), "The file cannot be read as XLSX"),
    ],
)
def test_unreadable_input(kwargs, message):
    with pytest.raises(RegistryImportError) as excinfo:
        registry_import(**kwargs)
    [error] = excinfo.value.errors
    assert (error.row, error.column) == (0, "")
    assert error.message.startswith(message)
    assert State.objects.count() == 0


def test_row_error_text():
    assert str(RowError(3, "state_iso3", "No state.")) == "row 3, column “state_iso3”: No state."
    assert str(RowError(0, "", "Unreadable.")) == "row 0: Unreadable."


# --- organisations and missions ---------------------------------------------------------------------------------


def test_organisations_import_with_parent_and_observer_treaties():
    header = ["name", "acronym", "kind", "parent", "city", "email", "website", "observer_by_right"]
    rows = [
        ["United Nations", "UN", "un", "", "New York", "", "https://www.un.org", "CCM;APMBC"],
        ["UN Office for Disarmament Affairs", "UNODA", "un_entity", "United Nations", "Geneva", "", "", ""],
        ["Cluster Munition Coalition", "CMC", "ngo", "", "London", "", "", "CCM"],
    ]
    data = csv_bytes(header, rows)
    assert summary_of(registry_import(kind="organisations", data=data, file_format="csv")) == (3, 3, 0, 0, [])
    un = Organisation.objects.get(acronym="UN")
    assert sorted(t.code for t in un.observer_by_right.all()) == ["APMBC", "CCM"]
    assert Organisation.objects.get(acronym="UNODA").parent == un
    assert [t.code for t in Organisation.objects.get(acronym="CMC").observer_by_right.all()] == ["CCM"]
    assert summary_of(registry_import(kind="organisations", data=data, file_format="csv")) == (3, 0, 0, 3, [])


def test_missions_import_several_addresses_in_one_cell(states):
    header = ["state_iso3", "city", "name", "address", "phone", "emails"]
    rows = [
        ["XAA", "Geneva", "Mission of A", "Rue 1", "+41 22 000 00 00", "a@example.org; b@example.org,c@example.org"]
    ]
    registry_import(kind="missions", data=csv_bytes(header, rows), file_format="csv")
    mission = PermanentMission.objects.get()
    assert (mission.state.iso3, mission.city) == ("XAA", "Geneva")
    assert mission.email_list == ["a@example.org", "b@example.org", "c@example.org"]
    exported = read_csv(registry_export(kind="missions", file_format="csv"))
    assert exported == [
        {
            "state_iso3": "XAA",
            "city": "Geneva",
            "name": "Mission of A",
            "address": "Rue 1",
            "phone": "+41 22 000 00 00",
            "emails": "a@example.org; b@example.org; c@example.org",
        }
    ]


def test_missions_import_rejects_a_bad_address(states):
    header = ["state_iso3", "city", "name", "emails"]
    with pytest.raises(RegistryImportError) as excinfo:
        registry_import(
            kind="missions", data=csv_bytes(header, [["XAA", "Geneva", "M", "a@example.org; nope"]]), file_format="csv"
        )
    assert errors_of(excinfo) == [(2, "emails", "Line 2: “nope” is not a valid e-mail address.")]
    assert PermanentMission.objects.count() == 0


# --- export -----------------------------------------------------------------------------------------------------


@pytest.fixture
def exported_world():
    today = timezone.localdate()
    lithuania = StateFactory(iso3="XLT", name_en="Testland Lithuania")
    ParticipationFactory(state=lithuania, withdrawal_notice_date=D(2024, 9, 6), notes="Left")
    ParticipationFactory(
        state=StateFactory(iso3="XOV", name_en="Testland Override"),
        entry_into_force_override=D(2012, 1, 1),
    )
    ParticipationFactory(state=StateFactory(iso3="XPE", name_en="Testland Pending"), withdrawal_notice_date=today)
    ParticipationFactory(state=StateFactory(iso3="XSI", name_en="Testland Signatory"), deposit_date=None, instrument="")
    ParticipationFactory(
        treaty=apmbc(),
        state=lithuania,
        signature_date=D(1997, 12, 3),
        deposit_date=D(1998, 9, 17),
        initial_report_due_override=D(1999, 9, 30),
    )
    return today


def expected_export_rows(today):
    pending_effective = rules.add_months(today, 6).isoformat()
    common = dict(provisional_application="0", initial_report_due_override="", withdrawal_effective_override="")
    return [
        common | dict(treaty="APMBC", state_iso3="XLT", state_name="Testland Lithuania", signature_date="1997-12-03",
             deposit_date="1998-09-17", instrument="ratification", withdrawal_notice_date="",
             entry_into_force_override="", initial_report_due_override="1999-09-30", notes="",
             entry_into_force="1999-03-01", initial_report_due="1999-09-30", withdrawal_effective="",
             status="state_party"),
        common | dict(treaty="CCM", state_iso3="XLT", state_name="Testland Lithuania", signature_date="2008-12-03",
             deposit_date="2011-03-24", instrument="ratification", withdrawal_notice_date="2024-09-06",
             entry_into_force_override="", notes="Left", entry_into_force="2011-09-01",
             initial_report_due="2012-02-28", withdrawal_effective="2025-03-06", status="former_party"),
        common | dict(treaty="CCM", state_iso3="XOV", state_name="Testland Override", signature_date="2008-12-03",
             deposit_date="2011-03-24", instrument="ratification", withdrawal_notice_date="",
             entry_into_force_override="2012-01-01", notes="", entry_into_force="2012-01-01",
             initial_report_due="2012-06-29", withdrawal_effective="", status="state_party"),
        common | dict(treaty="CCM", state_iso3="XPE", state_name="Testland Pending", signature_date="2008-12-03",
             deposit_date="2011-03-24", instrument="ratification", withdrawal_notice_date=today.isoformat(),
             entry_into_force_override="", notes="", entry_into_force="2011-09-01",
             initial_report_due="2012-02-28", withdrawal_effective=pending_effective,
             status="withdrawal_pending"),
        common | dict(treaty="CCM", state_iso3="XSI", state_name="Testland Signatory", signature_date="2008-12-03",
             deposit_date="", instrument="", withdrawal_notice_date="", entry_into_force_override="", notes="",
             entry_into_force="", initial_report_due="", withdrawal_effective="", status="signatory"),
    ]  # fmt: skip


def test_participations_csv_export_includes_computed_columns(exported_world):
    data = registry_export(kind="participations", file_format="csv")
    assert data.decode("utf-8").splitlines()[0] == ",".join(EXPORT_HEADER)
    assert read_csv(data) == expected_export_rows(exported_world)


def test_participations_xlsx_export_includes_computed_columns(exported_world):
    data = registry_export(kind="participations", file_format="xlsx")
    assert data[:2] == b"PK"  # a zip container
    rows = read_xlsx(data)
    assert list(rows[0]) == EXPORT_HEADER
    # empty cells read back as None
    assert [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in rows] == expected_export_rows(
        exported_world
    )


def test_exported_participations_reimport_unchanged(exported_world):
    data = registry_export(kind="participations", file_format="csv")
    summary = registry_import(kind="participations", data=data, file_format="csv")
    assert summary_of(summary) == (5, 0, 0, 5, [])
    assert Participation.objects.count() == 5


def test_exported_xlsx_reimports_unchanged(exported_world):
    data = registry_export(kind="participations", file_format="xlsx")
    summary = registry_import(kind="participations", data=data, file_format="xlsx")
    assert summary_of(summary) == (5, 0, 0, 5, [])


def test_states_and_organisations_export():
    StateFactory(
        iso2="XA",
        iso3="XAA",
        iso_numeric="004",
        name_en="Testland A",
        name_fr="Terre A",
        article_fr="l'",
        name_es="Tierra A",
        article_es="el",
    )
    un = OrganisationFactory(name="United Nations", acronym="UN", kind="un")
    un.observer_by_right.set([ccm(), apmbc()])
    OrganisationFactory(name="UNODA", acronym="UNODA", kind="un_entity", parent=un)
    MissionFactory(state=State.objects.get(iso3="XAA"))
    exported = read_csv(registry_export(kind="states", file_format="csv"))
    assert exported == [
        dict(
            iso2="XA",
            iso3="XAA",
            iso_numeric="004",
            name_en="Testland A",
            name_fr="Terre A",
            un_status="member",
            name_es="Tierra A",
            article_fr="l'",
            article_es="el",
            name_ar="",
            name_ru="",
            name_zh="",
        )
    ]
    assert list(exported[0]) == STATE_HEADER
    organisations = read_csv(registry_export(kind="organisations", file_format="csv"))
    assert sorted((o["name"], o["parent"], sorted(o["observer_by_right"].split(";"))) for o in organisations) == [
        ("UNODA", "United Nations", [""]),
        ("United Nations", "", ["APMBC", "CCM"]),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(kind="treaties", file_format="csv"), "Unknown table “treaties”"),
        (dict(kind="states", file_format="json"), "Unsupported format “json”"),
    ],
)
def test_export_rejects_unknown_kind_or_format(kwargs, message):
    with pytest.raises(ValueError, match=message):
        registry_export(**kwargs)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exported_states_reimport_with_their_spanish_names_and_articles(states, file_format):
    data = registry_export(kind="states", file_format=file_format)
    rows = read_csv(data) if file_format == "csv" else read_xlsx(data)
    assert [[row[column] or "" for column in STATE_HEADER] for row in rows] == STATE_ROWS

    assert summary_of(registry_import(kind="states", data=data, file_format=file_format)) == (3, 0, 0, 3, [])
    State.objects.all().delete()
    assert summary_of(registry_import(kind="states", data=data, file_format=file_format)) == (3, 3, 0, 0, [])
    # The file's "name_zh" is modeltranslation's name_zh_hans; a missing translation is NULL.
    fields = [{"name_zh": "name_zh_hans"}.get(column, column) for column in STATE_HEADER]
    assert [[getattr(state, field) or "" for field in fields] for state in State.objects.order_by("iso3")] == STATE_ROWS


def test_missions_xlsx_with_empty_cells(states):
    header = ["state_iso3", "city", "name", "address", "phone", "emails"]
    rows = [
        ["XAA", "Geneva", "Mission of A", None, None, None],
        ["XAB", "New York", "Mission of B", "Street 2", None, "b@example.org"],
    ]
    summary = registry_import(kind="missions", data=xlsx_bytes(header, rows), file_format="xlsx")
    assert summary_of(summary) == (2, 2, 0, 0, [])
    assert sorted(PermanentMission.objects.values_list("state__iso3", "city", "address", "phone", "emails")) == [
        ("XAA", "Geneva", "", "", ""),
        ("XAB", "New York", "Street 2", "", "b@example.org"),
    ]


# --- malformed files and duplicate keys (nothing is guessed, nothing is written) -------------------------------


def _csv_text(header, rows) -> str:
    return csv_bytes(header, rows).decode("utf-8")


def test_a_quote_never_closed_is_reported_at_its_row_and_nothing_is_written(states):
    """Read leniently, the quote swallowed the next lines into XAA's notes: "1 row, 1 updated"."""
    text = _csv_text(PARTICIPATION_HEADER, GOOD_ROWS[:1] + GOOD_ROWS[1:])
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\r\n").removesuffix("Ratified") + '"Ratified, see the note of\r\n'
    with pytest.raises(RegistryImportError) as excinfo:
        registry_import(kind="participations", data="".join(lines).encode(), file_format="csv")
    [(row, column, message)] = errors_of(excinfo)
    assert (row, column) == (2, "")
    assert message.startswith("A quote opens here and is never closed")
    assert Participation.objects.count() == 0


def test_a_row_with_too_many_cells_is_reported(states):
    rows = [GOOD_ROWS[0], [*GOOD_ROWS[1], "stray"], GOOD_ROWS[2]]
    with pytest.raises(RegistryImportError) as excinfo:
        import_participations(rows)
    assert errors_of(excinfo) == [
        (3, "", "9 cells where the header has 8 columns: a comma or a quote is probably missing or misplaced.")
    ]
    assert Participation.objects.count() == 0


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_same_key_twice_is_an_error_not_a_silent_replacement(states, file_format):
    second_xaa = ["ccm ", "XAA", "2008-12-03", "2012-01-05", "ratification", "false", "", "Typed again"]
    with pytest.raises(RegistryImportError) as excinfo:
        import_participations([*GOOD_ROWS, second_xaa], file_format=file_format)
    message = "Row 2 already gives treaty “ccm ”, state_iso3 “XAA”; keep one of the two rows."
    assert (len(GOOD_ROWS) + 2, "", message) in errors_of(excinfo)
    assert Participation.objects.count() == 0


def test_duplicate_states_are_refused_too():
    with pytest.raises(RegistryImportError) as excinfo:
        registry_import(kind="states", data=csv_bytes(STATE_HEADER, [*STATE_ROWS, STATE_ROWS[0]]), file_format="csv")
    assert [e.row for e in excinfo.value.errors] == [5]
    assert State.objects.count() == 0
