"""Writes to the registry."""

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from import_export.results import Result

from .resources import RESOURCES

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


class RegistryImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); nothing was imported.")


@dataclass
class ImportSummary:
    new: int = 0
    updated: int = 0
    skipped: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)


def load_dataset(*, data: bytes, file_format: str) -> tablib.Dataset:
    """Read an uploaded CSV (UTF-8) or XLSX file; RegistryImportError says why it cannot be read."""
    if file_format not in FORMATS:
        raise RegistryImportError([RowError(0, "", f"Unsupported format “{file_format}”; use CSV or XLSX.")])
    try:
        if file_format == "csv":
            text = data.decode("utf-8-sig")
            return tablib.Dataset().load(text, format="csv")
        return tablib.Dataset().load(data, format="xlsx")
    except UnicodeDecodeError:
        raise RegistryImportError([RowError(0, "", "The CSV file is not UTF-8 encoded.")]) from None
    except Exception as exc:  # tablib raises many kinds for a corrupt file
        raise RegistryImportError(
            [RowError(0, "", f"The file cannot be read as {file_format.upper()}: {exc}")]
        ) from exc


def import_row_errors(result: Result, column_names: dict[str, str]) -> list[RowError]:
    """Every problem django-import-export found, by row (header = row 1) and column."""
    errors: list[RowError] = []
    if result.base_errors:
        errors += [RowError(0, "", str(error.error)) for error in result.base_errors]
    for number, row_errors in result.row_errors():
        errors += [RowError(number + 1, "", str(error.error)) for error in row_errors]
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            column = "" if key == NON_FIELD_ERRORS else column_names.get(key, key)
            errors += [RowError(invalid.number + 1, column, message) for message in messages]
    return sorted(errors, key=lambda e: (e.row, e.column))


def registry_import(*, kind: str, data: bytes, file_format: str) -> ImportSummary:
    """Import one registry table. Every row is checked; if any is bad, nothing is written."""
    if kind not in RESOURCES:
        raise RegistryImportError([RowError(0, "", f"Unknown table “{kind}”; choose one of {', '.join(RESOURCES)}.")])
    resource = RESOURCES[kind]()
    dataset = load_dataset(data=data, file_format=file_format)
    column_names = {name: f.column_name for name, f in resource.fields.items()}
    column_names |= {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=True)
        errors = import_row_errors(result, column_names)
        if errors:
            transaction.set_rollback(True)
            raise RegistryImportError(errors)
    totals = result.totals
    return ImportSummary(
        new=totals.get("new", 0), updated=totals.get("update", 0), skipped=totals.get("skip", 0), rows=len(dataset)
    )


def registry_export(*, kind: str, file_format: str) -> bytes:
    if kind not in RESOURCES:
        raise ValueError(f"Unknown table “{kind}”; choose one of {', '.join(RESOURCES)}.")
    if file_format not in FORMATS:
        raise ValueError(f"Unsupported format “{file_format}”; use CSV or XLSX.")
    dataset = RESOURCES[kind]().export()
    exported = dataset.export(file_format)
    return exported.encode("utf-8") if isinstance(exported, str) else exported
