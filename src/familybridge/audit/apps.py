from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "familybridge.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from familybridge.audit import integrity, signals  # noqa: F401  (integrity registers the SQLite guard)

        signals.connect()
