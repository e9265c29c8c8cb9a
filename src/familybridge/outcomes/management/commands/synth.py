from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from familybridge.outcomes.synth import write_synthetic_extract


class Command(BaseCommand):
    help = "Write a realistic synthetic partnership extract (CSV files) into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--families", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--through", type=date.fromisoformat, default=None, help="The extract's last day (default: today)."
        )

    def handle(self, *args, folder: Path, families: int, seed: int, through: date | None, **options) -> None:
        counts = write_synthetic_extract(folder, families=families, seed=seed, through=through or date.today())
        for name, count in counts.items():
            self.stdout.write(f"{name:<22}{count:>10}")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} rows for {families} families in {folder}."))
