from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "familybridge.practice"
    verbose_name = "Collaborative practice"
