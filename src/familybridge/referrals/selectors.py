"""Reading referrals: the provider's worklist, timeliness against targets, and the referrer's
engagement signal, each only as far as the policy point allows."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from familybridge.agencies.models import Agency, Partnership, User
from familybridge.agencies.selectors import supervised_caseworkers
from familybridge.cases.models import Attendance, AttendanceStatus, DischargeSummary, TreatmentEpisode
from familybridge.consent import policy
from familybridge.dates import us_date
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


# The program's answers after which the loop is closed without treatment: the referrer acts next.
NEEDS_NEXT_ACTION = (ReferralStatus.DECLINED, ReferralStatus.NOT_ENGAGED)


@dataclass
class ReferralView:
    """A referral as one viewer may see it: the steps the policy point lets them read, the timeliness those
    steps show, who of the program works it, and the referral that follows it up (when they may see it)."""

    referral: Referral
    status: str
    steps: list[ReferralStep]
    timeliness: list[Timeliness]
    assigned: list[User] = field(default_factory=list)
    followed_by: Referral | None = None
    today: date | None = None

    @property
    def status_label(self) -> str:
        return ReferralStatus(self.status).label

    @property
    def late(self) -> list[Timeliness]:
        return [line for line in self.timeliness if line.met is False]

    @property
    def shares_steps(self) -> bool:
        """Whether the viewer sees the program's steps: its own, or under a consent or order. Without them the
        viewer knows only what the referrer wrote, and the timeliness lines would say nothing true."""
        return bool(self.steps)

    @property
    def current_step(self) -> str:
        """The current step in words, from only what the viewer may see."""
        referral = self.referral
        if not self.steps:
            return f"Sent on {us_date(referral.referral_date)}, awaiting the program's answer"
        step = self.steps[-1]
        words = f"{step.get_status_display()} on {us_date(timezone.localdate(step.occurred_at))}"
        if step.scheduled_for:
            words += f", for {us_date(step.scheduled_for)}"
        return words

    @property
    def is_open(self) -> bool:
        """The loop is still open as far as the viewer sees it: the program has not admitted, declined or lost."""
        return self.status in OPEN_LOOP

    @property
    def days_since_sent(self) -> int:
        return ((self.today or timezone.localdate()) - self.referral.referral_date).days

    @property
    def next_action(self) -> str:
        """For a declined or not-engaged referral the referrer has not yet followed up (referred elsewhere or
        closed): what happened and what to do next. Empty otherwise, and for a step the viewer may not see."""
        referral = self.referral
        if self.status not in NEEDS_NEXT_ACTION or referral.follow_up_closed_at or self.followed_by:
            return ""
        step = self.steps[-1]
        when = us_date(timezone.localdate(step.occurred_at))
        program = referral.owner_agency.name
        reason = f" ({step.note})" if step.note else ""
        if step.status == ReferralStatus.DECLINED:
            happened = f"Declined by {program} on {when}{reason}"
        else:
            happened = f"Not engaged with {program}, recorded {when}{reason}"
        return f"{happened}: refer elsewhere or close the follow-up"


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
    followed_by = _followed_by(user, ids, purpose)
    targets: dict[int | None, ReferralTargets] = {}
    views = []
    for referral in referrals:
        owner = referral.owner_agency_id
        if owner not in targets:
            targets[owner] = targets_for_agency(owner)
        view = _view(referral, steps_of[referral.pk], targets[owner], assigned.get(referral.pk, []), today)
        view.followed_by = followed_by.get(referral.pk)
        views.append(view)
    return views


def _followed_by(user: Any, referral_ids: list[int], purpose: str) -> dict[int, Referral]:
    """The referrals the user may see that follow up these (a referral elsewhere after a decline), by the one
    each follows."""
    follow_ups = Referral.objects.filter(follows_id__in=referral_ids).select_related("owner_agency")
    return {follow_up.follows_id: follow_up for follow_up in policy.permitted(user, follow_ups, purpose)}


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
    return ReferralView(referral, current_status(steps), steps, timeliness, assigned, today=today)


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


def sent(user: User, purpose: str) -> QuerySet[Referral]:
    """The referrals the user sent, and for a supervisor those her team sent, that she may see: newest first, a
    bound queryset to page. The referrer sees her own referral (its originator) within need to know; what the
    program recorded about it only as far as a consent or order reaches (`referral_views`)."""
    senders = Q(recorded_by=user)
    if user.sees_whole_agency:
        senders |= Q(recorded_by__in=supervised_caseworkers(user).values("pk"))
    referrals = Referral.objects.filter(senders, referring_agency=user.agency_id).select_related(
        "subject", "owner_agency", "recorded_by"
    )
    return policy.permitted(user, referrals, purpose).order_by("-referral_date", "-pk")


def awaiting_next_action(user: User, purpose: str, *, today: date) -> list[ReferralView]:
    """The referrals the user (a supervisor: her team) sent that the program declined or the client did not engage
    with, not yet followed up: each only where she may see that step (the view's `next_action`)."""
    followed_up = Referral.objects.filter(follows=OuterRef("pk"))
    candidates = (
        with_status(sent(user, purpose))
        .filter(current_status__in=NEEDS_NEXT_ACTION, follow_up_closed_at=None)
        .exclude(Exists(followed_up))
    )
    views = referral_views(user, list(candidates), purpose, today=today)
    return [view for view in views if view.next_action]


def of_family(user: User, family_id: int, purpose: str) -> QuerySet[Referral]:
    """The referrals from a family's work that the user may see (the family page's section), newest first."""
    referrals = Referral.objects.filter(family_id=family_id).select_related("subject", "owner_agency", "recorded_by")
    return policy.permitted(user, referrals, purpose).order_by("-referral_date", "-pk")


def of_screens(user: User, screening_result_ids: list[int], purpose: str) -> dict[int, Referral]:
    """The referral each of these screens led to, where the user may see it: a screen shown as referred is not
    referred twice."""
    referrals = Referral.objects.filter(screening_result_id__in=screening_result_ids).select_related("owner_agency")
    return {referral.screening_result_id: referral for referral in policy.permitted(user, referrals, purpose)}


def of_screen(user: User, screening_result: Any, purpose: str) -> Referral | None:
    """The referral one screen led to, where the user may see it."""
    return of_screens(user, [screening_result.pk], purpose).get(screening_result.pk)


def is_referrer(user: User, referral: Referral) -> bool:
    """Whether the user's agency sent the referral and she works cases: she is the one to act on its answer."""
    return bool(user.agency_id and user.agency_id == referral.referring_agency_id and user.works_cases)


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
    return engagement_signals(user, [referral_view(user, referral, purpose, today=today)], purpose, today=today)[
        referral.pk
    ]


def engagement_signals(user: Any, views: list[ReferralView], purpose: str, *, today: date) -> dict[int, str]:
    """Each referral's engagement signal, from the steps in its view and the treatment records the user may see
    (episodes, discharge summaries, recent attendance): the same few queries for one referral or a page."""
    referrals = [view.referral for view in views]
    if not referrals:
        return {}
    episodes = [
        episode
        for episode in policy.read(
            user,
            TreatmentEpisode.objects.filter(
                owner_agency_id__in={r.owner_agency_id for r in referrals},
                subject_id__in={r.subject_id for r in referrals},
            ).order_by("-admission_date", "-pk"),
            purpose,
        )
        if isinstance(episode, TreatmentEpisode)
    ]
    ended = [episode.pk for episode in episodes if episode.discharge_date]
    completed = {
        summary.episode_id
        for summary in policy.read(user, DischargeSummary.objects.filter(episode_id__in=ended), purpose)
        if isinstance(summary, DischargeSummary) and summary.reason == "completed"
    }
    recent = policy.read(
        user,
        Attendance.objects.filter(
            episode_id__in=[episode.pk for episode in episodes if not episode.discharge_date],
            session_date__gte=today - timedelta(days=ATTENDING_WINDOW_DAYS),
        ),
        purpose,
    )
    attendance: dict[int, list[str]] = {}
    for session in recent:
        if isinstance(session, Attendance):
            attendance.setdefault(session.episode_id, []).append(session.status)
    return {view.referral.pk: _signal(view, episodes, completed, attendance) for view in views}


def _signal(
    view: ReferralView, episodes: list[TreatmentEpisode], completed: set[int], attendance: dict[int, list[str]]
) -> str:
    referral = view.referral
    if view.status in (ReferralStatus.DECLINED, ReferralStatus.NOT_ENGAGED):
        return Signal.DISENGAGED
    since = [
        e
        for e in episodes
        if e.owner_agency_id == referral.owner_agency_id
        and e.subject_id == referral.subject_id
        and e.admission_date >= referral.referral_date
    ]
    if not since:
        return Signal.ADMITTED if view.status == ReferralStatus.ADMITTED else Signal.REFERRED
    episode = since[0]
    if episode.discharge_date:
        return Signal.COMPLETED if episode.pk in completed else Signal.DISENGAGED
    sessions = attendance.get(episode.pk, [])
    if AttendanceStatus.ATTENDED in sessions:
        return Signal.ATTENDING
    return Signal.DISENGAGED if sessions else Signal.ADMITTED
