"""Child welfare intake: a report of suspected abuse or neglect, from its receipt to a case opened or closed.

Every record here is the child welfare agency's own, category cw.allegation, read only through the policy point.
A report is about its first child (its `subject`) and belongs to a family; each allegation is about one child;
each contact is about the person contacted; each screening decision is about the report's child. The steps and
their rules are in intake/services.py; docs/reference/child-welfare-intake.md gives the sources of the lists.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from familybridge.consent.categories import Category
from familybridge.people.models import ProtectedRecord

# How long the steps take, from the moment the report was received. A partnership whose state sets other times
# changes them here (docs/reference/child-welfare-intake.md).
SCREENING_HOURS = 24
FINDINGS_DAYS = 30


class ReporterType(models.TextChoices):
    """Who made the report: the report sources of the National Child Abuse and Neglect Data System (NCANDS)."""

    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    MEDICAL = "medical", "Medical personnel"
    MENTAL_HEALTH = "mental_health", "Mental health personnel"
    SOCIAL_SERVICES = "social_services", "Social services personnel"
    EDUCATION = "education", "Education personnel"
    CHILD_CARE = "child_care", "Child care provider"
    FOSTER_CARE = "foster_care", "Foster care provider"
    LEGAL = "legal", "Legal or court personnel"
    RELATIVE = "relative", "Relative"
    PARENT = "parent", "Parent"
    FRIEND_OR_NEIGHBOR = "friend_or_neighbor", "Friend or neighbor"
    ALLEGED_VICTIM = "alleged_victim", "Alleged victim"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    ANONYMOUS = "anonymous", "Anonymous"
    OTHER = "other", "Other"


class MaltreatmentType(models.TextChoices):
    """NCANDS maltreatment types, and the CAPTA notification of an infant affected by prenatal substance exposure,
    which is not in itself a report of maltreatment but reaches child welfare through intake."""

    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    NEGLECT = "neglect", "Neglect or deprivation of necessities"
    MEDICAL_NEGLECT = "medical_neglect", "Medical neglect"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    PSYCHOLOGICAL = "psychological", "Psychological or emotional maltreatment"
    SEX_TRAFFICKING = "sex_trafficking", "Sex trafficking"
    PRENATAL_SUBSTANCE_EXPOSURE = (
        "prenatal_substance_exposure",
        "Infant born with prenatal substance exposure (CAPTA notification)",
    )
    OTHER = "other", "Other"


class ReportStatus(models.TextChoices):
    """Where the report is in its workflow: each status says what is to be done next."""

    AWAITING_SCREENING = "awaiting_screening", "Awaiting screening"
    AWAITING_APPROVAL = "awaiting_approval", "Screening decision awaiting approval"
    RESPONDING = "responding", "Investigation or assessment under way"
    FINDINGS_RECORDED = "findings_recorded", "Findings recorded: a case to open or the report to close"
    CASE_OPENED = "case_opened", "Case opened"
    CLOSED = "closed", "Closed"


SCREENING_STATUSES = (ReportStatus.AWAITING_SCREENING, ReportStatus.AWAITING_APPROVAL)
ACTIVE_STATUSES = (
    ReportStatus.AWAITING_SCREENING,
    ReportStatus.AWAITING_APPROVAL,
    ReportStatus.RESPONDING,
    ReportStatus.FINDINGS_RECORDED,
)


class Decision(models.TextChoices):
    SCREEN_IN = "screen_in", "Screen in"
    SCREEN_OUT = "screen_out", "Screen out"


class ScreeningReason(models.TextChoices):
    """Why a report is screened in or out; the first four screen in, the rest out. Other needs words."""

    MEETS_DEFINITION = "meets_definition", "The allegation meets the state's definition of abuse or neglect"
    RISK_OF_HARM = "risk_of_harm", "The circumstances place a child at risk of serious harm"
    CAPTA_NOTIFICATION = "capta_notification", "CAPTA notification: the infant and family need a plan of safe care"
    OTHER_IN = "other_in", "Other reason to screen in"
    NOT_MALTREATMENT = "not_maltreatment", "What is reported is not abuse or neglect as the law defines it"
    NOT_A_CAREGIVER = "not_a_caregiver", "The alleged perpetrator is not a caregiver (referred to law enforcement)"
    CANNOT_LOCATE = "cannot_locate", "Not enough information to find the family"
    ALREADY_OPEN = "already_open", "The same incident is already being investigated"
    OTHER_JURISDICTION = "other_jurisdiction", "Outside this agency's jurisdiction (referred on)"
    COMMUNITY_SERVICES = "community_services", "The family's needs are better met by community services (referred)"
    OTHER_OUT = "other_out", "Other reason to screen out"


SCREEN_IN_REASONS = (
    ScreeningReason.MEETS_DEFINITION,
    ScreeningReason.RISK_OF_HARM,
    ScreeningReason.CAPTA_NOTIFICATION,
    ScreeningReason.OTHER_IN,
)
SCREEN_OUT_REASONS = tuple(reason for reason in ScreeningReason if reason not in SCREEN_IN_REASONS)
REASONS_NEEDING_WORDS = frozenset({ScreeningReason.OTHER_IN, ScreeningReason.OTHER_OUT})


class ResponseTrack(models.TextChoices):
    INVESTIGATION = "investigation", "Investigation"
    FAMILY_ASSESSMENT = "family_assessment", "Family assessment (alternative response)"


class ResponseTime(models.IntegerChoices):
    """Within how many hours of the report a worker must first see the alleged victims."""

    WITHIN_24_HOURS = 24, "Within 24 hours"
    WITHIN_72_HOURS = 72, "Within 72 hours"
    WITHIN_5_DAYS = 120, "Within 5 days"


class Review(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    SENT_BACK = "sent_back", "Sent back"


class Finding(models.TextChoices):
    """The finding on one allegation: an investigation's disposition, or a family assessment's conclusion."""

    SUBSTANTIATED = "substantiated", "Substantiated"
    INDICATED = "indicated", "Indicated"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    SERVICES_NEEDED = "services_needed", "Family assessment: services needed"
    NO_SERVICES_NEEDED = "no_services_needed", "Family assessment: no services needed"


FINDINGS_OF_TRACK = {
    ResponseTrack.INVESTIGATION: (Finding.SUBSTANTIATED, Finding.INDICATED, Finding.UNSUBSTANTIATED),
    ResponseTrack.FAMILY_ASSESSMENT: (Finding.SERVICES_NEEDED, Finding.NO_SERVICES_NEEDED),
}


class ContactMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "By video"
    PHONE = "phone", "By phone"
    ATTEMPTED = "attempted", "Attempted (not reached)"


class CloseReason(models.TextChoices):
    SCREENED_OUT = "screened_out", "Screened out"
    NO_SERVICES_NEEDED = "no_services_needed", "No further services needed"
    REFERRED = "referred", "Referred to community services"
    DECLINED = "declined", "The family declined voluntary services"
    MOVED = "moved", "The family moved or could not be found"
    OTHER = "other", "Other"


class IntakeReport(ProtectedRecord):
    """A report of suspected child abuse or neglect received by the agency, and where its workflow stands.

    The reporter's name and contact are kept for the agency's own child welfare staff only: pages show them to no
    one else, whatever basis opens the report. `subject` is the report's first child.
    """

    fixed_category = Category.CW_ALLEGATION

    family = models.ForeignKey("people.Family", on_delete=models.PROTECT, related_name="intake_reports")
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reporter_type = models.CharField("who made the report", max_length=30, choices=ReporterType.choices)
    reporter_name = models.CharField("reporter's name", max_length=200, blank=True)
    reporter_contact = models.CharField("reporter's phone, email or address", max_length=200, blank=True)
    narrative = models.TextField(
        "what the reporter said", help_text="What the reporter said, in their words as far as possible."
    )
    address = models.CharField("where the children are (address)", max_length=300, blank=True)
    zip_code = models.CharField("ZIP code", max_length=10, blank=True)
    status = models.CharField(max_length=30, choices=ReportStatus.choices, default=ReportStatus.AWAITING_SCREENING)
    screening_due_at = models.DateTimeField()
    # Filled when a decision to screen in is approved.
    response_track = models.CharField(max_length=30, choices=ResponseTrack.choices, blank=True)
    response_due_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(
        null=True, blank=True, help_text="The first time an alleged victim was seen in person."
    )
    findings_due_on = models.DateField(null=True, blank=True)
    # When the next step is due (or, for a day, the moment it is overdue): what the queue sorts and filters on.
    next_due_at = models.DateTimeField(null=True, blank=True)
    findings_recorded_at = models.DateTimeField(null=True, blank=True)
    findings_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The outcome: a case opened from the report, or the report closed.
    case_opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=30, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The supervisor who opened the case or closed the report.",
    )
    # The receiver's assignment to the family while the report is screened (none if they already worked it).
    intake_assignment = models.ForeignKey(
        "people.CaseloadAssignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(ProtectedRecord.Meta):
        ordering = ["-received_at", "-pk"]
        indexes = [
            *ProtectedRecord.Meta.indexes,
            models.Index(fields=["owner_agency", "status", "next_due_at"], name="intake_report_queue"),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def response_on_time(self) -> bool | None:
        """Whether the first in-person contact with an alleged victim came within the response time (None until
        there is one, or when no response time was set)."""
        if self.first_contact_at is None or self.response_due_at is None:
            return None
        return self.first_contact_at <= self.response_due_at

    @property
    def response_words(self) -> str:
        """The response against its time, in words: "on time" or "late by 5 hours"."""
        on_time = self.response_on_time
        if on_time is None:
            return ""
        if on_time:
            return "on time"
        hours = (self.first_contact_at - self.response_due_at).total_seconds() / 3600
        late = f"{int(hours)} hour{'s' if int(hours) != 1 else ''}" if hours < 48 else f"{int(hours // 24)} days"
        return f"late by {late}" if hours >= 1 else "late by less than an hour"

    def next_step(self) -> tuple[str, datetime | date | None]:
        """What is to be done next and by when."""
        match self.status:
            case ReportStatus.AWAITING_SCREENING:
                return "Screen the report", self.screening_due_at
            case ReportStatus.AWAITING_APPROVAL:
                return "Approve or send back the screening decision", self.screening_due_at
            case ReportStatus.RESPONDING if self.first_contact_at is None:
                return "See the children (first contact)", self.response_due_at
            case ReportStatus.RESPONDING:
                return "Record the findings", self.findings_due_on
            case ReportStatus.FINDINGS_RECORDED:
                return "Open a case or close the report", None
        return "", None

    def set_next_due(self) -> None:
        """Keep `next_due_at` in step with the next step; a step due on a day is overdue from the next day on."""
        _, due = self.next_step()
        if isinstance(due, datetime) or due is None:
            self.next_due_at = due
        else:
            self.next_due_at = timezone.make_aware(datetime.combine(due + timedelta(days=1), time.min))


def screening_due(received_at: datetime) -> datetime:
    return received_at + timedelta(hours=SCREENING_HOURS)


def findings_due(received_at: datetime) -> date:
    return timezone.localdate(received_at) + timedelta(days=FINDINGS_DAYS)


class ScreeningDecision(ProtectedRecord):
    """A decision to screen a report in or out, proposed by intake staff and approved or sent back by a supervisor
    who did not propose it. Sent-back decisions stay as the report's history."""

    fixed_category = Category.CW_ALLEGATION

    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.CharField(max_length=30, choices=ScreeningReason.choices)
    note = models.TextField(blank=True)
    response_track = models.CharField(max_length=30, choices=ResponseTrack.choices, blank=True)
    response_hours = models.PositiveSmallIntegerField(choices=ResponseTime.choices, null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    review = models.CharField(max_length=20, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta(ProtectedRecord.Meta):
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=models.Q(review="pending"), name="one_pending_decision_per_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.get_review_display().lower()})"


class Allegation(ProtectedRecord):
    """That a child (the subject) was maltreated in a way, by an alleged perpetrator if one is named, and the
    finding once the investigation or assessment is done. The finding writes the child's cases.ChildWelfareReport,
    which the timeline, the clocks and the joint outcome indicators read."""

    fixed_category = Category.CW_ALLEGATION

    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="allegations")
    maltreatment_type = models.CharField("maltreatment alleged", max_length=40, choices=MaltreatmentType.choices)
    perpetrator = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finding = models.CharField(max_length=30, choices=Finding.choices, blank=True)
    child_welfare_report = models.ForeignKey(
        "cases.ChildWelfareReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(ProtectedRecord.Meta):
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "subject", "maltreatment_type", "perpetrator"], name="unique_allegation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_maltreatment_type_display()} of {self.subject}"


class InvestigationContact(ProtectedRecord):
    """A contact the investigator or assessor made, with one of the report's people (the subject)."""

    fixed_category = Category.CW_ALLEGATION

    report = models.ForeignKey(IntakeReport, on_delete=models.CASCADE, related_name="contacts")
    contacted_at = models.DateTimeField("day and time of the contact")
    method = models.CharField("how", max_length=20, choices=ContactMethod.choices)
    note = models.TextField(blank=True)

    class Meta(ProtectedRecord.Meta):
        ordering = ["contacted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} with {self.subject}"
