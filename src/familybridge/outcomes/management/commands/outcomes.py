import json as _json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from familybridge.outcomes.engine import Period, compute
from familybridge.outcomes.indicators import INDICATORS


class Command(BaseCommand):
    help = "Compute the joint outcome indicators (P1–P7, T1–T3, J1–J3) for a period, over the whole database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=date.fromisoformat, required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", type=date.fromisoformat, required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="For T2: the day to measure to (default: latest date in the data).",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, start: date, end: date, as_of: date | None, json: bool, **options) -> None:
        if end < start:
            raise CommandError("--end is before --start.")
        figures = compute(Period(start, end), as_of)
        if json:
            self.stdout.write(_json.dumps({code: figure.as_json() for code, figure in figures.items()}, indent=2))
            return
        self.stdout.write(f"Joint outcomes {start} to {end} (exact figures)")
        for indicator in INDICATORS:
            figure = figures[indicator.code]
            rows = figure.groups.items() if figure.groups else [("", figure)]
            for group, item in rows:
                value = "—" if item.value is None else f"{item.value}{indicator.scale.unit}"
                name = f"{indicator.name} ({group.replace('_', ' ')})" if group else indicator.name
                line = f"{indicator.code}  {name:<72} {item.numerator:>8} / {item.denominator:<9} {value}"
                if item.reports_median:
                    line += f"  median {item.median_days} days"
                self.stdout.write(line)
