from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.models import DBTaskResult

from familybridge.messaging.tasks import send_reminders


class Command(BaseCommand):
    help = "Run the background worker: reminders every hour, notifications, and any queued task."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due now, then exit.")

    def handle(self, *args, batch: bool, **options) -> None:
        # One chain of hourly reminders: queued (perhaps for later) or running already means nothing to add.
        waiting = DBTaskResult.objects.filter(task_path=send_reminders.module_path, status__in=["READY", "RUNNING"])
        if not waiting.exists():
            send_reminders.enqueue()
        call_command("db_worker", batch=batch, interval=5)
