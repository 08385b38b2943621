"""Writes to the registry."""

from dataclasses import dataclass, field

from django.db import transaction

from common.tabular import FORMATS, RegistryImportError, RowError, duplicate_key_errors, import_row_errors, load_dataset

from .resources import RESOURCES


@dataclass
class ImportSummary:
    new: int = 0
    updated: int = 0
    skipped: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)


def registry_import(*, kind: str, data: bytes, file_format: str) -> ImportSummary:
    """Import one registry table. Every row is checked; if any is bad, nothing is written."""
    if kind not in RESOURCES:
        raise RegistryImportError([RowError(0, "", f"Unknown table “{kind}”; choose one of {', '.join(RESOURCES)}.")])
    resource = RESOURCES[kind]()
    dataset = load_dataset(data=data, file_format=file_format)
    column_names = {name: f.column_name for name, f in resource.fields.items()}
    column_names |= {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    duplicates = duplicate_key_errors(dataset, resource)
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=False, raise_errors=False, use_transactions=True, duplicates_checked=True
        )
        errors = sorted(import_row_errors(result, column_names) + duplicates, key=lambda e: (e.row, e.column))
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
