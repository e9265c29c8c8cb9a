from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "familybridge.screening"
    label = "screening"
    verbose_name = "Screening and assessment"
