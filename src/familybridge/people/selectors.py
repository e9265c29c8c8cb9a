from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from familybridge.consent import policy
from familybridge.people.models import CaseloadAssignment, Family, FamilyMember, LocalIdentifier


def caseload_families(user: Any, on: date | None = None) -> QuerySet[Family]:
    """The families the user works today (or on a day): on their caseload or docket, or where a client of theirs
    is a member through the referral that brought them."""
    on = on or timezone.localdate()
    assignments = CaseloadAssignment.objects.filter(staff=user).in_effect(on)
    return Family.objects.filter(pk__in=assignments.values("family_id"))


def families_visible_to(user: Any, purpose: str, *, search: str = "") -> QuerySet[Family]:
    """Families the user works, or whose membership the policy point opens to them."""
    members = policy.permitted(user, FamilyMember.objects.all(), purpose)
    families = Family.objects.filter(
        Q(pk__in=caseload_families(user).values("pk")) | Q(pk__in=members.values("family_id"))
    )
    if search:
        families = families.filter(Q(name__icontains=search) | Q(case_number__icontains=search))
    return families.order_by("name")


def assignments_of_family(family: Family) -> QuerySet[CaseloadAssignment]:
    """Who works and worked the family, newest first: its assignment history (staff names, not records)."""
    return CaseloadAssignment.objects.filter(family=family).select_related(
        "staff", "staff__agency", "client", "represents", "assigned_by", "ended_by"
    )


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


def visible_members_of_families(user: Any, family_ids: Iterable[int], purpose: str) -> list[FamilyMember]:
    """The membership rows (person and role) of the members of these families whom the viewer may know of, as
    `visible_member_ids` decides for one family: one query for any number of families (a docket, a worklist)."""
    members = FamilyMember.objects.filter(family_id__in=list(family_ids))
    by_membership = policy.permitted(user, members, purpose).values("pk")
    by_identifier = policy.permitted(
        user, LocalIdentifier.objects.filter(subject__in=members.values("subject_id")), purpose
    ).values("subject_id")
    return list(
        FamilyMember.unrestricted.filter(pk__in=members.values("pk"))
        .filter(Q(pk__in=by_membership) | Q(subject_id__in=by_identifier))
        .select_related("subject")
        .order_by("family_id", "role", "subject__birth_date")
    )
