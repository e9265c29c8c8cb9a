from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "familybridge.intake"
    verbose_name = "Child welfare intake"

    def ready(self) -> None:
        # Registers the report, its allegations and contacts as record kinds (corrected and voided like any record).
        from familybridge.intake import services  # noqa: F401
