"""`familybridge policy evaluate FILE [--json]` and `familybridge policy check FILE`: test a sharing set-up."""

import json
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from familybridge.consent import scenarios

THROWAWAY_DATABASE = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}


def use_throwaway_database() -> None:
    """Point this process at a fresh in-memory SQLite database, migrated: the scenario touches nothing real."""
    for connection in connections.all(initialized_only=True):
        connection.close()
    fresh = connections.configure_settings(THROWAWAY_DATABASE)
    connections._settings = fresh
    connections.__dict__["settings"] = fresh
    if hasattr(connections._connections, "default"):
        del connections["default"]
    call_command("migrate", interactive=False, verbosity=0)


class Command(BaseCommand):
    help = "Load a policy scenario file into a throw-away database and ask the policy point its checks."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        evaluate = actions.add_parser("evaluate", help="Print each check's decision and the basis behind it.")
        evaluate.add_argument("file")
        evaluate.add_argument("--json", action="store_true", help="Print the decisions as a JSON list.")
        check = actions.add_parser("check", help="Compare decisions with each check's expect; exit 1 on any mismatch.")
        check.add_argument("file")

    def handle(self, *args, action: str, file: str, **options) -> None:
        try:
            data = scenarios.parse(Path(file).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except scenarios.ScenarioError as error:
            raise CommandError(f"{file}: {error}") from error
        use_throwaway_database()
        try:
            decisions, notes = scenarios.evaluate(data)
        except scenarios.ScenarioError as error:
            raise CommandError(f"{file}: {error}") from error
        for note in notes:
            self.stderr.write(f"note: {note}")
        if action == "evaluate":
            self._print(data, decisions, as_json=options["json"])
            return
        problems = scenarios.mismatches(data, decisions)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            self.stdout.write(self.style.ERROR(f"{len(problems)} of {len(decisions)} checks do not match."))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"All {len(decisions)} checks match."))

    def _print(self, data: dict, decisions: list[dict], *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(decisions))
            return
        for check, decision in zip(data["checks"], decisions, strict=True):
            self.stdout.write(
                f"{decision['check']:>4}  {decision['decision']:<6}  {check['user']} reads {check['record']} "
                f"for {check['purpose']} on {check['on']}  (basis: {decision['basis']})"
            )
