from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "familybridge.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        # Registers the document as a record kind, so an upload entered in error is voided (and its title, kind and
        # category corrected) through the family page's record views, with its history, like every record.
        from familybridge.documents import services  # noqa: F401
