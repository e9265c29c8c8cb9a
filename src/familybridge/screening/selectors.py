"""Reads for screening: instruments in force for a partnership, and results through the policy point."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from familybridge.agencies.models import Agency, AgencyKind, Partnership, User
from familybridge.agencies.roles import SUPERVISING_ROLES
from familybridge.agencies.selectors import supervisors_of
from familybridge.consent import policy
from familybridge.people.models import CaseloadAssignment, Family, FamilyMember, LocalIdentifier, MemberRole, Person
from familybridge.people.selectors import family_members
from familybridge.screening import instruments
from familybridge.screening.instruments import Instrument
from familybridge.screening.models import (
    DEFAULT_URGENT_PROTOCOL,
    AdministrationMode,
    ClinicalAssessment,
    CutoffSetting,
    ImportedInstrument,
    NextStep,
    PartnershipScreeningSettings,
    SafetyFollowUp,
    ScreeningInvitation,
    ScreeningResult,
)

# A safety flag is to be followed up within a day of being raised; after that it is overdue.
FOLLOW_UP_WITHIN = timedelta(hours=24)

SCREENED_ROLES = (MemberRole.PARENT, MemberRole.CAREGIVER)


def partnership_of(agency: Agency | None) -> Partnership | None:
    """The partnership whose screening settings apply to an agency's screens (its first, by name)."""
    if agency is None:
        return None
    return agency.partnerships.order_by("name").first()


def instruments_for(partnership: Partnership | None) -> dict[str, Instrument]:
    """Instruments in force: the built-in ones, each replaced by the partnership's latest import of it."""
    available = dict(instruments.built_in())
    if partnership is not None:
        seen = set()
        for imported in ImportedInstrument.objects.filter(partnership=partnership):
            if imported.instrument not in seen:
                seen.add(imported.instrument)
                available[imported.instrument] = instruments.parse(imported.questionnaire)
    return available


def instrument_for(partnership: Partnership | None, instrument_id: str) -> Instrument | None:
    return instruments_for(partnership).get(instrument_id)


def cutoff_overrides(partnership: Partnership | None, instrument_id: str) -> dict[str, dict[str, int]]:
    """The partnership's cut-off settings for one instrument: {cut-off name: {applies_to: value}}."""
    if partnership is None:
        return {}
    overrides: dict[str, dict[str, int]] = {}
    for setting in CutoffSetting.objects.filter(partnership=partnership, instrument=instrument_id):
        overrides.setdefault(setting.name, {})[setting.applies_to] = setting.value
    return overrides


def urgent_protocol(partnership: Partnership | None) -> str:
    if partnership is None:
        return DEFAULT_URGENT_PROTOCOL
    settings = PartnershipScreeningSettings.objects.filter(partnership=partnership).first()
    return settings.urgent_protocol if settings else DEFAULT_URGENT_PROTOCOL


def screenable_people(user: Any, family: Family, purpose: str) -> list[Person]:
    """The family's parents and caregivers this user may screen or assess: those whose membership the
    policy point shows them, and their own agency's clients (a program knows its clients from its own
    records, e.g. its client number, even where the child welfare case is closed to it)."""
    visible = [
        item.subject
        for item in family_members(user, family, purpose)
        if isinstance(item, FamilyMember) and item.role in SCREENED_ROLES
    ]
    own_clients = policy.permitted(user, LocalIdentifier.objects.filter(owner_agency_id=user.agency_id), purpose)
    adults = FamilyMember.objects.filter(family=family, role__in=SCREENED_ROLES).values("subject_id")
    known = Person.objects.filter(pk__in=own_clients.values("subject_id")).filter(pk__in=adults)
    people = {person.pk: person for person in visible}
    people.update({person.pk: person for person in known if person.pk not in people})
    return sorted(people.values(), key=lambda person: (person.last_name, person.first_name))


def _family_subjects(family: Family) -> QuerySet:
    return FamilyMember.objects.filter(family=family).values("subject_id")


@dataclass
class FamilyScreening:
    """What the family page shows of screening: results and assessments, as far as the viewer may see."""

    results: list
    assessments: list
    chart_results: list[ScreeningResult]


def family_screening(user: Any, family: Family, purpose: str) -> FamilyScreening:
    subjects = _family_subjects(family)
    results = policy.read(
        user,
        ScreeningResult.objects.filter(family=family, subject__in=subjects).select_related("subject", "owner_agency"),
        purpose,
    )
    assessments = policy.read(
        user,
        ClinicalAssessment.objects.filter(family=family, subject__in=subjects).select_related(
            "subject", "owner_agency", "assessed_by"
        ),
        purpose,
    )
    shown = [item for item in results if isinstance(item, ScreeningResult)]
    return FamilyScreening(results=results, assessments=assessments, chart_results=shown)


def result_visible_to(user: Any, pk: int, purpose: str) -> ScreeningResult | None:
    """One result, only when the policy point lets the user see it."""
    queryset = ScreeningResult.objects.select_related("subject", "family", "owner_agency", "administered_by")
    return policy.permitted(user, queryset, purpose).filter(pk=pk).first()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitation(token: str) -> ScreeningInvitation | None:
    """The invitation behind a one-time link, while unused and unexpired (no sign-in: the token is the key)."""
    return (
        ScreeningInvitation.unrestricted.select_related("subject", "family", "owner_agency", "created_by")
        .filter(token_hash=token_hash(token), used_at=None, expires_at__gt=timezone.now())
        .first()
    )


# Safety flags: screens whose SAFERR next step is the urgent protocol (a PHQ-9 item 9 or EPDS item 10 answered
# above zero, or impairment observed), and their follow-ups.


def _who_may_see(result: ScreeningResult, staff: QuerySet[User] | list[User]) -> list[User]:
    """Those of `staff` to whom the policy point shows the screen, for their usual purpose (a check: it discloses
    nothing)."""
    return [
        member
        for member in staff
        if member.default_purpose
        and policy.permitted(member, ScreeningResult.objects.filter(pk=result.pk), member.default_purpose).exists()
    ]


def safety_alert_recipients(result: ScreeningResult) -> list[User]:
    """Who is alerted to a safety flag at once (docs/tasks/safety-alerts.md, "Who is alerted"):

    1. the child welfare staff assigned to the family today (the caseworker) to whom the policy point shows the
       screen, and their supervisors;
    2. when none of them may see it (a treatment program's screen with no consent or order opening it to child
       welfare, Part 2) or none is assigned: the staff of the agency that holds the screen assigned to the parent
       or the family today (the program's counselor), and their supervisors (its clinical supervisor);
    3. when no one is assigned: the supervisors of the agency that holds the screen.
    For a screen the parent answered through a one-time link, the staff member who sent the link too. Each is
    someone the policy point shows the screen to, so the alert tells no one what they may not see.
    """
    today = timezone.localdate()
    assigned = CaseloadAssignment.objects.in_effect(today)
    family_staff = assigned.filter(family=result.family, client=None).values("staff_id")
    caseworkers = User.objects.filter(pk__in=family_staff, is_active=True, agency__kind=AgencyKind.CHILD_WELFARE)
    workers = _who_may_see(result, caseworkers.order_by("pk"))
    if not workers:
        holders = assigned.filter(Q(client=result.subject_id) | Q(family=result.family, client=None)).values("staff_id")
        workers = _who_may_see(
            result, User.objects.filter(pk__in=holders, is_active=True, agency=result.owner_agency_id).order_by("pk")
        )
    if workers:
        supervisors = supervisors_of(workers)
    else:
        supervisors = User.objects.filter(
            is_active=True, agency=result.owner_agency_id, staff_roles__role__in=SUPERVISING_ROLES
        ).distinct()
    recipients = {member.pk: member for member in workers}
    for supervisor in _who_may_see(result, supervisors.exclude(pk__in=recipients)):
        recipients[supervisor.pk] = supervisor
    sender = result.administered_by
    if result.mode == AdministrationMode.PARENT_DEVICE and sender and sender.is_active and sender.pk not in recipients:
        recipients.update({member.pk: member for member in _who_may_see(result, [sender])})
    return list(recipients.values())


def _awaiting(user: User, purpose: str) -> Q:
    """No follow-up of the flag that this viewer may see: a follow-up they may not see does not close it for them."""
    seen = policy.permitted(user, SafetyFollowUp.objects.all(), purpose).filter(result=OuterRef("pk"))
    return ~Q(Exists(seen))


def flags_awaiting_follow_up(user: User, purpose: str) -> QuerySet[ScreeningResult]:
    """The safety flags the user may see that no follow-up they may see has closed, oldest first."""
    flagged = ScreeningResult.objects.filter(next_step=NextStep.URGENT).select_related("subject")
    return policy.permitted(user, flagged, purpose).filter(_awaiting(user, purpose)).order_by("created_at", "pk")


def follow_ups_of(
    user: User, results: QuerySet[ScreeningResult] | list[int], purpose: str
) -> dict[int, SafetyFollowUp]:
    """The latest follow-up the user may see of each of these screens, by screen id (one query)."""
    follow_ups = policy.permitted(
        user,
        SafetyFollowUp.objects.filter(result__in=results).select_related("recorded_by", "owner_agency", "subject"),
        purpose,
    )
    latest: dict[int, SafetyFollowUp] = {}
    for follow_up in follow_ups.order_by("contacted_at", "pk"):
        latest[follow_up.result_id] = follow_up
    return latest


def overdue(result: ScreeningResult, now: datetime | None = None) -> bool:
    """A flag not followed up within a day of being raised."""
    return (now or timezone.now()) > result.created_at + FOLLOW_UP_WITHIN


@dataclass
class FamilyFlag:
    """A safety flag on the family page: the screen and, once recorded, the follow-up the viewer may see."""

    result: ScreeningResult
    follow_up: SafetyFollowUp | None
    overdue: bool


def family_safety_flags(user: User, family: Family, purpose: str) -> list[FamilyFlag]:
    """The family's safety flags the viewer may see, newest first, each with its follow-up (two queries and the
    policy point's accounting, whatever their number)."""
    flagged = ScreeningResult.objects.filter(
        family=family, subject__in=_family_subjects(family), next_step=NextStep.URGENT
    ).select_related("subject")
    results = list(policy.permitted(user, flagged, purpose).order_by("-created_at", "-pk"))
    follow_ups = follow_ups_of(user, [result.pk for result in results], purpose)
    now = timezone.now()
    return [
        FamilyFlag(result, follow_ups.get(result.pk), result.pk not in follow_ups and overdue(result, now))
        for result in results
    ]
