import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from obligations.selectors import reminders_planned
from obligations.services import reminders_send


class Command(BaseCommand):
    help = "Send the Article 7 reminders due today (each at most once), or list them with --dry-run."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Act as if today were this date.")

    def handle(self, *args, dry_run: bool, date: dt.date | None, **options):
        at = date or timezone.localdate()
        if dry_run:
            planned = reminders_planned(at=at, include_disabled=True)
            for reminder in planned:
                flag = "" if reminder.stage.enabled else "  (stage switched off)"
                row = reminder.row
                self.stdout.write(
                    f"{reminder.stage.label}: {row.state} – {row.kind.label}"
                    f"{f' {row.year_covered}' if row.year_covered else ''}, due {row.due}{flag}"
                )
            self.stdout.write(f"{len(planned)} reminder(s) planned for {at}.")
            return
        sent = reminders_send(at=at)
        self.stdout.write(f"Sent {len(sent)} reminder(s).")
