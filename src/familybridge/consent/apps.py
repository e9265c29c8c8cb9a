from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "familybridge.consent"
    verbose_name = "Consent and information sharing"

    def ready(self) -> None:
        from familybridge.consent import signals  # noqa: F401 (connects the receivers)
