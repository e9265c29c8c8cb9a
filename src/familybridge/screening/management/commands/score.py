"""`familybridge score INSTRUMENT --answers '[...]'`: score canonical answers with the app's own engine."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from familybridge.screening.instruments import built_in, find_built_in
from familybridge.screening.scoring import SEXES, AnswerError, score

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Score one screen from canonical positional answers (see docs/tasks/administer-a-screen.md)."
    requires_system_checks: list = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help=f"One of: {', '.join(built_in())}.")
        parser.add_argument(
            "--answers",
            required=True,
            help="A JSON list, one entry per item in printed order: option index, 0/1 for no/yes, a number, "
            "or null for an item not asked.",
        )
        parser.add_argument("--sex", choices=SEXES, help="Chooses sex-specific cut-offs (AUDIT, AUDIT-C).")
        parser.add_argument("--variant", choices=("high", "hold"), help="TWEAK's tolerance question (default high).")
        parser.add_argument("--json", action="store_true", help="Print the result as one JSON object.")

    def handle(self, *args, **options) -> None:
        instrument = find_built_in(options["instrument"])
        if instrument is None:
            raise CommandError(
                f"Unknown instrument {options['instrument']!r}; choose one of: {', '.join(built_in())}.",
                returncode=BAD_INPUT,
            )
        try:
            answers = json.loads(options["answers"])
        except json.JSONDecodeError as error:
            raise CommandError(f"--answers is not valid JSON: {error}.", returncode=BAD_INPUT) from None
        try:
            result = score(instrument, answers, sex=options["sex"], variant=options["variant"])
        except AnswerError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_cli_dict()))
            return
        total = "no total" if result.total is None else f"total {result.total}"
        band = f", {result.band_display}" if result.band_display else ""
        verdict = "positive" if result.positive else "negative"
        flags = f"; flags: {', '.join(result.flags)}" if result.flags else ""
        self.stdout.write(f"{result.instrument}: {total}{band}, {verdict}{flags}")
