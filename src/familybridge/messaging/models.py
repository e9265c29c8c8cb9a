from typing import Any

from django.conf import settings
from django.db import models

from familybridge.agencies.models import AgencyKind
from familybridge.consent.categories import Category
from familybridge.people.models import ProtectedRecord, derive_provenance

# Counseling notes never leave the program, so no message may carry them.
MESSAGE_CATEGORIES = [(value, label) for value, label in Category.choices if value != Category.SUD_COUNSELING_NOTES]


class Message(ProtectedRecord):
    """A secure message about one family member, between staff of partner agencies.

    The sender's agency owns it and the sender gives it a category, so the policy point treats it like
    any record: a recipient agency's staff read it only where a legal basis opens that category from
    the sender's agency to them (which is also how Part 2 information is kept from being redisclosed).
    It is addressed to partner agencies (their staff who work the family) and to named staff. A reply
    belongs to the thread of the first message and is derived from the message it answers, so it opens
    only to those who may also read that message, and is Part 2 when that message is.
    """

    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages_sent")
    recipient_agencies = models.ManyToManyField("agencies.Agency", related_name="messages_received", blank=True)
    recipient_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="messages_addressed", blank=True)
    thread = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The first message of the thread; empty for the first message itself.",
    )
    in_reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject_line = models.CharField(max_length=200)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta(ProtectedRecord.Meta):
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.subject_line

    @property
    def thread_id_or_own(self) -> int:
        """The thread this message belongs to, named by its first message."""
        return self.thread_id or self.pk


def new_message(
    sender: Any,
    *,
    family: Any,
    about: Any,
    category: str,
    subject_line: str = "",
    body: str = "",
    derived_from: ProtectedRecord | None = None,
    in_reply_to: Message | None = None,
) -> Message:
    """A message as the sender writes it, not yet saved: owned by the sender's agency, in the thread of the
    message it answers and derived from that message (or from the record it was built from)."""
    source = derived_from or in_reply_to
    return Message(
        owner_agency=sender.agency,
        subject=about,
        category=category,
        family=family,
        sender=sender,
        recorded_by=sender,
        subject_line=subject_line,
        body=body,
        thread_id=in_reply_to.thread_id_or_own if in_reply_to is not None else None,
        in_reply_to=in_reply_to,
        **(derive_provenance(source) if source is not None else {}),
    )


class MessageRead(models.Model):
    """That a staff member opened a message: what the unread counts leave out. Per person, not per agency."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages_read")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "reader"], name="one_read_per_reader")]

    def __str__(self) -> str:
        return f"{self.reader} read {self.message_id}"


class NotificationKind(models.TextChoices):
    MESSAGE = "message", "New message"
    HEARING_SOON = "hearing_soon", "Hearing in 7 days"
    REFERRAL_UNANSWERED = "referral_unanswered", "Referral not answered"
    CONSENT_EXPIRING = "consent_expiring", "Consent expiring"
    MONTHS_IN_CARE = "months_in_care", "Months in care"
    REPORT_OVERDUE = "report_overdue", "Report overdue"
    EMERGENCY_ACCESS = "emergency_access", "Medical-emergency access"
    ASSIGNED = "assigned", "New assignment"
    CASELOAD_HANDED_OVER = "caseload_handed_over", "Caseload handed over"
    REFERRAL_STEP = "referral_step", "Referral update"
    SAFETY_FLAG = "safety_flag", "Safety flag"


class Notification(models.Model):
    """Something a staff member should know, in the app and by email. Its text is written for that
    recipient from what they may see, so it never carries what the policy point would withhold."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=200, blank=True)
    dedupe_key = models.CharField(max_length=120, help_text="The same reminder is never sent twice.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="unique_notification")]

    def __str__(self) -> str:
        return self.text


class DecisionPoint(models.TextChoices):
    """SAFERR's pathways of communication (docs/reference/saferr-and-clocks.md)."""

    SUD_SCREEN = "sud_screen", "Treatment: screen"
    SUD_ASSESSMENT = "sud_assessment", "Treatment: diagnosis / multidimensional assessment"
    SUD_PLAN = "sud_plan", "Treatment: treatment plan and services"
    SUD_MONITORING = "sud_monitoring", "Treatment: monitoring, transition planning"
    SUD_RECOVERY = "sud_recovery", "Treatment: recovery management"
    CW_REPORT = "cw_report", "Child welfare: abuse/neglect report"
    CW_SAFETY = "cw_safety", "Child welfare: safety assessment"
    CW_CASE_PLAN = "cw_case_plan", "Child welfare: case plan and services"
    CW_PERMANENCY = "cw_permanency", "Child welfare: permanency decision"
    COURT_SHELTER = "court_shelter", "Court: detention / shelter hearing"
    COURT_REVIEW = "court_review", "Court: review and family treatment court hearings"
    COURT_PERMANENCY = "court_permanency", "Court: permanency hearing"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    BEFORE_HEARING = "before_hearing", "Before each hearing"


class CommunicationProtocol(models.Model):
    """What moves to whom, by when and under which basis, at one decision point (SAFERR)."""

    partnership = models.ForeignKey("agencies.Partnership", on_delete=models.CASCADE, related_name="protocols_comm")
    decision_point = models.CharField(max_length=30, choices=DecisionPoint.choices)
    information = models.CharField(max_length=200)
    category = models.CharField(max_length=40, choices=MESSAGE_CATEGORIES)
    from_agency_kind = models.CharField(
        max_length=20, choices=AgencyKind.choices, help_text="The kind of partner agency that sends it."
    )
    to_agencies = models.ManyToManyField("agencies.Agency", related_name="+")
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    due_within_days = models.PositiveSmallIntegerField(default=5, help_text="Days after the period ends.")
    legal_basis = models.CharField(max_length=200, help_text="Consent, court order or agreement it rests on.")
    format = models.CharField(max_length=100, default="Progress summary in familybridge")

    class Meta:
        ordering = ["decision_point"]

    def __str__(self) -> str:
        return f"{self.get_decision_point_display()}: {self.information}"


class ScheduledReport(ProtectedRecord):
    """One report a protocol calls for, about one person and period: due, sent, or late.

    That a treatment report is owed about someone reveals their enrollment, so it carries the
    protocol's category and is read through the policy point like the report itself. Its text is drafted from
    the period's progress summary (so the report is derived from it, provenance), edited, then sent once as a
    message; a sent report is frozen.
    """

    protocol = models.ForeignKey(CommunicationProtocol, on_delete=models.CASCADE, related_name="reports")
    family = models.ForeignKey("people.Family", on_delete=models.CASCADE, related_name="scheduled_reports")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    summary = models.ForeignKey(
        "cases.ProgressSummary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The progress summary the draft was built from.",
    )
    # Once sent, the text that was sent: a sent report is never edited.
    draft_body = models.TextField(blank=True, default="")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    message = models.OneToOneField(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta(ProtectedRecord.Meta):
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "subject", "period_start"], name="one_report_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.protocol.information} for {self.period_start:%b %Y}"

    @property
    def subject_line(self) -> str:
        return f"{self.protocol.information}, {self.period_start:%B %Y}"

    @property
    def is_drafted(self) -> bool:
        return self.drafted_at is not None

    def status_on(self, day) -> str:
        if self.sent_on:
            return "sent"
        return "late" if day > self.due_on else "due"
