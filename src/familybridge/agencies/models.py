from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from familybridge.agencies.roles import (
    AGENCY_WIDE_ROLES,
    CASE_ROLES,
    AgencyKind,
    Purpose,
    Role,
    are_medical_personnel,
    default_purpose_of,
    purposes_of,
)


class Partnership(models.Model):
    """The collaborative: the agencies that work families together under shared protocols."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    jurisdiction = models.CharField(max_length=200, help_text="County, region or state served.")
    agencies = models.ManyToManyField("Agency", related_name="partnerships", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    is_part2_program = models.BooleanField(
        default=False,
        help_text="A federally assisted SUD program whose records 42 CFR Part 2 protects.",
    )
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member of exactly one agency (platform superusers may have none)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.staff_roles.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def sees_whole_agency(self) -> bool:
        return bool(self.role_codes & AGENCY_WIDE_ROLES)

    @property
    def works_cases(self) -> bool:
        return bool(self.role_codes & CASE_ROLES)

    @property
    def agency_kind(self) -> str | None:
        return self.agency.kind if self.agency_id else None

    @cached_property
    def allowed_purposes(self) -> tuple[Purpose, ...]:
        """The purposes this user reads for: the union over their roles (`roles.PURPOSES_BY_ROLE`)."""
        return purposes_of(self.role_codes, self.agency_kind)

    @property
    def default_purpose(self) -> Purpose | None:
        return default_purpose_of(self.role_codes)

    @property
    def is_medical_personnel(self) -> bool:
        """Medical personnel for a medical emergency (§2.51): the role and the kind of agency together."""
        return are_medical_personnel(self.role_codes, self.agency_kind)

    def forget_roles(self) -> None:
        """Drop what was worked out from the roles, after they change."""
        for name in ("role_codes", "allowed_purposes"):
            self.__dict__.pop(name, None)


class StaffRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_staff_role")]
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()}"


class Team(models.Model):
    """A unit of an agency's staff led by a supervisor: whose caseloads the supervisor watches and balances."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    supervisor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams_led",
        help_text="The supervisor who leads the team and sees its caseloads.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unique_team_name")]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    """A staff member's team: one team each, so a caseworker's caseload shows on one supervisor's page."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="team_membership")
    joined_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"
