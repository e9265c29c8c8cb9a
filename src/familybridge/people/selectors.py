from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from familybridge.consent import policy
from familybridge.people.models import Family, FamilyMember, LocalIdentifier


def caseload_families(user: Any) -> QuerySet[Family]:
    return Family.objects.filter(assignments__staff=user, assignments__ended_on=None).distinct()


def families_visible_to(user: Any, purpose: str, *, search: str = "") -> QuerySet[Family]:
    """Families on the user's caseload, or whose membership the policy point opens to them."""
    members = policy.permitted(user, FamilyMember.objects.all(), purpose)
    families = Family.objects.filter(
        Q(assignments__staff=user, assignments__ended_on=None) | Q(pk__in=members.values("family_id"))
    )
    if search:
        families = families.filter(Q(name__icontains=search) | Q(case_number__icontains=search))
    return families.distinct().order_by("name")


def family_members(user: Any, family: Family, purpose: str, on: date | None = None) -> list:
    queryset = (
        FamilyMember.objects.filter(family=family).select_related("subject").order_by("role", "subject__birth_date")
    )
    return policy.read(user, queryset, purpose, on=on)


def local_identifiers(user: Any, family: Family, purpose: str) -> list:
    queryset = LocalIdentifier.objects.filter(
        subject__in=FamilyMember.objects.filter(family=family).values("subject_id")
    ).select_related("subject", "owner_agency")
    return policy.read(user, queryset, purpose)


def visible_member_ids(user: Any, family: Family, purpose: str) -> set[int]:
    """The family's members whom the viewer may know of: by the membership record or their own agency's
    identifier for the person (a counselor knows their client even where the child welfare case is closed
    to them)."""
    members = FamilyMember.objects.filter(family=family)
    by_membership = policy.permitted(user, members, purpose).values_list("subject_id", flat=True)
    by_identifier = policy.permitted(
        user, LocalIdentifier.objects.filter(subject__in=members.values("subject_id")), purpose
    ).values_list("subject_id", flat=True)
    return set(by_membership) | set(by_identifier)


def visible_members(user: Any, family: Family, purpose: str) -> QuerySet[FamilyMember]:
    """The membership rows (person and role) of the members the viewer may know of (`visible_member_ids`)."""
    return FamilyMember.unrestricted.filter(
        family=family, subject_id__in=visible_member_ids(user, family, purpose)
    ).select_related("subject")
