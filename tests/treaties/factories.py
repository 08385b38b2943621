"""Shared by the treaties tests: small registry files built in memory."""

import csv
import io

import openpyxl

STATE_HEADER = [
    "iso2",
    "iso3",
    "iso_numeric",
    "name_en",
    "name_fr",
    "un_status",
    "name_es",
    "article_fr",
    "article_es",
    "name_ar",
    "name_ru",
    "name_zh",
]
STATE_ROWS = [
    ["XA", "XAA", "901", "Testland A", "Terre de test A", "member", "Tierra de prueba A", "la", "la", "أ", "А", "甲"],
    ["XB", "XAB", "902", "Testland B", "Terre de test B", "member", "Tierra de prueba B", "", "", "ب", "Б", "乙"],
    ["XC", "XAC", "903", "Testland C", "Terre de test C", "observer", "Tierra de prueba C", "les", "los", "", "", ""],
]
# States files written before the Spanish names and the articles existed.
OLD_STATE_HEADER = STATE_HEADER[:6]
OLD_STATE_ROWS = [row[:6] for row in STATE_ROWS]
PARTICIPATION_HEADER = [
    "treaty",
    "state_iso3",
    "signature_date",
    "deposit_date",
    "instrument",
    "provisional_application",
    "withdrawal_notice_date",
    "notes",
]
GOOD_ROWS = [
    ["CCM", "XAA", "2008-12-03", "2011-03-24", "ratification", "false", "", "Ratified"],
    ["CCM", "XAB", "", "2011-12-31", "accession", "false", "", ""],
    ["APMBC", "XAA", "1997-12-03", "1998-09-17", "ratification", "false", "2023-08-31", "Withdrew"],
    ["CCM", "XAC", "2008-12-03", "", "", "false", "", "Signatory"],
]
EXPORT_HEADER = [
    "treaty",
    "state_iso3",
    "state_name",
    "signature_date",
    "deposit_date",
    "instrument",
    "provisional_application",
    "withdrawal_notice_date",
    "entry_into_force_override",
    "initial_report_due_override",
    "withdrawal_effective_override",
    "notes",
    "entry_into_force",
    "initial_report_due",
    "withdrawal_effective",
    "status",
]


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def read_xlsx(data: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]
