"""The home page's to-do list: what a staff member has to do next, each with its due date and a link to act.

Items are gathered from the other apps' selectors, each read through the policy point for the viewer and
purpose, and written only from what the viewer may see (a person's name from a record they may see, a family's
name only where they may open its page). A supervising role (who sees the whole agency) also gets the team's
items, but only those already overdue, with the colleague who works them; the duties of the supervisor's own
post (a program's intake, the court's calendar, safety flags awaiting follow-up, verifying consents, approving
agreements) are theirs in full.
A fixed number of queries whatever the number of items.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import SCREENING_ROLES, SUPERVISING_ROLES, AgencyKind, Role
from familybridge.agencies.selectors import partnerships_of
from familybridge.audit.services import note_read
from familybridge.cases.clocks import FIFTEEN_OF_22, PERMANENCY_HEARING, Clock, Level
from familybridge.cases.models import Hearing, HearingType
from familybridge.cases.selectors import clocks_of_families
from familybridge.consent import access, policy
from familybridge.consent import selectors as consent_selectors
from familybridge.consent.policy import caseload_subjects, reads_for
from familybridge.courts.models import CourtReport
from familybridge.courts.selectors import may_see_docket
from familybridge.dates import us_date, us_time
from familybridge.intake import selectors as intake_selectors
from familybridge.messaging.models import CommunicationProtocol, DecisionPoint, Frequency
from familybridge.messaging.selectors import ReportStatus, scheduled_reports
from familybridge.people import selectors as people_selectors
from familybridge.people.models import CaseloadAssignment, Family, Person
from familybridge.practice.selectors import open_tasks
from familybridge.referrals.models import Referral, ReferralStatus, ReferralStep
from familybridge.referrals.selectors import awaiting_next_action, targets_for_agency, worklist
from familybridge.referrals.timeliness import add_business_days
from familybridge.screening import selectors as screening_selectors

THIS_WEEK_DAYS = 7  # today and the six days after it
CLOCK_NEARING_DAYS = 30
COURT_REPORT_WINDOW_DAYS = 14

# Which hearings a report "before each hearing" is for, by the protocol's decision point (SAFERR pathways).
HEARINGS_OF_DECISION_POINT: dict[str, frozenset[str]] = {
    DecisionPoint.COURT_SHELTER: frozenset({HearingType.SHELTER}),
    DecisionPoint.COURT_REVIEW: frozenset({HearingType.REVIEW, HearingType.FTC}),
    DecisionPoint.COURT_PERMANENCY: frozenset({HearingType.PERMANENCY}),
}


class Urgency:
    OVERDUE = "overdue"
    THIS_WEEK = "this-week"
    LATER = "later"


GROUP_TITLES = {Urgency.OVERDUE: "Overdue", Urgency.THIS_WEEK: "This week", Urgency.LATER: "Later"}


@dataclass
class Item:
    """One thing to do: what, about whom (as far as the viewer may see), by when, and where to do it.

    `event` items are things that happen on their day (a hearing, an assessment) rather than deadlines.
    `subject_id` and `family_id` say whose item it is, so a supervisor's team items can be told from theirs.
    """

    kind: str
    what: str
    whom: str
    due: date
    link: str
    detail: str = ""
    event: bool = False
    subject_id: int | None = None
    family_id: int | None = None
    team: str = ""  # for a supervisor: who of the team works it
    due_at: datetime | None = None  # a deadline at a moment (a safety flag's 24 hours): overdue from then on

    def past_due_at(self) -> bool:
        return self.due_at is not None and timezone.now() > self.due_at

    def urgency(self, today: date) -> str:
        if self.due < today or self.past_due_at():
            return Urgency.OVERDUE
        return Urgency.THIS_WEEK if self.due < today + timedelta(days=THIS_WEEK_DAYS) else Urgency.LATER

    def due_words(self, today: date) -> str:
        """The due date in words that do not rely on color: "Overdue by 3 days", "Due today", "Thursday 10 Dec"."""
        days = (self.due - today).days
        if days < 0:
            return f"Overdue by {-days} day{'s' if days < -1 else ''}"
        if self.past_due_at():
            return f"Overdue since {us_time(timezone.localtime(self.due_at))}"
        prefix = "" if self.event else "Due "
        if days == 0:
            return f"{prefix}today".capitalize()
        if days == 1:
            return f"{prefix}tomorrow".capitalize()
        year = f", {self.due.year}" if self.due.year != today.year else ""
        return f"{prefix}{self.due:%a}, {self.due:%b} {self.due.day}{year}"


@dataclass
class Row:
    item: Item
    urgency: str
    due_words: str


@dataclass
class Group:
    key: str
    title: str
    rows: list[Row]


@dataclass
class Worklist:
    today: date
    items: list[Item]
    assign_count: int = 0  # referrals waiting in the program's intake for a counselor

    @property
    def groups(self) -> list[Group]:
        rows: dict[str, list[Row]] = {key: [] for key in GROUP_TITLES}
        for item in sorted(self.items, key=lambda i: (i.due, i.kind, i.whom)):
            urgency = item.urgency(self.today)
            rows[urgency].append(Row(item, urgency, item.due_words(self.today)))
        return [Group(key, GROUP_TITLES[key], found) for key, found in rows.items() if found]

    @property
    def overdue_count(self) -> int:
        return sum(item.urgency(self.today) == Urgency.OVERDUE for item in self.items)


@dataclass
class Viewer:
    """Who the list is for, and what the gatherers need to know of them (read once)."""

    user: Any
    purpose: str
    today: date
    families: dict[int, str]  # the families the viewer may open, by id: their names may be shown
    mine: set[int]  # the people the viewer is assigned to today (their families' members, their clients)
    reads: bool = field(init=False)

    def __post_init__(self) -> None:
        self.reads = reads_for(self.user, self.purpose)

    @property
    def supervises(self) -> bool:
        return bool(self.user.role_codes & SUPERVISING_ROLES)

    def whom(self, person: Person | str, family_id: int | None) -> str:
        family = self.families.get(family_id) if family_id else None
        return f"{person}, {family}" if family else str(person)


def worklist_for(user: Any, purpose: str, *, today: date) -> Worklist:
    """The viewer's to-do list on a day: every item gatherer below, each as far as the policy point allows."""
    viewer = _viewer(user, purpose, today)
    items: list[Item] = []
    team: list[Item] = []
    for gather, for_post in GATHERERS:
        for item in gather(viewer):
            if for_post or item.subject_id is None or item.subject_id in viewer.mine or not viewer.supervises:
                items.append(item)
            elif item.urgency(today) == Urgency.OVERDUE:
                team.append(item)
    _name_colleagues(viewer, team)
    assign_count = sum(item.kind == TO_ASSIGN for item in items)
    return Worklist(today, items + team, assign_count)


def _viewer(user: Any, purpose: str, today: date) -> Viewer:
    if not reads_for(user, purpose):
        return Viewer(user, purpose, today, {}, set())
    families = dict(people_selectors.families_visible_to(user, purpose).values_list("pk", "name"))
    in_families, clients = caseload_subjects(user, today)
    mine = set(Person.objects.filter(Q(pk__in=in_families) | Q(pk__in=clients)).values_list("pk", flat=True))
    return Viewer(user, purpose, today, families, mine)


def _name_colleagues(viewer: Viewer, team: list[Item]) -> None:
    """Say who of the supervisor's agency works each team item: their assignment to the family or the client."""
    if not team:
        return
    families = {item.family_id for item in team if item.family_id}
    subjects = {item.subject_id for item in team}
    assignments = (
        CaseloadAssignment.objects.filter(staff__agency_id=viewer.user.agency_id)
        .filter(Q(family_id__in=families, client=None) | Q(client_id__in=subjects))
        .in_effect(viewer.today)
        .select_related("staff")
        .order_by("staff__last_name", "staff__first_name")
    )
    by_family: dict[int, list[str]] = {}
    by_client: dict[int, list[str]] = {}
    for assignment in assignments:
        if assignment.client_id:
            by_client.setdefault(assignment.client_id, []).append(str(assignment.staff))
        else:
            by_family.setdefault(assignment.family_id, []).append(str(assignment.staff))
    for item in team:
        names = by_client.get(item.subject_id) or by_family.get(item.family_id) or []
        item.team = f"Team: {', '.join(dict.fromkeys(names))}" if names else "Team: not assigned to anyone"


# Referrals: the program's intake and the closed loop (program staff).

TO_ANSWER, TO_ASSIGN, TO_SCHEDULE, ASSESSMENT = "Referral", "To assign", "Assessment to schedule", "Assessment"
OPEN_STATUSES = (
    ReferralStatus.RECEIVED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.ASSESSMENT_SCHEDULED,
    ReferralStatus.ASSESSED,
)


def _referral_items(viewer: Viewer) -> list[Item]:
    """Referrals to answer (accept or decline) within the partnership's business days, unassigned ones for the
    supervisor to assign, accepted ones whose assessment is to be scheduled, and assessments coming up."""
    user = viewer.user
    if not viewer.reads or user.agency.kind != AgencyKind.SUD_TREATMENT:
        return []
    # The program's own latest step (its owner, subject and category are the referral's: as open as the referral
    # to the program's staff), and whether anyone of the program works the referral today.
    latest = ReferralStep.objects.filter(referral=OuterRef("pk")).order_by("-occurred_at", "-pk")
    working = CaseloadAssignment.objects.filter(
        about_type=ContentType.objects.get_for_model(Referral), about_id=OuterRef("pk")
    ).in_effect(viewer.today)
    # Only referrals in familybridge's closed loop (received here, with their steps): an agency's extract imports
    # its past referrals without steps, and those were answered in its own system.
    referrals = (
        worklist(user, viewer.purpose, today=viewer.today)
        .filter(current_status__in=OPEN_STATUSES)
        .annotate(scheduled_for=Subquery(latest.values("scheduled_for")[:1]), assigned=Exists(working))
    )
    targets = targets_for_agency(user.agency_id)
    items = []
    for referral in referrals:
        status = referral.current_status
        link = reverse("referrals:detail", args=[referral.pk])
        about = {"subject_id": referral.subject_id, "family_id": referral.family_id, "link": link}
        whom = viewer.whom(referral.subject, referral.family_id)
        answer_by = add_business_days(referral.referral_date, targets.respond_business_days)
        source = referral.referring_agency.name if referral.referring_agency else referral.get_source_display()
        if not referral.assigned and viewer.supervises:
            to_assign = {**about, "link": reverse("referrals:intake-assign", args=[referral.pk])}
            items.append(Item(TO_ASSIGN, "Assign a counselor", whom, answer_by, detail=f"From {source}", **to_assign))
        if status == ReferralStatus.RECEIVED:
            detail = f"From {source}; answer within {targets.respond_business_days} business days"
            items.append(Item(TO_ANSWER, "Accept or decline the referral", whom, answer_by, detail=detail, **about))
        elif status == ReferralStatus.ACCEPTED:
            assess_by = referral.referral_date + timedelta(days=targets.assess_days)
            detail = f"To be assessed within {targets.assess_days} days of the referral"
            items.append(Item(TO_SCHEDULE, "Schedule the assessment", whom, assess_by, detail=detail, **about))
        elif status == ReferralStatus.ASSESSMENT_SCHEDULED and referral.scheduled_for:
            past = referral.scheduled_for < viewer.today
            what = "Record the assessment" if past else "Assessment"
            items.append(Item(ASSESSMENT, what, whom, referral.scheduled_for, event=not past, **about))
    return items


FOLLOW_UP = "Referral to follow up"


def _referral_follow_up_items(viewer: Viewer) -> list[Item]:
    """The referrer's next action after the program declined her referral or the client did not engage: refer
    elsewhere or close the follow-up, within the partnership's business days for answering a referral. Only where
    she may see that step (the policy point); a supervisor sees her team's once overdue."""
    if not viewer.reads or not viewer.user.works_cases:
        return []
    items = []
    days: dict[int, int] = {}  # each program's partnership's business days to answer a referral
    for view in awaiting_next_action(viewer.user, viewer.purpose, today=viewer.today):
        referral = view.referral
        if referral.owner_agency_id not in days:
            days[referral.owner_agency_id] = targets_for_agency(referral.owner_agency_id).respond_business_days
        answered = timezone.localdate(view.steps[-1].occurred_at)
        items.append(
            Item(
                FOLLOW_UP,
                view.next_action,
                viewer.whom(referral.subject, referral.family_id),
                add_business_days(answered, days[referral.owner_agency_id]),
                reverse("referrals:detail", args=[referral.pk]),
                subject_id=referral.subject_id,
                family_id=referral.family_id,
            )
        )
    return items


# Reports owed to partners: the protocol's scheduled reports, and court reports before hearings.

REPORT, COURT_REPORT = "Report due", "Court report"


def _scheduled_report_items(viewer: Viewer) -> list[Item]:
    """Progress reports the viewer's agency owes under the communication protocol, not yet sent."""
    if not viewer.reads:
        return []
    reports = scheduled_reports(
        viewer.user, viewer.purpose, on=viewer.today, status=ReportStatus.UNSENT, owed_by=viewer.user.agency_id
    )
    link = reverse("messaging:reports")
    return [
        Item(
            REPORT,
            f"Send the {report.protocol.information.lower()} for {report.period_start:%B %Y}",
            viewer.whom(report.subject, report.family_id),
            report.due_on,
            link,
            detail="To " + ", ".join(agency.name for agency in report.protocol.to_agencies.all()),
            subject_id=report.subject_id,
            family_id=report.family_id,
        )
        for report in reports.prefetch_related("protocol__to_agencies")
    ]


def _court_report_items(viewer: Viewer) -> list[Item]:
    """Reports the protocol expects the viewer's agency to file before hearings in the next 14 days."""
    user = viewer.user
    if not viewer.reads or user.agency.kind == AgencyKind.COURT:
        return []
    protocols = list(
        CommunicationProtocol.objects.filter(
            partnership__agencies=user.agency_id, frequency=Frequency.BEFORE_HEARING, from_agency_kind=user.agency.kind
        ).prefetch_related("to_agencies")
    )
    expected = [
        (
            protocol,
            {agency.pk for agency in protocol.to_agencies.all()},
            HEARINGS_OF_DECISION_POINT[protocol.decision_point],
        )
        for protocol in protocols
        if protocol.decision_point in HEARINGS_OF_DECISION_POINT
    ]
    if not expected:
        return []
    types = set().union(*(kinds for _, _, kinds in expected))
    filed = CourtReport.objects.filter(hearing=OuterRef("pk"), author__agency_id=user.agency_id, sent_at__isnull=False)
    hearings = (
        Hearing.objects.filter(
            hearing_date__gte=viewer.today,
            hearing_date__lte=viewer.today + timedelta(days=COURT_REPORT_WINDOW_DAYS),
            hearing_type__in=types,
        )
        .exclude(Exists(filed))
        .select_related("subject", "court_case")
    )
    items = []
    for hearing in policy.permitted(user, hearings, viewer.purpose).order_by("hearing_date"):
        for protocol, courts, kinds in expected:
            if hearing.owner_agency_id in courts and hearing.hearing_type in kinds:
                items.append(
                    Item(
                        COURT_REPORT,
                        f"Court report for the {hearing.get_hearing_type_display().lower()} on "
                        f"{hearing.hearing_date:%a}, {hearing.hearing_date:%b} {hearing.hearing_date.day}",
                        viewer.whom(hearing.subject, hearing.court_case.family_id),
                        hearing.hearing_date - timedelta(days=protocol.due_within_days),
                        reverse("courts:prepare", args=[hearing.pk]),
                        detail=f"{protocol.information}, {protocol.due_within_days} days before the hearing",
                        subject_id=hearing.subject_id,
                        family_id=hearing.court_case.family_id,
                    )
                )
                break
    return items


# Hearings this week.

HEARING = "Hearing"


def _hearing_items(viewer: Viewer) -> list[Item]:
    """The hearings of the next seven days the viewer may see, with their time and courtroom. The court's own
    judges and coordinator act from the docket; others from the family's page."""
    user = viewer.user
    if not viewer.reads:
        return []
    hearings = Hearing.objects.filter(
        hearing_date__gte=viewer.today, hearing_date__lt=viewer.today + timedelta(days=THIS_WEEK_DAYS)
    ).select_related("subject", "court_case")
    docket = may_see_docket(user)
    items = []
    for hearing in policy.permitted(user, hearings, viewer.purpose):
        family_id = hearing.court_case.family_id
        if docket and hearing.owner_agency_id == user.agency_id:
            link = f"{reverse('courts:docket')}?view=day&date={hearing.hearing_date.isoformat()}"
        else:
            link = reverse("web:family-detail", args=[family_id]) if family_id in viewer.families else ""
        when = [f"{hearing.hearing_time:%I:%M %p}".lstrip("0")] if hearing.hearing_time else ["time not set"]
        where = [hearing.courtroom] if hearing.courtroom else []
        items.append(
            Item(
                HEARING,
                hearing.get_hearing_type_display(),
                viewer.whom(hearing.subject, family_id),
                hearing.hearing_date,
                link,
                detail=", ".join([*when, *where, f"case {hearing.court_case.docket_number}"]),
                event=True,
                # the court's own calendar is its judges' and coordinator's post, not a team's item
                subject_id=None if hearing.owner_agency_id == user.agency_id else hearing.subject_id,
                family_id=family_id,
            )
        )
    return items


# Clocks nearing a deadline: the permanency hearing and 15 of the most recent 22 months (ASFA).

CLOCK = "Clock"


def _clock_items(viewer: Viewer) -> list[Item]:
    user = viewer.user
    if not viewer.reads:
        return []
    # The families they work; for a supervising role, every open family of theirs they may open.
    worked = Q(pk__in=people_selectors.caseload_families(user, viewer.today).values("pk"))
    if user.sees_whole_agency:
        worked |= Q(pk__in=people_selectors.families_visible_to(user, viewer.purpose).values("pk"))
    families = set(Family.objects.filter(worked, closed_on=None).values_list("pk", flat=True))
    horizon = viewer.today + timedelta(days=CLOCK_NEARING_DAYS)
    items = []
    clocks = clocks_of_families(user, families, viewer.purpose, on=viewer.today, recovery=False)
    for family_id, members in clocks.items():
        link = reverse("web:family-detail", args=[family_id]) if family_id in viewer.families else ""
        for member in members:
            for clock in member.clocks:
                item = _clock_item(clock, viewer.today, horizon)
                if item is not None:
                    what, detail = item
                    whom = viewer.whom(member.name, family_id)
                    items.append(
                        Item(
                            CLOCK,
                            what,
                            whom,
                            clock.deadline,
                            link,
                            detail=detail,
                            subject_id=member.person_id,
                            family_id=family_id,
                        )
                    )
    return items


def _clock_item(clock: Clock, today: date, horizon: date) -> tuple[str, str] | None:
    """What an ASFA clock asks for when its deadline is past or within 30 days; None otherwise (and for the
    recovery and developmental clocks, which have no deadline)."""
    if clock.deadline is None or clock.deadline > horizon:
        return None
    if clock.name == PERMANENCY_HEARING:
        return "Permanency hearing due", "Within 12 months of entering foster care, then every 12 months"
    if clock.name == FIFTEEN_OF_22:
        if clock.deadline > today:
            return "Reaches 15 of the most recent 22 months in care", clock.headline
        if clock.level == Level.DUE:  # reached, and no exception documented
            return "15 of the most recent 22 months in care: file the petition or document an exception", (
                clock.headline
            )
    return None


# Safety flags from screening.

SAFETY = "Safety flag"


def _safety_items(viewer: Viewer) -> list[Item]:
    """Safety flags (a PHQ-9 item 9 or EPDS item 10 answered above zero, or impairment observed) that no follow-up
    the viewer may see has closed yet, for the staff who screen parents. Each is due within 24 hours of being raised
    and overdue after. A supervisor has every flag of the agency she may see, at once: they are her post's duty."""
    user = viewer.user
    if not viewer.reads or not user.has_role(*SCREENING_ROLES):
        return []
    displays = {
        flag.code: flag.display
        for instrument in screening_selectors.instruments_for(screening_selectors.partnership_of(user.agency)).values()
        for flag in instrument.flags
    }
    items = []
    for result in screening_selectors.flags_awaiting_follow_up(user, viewer.purpose):
        reasons = [displays.get(code, code) for code in result.flags] + [f"observed {o}" for o in result.observed]
        flagged_at = timezone.localtime(result.created_at)
        due_at = flagged_at + screening_selectors.FOLLOW_UP_WITHIN
        flagged = f"Flagged {us_date(flagged_at.date())}, {us_time(flagged_at)}"
        items.append(
            Item(
                SAFETY,
                f"Follow up and record it: {result.instrument_title}",
                viewer.whom(result.subject, result.family_id),
                due_at.date(),
                reverse("screening:result", args=[result.pk]),
                detail=f"{'; '.join(reasons).capitalize()}. {flagged}",
                subject_id=result.subject_id,
                family_id=result.family_id,
                due_at=due_at,
            )
        )
    return items


# Awaiting the viewer's agency: consents to verify, agreements to approve.

VERIFY, APPROVE = "To verify", "To approve"


def _verification_items(viewer: Viewer) -> list[Item]:
    """Consents naming the viewer's agency as discloser that wait for its verification, to answer within the
    partnership's business days for answering a referral."""
    user = viewer.user
    if not access.may_verify_consents(user):
        return []
    consents = list(consent_selectors.consents_awaiting_verification(user, viewer.today))
    if not consents:
        return []
    # Consents are not protected records: the queue's read is audited here, as the queue page does.
    note_read(consents[0]._meta.label_lower, [consent.pk for consent in consents], viewer.purpose)
    days = targets_for_agency(user.agency_id).respond_business_days
    return [
        Item(
            VERIFY,
            "Verify or reject a consent naming your agency",
            f"{consent.subject}, born {consent.subject.birth_date:%b} {consent.subject.birth_date.day}, "
            f"{consent.subject.birth_date.year}"
            if consent.subject.birth_date
            else str(consent.subject),
            add_business_days(consent.signed_at.date(), days),
            reverse("consent:verify", args=[consent.pk]),
            detail=f"Recorded by {consent.recorded_by or 'someone'}"
            + (f" at {consent.recorded_at_agency.name}" if consent.recorded_at_agency else ""),
        )
        for consent in consents
    ]


def _agreement_items(viewer: Viewer) -> list[Item]:
    """Agreements the viewer's agency is party to and has not approved: its administrators approve them."""
    user = viewer.user
    if not access.may_approve_agreement(user):
        return []
    items = []
    for agreement in consent_selectors.agreements_of(user, party=user.agency):
        if any(approval.agency_id == user.agency_id for approval in agreement.approvals.all()):
            continue
        items.append(
            Item(
                APPROVE,
                f"Approve or decline the agreement “{agreement.name}”",
                ", ".join(party.name for party in agreement.parties.all()),
                max(agreement.starts_on, agreement.created_at.date()),
                reverse("consent:agreement", args=[agreement.pk]),
                detail="It takes effect when every party has approved it",
            )
        )
    return items


# The partnership's action plans: coordinators see every open task; administrators and analysts their agency's.

TASK = "Action plan"


def _task_items(viewer: Viewer) -> list[Item]:
    user = viewer.user
    if user.works_cases or not user.agency_id:
        return []
    coordinator = Role.PARTNERSHIP_COORDINATOR in user.role_codes
    tasks = open_tasks(partnerships_of(user), owner_agency_id=None if coordinator else user.agency_id)
    return [
        Item(
            TASK,
            task.text,
            task.owner_agency.name,
            task.due_on,
            reverse("practice:plan", args=[task.objective.plan.partnership.slug, task.objective.plan_id]),
            detail=f"{task.objective.plan.title} · {task.get_status_display()}",
        )
        for task in tasks
    ]


# Each gatherer, and whether its items are the duties of the viewer's post (shown to a supervisor in full) or
# items about people (a supervisor sees the team's only when overdue).

INTAKE = "Intake"
INTAKE_QUEUES = (
    intake_selectors.reports_awaiting_screening,
    intake_selectors.decisions_awaiting_approval,
    intake_selectors.responses_due,
    intake_selectors.findings_due,
)


def _intake_items(viewer: Viewer) -> list[Item]:
    """Child welfare intake: reports to screen, screening decisions to approve, responses and findings due — each
    the viewer's own (the reports she received or investigates) or, for a supervisor, her agency's."""
    if not viewer.reads or viewer.user.agency_kind != AgencyKind.CHILD_WELFARE:
        return []
    items = []
    for tasks in INTAKE_QUEUES:
        for task in tasks(viewer.user, viewer.purpose):
            report = task.report
            items.append(
                Item(
                    INTAKE,
                    task.what,
                    viewer.whom(report.subject, report.family_id),
                    timezone.localdate(task.due) if isinstance(task.due, datetime) else task.due,
                    task.url,
                    detail=f"Report received {us_date(timezone.localdate(report.received_at))}",
                    subject_id=report.subject_id,
                    family_id=report.family_id,
                )
            )
    return items


GATHERERS: list[tuple[Callable[[Viewer], Iterable[Item]], bool]] = [
    (_intake_items, True),
    (_referral_items, True),
    (_referral_follow_up_items, False),
    (_scheduled_report_items, False),
    (_court_report_items, False),
    (_hearing_items, False),
    (_clock_items, False),
    (_safety_items, True),
    (_verification_items, True),
    (_agreement_items, True),
    (_task_items, True),
]
