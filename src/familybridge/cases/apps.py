from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "familybridge.cases"
    verbose_name = "Child welfare, treatment and court records"

    def ready(self) -> None:
        from familybridge.cases import signals  # noqa: F401 (connects the receivers)
