"""`familybridge documents sweep`: delete stored files that no document names (left by a rolled-back transaction)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from familybridge.documents.services import remove_orphan_files


class Command(BaseCommand):
    help = "Document storage chores (see docs/tasks/operate.md#document-storage)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        sweep = actions.add_parser("sweep", help="Delete stored files that no document names.")
        sweep.add_argument(
            "--older-than-hours",
            type=float,
            default=24,
            help="Only files last changed this long ago (default 24): younger ones may belong to an upload under way.",
        )
        sweep.add_argument("--dry-run", action="store_true", help="List the files, delete nothing.")

    def handle(self, *args, **options) -> None:
        found = remove_orphan_files(timedelta(hours=options["older_than_hours"]), dry_run=options["dry_run"])
        verb = "Would delete" if options["dry_run"] else "Deleted"
        for name in found:
            self.stdout.write(f"{verb} {name}")
        self.stdout.write(f"{verb} {len(found)} file{'s' if len(found) != 1 else ''} that no document names.")
