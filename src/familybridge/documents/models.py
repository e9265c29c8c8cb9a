"""Documents: files attached to a family or to one of its records (a signed consent form, a court order, a lab report,
a case plan), each a record owned by the uploader's agency, about one member of the family, in a category, read only
through the policy point. An attachment to a record is derived from it (its provenance), so a file attached to a Part 2
program's record is Part 2 wherever it is shown."""

from django.db import models

from familybridge.people.models import ProtectedRecord


class DocumentKind(models.TextChoices):
    CONSENT_FORM = "consent_form", "Signed consent form"
    COURT_ORDER = "court_order", "Court order"
    LAB_REPORT = "lab_report", "Lab report"
    CASE_PLAN = "case_plan", "Case plan"
    OTHER = "other", "Other"


class Document(ProtectedRecord):
    """An uploaded file. The stored name is random (never the uploader's file name, which is kept only as the name the
    download offers); the content type is the one detected from the file's content when it was uploaded."""

    family = models.ForeignKey("people.Family", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("kind of document", max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(max_length=255)
    file_name = models.CharField("file name", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("size in bytes")
    sha256 = models.CharField("SHA-256", max_length=64)
    # The record it is attached to (app_label.model:pk), or empty for a document on the family. Its provenance
    # (source_*) names where its information came from, which for a chain of derived records is the chain's root.
    attached_record = models.CharField(max_length=100, blank=True, default="", db_default="")

    class Meta(ProtectedRecord.Meta):
        ordering = ["-created_at", "-pk"]
        indexes = [
            *ProtectedRecord.Meta.indexes,
            models.Index(fields=["family", "created_at"]),
            models.Index(fields=["attached_record"]),
        ]

    def __str__(self) -> str:
        return self.title
