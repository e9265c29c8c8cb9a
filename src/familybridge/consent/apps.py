from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "familybridge.consent"
    verbose_name = "Consent and information sharing"
