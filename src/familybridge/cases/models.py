"""The three systems' records about a family's members, each owned by the agency that keeps it."""

from django.db import models

from familybridge.consent.categories import Category
from familybridge.people.models import ProtectedRecord


class SourcedRecord(ProtectedRecord):
    """A record that may come from an agency's own system: source_id makes re-imports idempotent."""

    source_id = models.CharField(max_length=64, blank=True, help_text="The identifier in the owner's system.")

    class Meta(ProtectedRecord.Meta):
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["owner_agency", "source_id"],
                condition=~models.Q(source_id=""),
                name="%(app_label)s_%(class)s_unique_source_id",
            )
        ]


class Disposition(models.TextChoices):
    SUBSTANTIATED = "substantiated", "Substantiated"
    INDICATED = "indicated", "Indicated"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    OTHER = "other", "Other"


VICTIM_DISPOSITIONS = frozenset({Disposition.SUBSTANTIATED, Disposition.INDICATED})


class ChildWelfareReport(SourcedRecord):
    """A report of suspected abuse or neglect about a child, and its finding."""

    fixed_category = Category.CW_ALLEGATION

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    report_date = models.DateField()
    disposition = models.CharField(max_length=20, choices=Disposition.choices)
    summary = models.TextField(blank=True)

    class Meta(SourcedRecord.Meta):
        ordering = ["-report_date"]


class DischargeReason(models.TextChoices):
    REUNIFICATION = "reunification", "Reunification"
    RELATIVE = "relative", "Living with a relative"
    ADOPTION = "adoption", "Adoption"
    GUARDIANSHIP = "guardianship", "Guardianship"
    EMANCIPATION = "emancipation", "Emancipation"
    TRANSFER = "transfer", "Transfer to another agency"
    RUNAWAY = "runaway", "Runaway"
    DEATH = "death", "Death"
    OTHER = "other", "Other"


PERMANENCY_REASONS = frozenset(
    {DischargeReason.REUNIFICATION, DischargeReason.RELATIVE, DischargeReason.GUARDIANSHIP, DischargeReason.ADOPTION}
)


class RemovalEpisode(SourcedRecord):
    """A child's episode in foster care, from removal to discharge (open while the child is in care)."""

    fixed_category = Category.CW_PLACEMENT

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="removals"
    )
    removal_date = models.DateField()
    discharge_date = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=20, choices=DischargeReason.choices, blank=True)

    class Meta(SourcedRecord.Meta):
        ordering = ["-removal_date"]
        constraints = [
            *SourcedRecord.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(discharge_date=None) | models.Q(discharge_date__gte=models.F("removal_date")),
                name="removal_discharge_after_removal",
            ),
        ]


class SettingType(models.TextChoices):
    PRE_ADOPTIVE = "pre_adoptive", "Pre-adoptive home"
    RELATIVE = "relative", "Relative home"
    FOSTER = "foster", "Foster family home"
    GROUP = "group", "Group home"
    INSTITUTION = "institution", "Institution"
    INDEPENDENT_LIVING = "independent_living", "Supervised independent living"
    TRIAL_HOME_VISIT = "trial_home_visit", "Trial home visit"
    RUNAWAY = "runaway", "Runaway"


class PlacementSetting(SourcedRecord):
    """Where a child lived during part of a removal episode."""

    fixed_category = Category.CW_PLACEMENT

    episode = models.ForeignKey(RemovalEpisode, on_delete=models.CASCADE, related_name="settings")
    setting_start = models.DateField()
    setting_end = models.DateField(null=True, blank=True)
    setting_type = models.CharField(max_length=20, choices=SettingType.choices)

    class Meta(SourcedRecord.Meta):
        ordering = ["setting_start"]


class TedsDischargeReason(models.TextChoices):
    COMPLETED = "completed", "Treatment completed"
    LEFT = "left", "Left against professional advice"
    TERMINATED = "terminated", "Terminated by the facility"
    TRANSFERRED = "transferred", "Transferred to another program"
    INCARCERATED = "incarcerated", "Incarcerated"
    DEATH = "death", "Death"
    OTHER = "other", "Other"


class TreatmentEpisode(SourcedRecord):
    """A parent's SUD treatment episode at a program: its existence is itself Part 2 information."""

    fixed_category = Category.SUD_ENROLLMENT

    admission_date = models.DateField()
    discharge_date = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=20, choices=TedsDischargeReason.choices, blank=True)
    level_of_care = models.CharField(max_length=8, blank=True, help_text="ASAM level, such as 1, 2.1 or 3.5.")

    class Meta(SourcedRecord.Meta):
        ordering = ["-admission_date"]
        constraints = [
            *SourcedRecord.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(discharge_date=None) | models.Q(discharge_date__gte=models.F("admission_date")),
                name="treatment_discharge_after_admission",
            ),
        ]


class CourtCase(SourcedRecord):
    """A dependency case about a child (the docket), including family treatment court participation."""

    fixed_category = Category.COURT_CASE

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="court_cases"
    )
    docket_number = models.CharField(max_length=64)
    filed_on = models.DateField(null=True, blank=True)
    is_family_treatment_court = models.BooleanField(default=False)

    class Meta(SourcedRecord.Meta):
        ordering = ["docket_number"]

    def __str__(self) -> str:
        return self.docket_number


class HearingType(models.TextChoices):
    SHELTER = "shelter", "Shelter hearing"
    ADJUDICATION = "adjudication", "Adjudication"
    DISPOSITION = "disposition", "Disposition"
    REVIEW = "review", "Review hearing"
    PERMANENCY = "permanency", "Permanency hearing"
    TPR = "tpr", "Termination of parental rights"
    FTC = "ftc", "Family treatment court hearing"


class Hearing(SourcedRecord):
    fixed_category = Category.COURT_CASE
    court_case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="hearings")
    hearing_date = models.DateField()
    hearing_type = models.CharField(max_length=20, choices=HearingType.choices)

    class Meta(SourcedRecord.Meta):
        ordering = ["hearing_date"]
