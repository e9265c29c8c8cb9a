"""Reading caseloads: who works a family (as far as the viewer may know), a team's workload, a worker's families,
a counselor's clients. Each count of records goes through the policy point; a constant number of queries
whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from familybridge.agencies.models import User
from familybridge.cases.clocks import WARN_AT_MONTHS_IN_CARE, months_to_days
from familybridge.cases.models import CourtCase, RemovalEpisode
from familybridge.consent import policy
from familybridge.people import selectors as people_selectors
from familybridge.people.models import CaseloadAssignment, Family

RECENT_DAYS = 30


def assignments_shown_on_family(user: Any, family: Family, purpose: str) -> QuerySet[CaseloadAssignment]:
    """The family's assignment history as far as the viewer may know it, newest first.

    Their own agency's assignments (a program's client assignment only where the viewer may know the client is
    theirs), and the judge and attorneys of the court cases the policy point opens to the viewer. Never another
    program's: that a counselor works a parent says the parent is the program's client (Part 2).
    """
    court_cases = policy.permitted(user, CourtCase.objects.filter(family=family), purpose).values("pk")
    known_clients = people_selectors.visible_member_ids(user, family, purpose)
    own = Q(staff__agency_id=user.agency_id) & (Q(client=None) | Q(client_id__in=known_clients))
    court = Q(about_type=ContentType.objects.get_for_model(CourtCase), about_id__in=court_cases)
    return people_selectors.assignments_of_family(family).filter(own | court)


def family_caseload_assignments(family: Family) -> QuerySet[CaseloadAssignment]:
    """The caseworkers' assignments to the family itself (not a client, not a court case)."""
    return CaseloadAssignment.objects.filter(family=family, client=None, about_id=None)


def court_cases_of(family: Family) -> QuerySet[CourtCase]:
    return CourtCase.objects.filter(family=family)


def in_care_since(user: Any, family_ids: set[int], purpose: str) -> dict[int, list[date]]:
    """For each family, the removal dates of its children still in care, as far as the viewer may see them."""
    episodes = policy.permitted(
        user, RemovalEpisode.objects.filter(family_id__in=family_ids, discharge_date=None), purpose
    ).values_list("family_id", "removal_date")
    removals: dict[int, list[date]] = {}
    for family_id, removal_date in episodes:
        removals.setdefault(family_id, []).append(removal_date)
    return removals


def clock_nearing(removal_dates: list[date], today: date) -> bool:
    """A child in care for 12 months or more: the permanency hearing is due and the 15-of-22 clock is close."""
    return any(today - removed >= timedelta(days=months_to_days(WARN_AT_MONTHS_IN_CARE)) for removed in removal_dates)


@dataclass
class WorkerLoad:
    """One caseworker's workload, as a supervisor sees it."""

    worker: User
    open_families: int = 0
    children_in_care: int = 0
    opened_recently: int = 0
    clocks_nearing: int = 0
    family_ids: set[int] = field(default_factory=set)


def caseload_assignments(workers: list[User], on: date) -> QuerySet[CaseloadAssignment]:
    """The open families on these workers' caseloads on a day."""
    return (
        CaseloadAssignment.objects.in_effect(on)
        .filter(staff__in=workers, client=None, about_id=None, family__closed_on=None)
        .exclude(family=None)
    )


def team_caseloads(supervisor: Any, workers: list[User], purpose: str, *, today: date) -> list[WorkerLoad]:
    """Each worker's open families, children in care, families opened in the last 30 days and families with a
    clock nearing its deadline: three queries, whatever the team's size."""
    loads = {worker.pk: WorkerLoad(worker) for worker in workers}
    rows = caseload_assignments(workers, today).values_list("staff_id", "family_id", "family__opened_on")
    recent_since = today - timedelta(days=RECENT_DAYS)
    for staff_id, family_id, opened_on in rows:
        load = loads[staff_id]
        load.family_ids.add(family_id)
        load.open_families += 1
        load.opened_recently += opened_on >= recent_since
    removals = in_care_since(supervisor, {f for load in loads.values() for f in load.family_ids}, purpose)
    for load in loads.values():
        for family_id in load.family_ids:
            load.children_in_care += len(removals.get(family_id, []))
            load.clocks_nearing += clock_nearing(removals.get(family_id, []), today)
    return list(loads.values())


@dataclass
class CaseloadRow:
    assignment: CaseloadAssignment
    children_in_care: int
    clock_nearing: bool


FAMILY_FILTERS = {
    "": "All open families",
    "in_care": "With children in care",
    "clock": "With a clock nearing its deadline",
    "recent": f"Opened in the last {RECENT_DAYS} days",
}


def worker_caseload(
    supervisor: Any, worker: User, purpose: str, *, today: date, search: str = "", show: str = ""
) -> list[CaseloadRow]:
    """A worker's open families, filtered, with what the supervisor sees of their children in care.

    The filters on records (in care, clock) are computed through the policy point on the worker's families; the
    caller paginates the rows."""
    assignments = caseload_assignments([worker], today).select_related("family").order_by("family__name", "pk")
    if search:
        assignments = assignments.filter(Q(family__name__icontains=search) | Q(family__case_number__icontains=search))
    if show == "recent":
        assignments = assignments.filter(family__opened_on__gte=today - timedelta(days=RECENT_DAYS))
    assignments = list(assignments)
    removals = in_care_since(supervisor, {a.family_id for a in assignments}, purpose)
    rows = [
        CaseloadRow(a, len(removals.get(a.family_id, [])), clock_nearing(removals.get(a.family_id, []), today))
        for a in assignments
    ]
    if show == "in_care":
        rows = [row for row in rows if row.children_in_care]
    elif show == "clock":
        rows = [row for row in rows if row.clock_nearing]
    return rows


def my_clients(user: Any, *, today: date) -> QuerySet[CaseloadAssignment]:
    """The clients a program's staff member works (their own client assignments in effect or starting later),
    with the referral each came from."""
    return (
        CaseloadAssignment.objects.filter(staff=user)
        .exclude(client=None)
        .filter(Q(ended_on=None) | Q(ended_on__gt=today))
        .select_related("client", "assigned_by")
        .order_by("client__last_name", "client__first_name", "pk")
    )
