from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models

from familybridge.consent.categories import Category, is_part2
from familybridge.people.history import record_versions
from familybridge.people.protected import ProtectedManager, UnrestrictedManager, validation_reads

if TYPE_CHECKING:
    from familybridge.agencies.models import Agency


class ProtectedRecord(models.Model):
    """Anything about a person: who holds it (the discloser), whom it is about, and its category.

    The consent policy decision point filters every model built on this by these three columns. A record
    derived from another (a court's response to a test result, a report filed by a program) also carries
    its source's three, its provenance: it is shown only to those who may see the source too, and it is
    Part 2 when the source is.
    """

    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=40, choices=Category.choices)
    source_owner_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Database defaults too, so bulk loads that name their columns (the extract import) need not know these.
    source_category = models.CharField(max_length=40, choices=Category.choices, blank=True, default="", db_default="")
    source_subject = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    source_record = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text="app_label.model:pk of the record this one is derived from.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who wrote it (None for what an agency's extract brought in): the writer may correct or void it.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Entered in error: a voided record leaves every list, clock, report and indicator, and stays in its
    # history. The policy point and the `unrestricted` manager leave voided records out by default.
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.TextField(blank=True, default="", db_default="")

    # Every version of the record, with who changed it and why (cases.corrections writes corrections and voids).
    history = record_versions()

    # A record type whose category never varies names it here; it is set on every new instance.
    fixed_category: ClassVar[str | None] = None

    # Records are read through the policy point, which binds this manager's querysets to a viewer and
    # purpose; unbound, they refuse to return records. System jobs read `unrestricted` (allow-listed).
    objects = ProtectedManager()
    unrestricted = UnrestrictedManager()
    unrestricted_with_voided = UnrestrictedManager(include_voided=True)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["subject", "owner_agency", "category"])]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.category and self.fixed_category:
            self.category = self.fixed_category

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    def validate_unique(self, exclude=None):
        with validation_reads():
            super().validate_unique(exclude)

    def validate_constraints(self, exclude=None):
        with validation_reads():
            super().validate_constraints(exclude)


PROVENANCE_FIELDS = ("source_owner_agency", "source_category", "source_subject", "source_record")


def record_label(record: models.Model) -> str:
    """How a record is named in provenance and the accounting of disclosures: app_label.model:pk."""
    return f"{record._meta.label_lower}:{record.pk}"


def derive_provenance(source: ProtectedRecord) -> dict:
    """The provenance fields of a record derived from `source`, to pass to create().

    A source that is itself derived from a Part 2 record passes on that root, so Part 2 status and the
    need to see the origin survive a chain (a report about a response to a test result).
    """
    if source.source_owner_agency_id is not None and is_part2(
        source.source_category, source.source_owner_agency.is_part2_program
    ):
        return {field: getattr(source, field) for field in PROVENANCE_FIELDS}
    return {
        "source_owner_agency": source.owner_agency,
        "source_category": source.category,
        "source_subject": source.subject,
        "source_record": record_label(source),
    }


def program_provenance(program: "Agency", subject: "Person", source_record: str = "") -> dict:
    """The provenance of what a Part 2 program's staff write into another agency's record: that the
    program knows the person is itself the program's enrollment information (42 CFR 2.11, "records")."""
    return {
        "source_owner_agency": program,
        "source_category": Category.SUD_ENROLLMENT,
        "source_subject": subject,
        "source_record": source_record,
    }


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "X", "Another sex"
    UNKNOWN = "U", "Unknown"


class Person(models.Model):
    """One human being, whichever systems know them. Identity itself is a record: see LocalIdentifier."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    zip_code = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name", "birth_date"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int | None:
        """Completed years on a day."""
        if self.birth_date is None:
            return None
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)


class LocalIdentifier(ProtectedRecord):
    """An agency's own identifier for a person: that agency knowing the person is itself a record.

    A Part 2 program's client number reveals enrollment, so it is as protected as the program's records.
    """

    fixed_category = Category.PERSON_IDENTITY

    identifier = models.CharField(max_length=64)

    class Meta(ProtectedRecord.Meta):
        constraints = [
            models.UniqueConstraint(fields=["owner_agency", "identifier"], name="unique_local_identifier"),
            models.UniqueConstraint(fields=["owner_agency", "subject"], name="one_identifier_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_agency.slug}:{self.identifier}"


class Family(models.Model):
    """A family as a child welfare agency works it: the household whose children's safety is at stake."""

    name = models.CharField(max_length=200, help_text="How staff refer to the family, e.g. 'Garcia family'.")
    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="families")
    case_number = models.CharField(max_length=64, blank=True)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "families"
        constraints = [
            models.UniqueConstraint(
                fields=["owner_agency", "case_number"],
                condition=~models.Q(case_number=""),
                name="unique_family_case_number",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    PARENT = "parent", "Parent"
    CHILD = "child", "Child"
    CAREGIVER = "caregiver", "Caregiver"


class FamilyMember(ProtectedRecord):
    """That a person belongs to a family, in a role. Category cw.case, owned by the family's agency."""

    fixed_category = Category.CW_CASE

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=20, choices=MemberRole.choices)

    class Meta(ProtectedRecord.Meta):
        constraints = [models.UniqueConstraint(fields=["family", "subject"], name="unique_family_member")]
        ordering = ["role", "subject__birth_date"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_role_display()}) in {self.family}"


class CaseloadAssignment(models.Model):
    """Which staff member works which family: the need-to-know boundary inside an agency."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    assigned_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["family", "staff"], condition=models.Q(ended_on=None), name="one_open_assignment"
            )
        ]
        ordering = ["-assigned_on"]

    def __str__(self) -> str:
        return f"{self.staff} works {self.family}"
