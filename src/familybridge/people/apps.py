from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "familybridge.people"
    verbose_name = "People and families"

    def ready(self) -> None:
        from familybridge.people import signals  # noqa: F401 (connects the receivers)
