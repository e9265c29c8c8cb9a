from django.db import models

from familybridge.cases.models import SourcedRecord
from familybridge.consent.categories import Category


class ReferralSource(models.TextChoices):
    CHILD_WELFARE = "child_welfare", "Child welfare"
    COURT = "court", "Court"
    SELF = "self", "Self"
    OTHER = "other", "Other"


class Referral(SourcedRecord):
    """A referral of a parent to an SUD treatment program, owned by the receiving program.

    That someone was referred to an SUD program is Part 2 information (sud.enrollment).
    """

    fixed_category = Category.SUD_ENROLLMENT

    referring_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_made"
    )
    referral_date = models.DateField()
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    reason = models.TextField(blank=True, help_text="Why the parent is referred, as the referring agency wrote it.")

    class Meta(SourcedRecord.Meta):
        ordering = ["-referral_date"]
