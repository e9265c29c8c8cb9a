from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "familybridge.messaging"
    verbose_name = "Messages, notifications and reminders"
