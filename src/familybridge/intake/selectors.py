"""Reading intake through the policy point: the queue, a report and its workflow, a family's reports, and the to-do
items the home page lists (reports to screen, decisions to approve, responses and findings due), each with when it
is due. Every list is a constant number of queries, whatever its length."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import Role
from familybridge.consent import policy
from familybridge.dates import us_date, us_time
from familybridge.intake.models import (
    ACTIVE_STATUSES,
    SCREENING_STATUSES,
    Allegation,
    IntakeReport,
    InvestigationContact,
    ReportStatus,
    Review,
    ScreeningDecision,
)
from familybridge.people.models import CaseloadAssignment, Family

REPORT_RELATED = ("family", "owner_agency", "received_by", "subject", "decided_by")


def reports_visible_to(user: User, purpose: str) -> QuerySet[IntakeReport]:
    """The intake reports the policy point opens to the user for the purpose (bound: reading them is a read)."""
    return policy.permitted(user, IntakeReport.objects.select_related(*REPORT_RELATED), purpose)


def shows_reporter(user: User, report: IntakeReport) -> bool:
    """The reporter's name and contact are for the agency's own child welfare staff who see the report, no one else
    (whatever basis opens the report to another agency)."""
    return bool(
        user.agency_id == report.owner_agency_id and user.has_role(Role.CASEWORKER, Role.CW_SUPERVISOR)
    )


def _about_reports() -> ContentType:
    return ContentType.objects.get_for_model(IntakeReport)


def _investigations() -> QuerySet[CaseloadAssignment]:
    return CaseloadAssignment.objects.open().filter(about_type=_about_reports())


def worked_by(staff: User) -> Q:
    """Reports the staff member works now: investigating or assessing them, or, as the worker who received them,
    screening them until the decision is approved."""
    investigating = _investigations().filter(staff=staff).values("about_id")
    return Q(pk__in=investigating) | Q(received_by=staff, status__in=SCREENING_STATUSES)


# --- the queue --------------------------------------------------------------------------------------------------

# The queue's status filter: the active steps, each step, the finished ones, or all.
QUEUE_STATUSES = [
    ("active", "Every report still being worked"),
    (ReportStatus.AWAITING_SCREENING, "New reports awaiting screening"),
    (ReportStatus.AWAITING_APPROVAL, "Decisions awaiting approval"),
    (ReportStatus.RESPONDING, "Investigations and assessments"),
    (ReportStatus.FINDINGS_RECORDED, "Findings recorded: a case to open or the report to close"),
    (ReportStatus.CASE_OPENED, "Case opened"),
    (ReportStatus.CLOSED, "Closed"),
    ("all", "All reports"),
]


@dataclass(frozen=True)
class QueueFilter:
    status: str = "active"
    worker: User | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue_only: bool = False


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def queue(user: User, purpose: str, chosen: QueueFilter, *, now: datetime | None = None) -> QuerySet[IntakeReport]:
    """The reports the user may see, filtered, the most urgent first (what is due soonest, then the newest)."""
    now = now or timezone.now()
    reports = reports_visible_to(user, purpose)
    if chosen.status == "active":
        reports = reports.filter(status__in=ACTIVE_STATUSES)
    elif chosen.status in ReportStatus.values:
        reports = reports.filter(status=chosen.status)
    if chosen.worker is not None:
        reports = reports.filter(worked_by(chosen.worker))
    if chosen.received_from is not None:
        reports = reports.filter(received_at__gte=_start_of(chosen.received_from))
    if chosen.received_to is not None:
        reports = reports.filter(received_at__lt=_start_of(chosen.received_to + timedelta(days=1)))
    if chosen.overdue_only:
        reports = reports.filter(next_due_at__lt=now)
    return reports.order_by("next_due_at", "-received_at", "-pk")


def annotate_rows(user: User, purpose: str, reports: list[IntakeReport], *, now: datetime | None = None) -> None:
    """Give each report of a page what its row shows: its children, who works it, and what is due when. Two
    queries for the whole page."""
    now = now or timezone.now()
    ids = [report.pk for report in reports]
    children: dict[int, list[str]] = {}
    allegations = Allegation.objects.filter(report_id__in=ids).select_related("subject").order_by("pk")
    for allegation in policy.permitted(user, allegations, purpose):
        names = children.setdefault(allegation.report_id, [])
        if str(allegation.subject) not in names:
            names.append(str(allegation.subject))
    investigators: dict[int, list[User]] = {}
    for assignment in _investigations().filter(about_id__in=ids).select_related("staff"):
        investigators.setdefault(assignment.about_id, []).append(assignment.staff)
    for report in reports:
        report.children_names = children.get(report.pk, [])
        screening = [report.received_by] if report.status in SCREENING_STATUSES else []
        report.workers = investigators.get(report.pk, screening)
        report.next_what, report.next_due = report.next_step()
        report.due_words = describe_due(report.next_due, now) if report.next_due else ""
        report.is_overdue = bool(report.next_due_at and report.next_due_at < now)


def describe_due(due: datetime | date, now: datetime) -> str:
    """When a step is due, in words a worker reads at a glance: "due Mar 3, 2026, 2:00 PM (in 5 hours)",
    "due Mar 3, 2026 (overdue by 2 days)"."""
    if isinstance(due, datetime):
        local = timezone.localtime(due)
        written = f"{us_date(local.date())}, {us_time(local)}"
        hours = (due - now).total_seconds() / 3600
        return f"due {written} ({_distance(hours)})"
    days = (due - timezone.localdate(now)).days
    if days == 0:
        return f"due {us_date(due)} (today)"
    if days > 0:
        return f"due {us_date(due)} (in {_count(days, 'day')})"
    return f"due {us_date(due)} (overdue by {_count(-days, 'day')})"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def _distance(hours: float) -> str:
    late = hours < 0
    hours = abs(hours)
    if hours < 1:
        amount = _count(max(1, round(hours * 60)), "minute")
    elif hours < 48:
        amount = _count(int(hours), "hour")
    else:
        amount = _count(int(hours // 24), "day")
    return f"overdue by {amount}" if late else f"in {amount}"


# --- one report -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workflow:
    """What the report page shows of the report's steps, each read through the policy point."""

    decisions: list
    allegations: list
    contacts: list
    investigators: list[CaseloadAssignment]

    @property
    def pending_decision(self) -> ScreeningDecision | None:
        return next(
            (d for d in self.decisions if isinstance(d, ScreeningDecision) and d.review == Review.PENDING), None
        )

    @property
    def approved_decision(self) -> ScreeningDecision | None:
        return next(
            (d for d in self.decisions if isinstance(d, ScreeningDecision) and d.review == Review.APPROVED), None
        )

    def children(self) -> list:
        """The report's children (the subjects of its allegations the viewer may see), each once."""
        seen: dict[int, object] = {}
        for allegation in self.allegations:
            if isinstance(allegation, Allegation):
                seen.setdefault(allegation.subject_id, allegation.subject)
        return list(seen.values())

    def perpetrators(self) -> list:
        seen: dict[int, object] = {}
        for allegation in self.allegations:
            if isinstance(allegation, Allegation) and allegation.perpetrator_id:
                seen.setdefault(allegation.perpetrator_id, allegation.perpetrator)
        return list(seen.values())


def workflow(user: User, report: IntakeReport, purpose: str) -> Workflow:
    decisions = ScreeningDecision.objects.filter(report=report).select_related("proposed_by", "reviewed_by")
    allegations = Allegation.objects.filter(report=report).select_related("subject", "perpetrator")
    contacts = InvestigationContact.objects.filter(report=report).select_related("subject", "recorded_by")
    return Workflow(
        decisions=policy.read(user, decisions, purpose),
        allegations=policy.read(user, allegations, purpose),
        contacts=policy.read(user, contacts, purpose),
        investigators=list(_investigations().filter(about_id=report.pk).select_related("staff")),
    )


def reports_of_family(user: User, family: Family, purpose: str) -> list:
    """The family's intake reports as the policy point shows them to the user: each report or a Withheld marker."""
    reports = IntakeReport.objects.filter(family=family).select_related("subject").order_by("-received_at", "-pk")
    return policy.read(user, reports, purpose)


def staff_who_investigate(agency_id: int) -> QuerySet[User]:
    """The agency's active caseworkers and supervisors: who may be assigned a report to investigate or assess."""
    return (
        User.objects.filter(
            agency_id=agency_id, is_active=True, staff_roles__role__in=[Role.CASEWORKER, Role.CW_SUPERVISOR]
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def caseworkers_of(agency_id: int) -> QuerySet[User]:
    """The agency's active caseworkers: who may be given a family's case."""
    return (
        User.objects.filter(agency_id=agency_id, is_active=True, staff_roles__role=Role.CASEWORKER)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


# --- the home page's to-do list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeTask:
    """One thing to do about a report, and when it is due (a moment, or a day for findings)."""

    report: IntakeReport
    what: str
    due: datetime | date

    @property
    def url(self) -> str:
        return reverse("intake:report", args=[self.report.pk])

    def is_overdue(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if isinstance(self.due, datetime):
            return self.due < now
        return self.due < timezone.localdate(now)

    def due_words(self, now: datetime | None = None) -> str:
        return describe_due(self.due, now or timezone.now())


def _mine(user: User, reports: QuerySet[IntakeReport]) -> QuerySet[IntakeReport]:
    """Supervisors follow the whole agency's reports; other staff the reports they work."""
    return reports if user.has_role(Role.CW_SUPERVISOR) else reports.filter(worked_by(user))


def _tasks(reports: QuerySet[IntakeReport]) -> list[IntakeTask]:
    tasks = []
    for report in reports.order_by("next_due_at", "pk"):
        what, due = report.next_step()
        tasks.append(IntakeTask(report, what, due))
    return tasks


def reports_awaiting_screening(user: User, purpose: str) -> list[IntakeTask]:
    """Reports to screen: for a caseworker, those she received and works; for a supervisor, her agency's.
    Due a set time after receipt (models.SCREENING_HOURS)."""
    reports = reports_visible_to(user, purpose).filter(status=ReportStatus.AWAITING_SCREENING)
    return _tasks(_mine(user, reports))


def decisions_awaiting_approval(user: User, purpose: str) -> list[IntakeTask]:
    """Screening decisions a supervisor may approve: her agency's, except those she proposed (two people decide)."""
    if not user.has_role(Role.CW_SUPERVISOR):
        return []
    own_proposals = ScreeningDecision.objects.filter(review=Review.PENDING, proposed_by=user).values("report_id")
    reports = reports_visible_to(user, purpose).filter(status=ReportStatus.AWAITING_APPROVAL)
    return _tasks(reports.exclude(pk__in=own_proposals))


def responses_due(user: User, purpose: str) -> list[IntakeTask]:
    """Screened-in reports whose children have not been seen yet, due at the response time: the investigator's, or
    (for a supervisor) the agency's."""
    reports = reports_visible_to(user, purpose).filter(status=ReportStatus.RESPONDING, first_contact_at=None)
    return _tasks(_mine(user, reports))


def findings_due(user: User, purpose: str) -> list[IntakeTask]:
    """Reports whose children have been seen and whose findings are due on a day: the investigator's, or (for a
    supervisor) the agency's."""
    reports = reports_visible_to(user, purpose).filter(status=ReportStatus.RESPONDING).exclude(first_contact_at=None)
    return _tasks(_mine(user, reports))
