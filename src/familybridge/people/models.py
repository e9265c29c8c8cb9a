from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Upper

from familybridge.agencies.roles import Role
from familybridge.consent.categories import Category, is_part2
from familybridge.people.history import record_versions
from familybridge.people.matching import name_key
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
    # How the names sound (people.matching.name_key), kept in step by save(): the duplicate check and search
    # find candidates by these indexed keys before scoring them. Bulk loads set them too (outcomes.importing).
    first_name_key = models.CharField(max_length=40, blank=True, default="", db_default="", editable=False)
    last_name_key = models.CharField(max_length=40, blank=True, default="", db_default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "birth_date"]),
            models.Index(fields=["birth_date"], name="person_birth_date"),
            models.Index(fields=["last_name_key", "first_name_key"], name="person_name_keys"),
            models.Index(fields=["first_name_key"], name="person_first_name_key"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs) -> None:
        self.fill_name_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "first_name_key", "last_name_key"}
        super().save(*args, **kwargs)

    def fill_name_keys(self) -> None:
        self.first_name_key = name_key(self.first_name)
        self.last_name_key = name_key(self.last_name)

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
        # Search and the duplicate check look a number up whichever agency gave it.
        indexes = [*ProtectedRecord.Meta.indexes, models.Index(Upper("identifier"), name="local_identifier_value")]

    def __str__(self) -> str:
        return f"{self.owner_agency.slug}:{self.identifier}"


class CaseClosure(models.TextChoices):
    """Why a child welfare case closed."""

    SAFETY_RESOLVED = "safety_resolved", "Safety concerns resolved, family intact"
    REUNIFIED = "reunified", "Children reunified with their family"
    PERMANENCY = "permanency", "Permanency reached (adoption or guardianship)"
    NO_SERVICES_NEEDED = "no_services_needed", "No further services needed"
    CLOSED_AT_INTAKE = "closed_at_intake", "Report screened out or closed at intake"
    TRANSFERRED = "transferred", "Transferred to another jurisdiction"
    FAMILY_MOVED = "family_moved", "Family moved or could not be located"
    OTHER = "other", "Other"


class FamilyStage(models.TextChoices):
    """Where the family stands with the agency: a report being screened or investigated, an open case, or closed."""

    INTAKE = "intake", "At intake"
    OPEN_CASE = "open_case", "Open case"
    CLOSED = "closed", "Closed"


class Family(models.Model):
    """A family as a child welfare agency works it: the household whose children's safety is at stake.

    `opened_on` is the family's first day with the agency: the day its case opened, or, for a family opened when a
    report about its children was received (intake), the day of that report; `case_opened_on` is the day its case
    opened (none while at intake). `stage` follows `closed_on`: setting the day closes the family.
    """

    name = models.CharField(max_length=200, help_text="How staff refer to the family, e.g. 'Garcia family'.")
    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="families")
    case_number = models.CharField(max_length=64, blank=True)
    opened_on = models.DateField()
    # Database default too, so bulk loads that name their columns (the extract import) load open cases.
    stage = models.CharField(
        max_length=20, choices=FamilyStage.choices, default=FamilyStage.OPEN_CASE, db_default=FamilyStage.OPEN_CASE
    )
    case_opened_on = models.DateField(null=True, blank=True, help_text="The day the family's case opened.")
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=30, choices=CaseClosure.choices, blank=True, default="", db_default="")
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

    def save(self, *args, **kwargs) -> None:
        changed = self.keep_stage()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and changed:
            kwargs["update_fields"] = {*update_fields, *changed}
        super().save(*args, **kwargs)

    def keep_stage(self) -> set[str]:
        """Keep the stage in step with the days: a closing day closes the family; an open case (opened as one)
        has its case-opened day. Returns the fields it changed."""
        changed = set()
        if self.closed_on is not None and self.stage != FamilyStage.CLOSED:
            self.stage = FamilyStage.CLOSED
            changed.add("stage")
        if self.stage == FamilyStage.OPEN_CASE and self.case_opened_on is None:
            self.case_opened_on = self.opened_on
            changed.add("case_opened_on")
        return changed


class RelationshipKind(models.TextChoices):
    """How one member of a family is related to another: "Ana is the mother of Sofia"."""

    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    PARENT = "parent", "Parent"
    STEPPARENT = "stepparent", "Stepparent"
    GRANDPARENT = "grandparent", "Grandparent"
    KIN_CAREGIVER = "kin_caregiver", "Kin caregiver"
    FOSTER_PARENT = "foster_parent", "Foster parent"
    SIBLING = "sibling", "Sibling"
    PARTNER = "partner", "Partner"


# Kinds that read the same both ways round (Ana and Luis are partners); the others go from the elder to the
# one they are a parent, grandparent or caregiver of.
SYMMETRIC_KINDS = frozenset({RelationshipKind.SIBLING, RelationshipKind.PARTNER})


class Relationship(ProtectedRecord):
    """That one member of a family (the subject) is related to another (`relative`) in a kind of way.

    Category cw.case, owned by the family's agency, read through the policy point like the membership;
    who may record one and what is checked is in people.families.
    """

    fixed_category = Category.CW_CASE

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)

    class Meta(ProtectedRecord.Meta):
        constraints = [
            models.UniqueConstraint(fields=["family", "subject", "relative", "kind"], name="unique_relationship"),
            models.CheckConstraint(condition=~models.Q(subject=models.F("relative")), name="relationship_of_two"),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        if self.kind in SYMMETRIC_KINDS:
            return f"{self.subject} and {self.relative} are {self.get_kind_display().lower()}s"
        return f"{self.subject} is the {self.get_kind_display().lower()} of {self.relative}"


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


class AssignmentEnd(models.TextChoices):
    """Why someone stopped working a family or a client."""

    TRANSFERRED = "transferred", "Transferred to a colleague"
    CASE_CLOSED = "case_closed", "Case closed"
    DISCHARGED = "discharged", "Discharged from treatment"
    REFERRAL_CLOSED = "referral_closed", "Referral declined or not engaged"
    WITHDREW = "withdrew", "Attorney withdrew"
    DEACTIVATED = "deactivated", "Account deactivated"
    INTAKE_DONE = "intake_done", "Intake step done (screening decided, investigation finished)"
    OTHER = "other", "Other"


class AssignmentQuerySet(models.QuerySet):
    def in_effect(self, on: date) -> "AssignmentQuerySet":
        """Assignments in effect on a day: from `assigned_on` up to the day before `ended_on`."""
        return self.filter(assigned_on__lte=on).filter(models.Q(ended_on=None) | models.Q(ended_on__gt=on))

    def open(self) -> "AssignmentQuerySet":
        """Not ended, nor ending on a day already set (what a transfer or hand-over may still change)."""
        return self.filter(ended_on=None)


class CaseloadAssignment(models.Model):
    """Who works which family or client, in what capacity, from when: need to know inside an agency.

    A family assignment (a caseworker's family, a judge's docket case, an attorney's case) opens the people in
    the family to the staff member; a client assignment (a program's counselor or peer recovery specialist)
    opens that one person. `about` names what the assignment is for when it is one record: the court case on a
    judge's docket, the referral a program's intake assigned. In effect from `assigned_on` up to the day
    before `ended_on`; ended assignments stay as the family's history.
    """

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    client = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a program's client: need to know covers this person, not the whole family.",
    )
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    capacity = models.CharField(max_length=40, choices=Role.choices, blank=True, help_text="The role worked in.")
    represents = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For an attorney: the party represented.",
    )
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    assigned_on = models.DateField(help_text="The day the assignment takes effect.")
    ended_on = models.DateField(null=True, blank=True, help_text="The first day it is no longer in effect.")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(max_length=20, choices=AssignmentEnd.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(family__isnull=False) | models.Q(client__isnull=False),
                name="assignment_has_family_or_client",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on=None) | models.Q(ended_on__gte=models.F("assigned_on")),
                name="assignment_ends_after_it_starts",
            ),
            # One open assignment of a staff member per family, per client and per record worked.
            models.UniqueConstraint(
                fields=["family", "staff"],
                condition=models.Q(ended_on=None, client=None, about_id=None),
                name="one_open_assignment",
            ),
            models.UniqueConstraint(
                fields=["client", "staff"],
                condition=models.Q(ended_on=None, client__isnull=False),
                name="one_open_client_assignment",
            ),
            models.UniqueConstraint(
                fields=["about_type", "about_id", "staff"],
                condition=models.Q(ended_on=None, about_id__isnull=False),
                name="one_open_assignment_per_record",
            ),
        ]
        indexes = [models.Index(fields=["staff", "ended_on"]), models.Index(fields=["about_type", "about_id"])]
        ordering = ["-assigned_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.staff} works {self.client or self.family}"
