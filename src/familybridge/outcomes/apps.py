from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "familybridge.outcomes"
    label = "outcomes"
    verbose_name = "Joint outcomes"
