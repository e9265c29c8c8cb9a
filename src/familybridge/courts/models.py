from django.conf import settings
from django.db import models

from familybridge.consent.categories import Category
from familybridge.dates import us_date
from familybridge.people.models import ProtectedRecord


class CourtReport(ProtectedRecord):
    """That an agency sent the court a report for a hearing, and which records it chose to include.

    The report's content is compiled again through the policy point each time the court opens it, so
    a consent revoked after sending takes effect at once.
    """

    fixed_category = Category.COURT_CASE

    hearing = models.ForeignKey("cases.Hearing", on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="court_reports")
    purpose = models.CharField(max_length=40)
    included = models.JSONField(default=list, help_text="model label:primary key of each record included.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta(ProtectedRecord.Meta):
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Report for {self.hearing.get_hearing_type_display()} on {us_date(self.hearing.hearing_date)}"
