"""The three systems' records about a family's members, each owned by the agency that keeps it."""

from django.contrib.contenttypes.fields import GenericRelation
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


class CourtCaseClosure(models.TextChoices):
    """Why the court closed a dependency case."""

    REUNIFICATION = "reunification", "Reunification: jurisdiction terminated"
    ADOPTION = "adoption", "Adoption finalized"
    GUARDIANSHIP = "guardianship", "Guardianship granted"
    DISMISSED = "dismissed", "Petition dismissed"
    TRANSFERRED = "transferred", "Transferred to another court"
    OTHER = "other", "Other"


class CourtCase(SourcedRecord):
    """A dependency case about a child (the docket), including family treatment court participation."""

    fixed_category = Category.COURT_CASE

    family = models.ForeignKey(
        "people.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="court_cases"
    )
    docket_number = models.CharField(max_length=64)
    filed_on = models.DateField(null=True, blank=True)
    is_family_treatment_court = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, blank=True, help_text="The day the court closed the case.")
    closed_reason = models.CharField(
        max_length=20, choices=CourtCaseClosure.choices, blank=True, default="", db_default=""
    )
    # The judge (the docket) and the attorneys assigned to the case.
    assignments = GenericRelation(
        "people.CaseloadAssignment", content_type_field="about_type", object_id_field="about_id"
    )

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


class HearingOutcome(models.TextChoices):
    """What became of a hearing on its day (recorded from the docket)."""

    HELD = "held", "Held"
    CONTINUED = "continued", "Continued to another day"
    VACATED = "vacated", "Vacated (taken off the calendar)"


class Hearing(SourcedRecord):
    fixed_category = Category.COURT_CASE
    court_case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="hearings")
    hearing_date = models.DateField()
    hearing_time = models.TimeField(null=True, blank=True, help_text="When the case is called; blank if not set.")
    # Database defaults too, so the extract import's bulk loads that name their columns need not know these.
    courtroom = models.CharField(max_length=40, blank=True, default="", db_default="")
    hearing_type = models.CharField(max_length=20, choices=HearingType.choices)
    outcome = models.CharField(max_length=20, choices=HearingOutcome.choices, blank=True, default="", db_default="")
    outcome_note = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta(SourcedRecord.Meta):
        ordering = ["hearing_date", "hearing_time"]


# Child welfare: the plan for each child and the family's case plan.


class PermanencyGoal(models.TextChoices):
    REUNIFICATION = "reunification", "Reunification"
    ADOPTION = "adoption", "Adoption"
    GUARDIANSHIP = "guardianship", "Guardianship"
    RELATIVE = "relative", "Permanent placement with a relative"
    APPLA = "appla", "Another planned permanent living arrangement"


class TprException(models.TextChoices):
    """ASFA's exceptions to filing for termination at 15 of 22 months."""

    NONE = "", "None documented"
    PLACED_WITH_RELATIVE = "placed_with_relative", "The child is placed with a relative"
    COMPELLING_REASON = "compelling_reason", "A compelling reason is documented"
    SERVICES_NOT_PROVIDED = "services_not_provided", "Services needed for safe return were not provided"


class PermanencyPlan(ProtectedRecord):
    """A child's permanency goal (and concurrent goal) and any documented ASFA exception."""

    fixed_category = Category.CW_CASE

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="permanency_plans")
    goal = models.CharField(max_length=20, choices=PermanencyGoal.choices)
    concurrent_goal = models.CharField(max_length=20, choices=PermanencyGoal.choices, blank=True)
    tpr_exception = models.CharField(max_length=30, choices=TprException.choices, blank=True)
    exception_note = models.TextField(blank=True)
    set_on = models.DateField()

    class Meta(ProtectedRecord.Meta):
        ordering = ["-set_on"]


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    NOT_STARTED = "not_started", "Not started"
    DISCONTINUED = "discontinued", "Discontinued"


class CasePlanService(ProtectedRecord):
    """A service in the family's case plan for one person (parent or child)."""

    fixed_category = Category.CW_CASE_PLAN

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="case_plan_services")
    service = models.CharField(max_length=200)
    provider_name = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.PLANNED)

    class Meta(ProtectedRecord.Meta):
        ordering = ["start_date"]


class Visitation(ProtectedRecord):
    """A family time visit between a child in care (the subject) and a parent."""

    fixed_category = Category.CW_CASE_PLAN

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="visits")
    parent = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    visit_date = models.DateField()
    supervised = models.BooleanField(default=True)
    attended = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)

    class Meta(ProtectedRecord.Meta):
        ordering = ["-visit_date"]


# Treatment: what a Part 2 program records during an episode. All Part 2 categories.


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    MISSED = "missed", "Missed"
    EXCUSED = "excused", "Excused"


class Attendance(ProtectedRecord):
    fixed_category = Category.SUD_ATTENDANCE

    episode = models.ForeignKey(TreatmentEpisode, on_delete=models.CASCADE, related_name="attendance")
    session_date = models.DateField()
    session_kind = models.CharField(max_length=40, default="group")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)

    class Meta(ProtectedRecord.Meta):
        ordering = ["-session_date"]


class ToxicologyOutcome(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    POSITIVE = "positive", "Positive"
    DILUTE = "dilute", "Dilute"
    MISSED = "missed", "Missed test"
    REFUSED = "refused", "Refused"


class ToxicologyResult(ProtectedRecord):
    fixed_category = Category.SUD_TOXICOLOGY

    episode = models.ForeignKey(TreatmentEpisode, on_delete=models.CASCADE, related_name="toxicology")
    collected_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=ToxicologyOutcome.choices)
    substances = models.CharField(max_length=200, blank=True, help_text="Substances detected, when positive.")

    class Meta(ProtectedRecord.Meta):
        ordering = ["-collected_on"]


class Moud(models.TextChoices):
    NONE = "", "None"
    BUPRENORPHINE = "buprenorphine", "Buprenorphine"
    METHADONE = "methadone", "Methadone"
    NALTREXONE = "naltrexone", "Extended-release naltrexone"


class TreatmentPlan(ProtectedRecord):
    """Goals, services and medication for opioid use disorder (MOUD) for an episode."""

    fixed_category = Category.SUD_TREATMENT_PLAN

    episode = models.ForeignKey(TreatmentEpisode, on_delete=models.CASCADE, related_name="plans")
    written_on = models.DateField()
    goals = models.TextField()
    services = models.TextField(blank=True)
    moud = models.CharField(max_length=20, choices=Moud.choices, blank=True)

    class Meta(ProtectedRecord.Meta):
        ordering = ["-written_on"]


class ProgressSummary(ProtectedRecord):
    fixed_category = Category.SUD_PROGRESS

    episode = models.ForeignKey(TreatmentEpisode, on_delete=models.CASCADE, related_name="progress")
    period_start = models.DateField()
    period_end = models.DateField()
    summary = models.TextField()
    recommendations = models.TextField(blank=True)

    class Meta(ProtectedRecord.Meta):
        ordering = ["-period_end"]


class DischargeSummary(ProtectedRecord):
    """Why an episode ended and what is recommended: sud.discharge, apart from the enrollment dates."""

    fixed_category = Category.SUD_DISCHARGE

    episode = models.OneToOneField(TreatmentEpisode, on_delete=models.CASCADE, related_name="discharge_summary")
    discharged_on = models.DateField()
    reason = models.CharField(max_length=20, choices=TedsDischargeReason.choices)
    recommendations = models.TextField(blank=True)

    class Meta(ProtectedRecord.Meta):
        pass


# Court: orders and findings, family treatment court phases and responses.


class OrderType(models.TextChoices):
    SHELTER_CUSTODY = "shelter_custody", "Shelter care / temporary custody"
    ABUSE_NEGLECT_FINDING = "abuse_neglect_finding", "Finding of abuse or neglect (adjudication)"
    DISPOSITION = "disposition", "Disposition order"
    REASONABLE_EFFORTS = "reasonable_efforts", "Reasonable efforts finding"
    PERMANENCY = "permanency", "Permanency order"
    TPR = "tpr", "Termination of parental rights"
    FTC_ADMISSION = "ftc_admission", "Admission to family treatment court"
    OTHER = "other", "Other order"


class CourtOrder(SourcedRecord):
    fixed_category = Category.COURT_ORDER

    court_case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="orders")
    order_date = models.DateField()
    order_type = models.CharField(max_length=30, choices=OrderType.choices)
    summary = models.TextField(blank=True)

    class Meta(SourcedRecord.Meta):
        ordering = ["order_date"]


class FtcPhase(ProtectedRecord):
    """A parent's phase in the family treatment court, from the day it started."""

    fixed_category = Category.COURT_CASE

    court_case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="ftc_phases")
    phase = models.PositiveSmallIntegerField(help_text="1 to 4; 5 means graduated.")
    started_on = models.DateField()

    class Meta(ProtectedRecord.Meta):
        ordering = ["started_on"]


class ResponseKind(models.TextChoices):
    INCENTIVE = "incentive", "Incentive"
    SANCTION = "sanction", "Sanction"
    THERAPEUTIC = "therapeutic", "Therapeutic adjustment"


class FtcResponse(ProtectedRecord):
    """An incentive, sanction or therapeutic response the family treatment court gave a parent."""

    fixed_category = Category.COURT_ORDER

    court_case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="ftc_responses")
    response_date = models.DateField()
    kind = models.CharField(max_length=20, choices=ResponseKind.choices)
    description = models.CharField(max_length=300)

    class Meta(ProtectedRecord.Meta):
        ordering = ["-response_date"]
