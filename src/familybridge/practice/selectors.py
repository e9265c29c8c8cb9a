"""Reads of the partnership's workspace. Views check membership (access.py) before calling these."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from familybridge.agencies.models import Agency, Partnership, User
from familybridge.practice.analysis import Response
from familybridge.practice.elements import ELEMENTS, Element, Level, default_benchmark
from familybridge.practice.models import (
    SYSTEM_OF_AGENCY_KIND,
    Acknowledgement,
    ActionPlan,
    Answer,
    AssessmentRound,
    Benchmark,
    Committee,
    Completion,
    Course,
    ElementStanding,
    Instrument,
    Meeting,
    Objective,
    Protocol,
    ProtocolVersion,
    RoundCode,
    RoundStatus,
    System,
    Task,
    TaskStatus,
)


@dataclass(frozen=True)
class MatrixRow:
    element: Element
    benchmarks: list[tuple[str, str, bool]]  # (level label, text, written by the partnership)
    standing: ElementStanding | None


def matrix(partnership: Partnership) -> list[MatrixRow]:
    """The ten elements with the partnership's benchmark text (or ours) and where it stands."""
    custom = {(b.element, b.level): b.text for b in Benchmark.objects.filter(partnership=partnership)}
    standings = {
        s.element: s for s in ElementStanding.objects.filter(partnership=partnership).select_related("updated_by")
    }
    rows = []
    for element in ELEMENTS:
        benchmarks = [
            (
                label,
                custom.get((element.id, level), default_benchmark(element.id, level)),
                (element.id, level) in custom,
            )
            for level, label in Level.choices
        ]
        rows.append(MatrixRow(element, benchmarks, standings.get(element.id)))
    return rows


def instruments_for(partnership: Partnership) -> QuerySet[Instrument]:
    return (
        Instrument.objects.filter(Q(partnership=None) | Q(partnership=partnership))
        .annotate(item_count=Count("items"))
        .order_by("partnership_id", "name")
    )


def rounds_of(partnership: Partnership) -> QuerySet[AssessmentRound]:
    return (
        AssessmentRound.objects.filter(partnership=partnership)
        .select_related("instrument")
        .annotate(respondent_count=Count("respondents"))
    )


def round_responses(assessment_round: AssessmentRound) -> list[Response]:
    """The round's answers in the shape the analysis reads; respondent ids are random and stay internal."""
    rows = Answer.objects.filter(respondent__round=assessment_round).values_list(
        "respondent_id", "respondent__system", "item__code", "score", "item__element"
    )
    return [
        Response(str(respondent), system, code, score, element) for respondent, system, code, score, element in rows
    ]


def previous_round(assessment_round: AssessmentRound) -> AssessmentRound | None:
    """The last closed round of the same instrument in the same partnership before this one."""
    return (
        AssessmentRound.objects.filter(
            partnership=assessment_round.partnership_id,
            instrument=assessment_round.instrument_id,
            status=RoundStatus.CLOSED,
        )
        .filter(
            Q(opened_on__lt=assessment_round.opened_on)
            | Q(opened_on=assessment_round.opened_on, pk__lt=assessment_round.pk)
        )
        .order_by("-opened_on", "-pk")
        .first()
    )


def respondents_by_system(assessment_round: AssessmentRound) -> dict[str, int]:
    counts = assessment_round.respondents.values("system").annotate(n=Count("id")).order_by("system")
    return {row["system"]: row["n"] for row in counts}


@dataclass(frozen=True)
class CodeSummary:
    issued: int
    used: int
    batches: list[tuple[int, int]]  # (batch number, codes in it)


def code_summary(assessment_round: AssessmentRound) -> CodeSummary:
    """How many codes the round has and how many were used, never which: that would show who answered."""
    batches = list(
        assessment_round.codes.values("batch").annotate(n=Count("id")).order_by("batch").values_list("batch", "n")
    )
    used = assessment_round.codes.filter(used=True).count()
    return CodeSummary(sum(n for _, n in batches), used, batches)


def batch_codes(assessment_round: AssessmentRound, batch: int) -> QuerySet[RoundCode]:
    return assessment_round.codes.filter(batch=batch).only("code", "round")


def score_distribution(assessment_round: AssessmentRound, item_codes: list[str] | None = None) -> Counter:
    """How many answers each system gave at each score point, over all items or the ones named."""
    answers = Answer.objects.filter(respondent__round=assessment_round)
    if item_codes is not None:
        answers = answers.filter(item__code__in=item_codes)
    rows = answers.values("item__code", "respondent__system", "score").annotate(n=Count("id"))
    return Counter({(row["item__code"], row["respondent__system"], row["score"]): row["n"] for row in rows})


def action_plans_of(partnership: Partnership) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(partnership=partnership).select_related("based_on_round")


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    tasks: list[Task]


def action_board(plan: ActionPlan, today: date) -> tuple[list[Objective], list[BoardColumn], int]:
    """The plan's objectives, its tasks by status, and how many are overdue (each task knows if it is)."""
    objectives = list(
        plan.objectives.prefetch_related(Prefetch("tasks", queryset=Task.objects.select_related("owner_agency")))
    )
    tasks = [task for objective in objectives for task in objective.tasks.all()]
    for objective in objectives:
        for task in objective.tasks.all():
            task.objective = objective
    overdue = 0
    for task in tasks:
        task.overdue = task.is_overdue(today)
        overdue += task.overdue
    columns = [
        BoardColumn(
            status,
            label,
            sorted((t for t in tasks if t.status == status), key=lambda t: (not t.overdue, t.due_on or date.max)),
        )
        for status, label in TaskStatus.choices
    ]
    return objectives, columns, overdue


def overdue_tasks(partnership: Partnership, today: date) -> QuerySet[Task]:
    return Task.objects.filter(objective__plan__partnership=partnership, due_on__lt=today).exclude(
        status=TaskStatus.DONE
    )


def open_tasks(partnerships: QuerySet[Partnership], *, owner_agency_id: int | None = None) -> QuerySet[Task]:
    """The action plan tasks with a due date that are not done, soonest first; only one agency's when given."""
    tasks = Task.objects.filter(objective__plan__partnership__in=partnerships, due_on__isnull=False).exclude(
        status=TaskStatus.DONE
    )
    if owner_agency_id is not None:
        tasks = tasks.filter(owner_agency_id=owner_agency_id)
    return tasks.select_related("owner_agency", "objective__plan__partnership").order_by("due_on", "pk")


def protocols_of(partnership: Partnership) -> QuerySet[Protocol]:
    return (
        Protocol.objects.filter(partnership=partnership)
        .select_related("agency")
        .prefetch_related(Prefetch("versions", queryset=ProtocolVersion.objects.select_related("published_by")))
    )


def unacknowledged_versions(user: User, partnership: Partnership) -> list[ProtocolVersion]:
    """The current version of each other agency's protocol that the user has not yet acknowledged."""
    read = set(Acknowledgement.objects.filter(user=user).values_list("version_id", flat=True))
    pending = []
    for protocol in protocols_of(partnership).exclude(agency=user.agency_id):
        current = protocol.versions.all()[0] if protocol.versions.all() else None
        if current is not None and current.pk not in read:
            pending.append(current)
    return pending


def member_staff(partnership: Partnership) -> QuerySet[User]:
    return User.objects.filter(agency__in=partnership.agencies.all(), is_active=True).select_related("agency")


@dataclass(frozen=True)
class Coverage:
    protocol: Protocol
    version: ProtocolVersion
    per_agency: list[tuple[Agency, int, int]]  # agency, staff who acknowledged, staff expected
    acknowledged: int
    expected: int

    @property
    def share(self) -> float:
        return self.acknowledged / self.expected if self.expected else 0.0


def protocol_coverage(partnership: Partnership) -> list[Coverage]:
    """For each protocol's current version: how many staff of the other agencies have read it."""
    staff_by_agency = Counter(member_staff(partnership).values_list("agency_id", flat=True))
    agencies = list(partnership.agencies.all())
    coverage = []
    for protocol in protocols_of(partnership):
        versions = protocol.versions.all()
        if not versions:
            continue
        current = versions[0]
        read_by_agency = Counter(
            current.acknowledgements.filter(user__is_active=True).values_list("user__agency_id", flat=True)
        )
        per_agency = [
            (agency, read_by_agency[agency.pk], staff_by_agency[agency.pk])
            for agency in agencies
            if agency.pk != protocol.agency_id
        ]
        coverage.append(
            Coverage(protocol, current, per_agency, sum(a for _, a, _ in per_agency), sum(e for _, _, e in per_agency))
        )
    return coverage


def courses_for(partnership: Partnership) -> QuerySet[Course]:
    return Course.objects.filter(Q(partnership=None) | Q(partnership=partnership)).annotate(
        completion_count=Count("completions", filter=Q(completions__user__agency__in=partnership.agencies.all()))
    )


def completions_of(user: User) -> QuerySet[Completion]:
    return Completion.objects.filter(user=user).select_related("course")


def system_of(agency: Agency) -> str:
    return SYSTEM_OF_AGENCY_KIND.get(agency.kind, System.OTHER)


@dataclass(frozen=True)
class TrainedShare:
    system: str
    label: str
    staff: int
    trained: int

    @property
    def share(self) -> float:
        return self.trained / self.staff if self.staff else 0.0


def trained_share_by_system(partnership: Partnership) -> list[TrainedShare]:
    """Element 8's evidence: the share of each system's active staff with at least one cross-training course."""
    staff = Counter()
    trained = Counter()
    completed = set(Completion.objects.values_list("user_id", flat=True).distinct())
    for user in member_staff(partnership):
        system = system_of(user.agency)
        staff[system] += 1
        trained[system] += user.pk in completed
    return [TrainedShare(code, label, staff[code], trained[code]) for code, label in System.choices if staff[code]]


def staff_training(staff: list[User]) -> list[tuple[User, list[Completion]]]:
    """Completions per staff member (a page of `member_staff`, for coordinators): one query for the page."""
    completions = Completion.objects.filter(user__in=staff).select_related("course")
    by_user: dict[int, list[Completion]] = {}
    for completion in completions:
        by_user.setdefault(completion.user_id, []).append(completion)
    return [(user, by_user.get(user.pk, [])) for user in staff]


def committees_of(partnership: Partnership) -> QuerySet[Committee]:
    return Committee.objects.filter(partnership=partnership).prefetch_related(
        "members__user__agency",
        Prefetch("meetings", queryset=Meeting.objects.prefetch_related("decisions")),
    )
