from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "familybridge.screening"
    label = "screening"
    verbose_name = "Screening and assessment"

    def ready(self) -> None:
        # Registers the screen and the clinical assessment as record kinds (corrected and voided like any record).
        from familybridge.screening import services  # noqa: F401
