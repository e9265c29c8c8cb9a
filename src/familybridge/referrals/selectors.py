"""Reading referrals: the provider's worklist, timeliness against targets, and the referrer's
engagement signal, each only as far as the policy point allows."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from familybridge.cases.models import AttendanceStatus, DischargeSummary, TreatmentEpisode
from familybridge.consent import policy
from familybridge.consent.policy import Withheld
from familybridge.referrals.models import Referral, ReferralStatus, ReferralStep, ReferralTargets
from familybridge.referrals.timeliness import Timeliness, measure

ATTENDING_WINDOW_DAYS = 30


def current_status(steps: list[ReferralStep]) -> str:
    """The status the newest of these steps (in the order they occurred) reached."""
    return steps[-1].status if steps else ReferralStatus.RECEIVED


def with_status(queryset: QuerySet) -> QuerySet:
    latest = ReferralStep.objects.filter(referral=OuterRef("pk"), voided_at=None).order_by("-occurred_at", "-pk")
    return queryset.annotate(current_status=Subquery(latest.values("status")[:1]))


def targets_for(referral: Referral) -> ReferralTargets:
    partnership = referral.owner_agency.partnerships.first()
    if partnership is None:
        return ReferralTargets()
    return ReferralTargets.objects.filter(partnership=partnership).first() or ReferralTargets(partnership=partnership)


@dataclass
class ReferralView:
    referral: Referral
    status: str
    steps: list[ReferralStep]
    timeliness: list[Timeliness]

    @property
    def status_label(self) -> str:
        return ReferralStatus(self.status).label


def _first(steps: list[ReferralStep], *statuses: str) -> date | None:
    days = [s.occurred_at.date() for s in steps if s.status in statuses]
    return min(days) if days else None


def referral_view(user: Any, referral: Referral, purpose: str, *, today: date) -> ReferralView:
    """A referral with the steps the user may see and how long each took against the targets."""
    steps = [
        s
        for s in policy.read(user, referral.steps.select_related("recorded_by"), purpose)
        if isinstance(s, ReferralStep)
    ]
    targets = targets_for(referral)
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
    return ReferralView(referral, current_status(steps), steps, timeliness)


def worklist(user: Any, purpose: str) -> list[Referral]:
    """Referrals received by the user's program, open ones first, each with its current status."""
    received = with_status(
        Referral.objects.filter(owner_agency=user.agency_id).select_related("subject", "referring_agency")
    )
    items = policy.read(user, received.order_by("-referral_date"), purpose)
    return [r for r in items if isinstance(r, Referral)]


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
