"""The demo partnership's collaborative practice: rounds with disagreeing systems, the Matrix,
an action plan with overdue tasks, protocols, training and committees. From a fixed seed; loading
it twice adds nothing."""

import random
from datetime import date, timedelta

from familybridge.agencies.models import Agency, Partnership, User
from familybridge.practice.builtin import CAPACITY_ASSESSMENT, VALUES_INVENTORY
from familybridge.practice.elements import Standing
from familybridge.practice.models import (
    Acknowledgement,
    ActionPlan,
    Answer,
    AssessmentRound,
    Benchmark,
    Committee,
    CommitteeKind,
    CommitteeMember,
    Completion,
    Course,
    CourseKind,
    Decision,
    ElementStanding,
    Instrument,
    Meeting,
    Objective,
    ObjectiveStatus,
    Protocol,
    ProtocolTopic,
    ProtocolVersion,
    Respondent,
    RespondentRole,
    RoundStatus,
    System,
    Task,
    TaskStatus,
)
from familybridge.practice.services import ensure_builtins

SEED = 20260611
CW, TX, COURT, OTHER = System.CHILD_WELFARE, System.TREATMENT, System.COURT, System.OTHER

# Where each system tends to stand on the statements they see differently (mean on the 1–5 scale).
# Statements not listed: broad agreement around 3.9.
VALUES_LEANINGS = {
    "V02": {CW: 3.3, TX: 1.5, COURT: 2.8, OTHER: 2.2},
    "V03": {CW: 2.7, TX: 4.7, COURT: 3.1, OTHER: 4.0},
    "V04": {CW: 2.4, TX: 3.9, COURT: 2.9, OTHER: 3.4},
    "V06": {CW: 4.6, TX: 3.3, COURT: 4.3, OTHER: 3.8},
    "V07": {CW: 4.4, TX: 2.6, COURT: 4.5, OTHER: 3.4},
    "V08": {CW: 3.6, TX: 2.3, COURT: 4.4, OTHER: 3.0},
    "V10": {CW: 2.8, TX: 4.7, COURT: 2.6, OTHER: 3.9},
    "V12": {CW: 2.9, TX: 1.4, COURT: 2.4, OTHER: 2.0},
    "V17": {CW: 2.1, TX: 3.9, COURT: 2.5, OTHER: 3.0},
    "V18": {CW: 2.3, TX: 4.4, COURT: 3.0, OTHER: 3.5},
    "V19": {CW: 3.2, TX: 3.5, COURT: 2.2, OTHER: 3.0},
    "V24": {CW: 2.9, TX: 2.6, COURT: 3.4, OTHER: 3.1},
}
# Capacity as each system sees it: treatment and the court rate information flow lower than child welfare.
CAPACITY_BY_ELEMENT = {
    1: {CW: 3.8, TX: 3.4, COURT: 3.9},
    2: {CW: 3.9, TX: 2.6, COURT: 3.0},
    3: {CW: 2.5, TX: 3.8, COURT: 3.1},
    4: {CW: 3.0, TX: 2.7, COURT: 2.9},
    5: {CW: 2.9, TX: 3.6, COURT: 3.0},
    6: {CW: 3.6, TX: 2.2, COURT: 2.0},
    7: {CW: 2.2, TX: 2.0, COURT: 2.4},
    8: {CW: 2.8, TX: 2.5, COURT: 3.3},
    9: {CW: 3.1, TX: 3.0, COURT: 2.6},
    10: {CW: 2.6, TX: 2.4, COURT: 3.2},
}

# (title, instrument, months ago opened, weeks open, respondents per system, convergence since the first round)
ROUNDS = [
    ("Values inventory, autumn", VALUES_INVENTORY, 10, 4, {CW: 14, TX: 11, COURT: 4}, 0.0),
    ("Values inventory, spring", VALUES_INVENTORY, 4, 3, {CW: 16, TX: 12, COURT: 6, OTHER: 3}, 0.35),
    ("Capacity self-assessment", CAPACITY_ASSESSMENT, 3, 3, {CW: 12, TX: 9, COURT: 5}, 0.0),
]
ROLES_BY_SYSTEM = {
    CW: [RespondentRole.FRONTLINE] * 3 + [RespondentRole.SUPERVISOR, RespondentRole.MANAGER],
    TX: [RespondentRole.FRONTLINE] * 3 + [RespondentRole.SUPERVISOR, RespondentRole.MANAGER],
    COURT: [RespondentRole.LEGAL] * 3 + [RespondentRole.MANAGER],
    OTHER: [RespondentRole.FRONTLINE, RespondentRole.OTHER],
}


def _leaning(instrument: dict, code: str, element: int, system: str, convergence: float) -> float:
    if instrument is CAPACITY_ASSESSMENT:
        return CAPACITY_BY_ELEMENT[element].get(system, 3.0)
    leanings = VALUES_LEANINGS.get(code)
    if leanings is None:
        return 3.9
    center = sum(leanings.values()) / len(leanings)
    return leanings[system] + (center - leanings[system]) * convergence


def _load_round(rng: random.Random, partnership: Partnership, coordinator: User, today: date, spec) -> None:
    title, instrument_spec, months_ago, weeks_open, sizes, convergence = spec
    opened = today - timedelta(days=30 * months_ago)
    instrument = Instrument.objects.get(code=instrument_spec["code"])
    assessment_round, created = AssessmentRound.objects.get_or_create(
        partnership=partnership,
        title=title,
        defaults={
            "instrument": instrument,
            "opened_by": coordinator,
            "opened_on": opened,
            "status": RoundStatus.CLOSED,
            "closed_on": opened + timedelta(weeks=weeks_open),
        },
    )
    if not created:
        return
    items = list(instrument.items.all())
    respondents, answers = [], []
    for system, count in sizes.items():
        for _ in range(count):
            respondent = Respondent(round=assessment_round, system=system, role=rng.choice(ROLES_BY_SYSTEM[system]))
            respondents.append(respondent)
            for item in items:
                if rng.random() < 0.03:  # a statement left unanswered now and then
                    continue
                mean = _leaning(instrument_spec, item.code, item.element, system, convergence)
                score = min(5, max(1, round(rng.gauss(mean, 0.75))))
                answers.append(Answer(respondent=respondent, item=item, score=score))
    Respondent.objects.bulk_create(respondents)
    Answer.objects.bulk_create(answers)


STANDINGS = {
    1: (
        Standing.GOOD,
        "Oversight and steering committees meet; MOU signed by all four agencies. Values inventory run twice.",
    ),
    2: (
        Standing.FUNDAMENTAL,
        "UNCOPE screening at CPS intake in two of three units; screen-to-assessment days not yet tracked.",
    ),
    3: (
        Standing.FUNDAMENTAL,
        "Priority admission slots agreed with New Dawn; no shared measure of days to treatment entry yet.",
    ),
    4: (Standing.NOT_YET, "Children's needs are assessed separately by each agency; no joint protocol."),
    5: (Standing.FUNDAMENTAL, "Peer recovery coaches work with families in the treatment court only."),
    6: (
        Standing.FUNDAMENTAL,
        "Part 2 consent form drafted; progress reports to the court arrive late in about a third of cases.",
    ),
    7: (Standing.NOT_YET, "No funding map; services rely on one federal grant ending next year."),
    8: (Standing.FUNDAMENTAL, "Cross-training under way: see the share of each system's staff trained."),
    9: (
        Standing.FUNDAMENTAL,
        "Referral agreement with the county mental health center; none with domestic violence services.",
    ),
    10: (Standing.NOT_YET, "Outcome indicators proposed to the steering committee, not yet adopted."),
}
BENCHMARKS = {
    (2, "good"): "Every parent at a CPS investigation is screened with UNCOPE; positives are assessed within 10 days.",
    (6, "good"): "A single Part 2-compliant consent form is used by all partners; progress reports reach the court "
    "5 days before each hearing.",
}


def _load_framework(partnership: Partnership, coordinator: User, today: date) -> None:
    for element, (standing, evidence) in STANDINGS.items():
        ElementStanding.objects.get_or_create(
            partnership=partnership,
            element=element,
            defaults={
                "standing": standing,
                "evidence": evidence,
                "updated_by": coordinator,
                "updated_on": today - timedelta(days=20),
            },
        )
    for (element, level), text in BENCHMARKS.items():
        Benchmark.objects.get_or_create(partnership=partnership, element=element, level=level, defaults={"text": text})


PLAN = [
    (
        "Agree one consent form and a progress-report schedule every partner uses",
        [6],
        "Share of cases with a valid consent; share of progress reports received 5 days before the hearing",
        ObjectiveStatus.UNDER_WAY,
        [
            ("Compare the consent forms in use at each agency", "cedar-dcfs", -75, TaskStatus.DONE),
            ("Draft a single Part 2-compliant consent form", "new-dawn", -20, TaskStatus.IN_PROGRESS),
            (
                "Court to set the progress report deadline in its standing order",
                "cedar-court",
                -6,
                TaskStatus.NOT_STARTED,
            ),
            ("Train intake staff on the new consent form", "cedar-dcfs", 45, TaskStatus.NOT_STARTED),
        ],
    ),
    (
        "Close the gap on relapse and medication for opioid use disorder",
        [1, 8],
        "Gap between systems on V03 and V10 below 1.0 point at the next values inventory",
        ObjectiveStatus.UNDER_WAY,
        [
            ("Joint brown-bag session: relapse and recovery timelines", "harbor", -40, TaskStatus.DONE),
            ("Every caseworker completes the NCSACW child welfare tutorial", "cedar-dcfs", -10, TaskStatus.BLOCKED),
            ("Judge and attorneys attend an MOUD briefing", "cedar-court", 30, TaskStatus.NOT_STARTED),
        ],
    ),
    (
        "Shorten the time from a positive screen to treatment entry",
        [2, 3],
        "Median days from screen to assessment and to treatment entry",
        ObjectiveStatus.PLANNED,
        [
            ("Reserve two assessment slots a week for CPS referrals", "new-dawn", 21, TaskStatus.IN_PROGRESS),
            (
                "Report days from screen to assessment to the steering committee",
                "cedar-dcfs",
                60,
                TaskStatus.NOT_STARTED,
            ),
        ],
    ),
]


def _load_plan(partnership: Partnership, agencies: dict[str, Agency], today: date) -> None:
    based_on = AssessmentRound.objects.get(partnership=partnership, title=ROUNDS[1][0])
    plan, created = ActionPlan.objects.get_or_create(
        partnership=partnership,
        title="Plan of action 2026",
        defaults={"based_on_round": based_on, "created_on": today - timedelta(days=90)},
    )
    if not created:
        return
    for text, elements, indicator, status, tasks in PLAN:
        objective = Objective.objects.create(
            plan=plan, text=text, elements=elements, indicator=indicator, status=status
        )
        for task_text, agency, due_in_days, task_status in tasks:
            Task.objects.create(
                objective=objective,
                text=task_text,
                owner_agency=agencies[agency],
                due_on=today + timedelta(days=due_in_days),
                status=task_status,
            )


PROTOCOLS = [
    (
        "cedar-dcfs",
        "denise.davis",
        "Referring a parent for SUD assessment",
        ProtocolTopic.REFERRAL,
        [
            "Caseworkers screen every parent at investigation with UNCOPE. A positive screen is referred the same day "
            "through familybridge to New Dawn or Harbor, with the parent's signed consent attached.",
            "Caseworkers screen every parent at investigation with UNCOPE. A positive screen is referred the same day "
            "through familybridge to New Dawn or Harbor, with the parent's signed consent attached. If the parent "
            "declines consent, the caseworker records it and the supervisor reviews the case within 2 working days.",
        ],
    ),
    (
        "cedar-dcfs",
        "denise.davis",
        "Child welfare timelines families face",
        ProtocolTopic.TIMELINES,
        [
            "Investigation: 30 days. Case plan: within 60 days of removal. "
            "Permanency hearing: 12 months after removal. Termination of parental rights "
            "is considered when a child has been in care 15 of the last 22 months."
        ],
    ),
    (
        "new-dawn",
        "ben.walker",
        "How New Dawn handles a referral",
        ProtocolTopic.REFERRAL,
        [
            "Referrals from child welfare are assessed within 10 days. We tell the caseworker whether the parent was "
            "admitted, is attending, completed or disengaged — only as far as the parent's consent allows."
        ],
    ),
    (
        "new-dawn",
        "ben.walker",
        "Confidentiality of treatment records",
        ProtocolTopic.CONFIDENTIALITY,
        [
            "New Dawn is a Part 2 program. Without a signed consent or a court order we cannot confirm that a person "
            "is our client. Consents name the recipient, the purpose and the information, and can be revoked."
        ],
    ),
    (
        "harbor",
        "victor.lee",
        "Who to call at Harbor",
        ProtocolTopic.CONTACTS,
        [
            "Intake line (weekdays 8–5): intake coordinator. "
            "Urgent concerns about a client: clinical supervisor on call. "
            "Progress reports for court: family therapist assigned to the client."
        ],
    ),
    (
        "cedar-court",
        "carl.fischer",
        "Family treatment court progress reports",
        ProtocolTopic.TIMELINES,
        [
            "Treatment progress reports reach the court coordinator 5 working days before each review hearing. "
            "The team staffs each case the morning of the hearing."
        ],
    ),
]
ACKNOWLEDGERS = [
    "maria.alvarez",
    "james.brooks",
    "rosa.nguyen",
    "ellen.moore",
    "judge.okafor",
    "carl.fischer",
    "denise.davis",
    "ben.walker",
    "grace.kim",
    "tasha.green",
]


def _load_protocols(
    rng: random.Random, partnership: Partnership, agencies: dict[str, Agency], users: dict[str, User], today: date
) -> None:
    for agency, author, title, topic, versions in PROTOCOLS:
        protocol, created = Protocol.objects.get_or_create(
            partnership=partnership, agency=agencies[agency], title=title, defaults={"topic": topic}
        )
        if not created:
            continue
        published = []
        for number, body in enumerate(versions, start=1):
            published.append(
                ProtocolVersion.objects.create(
                    protocol=protocol,
                    number=number,
                    body=body,
                    change_note="" if number == 1 else "What happens when a parent declines consent.",
                    published_by=users[author],
                    published_on=today - timedelta(days=150 - 100 * (number - 1)),
                )
            )
        for username in ACKNOWLEDGERS:
            reader = users[username]
            if reader.agency_id == protocol.agency_id:
                continue
            for version in published:
                if rng.random() < 0.6:
                    Acknowledgement.objects.create(
                        version=version, user=reader, acknowledged_on=version.published_on + timedelta(days=7)
                    )


TRAINING = {
    "maria.alvarez": ["ncsacw-tutorial-child-welfare", "ncsacw-toolkit-02"],
    "james.brooks": ["ncsacw-tutorial-child-welfare"],
    "denise.davis": ["ncsacw-tutorial-child-welfare", "ncsacw-toolkit-01", "ncsacw-toolkit-07", "cedar-county-ftc-101"],
    "grace.kim": ["ncsacw-toolkit-07", "cedar-county-ftc-101"],
    "rosa.nguyen": ["ncsacw-tutorial-treatment"],
    "ben.walker": ["ncsacw-tutorial-treatment", "cedar-county-ftc-101"],
    "ellen.moore": ["ncsacw-tutorial-treatment", "ncsacw-toolkit-08"],
    "judge.okafor": ["ncsacw-tutorial-legal", "cedar-county-ftc-101"],
    "leah.reyes": ["ncsacw-tutorial-legal"],
}


def _load_training(rng: random.Random, partnership: Partnership, users: dict[str, User], today: date) -> None:
    Course.objects.get_or_create(
        code="cedar-county-ftc-101",
        defaults={
            "partnership": partnership,
            "kind": CourseKind.LOCAL,
            "title": "Cedar County family treatment court: how the team works",
            "hours": 3,
        },
    )
    courses = {
        course.code: course for course in Course.objects.filter(code__in={c for cs in TRAINING.values() for c in cs})
    }
    for username, codes in TRAINING.items():
        for code in codes:
            Completion.objects.get_or_create(
                course=courses[code],
                user=users[username],
                defaults={"completed_on": today - timedelta(days=rng.randint(10, 300))},
            )


COMMITTEES = [
    (
        CommitteeKind.OVERSIGHT,
        "Oversight committee",
        "Agency directors and the presiding judge: policy, funding, removing barriers the steering committee cannot.",
        None,
        ["judge.okafor", "denise.davis", "ben.walker", "victor.lee"],
        "judge.okafor",
    ),
    (
        CommitteeKind.STEERING,
        "Steering committee",
        "Runs the improvement loop: assessments, the Matrix, the action plan, monthly review.",
        "Oversight committee",
        ["grace.kim", "denise.davis", "rosa.nguyen", "ellen.moore", "carl.fischer", "sam.patel"],
        "grace.kim",
    ),
    (
        CommitteeKind.SUBCOMMITTEE,
        "Information sharing subcommittee",
        "Consent forms, progress reports and data linkage (element 6).",
        "Steering committee",
        ["sam.patel", "ben.walker", "carl.fischer"],
        "ben.walker",
    ),
]
MEETINGS = {
    "Oversight committee": [
        (
            75,
            "Reviewed the values inventory results and the draft plan of action.",
            [(1, "Adopt the 2026 plan of action."), (7, "Ask the steering committee for a funding map.")],
        )
    ],
    "Steering committee": [
        (
            110,
            "Discussed the values inventory agenda: relapse, MOUD and timeliness came out on top.",
            [
                (1, "Put statements V03, V10 and V07 on the next three agendas."),
                (8, "Ask every caseworker to complete the NCSACW tutorial."),
            ],
        ),
        (
            45,
            "Reviewed the action board: the consent form draft is late.",
            [(6, "New Dawn leads the consent form draft; due date kept.")],
        ),
        (
            12,
            "Capacity self-assessment discussed element by element.",
            [
                (6, "Rate element 6 as fundamental until reports reach the court on time."),
                (None, "Re-run the values inventory in the autumn."),
            ],
        ),
    ],
    "Information sharing subcommittee": [
        (30, "Compared the consent forms in use.", [(6, "Draft a single consent form.")])
    ],
}


def _load_governance(partnership: Partnership, users: dict[str, User], today: date) -> None:
    made = {}
    for kind, name, charge, reports_to, members, chair in COMMITTEES:
        committee, created = Committee.objects.get_or_create(
            partnership=partnership,
            name=name,
            defaults={"kind": kind, "charge": charge, "reports_to": made.get(reports_to)},
        )
        made[name] = committee
        if not created:
            continue
        for username in members:
            CommitteeMember.objects.create(committee=committee, user=users[username], is_chair=username == chair)
        for days_ago, notes, decisions in MEETINGS[name]:
            meeting = Meeting.objects.create(committee=committee, held_on=today - timedelta(days=days_ago), notes=notes)
            for element, text in decisions:
                Decision.objects.create(meeting=meeting, text=text, element=element)


def load_practice(partnership: Partnership, agencies: dict[str, Agency], users: dict[str, User], today: date) -> None:
    ensure_builtins()
    rng = random.Random(SEED)
    coordinator = users["grace.kim"]
    for spec in ROUNDS:
        _load_round(rng, partnership, coordinator, today, spec)
    _load_framework(partnership, coordinator, today)
    _load_plan(partnership, agencies, today)
    _load_protocols(rng, partnership, agencies, users, today)
    _load_training(rng, partnership, users, today)
    _load_governance(partnership, users, today)
