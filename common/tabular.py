"""Reading tables people upload (CSV or XLSX) and reporting every problem by row and column.

Shared by the registry import (treaties.services, treaties.resources) and the UN scale import (obligations):
a file is read strictly, every row is checked, and if anything is wrong nothing is written.
"""

import csv
import io
from dataclasses import dataclass

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext, ngettext
from import_export import resources, widgets
from import_export.formats.base_formats import CSV
from import_export.results import Result

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        # Worded when shown: the admin's import page is read in the officer's language, a command's in English.
        if self.column:
            return gettext("row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return gettext("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class RegistryImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s); nothing was imported.")


def load_dataset(*, data: bytes, file_format: str) -> tablib.Dataset:
    """Read an uploaded CSV (UTF-8) or XLSX file; RegistryImportError says why it cannot be read."""
    if file_format not in FORMATS:
        raise RegistryImportError(
            [RowError(0, "", gettext("Unsupported format “%(format)s”; use CSV or XLSX.") % {"format": file_format})]
        )
    try:
        if file_format == "csv":
            text = data.decode("utf-8-sig")
            problems = csv_problems(text)
            if problems:
                raise RegistryImportError(problems)
            return tablib.Dataset().load(text, format="csv")
        return tablib.Dataset().load(data, format="xlsx")
    except RegistryImportError:
        raise
    except UnicodeDecodeError:
        raise RegistryImportError([RowError(0, "", gettext("The CSV file is not UTF-8 encoded."))]) from None
    except Exception as exc:  # tablib raises many kinds for a corrupt file
        raise RegistryImportError(
            [
                RowError(
                    0,
                    "",
                    gettext("The file cannot be read as %(format)s: %(error)s")
                    % {"format": file_format.upper(), "error": exc},
                )
            ]
        ) from exc


def csv_problems(text: str) -> list[RowError]:
    """What makes a CSV file unsafe to import, by row (header = row 1).

    Read leniently, as tablib does, a quote that is never closed swallows every line after
    it into one cell: a broken file imported as "1 row, 1 updated", the next States' lines
    pasted into a note. So the file is read strictly first, and every row must have as many
    cells as the header.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[RowError] = []
    width = None
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if width is None:
                width = len(cells)
            elif cells and len(cells) != width:
                problems.append(
                    RowError(
                        number,
                        "",
                        ngettext(
                            "%(cells)s cells where the header has %(columns)s column: "
                            "a comma or a quote is probably missing or misplaced.",
                            "%(cells)s cells where the header has %(columns)s columns: "
                            "a comma or a quote is probably missing or misplaced.",
                            width,
                        )
                        % {"cells": len(cells), "columns": width},
                    )
                )
    except csv.Error as exc:
        row = number + 1
        reason = (
            gettext("A quote opens here and is never closed: everything after it would be read as one cell.")
            if "unexpected end of data" in str(exc)
            else gettext("The text cannot be read as CSV (%(error)s).") % {"error": exc}
        )
        problems.append(RowError(row, "", reason))
    return problems


def _key_text(value) -> str:
    # XLSX gives numbers as floats: 2025.0 and "2025" are the same key.
    text = str(value if value is not None else "").strip().casefold()
    return text.removesuffix(".0") if text.replace(".", "", 1).isdigit() else text


def duplicate_key_errors(dataset: tablib.Dataset, resource) -> list[RowError]:
    """Rows that give the same key (e.g. the same treaty and State) twice.

    django-import-export would let the last one silently replace the first; a file that
    says two things about one record is a mistake to show, not to guess about.
    """
    columns = [resource.fields[name].column_name for name in resource._meta.import_id_fields]
    headers = list(dataset.headers or [])
    if not all(column in headers for column in columns):
        return []  # a missing key column is reported by django-import-export itself
    positions = [headers.index(column) for column in columns]
    first_seen: dict[tuple[str, ...], int] = {}
    errors = []
    for number, row in enumerate(dataset, start=2):
        key = tuple(_key_text(row[i]) for i in positions)
        if not any(key):
            continue
        if key in first_seen:
            shown = ", ".join(
                gettext("%(column)s “%(value)s”") % {"column": column, "value": row[i]}
                for column, i in zip(columns, positions, strict=True)
            )
            message = gettext("Row %(row)s already gives %(values)s; keep one of the two rows.")
            errors.append(RowError(number, "", message % {"row": first_seen[key], "values": shown}))
        else:
            first_seen[key] = number
    return errors


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


class CheckedCSV(CSV):
    """The admin's CSV import format, read as strictly as the command line's (see csv_problems)."""

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode("utf-8-sig") if isinstance(in_stream, bytes) else in_stream
        problems = csv_problems(text)
        if problems:
            raise RegistryImportError(problems)
        return super().create_dataset(text, **kwargs)


class LowercaseChoiceWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value).strip().lower() if value not in (None, "") else ""


class KeyCheckingResource(resources.ModelResource):
    """Refuses a file that gives the same key twice (the admin's import; the services check it themselves)."""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if kwargs.get("duplicates_checked"):
            return
        duplicates = duplicate_key_errors(dataset, self)
        if duplicates:
            raise ValidationError([str(error) for error in duplicates])


class LookupCheckingResource(KeyCheckingResource):
    """Reports a code that matches no row (unknown State, treaty, parent) against its own column.

    Left to django-import-export, the lookup raises ``DoesNotExist`` before the row is
    validated, which surfaces as an error of the whole row without a column.
    """

    def before_import_row(self, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ForeignKeyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ObjectDoesNotExist:
                    target = field.widget.model._meta.verbose_name
                    key = field.widget.model._meta.get_field(field.widget.field).verbose_name
                    errors[field.attribute] = gettext("No %(model)s with %(field)s “%(value)s”.") % {
                        "model": target,
                        "field": key,
                        "value": row[field.column_name],
                    }
        if errors:
            raise ValidationError(errors)
