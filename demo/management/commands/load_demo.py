from django.core.management.base import BaseCommand

from demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the registry, the meetings and offices of the seed letters, and the demo accounts. Idempotent."

    def handle(self, *args, **options):
        summary = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (http://127.0.0.1:8000/accounts/login/):")
        for account in summary.accounts:
            self.stdout.write(f"  {account.role:<34} {account.email:<36} {account.password}")
        self.stdout.write("Staff sign in with a second factor. Add these TOTP secrets to an authenticator app:")
        for email, secret in summary.totp.items():
            self.stdout.write(f"  {email:<36} {secret}")
        self.stdout.write(f"A registration link for Mexico (one use): {summary.invitation_link}")
