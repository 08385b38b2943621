from django.core.management.base import BaseCommand

from correspondence.tasks import outbox_dispatch


class Command(BaseCommand):
    help = "Queue every note copy and e-mail still waiting in the outbox (each is still sent at most once)."

    def add_arguments(self, parser):
        parser.add_argument("--stale-only", action="store_true", help="Only copies untouched for a while.")

    def handle(self, *args, stale_only: bool, **options):
        count = outbox_dispatch(stale_only=stale_only)
        self.stdout.write(f"Queued {count} message{'' if count == 1 else 's'}.")
