"""Each agency's involvement with a family, read through the policy decision point."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from familybridge.cases.models import ChildWelfareReport, CourtCase, Hearing, RemovalEpisode, TreatmentEpisode
from familybridge.consent import policy
from familybridge.people.models import Family, FamilyMember


def _subjects_of(family: Family) -> QuerySet:
    return FamilyMember.objects.filter(family=family).values("subject_id")


@dataclass
class Involvement:
    """One family's records, grouped the way the family page shows them."""

    reports: list
    removals: list
    treatment: list
    court_cases: list
    hearings: list


def family_involvement(user: Any, family: Family, purpose: str) -> Involvement:
    subjects = _subjects_of(family)
    return Involvement(
        reports=policy.read(
            user, ChildWelfareReport.objects.filter(subject__in=subjects).select_related("subject"), purpose
        ),
        removals=policy.read(
            user,
            RemovalEpisode.objects.filter(subject__in=subjects).select_related("subject"),
            purpose,
        ),
        treatment=policy.read(
            user,
            TreatmentEpisode.objects.filter(subject__in=subjects).select_related("subject", "owner_agency"),
            purpose,
        ),
        court_cases=policy.read(
            user, CourtCase.objects.filter(subject__in=subjects).select_related("subject"), purpose
        ),
        hearings=policy.read(
            user, Hearing.objects.filter(subject__in=subjects).select_related("subject", "court_case"), purpose
        ),
    )


def upcoming_hearings(user: Any, purpose: str, *, today: date, limit: int = 10) -> QuerySet[Hearing]:
    """Hearings from today on that the user may see (a list of items, so denials are simply absent)."""
    hearings = Hearing.objects.filter(hearing_date__gte=today).select_related("subject", "court_case__family")
    return policy.permitted(user, hearings, purpose).order_by("hearing_date")[:limit]
