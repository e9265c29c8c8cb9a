"""The legal bases for sharing, as data, and the disclosures made under them.

A basis (consent, court order, interagency agreement, medical emergency) is kept as the law
describes it; `grants.py` flattens every basis into `Grant` rows that the policy point filters on
with one EXISTS subquery.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from familybridge.agencies.models import AgencyKind
from familybridge.agencies.roles import Purpose
from familybridge.consent.categories import Category
from familybridge.dates import us_date
from familybridge.people.models import ProtectedRecord

REVOCATION_STATEMENT = (
    "I may revoke (cancel) this consent at any time, in writing or by telling the staff of any agency named "
    "here, who will record it at once. Revoking stops every disclosure after it; it does not undo what was "
    "already disclosed in reliance on this consent. My treatment, payment, enrollment or eligibility for "
    "benefits does not depend on whether I sign."
)

TPO_PURPOSES = (Purpose.TREATMENT, Purpose.PAYMENT_OPERATIONS, Purpose.CARE_COORDINATION)


class ConsentKind(models.TextChoices):
    PURPOSE_SPECIFIC = "purpose_specific", "For named purposes"
    TPO = "tpo", "Treatment, payment and health care operations"
    PROCEEDINGS = "proceedings", "Use in a court proceeding"
    COUNSELING_NOTES = "counseling_notes", "Counseling notes (on their own)"


class ExpiryEvent(models.TextChoices):
    CASE_CLOSED = "case_closed", "When the child welfare case is closed"
    DISCHARGED = "discharged", "When I am discharged from treatment"
    REPRESENTATION_ENDED = "representation_ended", "When my attorney stops representing me"


class RevocationMethod(models.TextChoices):
    """How the person asked to revoke: any of these stops sharing at once (docs/reference/revocation.md)."""

    IN_WRITING = "in_writing", "In writing (a signed note, letter or form)"
    IN_PERSON = "in_person", "In person, orally"
    BY_PHONE = "by_phone", "By phone"
    THROUGH_ATTORNEY = "through_attorney", "Through their attorney"
    OTHER = "other", "Another way (say how in the note)"


class SignerRelationship(models.TextChoices):
    SELF = "self", "The person themself"
    PARENT = "parent", "Parent"
    GUARDIAN = "guardian", "Guardian"
    AUTHORIZED_REPRESENTATIVE = "authorized_representative", "Authorized representative"


class BasisKind(models.TextChoices):
    """The legal bases, in the order the policy point checks them (the integer is that order)."""

    OWN_AGENCY = "own_agency", "Own agency, need to know"
    CONSENT = "consent", "Consent"
    COURT_ORDER = "court_order", "Court order"
    AGREEMENT = "agreement", "Interagency agreement"
    EMERGENCY = "medical_emergency", "Medical emergency"


BASIS_RANK = {kind: rank for rank, kind in enumerate(BasisKind)}


class Consent(models.Model):
    """A written consent under 42 CFR Part 2 §2.31 (2024): every element is a field."""

    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    disclosers = models.ManyToManyField("agencies.Agency", related_name="+", blank=True)
    discloser_class = models.CharField(
        max_length=20, choices=AgencyKind.choices, blank=True, help_text="Every agency of this kind may disclose."
    )
    recipients = models.ManyToManyField("agencies.Agency", related_name="+", blank=True)
    recipient_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    recipient_class = models.CharField(
        max_length=20, choices=AgencyKind.choices, blank=True, help_text="Every agency of this kind may receive."
    )
    purposes = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    expires_on = models.DateField(null=True, blank=True, help_text="The last day the consent is in effect.")
    expires_on_event = models.CharField(max_length=20, choices=ExpiryEvent.choices, blank=True)
    signer_name = models.CharField(max_length=200, blank=True, help_text="The typed name: the e-signature.")
    signer_relationship = models.CharField(
        max_length=30, choices=SignerRelationship.choices, default=SignerRelationship.SELF
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    revocation_statement = models.TextField(default=REVOCATION_STATEMENT)
    ended_by_event_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Blank for revocations recorded before the method was asked, or by a system job.
    revocation_method = models.CharField(max_length=20, choices=RevocationMethod.choices, blank=True, default="")
    revocation_note = models.CharField(max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]

    def __str__(self) -> str:
        return f"Consent {self.pk} of {self.subject} ({self.get_kind_display().lower()})"

    @property
    def signed_on(self) -> date | None:
        return timezone.localdate(self.signed_at) if self.signed_at else None

    @property
    def revoked_on(self) -> date | None:
        return timezone.localdate(self.revoked_at) if self.revoked_at else None

    @property
    def last_effective_day(self) -> date | None:
        """The last day it is in effect: its expiry date, or the day before revocation or its ending event."""
        ends = [self.expires_on]
        ends += [day - timedelta(days=1) for day in (self.revoked_on, self.ended_by_event_on) if day]
        ends = [day for day in ends if day]
        return min(ends) if ends else None

    def status_on(self, day: date) -> str:
        """Its state on a day; "not verified" until a disclosing agency verified it (a refusal reads the same)."""
        if not self.signed_at:
            return "unsigned"
        if self.revoked_on and self.revoked_on <= day:
            return "revoked"
        last = self.last_effective_day
        if last and last < day:
            return "expired"
        verified = [v.verified_on for v in self.verifications.all() if v.status == VerificationStatus.VERIFIED]
        if not verified:
            return "not verified"
        if max(self.signed_on, min(verified)) > day:
            return "not yet in effect"
        return "active"

    @property
    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p in self.purposes]

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories]


class VerificationStatus(models.TextChoices):
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class ConsentVerification(models.Model):
    """A disclosing agency's answer to a consent naming it: only the discloser makes a consent take effect.

    No row means the agency has not answered yet; a consent opens nothing from an agency until it verified.
    """

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="verifications")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=VerificationStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, help_text="Why the agency rejected it; seen by that agency alone.")

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.UniqueConstraint(fields=["consent", "agency"], name="one_verification_per_discloser"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} by {self.agency} for consent {self.consent_id}"

    @property
    def verified_on(self) -> date:
        return timezone.localdate(self.decided_at)


class CourtOrder(models.Model):
    """A court order authorizing disclosure under 42 CFR Part 2 subpart E (§§2.61-2.67); never a subpoena."""

    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="disclosure_orders")
    court_name = models.CharField(max_length=200)
    case_number = models.CharField(max_length=64)
    judge_name = models.CharField(max_length=200)
    issued_on = models.DateField()
    ends_on = models.DateField()
    disclosers = models.ManyToManyField("agencies.Agency", related_name="+")
    recipients = models.ManyToManyField("agencies.Agency", related_name="+")
    purposes = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return f"Order {self.case_number} of {self.court_name}, {us_date(self.issued_on)}"

    def status_on(self, day: date) -> str:
        if day < self.issued_on:
            return "not yet in effect"
        return "expired" if day > self.ends_on else "active"

    @property
    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p in self.purposes]

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories]


class Agreement(models.Model):
    """An interagency data-sharing agreement (MOU): opens non-Part-2 categories among its parties."""

    name = models.CharField(max_length=200)
    parties = models.ManyToManyField("agencies.Agency", related_name="agreements")
    purposes = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def status_on(self, day: date) -> str:
        """Its state on a day; "waiting for approval" until an administrator of every party approved it."""
        approved = {approval.agency_id for approval in self.approvals.all()}
        if any(party.pk not in approved for party in self.parties.all()):
            return "waiting for approval"
        if day < self.starts_on:
            return "not yet in effect"
        return "expired" if self.ends_on and day > self.ends_on else "active"

    @property
    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p in self.purposes]

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories]


class AgreementApproval(models.Model):
    """One party's approval of an agreement, by an administrator of that party; withdrawing deletes it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="approvals")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["approved_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "agency"], name="one_approval_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} approved {self.agreement}"


class EmergencyAccess(models.Model):
    """Break-glass access under §2.51: a medical professional, a bona fide emergency, a recorded reason."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    opened_at = models.DateTimeField(default=timezone.now)
    opened_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name_plural = "emergency accesses"

    def __str__(self) -> str:
        return f"Emergency access by {self.user} to {self.subject}'s records at {self.program}"


class SubjectEvent(models.Model):
    """An event that ends consents which say so (case closed, discharge from treatment)."""

    subject = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ExpiryEvent.choices)
    occurred_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "kind", "occurred_on"], name="unique_subject_event"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.subject} on {us_date(self.occurred_on)}"


class RestrictionRequest(models.Model):
    """A request by the subject to restrict disclosures (§2.26), and the program's answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        AGREED = "agreed", "Agreed"
        REFUSED = "refused", "Refused"

    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    request = models.TextField(help_text="What the person asks not to be disclosed, and to whom.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    restricted_recipients = models.ManyToManyField("agencies.Agency", related_name="+", blank=True)
    restricted_categories = models.JSONField(default=list, blank=True)
    requested_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_on"]

    def __str__(self) -> str:
        return f"Restriction asked by {self.subject} of {self.program} ({self.get_status_display().lower()})"

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.restricted_categories]


class ChildAbuseReportFiling(models.Model):
    """An initial report of suspected abuse or neglect made by a Part 2 program under §2.12 and state law.

    The report becomes the child welfare agency's own record (cw.allegation); no treatment record goes with it.
    """

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    child_welfare_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    report = models.OneToOneField("cases.ChildWelfareReport", on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Report filed by {self.reporter} ({self.program}) with {self.child_welfare_agency}"


class Grant(models.Model):
    """One flat row of what a basis opens: discloser → recipient, for a subject, category, purpose and days.

    Derived data, rebuilt from its basis whenever the basis changes (see grants.py); never edited by hand.
    """

    basis = models.CharField(max_length=20, choices=BasisKind.choices)
    rank = models.PositiveSmallIntegerField()
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, null=True, related_name="grants")
    court_order = models.ForeignKey(CourtOrder, on_delete=models.CASCADE, null=True, related_name="grants")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, null=True, related_name="grants")
    emergency = models.ForeignKey(EmergencyAccess, on_delete=models.CASCADE, null=True, related_name="grants")
    subject = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True, related_name="+")
    discloser = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    recipient_agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    category = models.CharField(max_length=40, choices=Category.choices)
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["recipient_agency", "purpose", "subject", "discloser", "category"], name="grant_lookup"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.category} from {self.discloser_id} to {self.recipient_agency_id}"

    @property
    def basis_id(self) -> int:
        return self.consent_id or self.court_order_id or self.agreement_id or self.emergency_id


class Disclosure(models.Model):
    """A permitted read of Part 2 records across agencies: one line of the subject's accounting (§2.25)."""

    disclosed_at = models.DateTimeField(default=timezone.now)
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    discloser = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    recipient_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    basis = models.CharField(max_length=20, choices=BasisKind.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, related_name="+")
    court_order = models.ForeignKey(CourtOrder, on_delete=models.PROTECT, null=True, related_name="+")
    emergency = models.ForeignKey(EmergencyAccess, on_delete=models.PROTECT, null=True, related_name="+")
    categories = models.JSONField(default=list)
    records = models.JSONField(default=list, help_text='Each record as "app_label.model:pk".')

    class Meta:
        ordering = ["-disclosed_at", "-pk"]
        indexes = [models.Index(fields=["subject", "discloser", "disclosed_at"])]

    def __str__(self) -> str:
        return f"Disclosure to {self.recipient_user} ({self.recipient_agency}) on {us_date(self.disclosed_at)}"

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories]

    @property
    def basis_description(self) -> str:
        if self.consent_id:
            return f"Consent {self.consent_id}"
        if self.court_order_id:
            return f"Court order {self.court_order}"
        if self.emergency_id:
            return f"Medical emergency: {self.emergency.reason}"
        return self.get_basis_display()


class ScenarioRecord(ProtectedRecord):
    """A record of any category, made by a policy scenario file to stand for what an agency holds.

    It has no content of its own: the policy point decides on owner, subject and category alone.
    """

    label = models.CharField(max_length=100)
    recorded_on = models.DateField()

    class Meta(ProtectedRecord.Meta):
        ordering = ["recorded_on"]

    def __str__(self) -> str:
        return self.label
