"""Background work run by the worker (`familybridge worker`, django-tasks' database backend)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from familybridge.messaging.reminders import run_reminders

REMINDER_INTERVAL = timedelta(hours=1)


@task()
def send_reminders() -> dict[str, int]:
    """Send today's reminders, then schedule the next run: the worker keeps one such task queued."""
    sent = run_reminders(timezone.localdate())
    send_reminders.using(run_after=timezone.now() + REMINDER_INTERVAL).enqueue()
    return sent
