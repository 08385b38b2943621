import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from treaties.resources import RESOURCES
from treaties.services import registry_export


class Command(BaseCommand):
    help = "Export States, organisations, missions or participations (with computed dates) as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("path", help="Output file, or - for standard output (CSV only).")
        parser.add_argument("--format", choices=["csv", "xlsx"], help="Defaults to the file extension.")

    def handle(self, *args, kind: str, path: str, format: str | None, **options):
        file_format = format or ("csv" if path == "-" else Path(path).suffix.lstrip(".").lower())
        if file_format not in ("csv", "xlsx"):
            raise CommandError("Give --format csv or xlsx, or a file ending in .csv or .xlsx.")
        if path == "-" and file_format != "csv":
            raise CommandError("Only CSV can be written to standard output.")
        data = registry_export(kind=kind, file_format=file_format)
        if path == "-":
            sys.stdout.write(data.decode("utf-8"))
        else:
            Path(path).write_bytes(data)
            self.stdout.write(f"Wrote {kind} to {path}.")
