from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from familybridge.agencies.roles import (
    AGENCY_WIDE_ROLES,
    CASE_ROLES,
    DEFAULT_PURPOSE_BY_ROLE,
    SECOND_FACTOR_ROLES,
    Purpose,
    Role,
)


class AgencyKind(models.TextChoices):
    CHILD_WELFARE = "child_welfare", "Child welfare"
    SUD_TREATMENT = "sud_treatment", "SUD treatment"
    COURT = "court", "Court"
    HEALTH = "health", "Health"
    COMMUNITY = "community", "Community"


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
    def requires_second_factor(self) -> bool:
        return bool(self.role_codes & SECOND_FACTOR_ROLES)

    @property
    def sees_whole_agency(self) -> bool:
        return bool(self.role_codes & AGENCY_WIDE_ROLES)

    @property
    def works_cases(self) -> bool:
        return bool(self.role_codes & CASE_ROLES)

    @property
    def default_purpose(self) -> str | None:
        for role in Role:
            if role in self.role_codes and role in DEFAULT_PURPOSE_BY_ROLE:
                return DEFAULT_PURPOSE_BY_ROLE[role]
        return Purpose.EVALUATION if self.has_role(Role.DATA_ANALYST) else None


class StaffRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_staff_role")]
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()}"
