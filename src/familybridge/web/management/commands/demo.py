from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from familybridge.demo.load import load_demo
from familybridge.demo.staff import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Migrate, load the demo partnership (idempotent) and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Load the demo without serving it.")
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, no_serve: bool, bind: str, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        summary = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo partnership loaded ({summary.families_created} new families)."))
        self.stdout.write(f"\nDemo logins — every password is: {DEMO_PASSWORD}\n")
        for user in summary.staff:
            roles = ", ".join(sorted(user.role_codes))
            self.stdout.write(f"  {user.username:<16} {roles:<26} {user.agency.name}")
        self.stdout.write(
            "\nEvery account needs a one-time code after the password: "
            "`familybridge otp code USERNAME` prints the current one for a demo account.\n"
        )
        if not no_serve:
            call_command("serve", bind=bind, no_migrate=True)
