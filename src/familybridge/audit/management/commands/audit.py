from django.core.management.base import BaseCommand, CommandError, CommandParser

from familybridge.audit.integrity import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` checks the hash chain and names the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Recompute the chain; exit 1 at the first altered, removed or inserted event.")

    def handle(self, *args, action: str, **options) -> None:
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Audit chain broken at event #{report.first_broken_sequence}: {report.problem} "
                f"({report.events_checked} events before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.events_checked} events verified."))
