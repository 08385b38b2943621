from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from treaties.resources import RESOURCES
from treaties.services import RegistryImportError, registry_import


class Command(BaseCommand):
    help = "Import States, organisations, missions or participations from CSV or XLSX. All rows or none."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["csv", "xlsx"], help="Defaults to the file extension.")

    def handle(self, *args, kind: str, path: Path, format: str | None, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        file_format = format or path.suffix.lstrip(".").lower()
        try:
            summary = registry_import(kind=kind, data=path.read_bytes(), file_format=file_format)
        except RegistryImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{len(exc.errors)} error(s) in {path.name}; nothing was imported.") from None
        self.stdout.write(
            f"{kind}: {summary.rows} rows, {summary.new} new, {summary.updated} updated, {summary.skipped} unchanged."
        )
