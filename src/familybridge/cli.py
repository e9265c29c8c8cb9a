"""The `familybridge` console command: each subcommand is one of the project's management commands."""

import os
import sys

# The demo's own commands, and writing migrations in a checkout, run with DEBUG on (and so with the demo's keys);
# every other command runs with production's defaults. Set before Django reads its settings, so that the
# gunicorn the demo starts inherits it.
DEMO_COMMANDS = {"demo", "otp", "makemigrations"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familybridge.settings")
    if sys.argv[1:2] and sys.argv[1] in DEMO_COMMANDS:
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["familybridge", *sys.argv[1:]])


if __name__ == "__main__":
    main()
