from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from familybridge.audit.integrity import CheckpointError, read_checkpoints, verify_chain, write_checkpoint


class Command(BaseCommand):
    help = (
        "Audit log tools. `audit verify` checks the keyed chain and names the first broken event; "
        "`audit checkpoint FILE` appends the signed chain head to a file kept outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="Check every event's seal; exit 1 at the first altered, removed or inserted event."
        )
        verify.add_argument(
            "--checkpoint",
            type=Path,
            metavar="FILE",
            help="A checkpoint file: the chain must still hold every head signed in it (catches a cut-off tail).",
        )
        checkpoint = sub.add_parser(
            "checkpoint", help="Verify the chain, then append its signed head (count, last hash, time) to FILE."
        )
        checkpoint.add_argument("file", type=Path, metavar="FILE")

    def handle(self, *args, action: str, **options) -> None:
        if action == "checkpoint":
            self._checkpoint(options["file"])
        else:
            self._verify(options["checkpoint"])

    def _checkpoint(self, path: Path) -> None:
        try:
            signed = write_checkpoint(path)
        except (CheckpointError, OSError) as error:
            raise CommandError(str(error)) from error
        head = f"{signed['count']} events, last hash {signed['last_hash']}"
        self.stdout.write(self.style.SUCCESS(f"Checkpoint appended to {path}: {head}."))

    def _verify(self, checkpoint_file: Path | None) -> None:
        try:
            checkpoints = read_checkpoints(checkpoint_file) if checkpoint_file else []
        except (CheckpointError, OSError) as error:
            raise CommandError(f"Checkpoint file not usable: {error}") from error
        report = verify_chain(checkpoints=checkpoints)
        if not report.intact:
            raise CommandError(
                f"Audit chain broken at event #{report.first_broken_sequence}: {report.problem} "
                f"({report.events_checked} events before it are intact)."
            )
        against = ""
        if checkpoint_file:
            counted = f"{len(checkpoints)} checkpoint{'' if len(checkpoints) == 1 else 's'}"
            against = f", consistent with {counted} in {checkpoint_file}"
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.events_checked} events verified{against}."))
