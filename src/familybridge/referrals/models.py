from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from familybridge.cases.models import SourcedRecord
from familybridge.consent.categories import Category
from familybridge.people.models import ProtectedRecord


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
    # The referrer wrote the referral; it sees what it wrote (not the program's steps) without consent.
    originating_agency_field = "referring_agency"

    referring_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_made"
    )
    family = models.ForeignKey(
        "people.Family",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        help_text="The family the referrer works, when the referral came from one.",
    )
    referral_date = models.DateField()
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    reason = models.TextField(
        blank=True, db_default="", help_text="Why the parent is referred, as the referring agency wrote it."
    )
    # What the referrer wrote it from: the positive screen (so it is marked referred and not referred twice), or
    # the declined or not-engaged referral it follows up.
    screening_result = models.ForeignKey(
        "screening.ScreeningResult", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    follows = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="followed_by")
    # The referrer's follow-up of a declined or not-engaged referral, closed without referring elsewhere.
    follow_up_closed_at = models.DateTimeField(null=True, blank=True)
    follow_up_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up_note = models.CharField(max_length=300, blank=True, default="", db_default="")
    # The program's staff assigned to the client from this referral (its intake queue).
    assignments = GenericRelation(
        "people.CaseloadAssignment", content_type_field="about_type", object_id_field="about_id"
    )

    class Meta(SourcedRecord.Meta):
        ordering = ["-referral_date"]
        constraints = [
            *SourcedRecord.Meta.constraints,
            # One referral per screen from each referring agency (the service says so first, in words).
            models.UniqueConstraint(
                fields=["screening_result", "referring_agency"],
                condition=models.Q(screening_result__isnull=False, voided_at=None),
                name="one_referral_per_screen",
            ),
        ]


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ASSESSMENT_SCHEDULED = "assessment_scheduled", "Assessment scheduled"
    ASSESSED = "assessed", "Assessed"
    ADMITTED = "admitted", "Admitted"
    NOT_ENGAGED = "not_engaged", "Not engaged"


# The closed loop: from each status, the steps a provider may record next.
NEXT_STEPS = {
    ReferralStatus.RECEIVED: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    ReferralStatus.ACCEPTED: (ReferralStatus.ASSESSMENT_SCHEDULED, ReferralStatus.NOT_ENGAGED),
    ReferralStatus.ASSESSMENT_SCHEDULED: (ReferralStatus.ASSESSED, ReferralStatus.NOT_ENGAGED),
    ReferralStatus.ASSESSED: (ReferralStatus.ADMITTED, ReferralStatus.NOT_ENGAGED),
    ReferralStatus.DECLINED: (),
    ReferralStatus.ADMITTED: (),
    ReferralStatus.NOT_ENGAGED: (),
}


class ReferralStep(ProtectedRecord):
    """One step of a referral, timestamped by the provider: what the program did is its own Part 2 record."""

    fixed_category = Category.SUD_ENROLLMENT

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=30, choices=ReferralStatus.choices)
    occurred_at = models.DateTimeField()
    scheduled_for = models.DateField(null=True, blank=True, help_text="The assessment date, when scheduled.")
    note = models.CharField(max_length=300, blank=True, help_text="For a declined referral: the reason.")

    class Meta(ProtectedRecord.Meta):
        ordering = ["occurred_at", "pk"]


class ReferralTargets(models.Model):
    """The partnership's timeliness targets for referrals (element 3: timely access to treatment)."""

    partnership = models.OneToOneField(
        "agencies.Partnership", on_delete=models.CASCADE, related_name="referral_targets"
    )
    respond_business_days = models.PositiveSmallIntegerField(default=3)
    assess_days = models.PositiveSmallIntegerField(default=7)
    admit_days = models.PositiveSmallIntegerField(default=14)

    def __str__(self) -> str:
        return f"Referral targets of {self.partnership}"
