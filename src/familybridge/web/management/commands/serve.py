import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve familybridge with gunicorn (static files by WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("FAMILYBRIDGE_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--no-migrate", action="store_true", help="Do not apply migrations first.")

    def handle(self, *args, bind: str, workers: int, no_migrate: bool, **options) -> None:
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"familybridge on http://{bind}/  (Ctrl-C stops it)")
        sys.stdout.flush()
        os.execvp(  # noqa: S606 (gunicorn replaces this process, as a service manager expects)
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "familybridge.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                # The screening and password reset links carry tokens in their paths: the access log redacts them.
                "--logger-class",
                "familybridge.web.logs.RedactingGunicornLogger",
            ],
        )
