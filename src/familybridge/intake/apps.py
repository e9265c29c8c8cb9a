from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "familybridge.intake"
    verbose_name = "Child welfare intake"
