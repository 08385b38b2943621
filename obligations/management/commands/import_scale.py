from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obligations.services import ScaleImportError, scale_import


class Command(BaseCommand):
    help = (
        "Import a scale of assessment from CSV or XLSX (columns state_iso3, first_year, last_year, rate, source, "
        "optionally reference). Every row is checked; if one is bad, nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["csv", "xlsx"], help="Defaults to the file extension.")

    def handle(self, *args, path: Path, format: str | None, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        file_format = format or path.suffix.lstrip(".").lower()
        try:
            summary = scale_import(data=path.read_bytes(), file_format=file_format)
        except ScaleImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{len(exc.errors)} error(s) in {path.name}; nothing was imported.") from None
        self.stdout.write(
            f"Scale: {summary.rows} rows, {summary.new} new, {summary.updated} updated, {summary.skipped} unchanged."
        )
