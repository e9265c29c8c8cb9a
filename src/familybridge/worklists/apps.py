from django.apps import AppConfig


class WorklistsConfig(AppConfig):
    name = "familybridge.worklists"
    verbose_name = "Worklists"
