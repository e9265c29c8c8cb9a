from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "familybridge.notes"
    label = "notes"
    verbose_name = "Case notes and contacts"

    def ready(self) -> None:
        # Registers the case note and the contact log entry as record kinds (written from the family page's menu,
        # corrected and voided like any record), and their forms for the family page's record views.
        from familybridge.notes import forms, services  # noqa: F401
