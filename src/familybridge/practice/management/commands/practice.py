import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from familybridge.practice.analysis import ResponsesFileError, analyze, read_responses

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Collaborative practice tools. `practice analyze RESPONSES.csv [--json]` shows where partners disagree."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        analyze_parser = sub.add_parser(
            "analyze",
            help="Per item and element, each system's mean and spread, the gap between systems and the agenda.",
        )
        analyze_parser.add_argument(
            "responses", help="CSV with respondent_id, system, item_id, score and optionally element."
        )
        analyze_parser.add_argument("--json", action="store_true", dest="as_json", help="Print the analysis as JSON.")

    def handle(self, *args, action: str, responses: str, as_json: bool, **options) -> None:
        path = Path(responses)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.", returncode=BAD_INPUT) from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not a UTF-8 text file.", returncode=BAD_INPUT) from error
        try:
            result = analyze(read_responses(text))
        except ResponsesFileError as error:
            raise CommandError(f"{path}: {error}", returncode=BAD_INPUT) from error
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self._write_table(result)

    def _write_table(self, result: dict) -> None:
        self.stdout.write("Agenda (items by disagreement between systems):")
        for rank, item_id in enumerate(result["agenda"], start=1):
            figures = result["items"][item_id]
            self.stdout.write(f"  {rank:>2}. {item_id:<12} gap {figures['gap']:.2f}  sd {_figure(figures['sd'])}")
        if not result["agenda"]:
            self.stdout.write("  (no item has two systems with at least 5 respondents)")
        self.stdout.write("\nItems:")
        for item_id, figures in result["items"].items():
            systems = "  ".join(
                f"{system} {'suppressed' if group.get('suppressed') else _figure(group['mean'])} (n={group['n']})"
                for system, group in figures["systems"].items()
            )
            self.stdout.write(f"  {item_id:<12} n={figures['n']:<4} mean {_figure(figures['mean'])}  {systems}")


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
