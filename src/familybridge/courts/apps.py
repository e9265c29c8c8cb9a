from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "familybridge.courts"
    verbose_name = "Court reports"
