"""Reading referrals: the provider's worklist, timeliness against targets, and the referrer's
engagement signal, each only as far as the policy point allows."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from familybridge.agencies.models import Agency, Partnership, User
from familybridge.cases.models import AttendanceStatus, DischargeSummary, TreatmentEpisode
from familybridge.consent import policy
from familybridge.consent.policy import Withheld
from familybridge.people.models import CaseloadAssignment
from familybridge.referrals.models import Referral, ReferralStatus, ReferralStep, ReferralTargets
from familybridge.referrals.timeliness import Timeliness, measure

ATTENDING_WINDOW_DAYS = 30


def current_status(steps: list[ReferralStep]) -> str:
    """The status the newest of these steps (in the order they occurred) reached."""
    return steps[-1].status if steps else ReferralStatus.RECEIVED


def with_status(queryset: QuerySet) -> QuerySet:
    latest = ReferralStep.objects.filter(referral=OuterRef("pk"), voided_at=None).order_by("-occurred_at", "-pk")
    return queryset.annotate(current_status=Subquery(latest.values("status")[:1]))


def targets_for_agency(agency_id: int | None) -> ReferralTargets:
    """The timeliness targets of the partnership a program belongs to (its first, by name), or the defaults."""
    partnership = Partnership.objects.filter(agencies=agency_id).order_by("name").first() if agency_id else None
    if partnership is None:
        return ReferralTargets()
    return ReferralTargets.objects.filter(partnership=partnership).first() or ReferralTargets(partnership=partnership)


def targets_for(referral: Referral) -> ReferralTargets:
    return targets_for_agency(referral.owner_agency_id)


@dataclass
class ReferralView:
    referral: Referral
    status: str
    steps: list[ReferralStep]
    timeliness: list[Timeliness]
    assigned: list[User] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return ReferralStatus(self.status).label

    @property
    def late(self) -> list[Timeliness]:
        return [line for line in self.timeliness if line.met is False]


def _first(steps: list[ReferralStep], *statuses: str) -> date | None:
    days = [s.occurred_at.date() for s in steps if s.status in statuses]
    return min(days) if days else None


def referral_views(user: Any, referrals: list[Referral], purpose: str, *, today: date) -> list[ReferralView]:
    """Each referral with the steps the user may see, how long each took against the targets, and who of the
    program works it today: the same few queries for one referral or a page of them."""
    ids = [referral.pk for referral in referrals]
    steps_of: dict[int, list[ReferralStep]] = {pk: [] for pk in ids}
    steps = ReferralStep.objects.filter(referral_id__in=ids).select_related("recorded_by").order_by("occurred_at", "pk")
    for step in policy.read(user, steps, purpose):
        if isinstance(step, ReferralStep):
            steps_of[step.referral_id].append(step)
    assigned = _assigned_today(ids, today)
    targets: dict[int | None, ReferralTargets] = {}
    views = []
    for referral in referrals:
        owner = referral.owner_agency_id
        if owner not in targets:
            targets[owner] = targets_for_agency(owner)
        views.append(_view(referral, steps_of[referral.pk], targets[owner], assigned.get(referral.pk, []), today))
    return views


def _assigned_today(referral_ids: list[int], today: date) -> dict[int, list[User]]:
    """The program's staff working each referral today (its intake's assignments): names, not records."""
    about = ContentType.objects.get_for_model(Referral)
    assignments = (
        CaseloadAssignment.objects.filter(about_type=about, about_id__in=referral_ids)
        .in_effect(today)
        .select_related("staff")
        .order_by("pk")
    )
    assigned: dict[int, list[User]] = {}
    for assignment in assignments:
        assigned.setdefault(assignment.about_id, []).append(assignment.staff)
    return assigned


def _view(
    referral: Referral, steps: list[ReferralStep], targets: ReferralTargets, assigned: list[User], today: date
) -> ReferralView:
    timeliness = measure(
        referral.referral_date,
        responded_on=_first(steps, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
        assessed_on=_first(steps, ReferralStatus.ASSESSED),
        admitted_on=_first(steps, ReferralStatus.ADMITTED),
        today=today,
        respond_business_days=targets.respond_business_days,
        assess_days=targets.assess_days,
        admit_days=targets.admit_days,
    )
    return ReferralView(referral, current_status(steps), steps, timeliness, assigned)


def referral_view(user: Any, referral: Referral, purpose: str, *, today: date) -> ReferralView:
    """A referral with the steps the user may see and how long each took against the targets."""
    return referral_views(user, [referral], purpose, today=today)[0]


UNASSIGNED = "unassigned"


def worklist(
    user: Any,
    purpose: str,
    *,
    status: str = "",
    since: date | None = None,
    until: date | None = None,
    referring_agency: Agency | None = None,
    worker: User | str | None = None,
    today: date | None = None,
) -> QuerySet[Referral]:
    """Referrals received by the user's program that the user may see, newest first, each with its current
    status: a bound queryset to page. Filters: the current status, the referral date from `since` to `until`,
    the referring agency, and who of the program works it today (`UNASSIGNED` for no one)."""
    received = with_status(
        Referral.objects.filter(owner_agency=user.agency_id).select_related("subject", "referring_agency")
    )
    if status == ReferralStatus.RECEIVED:
        # A referral whose steps are not recorded yet has just been received.
        received = received.filter(Q(current_status=status) | Q(current_status=None))
    elif status:
        received = received.filter(current_status=status)
    if since:
        received = received.filter(referral_date__gte=since)
    if until:
        received = received.filter(referral_date__lte=until)
    if referring_agency is not None:
        received = received.filter(referring_agency=referring_agency)
    if worker is not None:
        working = CaseloadAssignment.objects.filter(
            about_type=ContentType.objects.get_for_model(Referral), about_id=OuterRef("pk")
        ).in_effect(today or timezone.localdate())
        if worker == UNASSIGNED:
            received = received.exclude(Exists(working))
        else:
            received = received.filter(Exists(working.filter(staff=worker)))
    return policy.permitted(user, received, purpose).order_by("-referral_date", "-pk")


# The loop is still open at these statuses: the program has not yet admitted, declined or lost the client.
OPEN_LOOP = (
    ReferralStatus.RECEIVED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.ASSESSMENT_SCHEDULED,
    ReferralStatus.ASSESSED,
)


def open_intake_assignments() -> QuerySet[CaseloadAssignment]:
    """Open assignments of a program's staff to a client from a referral (filter on `about_id`)."""
    return CaseloadAssignment.objects.open().filter(about_type=ContentType.objects.get_for_model(Referral))


def intake_queue(user: Any, purpose: str) -> QuerySet[Referral]:
    """The program's referrals waiting for a counselor, oldest first: its own referrals whose loop is still open
    and that no one of its staff has been assigned from. Read through the policy point (the clinical supervisor
    sees the whole program)."""
    assigned = open_intake_assignments().filter(about_id=OuterRef("pk"))
    waiting = (
        with_status(Referral.objects.filter(owner_agency=user.agency_id))
        .filter(current_status__in=OPEN_LOOP)
        .filter(~Exists(assigned))
        .select_related("subject", "referring_agency")
        .order_by("referral_date", "pk")
    )
    return policy.permitted(user, waiting, purpose)


class Signal:
    REFERRED = "referred"
    ADMITTED = "admitted"
    ATTENDING = "attending"
    COMPLETED = "completed"
    DISENGAGED = "disengaged"


SIGNAL_LABELS = {
    Signal.REFERRED: "Referred",
    Signal.ADMITTED: "Admitted",
    Signal.ATTENDING: "Attending",
    Signal.COMPLETED: "Completed treatment",
    Signal.DISENGAGED: "Disengaged",
}


def engagement_signal(user: Any, referral: Referral, purpose: str, *, today: date) -> str:
    """The minimum-necessary signal (referred, admitted, attending, completed, disengaged), from only the
    records the user may see: with no consent covering treatment, it stays at referred."""
    steps = [s for s in policy.read(user, referral.steps.all(), purpose) if isinstance(s, ReferralStep)]
    if any(s.status in {ReferralStatus.DECLINED, ReferralStatus.NOT_ENGAGED} for s in steps):
        return Signal.DISENGAGED
    episodes = [
        e
        for e in policy.read(
            user,
            TreatmentEpisode.objects.filter(
                owner_agency=referral.owner_agency, subject=referral.subject, admission_date__gte=referral.referral_date
            ).order_by("-admission_date"),
            purpose,
        )
        if isinstance(e, TreatmentEpisode)
    ]
    if not episodes:
        return Signal.ADMITTED if any(s.status == ReferralStatus.ADMITTED for s in steps) else Signal.REFERRED
    episode = episodes[0]
    if episode.discharge_date:
        summaries = policy.read(user, DischargeSummary.objects.filter(episode=episode), purpose)
        completed = any(isinstance(s, DischargeSummary) and s.reason == "completed" for s in summaries)
        return Signal.COMPLETED if completed else Signal.DISENGAGED
    recent = policy.read(
        user,
        episode.attendance.filter(session_date__gte=today - timedelta(days=ATTENDING_WINDOW_DAYS)),
        purpose,
    )
    visible = [a for a in recent if not isinstance(a, Withheld)]
    if any(a.status == AttendanceStatus.ATTENDED for a in visible):
        return Signal.ATTENDING
    if visible:
        return Signal.DISENGAGED
    return Signal.ADMITTED
