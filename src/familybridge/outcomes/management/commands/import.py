from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from familybridge.audit.context import AuditContext, current_context
from familybridge.outcomes import extract
from familybridge.outcomes.importing import ExtractInvalid, ExtractRefused, import_extract
from familybridge.outcomes.progress import TerminalProgress

ERRORS_SHOWN = 200


class Command(BaseCommand):
    help = "Import data into familybridge. `import extract DIR` loads a partnership extract folder."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="extract")
        parser_extract = kinds.add_parser(
            "extract", help="A folder of extract CSV files (docs/tasks/import-an-extract.md)."
        )
        parser_extract.add_argument("folder", type=Path)
        parser_extract.add_argument("--partnership", help="Partnership slug (created when missing).")
        parser_extract.add_argument(
            "--agency",
            action="append",
            default=[],
            metavar="SYSTEM=SLUG",
            help="The agency that owns a system's rows: cw=SLUG, sud=SLUG or court=SLUG (created when missing).",
        )
        parser_extract.add_argument(
            "--rejects", type=Path, help="Write good rows and put bad rows in this folder beside report.csv."
        )

    def handle(self, *args, kind: str, folder: Path, partnership: str | None, agency: list[str], rejects, **options):
        agency_slugs = {}
        for item in agency:
            system, _, slug = item.partition("=")
            if system not in extract.SYSTEMS or not slug:
                raise CommandError(f"--agency takes cw=SLUG, sud=SLUG or court=SLUG, not {item!r}.")
            agency_slugs[system] = slug
        token = current_context.set(AuditContext(None, "familybridge import", "", None))
        try:
            with TerminalProgress(self.stdout.isatty()) as progress:
                summary = import_extract(
                    folder, partnership_slug=partnership, agency_slugs=agency_slugs, rejects=rejects, progress=progress
                )
        except ExtractInvalid as invalid:
            for error in invalid.errors[:ERRORS_SHOWN]:
                self.stderr.write(str(error))
            if len(invalid.errors) > ERRORS_SHOWN:
                self.stderr.write(f"… and {len(invalid.errors) - ERRORS_SHOWN} more.")
            raise CommandError(f"{invalid} Fix the rows, or use --rejects DIR to write the good rows.") from None
        except (ExtractRefused, IntegrityError) as error:
            raise CommandError(f"Nothing was imported: {error}") from None
        finally:
            current_context.reset(token)
        self.stdout.write(f"{'file':<22}{'read':>10}{'written':>10}{'unchanged':>11}{'rejected':>10}")
        for name, f in summary.files.items():
            if f.present:
                self.stdout.write(f"{name:<22}{f.read:>10}{f.written:>10}{f.unchanged:>11}{f.rejected:>10}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported into {summary.partnership.slug} "
                f"({', '.join(f'{s}={a.slug}' for s, a in summary.agencies.items())}): "
                f"{summary.rows_read} rows read, {summary.rows_written} written, {summary.rows_rejected} rejected."
            )
        )
        if summary.rejects_folder:
            self.stdout.write(f"Rejected rows and report.csv are in {summary.rejects_folder}.")
