"""Writes in the partnership's workspace, each with its rule. Reads are in selectors.py."""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from familybridge.agencies.models import Agency, Partnership, User
from familybridge.audit.services import record_event
from familybridge.practice import access
from familybridge.practice.analysis import ELEMENT_RANGE, ResponsesFileError, read_responses
from familybridge.practice.builtin import BUILTIN_COURSES, BUILTIN_INSTRUMENTS
from familybridge.practice.elements import ELEMENT_BY_ID, Level, Standing
from familybridge.practice.models import (
    Acknowledgement,
    ActionPlan,
    Answer,
    Answering,
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
    Item,
    Meeting,
    Objective,
    ObjectiveStatus,
    Protocol,
    ProtocolTopic,
    ProtocolVersion,
    Respondent,
    RespondentRole,
    RespondentSource,
    RoundCode,
    RoundStatus,
    System,
    Task,
    TaskStatus,
)


@transaction.atomic
def ensure_builtins() -> None:
    """The built-in instruments and NCSACW courses exist in every database (idempotent)."""
    for spec in BUILTIN_INSTRUMENTS:
        instrument, created = Instrument.objects.get_or_create(
            code=spec["code"], defaults={"name": spec["name"], "description": spec["description"]}
        )
        if created:
            Item.objects.bulk_create(
                Item(instrument=instrument, code=code, element=element, theme=theme, text=text, position=position)
                for position, (code, element, theme, text) in enumerate(spec["items"], start=1)
            )
    existing = set(Course.objects.filter(partnership=None).values_list("code", flat=True))
    Course.objects.bulk_create(
        Course(code=code, kind=kind, audience=audience, title=title, hours=hours)
        for code, kind, audience, title, hours in BUILTIN_COURSES
        if code not in existing
    )


def _check_element(element: int) -> None:
    if element not in ELEMENT_BY_ID:
        raise ValidationError({"element": "Choose one of the ten elements."})


@transaction.atomic
def save_benchmark(user: User, partnership: Partnership, element: int, level: str, text: str) -> Benchmark:
    access.ensure_coordinator(user, partnership)
    _check_element(element)
    if level not in Level.values:
        raise ValidationError({"level": "Choose fundamental, good or best."})
    if not text.strip():
        raise ValidationError({"text": "Write the benchmark for this level."})
    benchmark, _ = Benchmark.objects.update_or_create(
        partnership=partnership, element=element, level=level, defaults={"text": text.strip()}
    )
    return benchmark


@transaction.atomic
def set_standing(user: User, partnership: Partnership, element: int, standing: str, evidence: str) -> ElementStanding:
    access.ensure_coordinator(user, partnership)
    _check_element(element)
    if standing not in Standing.values:
        raise ValidationError({"standing": "Choose where the partnership stands."})
    record, _ = ElementStanding.objects.update_or_create(
        partnership=partnership,
        element=element,
        defaults={
            "standing": standing,
            "evidence": evidence.strip(),
            "updated_by": user,
            "updated_on": timezone.localdate(),
        },
    )
    return record


def parse_element_lines(text: str, *, field: str, required: bool) -> list[tuple[int | None, str]]:
    """Lines of "text" or "element | text" (statements of an instrument, decisions of a meeting)."""
    parsed = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        element = None
        if "|" in line:
            prefix, line = (part.strip() for part in line.split("|", 1))
            if not prefix.isdigit() or int(prefix) not in ELEMENT_RANGE:
                raise ValidationError({field: f"Line {number}: the element before | must be a number from 1 to 10."})
            element = int(prefix)
        if not line:
            raise ValidationError({field: f"Line {number}: the text after | is empty."})
        parsed.append((element, line))
    if required and not parsed:
        raise ValidationError({field: "Write at least one line."})
    return parsed


@transaction.atomic
def create_instrument(
    user: User, partnership: Partnership, *, name: str, description: str, items_text: str
) -> Instrument:
    access.ensure_coordinator(user, partnership)
    statements = parse_element_lines(items_text, field="items_text", required=True)
    code = slugify(f"{partnership.slug} {name}")[:80]
    if not name.strip() or Instrument.objects.filter(code=code).exists():
        raise ValidationError({"name": "Give the instrument a name not used before."})
    instrument = Instrument.objects.create(
        partnership=partnership, code=code, name=name.strip(), description=description
    )
    for position, (element, text) in enumerate(statements, start=1):
        Item.objects.create(
            instrument=instrument, code=f"Q{position:02d}", element=element, text=text, position=position
        )
    return instrument


@transaction.atomic
def open_round(
    user: User, partnership: Partnership, instrument: Instrument, title: str, *, answering: str = Answering.CODES
) -> AssessmentRound:
    access.ensure_coordinator(user, partnership)
    if instrument.partnership_id not in (None, partnership.pk):
        raise ValidationError({"instrument": "That instrument belongs to another partnership."})
    if not instrument.items.exists():
        raise ValidationError({"instrument": "That instrument has no statements."})
    if answering not in Answering.values:
        raise ValidationError({"answering": "Choose single-use codes or an open link."})
    return AssessmentRound.objects.create(
        partnership=partnership,
        instrument=instrument,
        title=title.strip() or f"{instrument.name}, {timezone.localdate():%B %Y}",
        opened_by=user,
        answering=answering,
    )


MAX_CODES_AT_ONCE = 500


@transaction.atomic
def issue_codes(user: User, assessment_round: AssessmentRound, count: int) -> int:
    """A new batch of single-use codes for the round; returns the batch number. Nothing records who gets which."""
    access.ensure_coordinator(user, assessment_round.partnership)
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    if not assessment_round.is_open:
        raise ValidationError("This round is closed: no more codes can be issued.")
    if not assessment_round.uses_codes:
        raise ValidationError("This round is answered through an open link, without codes.")
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise ValidationError({"count": f"Issue from 1 to {MAX_CODES_AT_ONCE} codes at a time."})
    batch = (assessment_round.codes.aggregate(last=Max("batch"))["last"] or 0) + 1
    RoundCode.objects.bulk_create(RoundCode(round=assessment_round, batch=batch) for _ in range(count))
    record_event("round_codes_issued", assessment_round, details={"batch": batch, "codes": count})
    return batch


def normalize_code(value: str) -> str:
    """What the respondent typed, as stored: capitals, without the hyphens and spaces of the slip."""
    return "".join(character for character in value.upper() if character.isalnum())


UNKNOWN_CODE = "We do not know this code. Check it against your slip: 12 letters and digits."
OTHER_ROUND_CODE = "This code is for another round. Open the link that came with your code."
USED_CODE = "This code has already been used. Each code answers once: ask the coordinator for a new one."


def _code_error(assessment_round: AssessmentRound, code: RoundCode | None) -> str | None:
    if code is None:
        return UNKNOWN_CODE
    if code.round_id != assessment_round.pk:
        return OTHER_ROUND_CODE
    if code.used:
        return USED_CODE
    return None


@transaction.atomic
def close_round(user: User, assessment_round: AssessmentRound) -> None:
    """Closing freezes the round: no more answers or imports; the report becomes available."""
    access.ensure_coordinator(user, assessment_round.partnership)
    if not assessment_round.is_open:
        raise ValidationError("This round is already closed.")
    assessment_round.status = RoundStatus.CLOSED
    assessment_round.closed_on = timezone.localdate()
    assessment_round.save(update_fields=["status", "closed_on"])
    record_event("round_closed", assessment_round, details={"respondents": assessment_round.respondents.count()})


def _store_respondents(
    assessment_round: AssessmentRound, answered: list[tuple[Respondent, Mapping[Item, int]]]
) -> None:
    # bulk_create sends no signals: no audit event ties a respondent's row to a moment or an address.
    Respondent.objects.bulk_create([respondent for respondent, _ in answered])
    Answer.objects.bulk_create(
        Answer(respondent=respondent, item=item, score=score)
        for respondent, scores in answered
        for item, score in scores.items()
    )


@transaction.atomic
def submit_anonymous_answers(
    assessment_round: AssessmentRound,
    *,
    system: str,
    role: str,
    scores: Mapping[str, int | None],
    code: str = "",
) -> None:
    """One respondent's answers through the round's link. Takes no user: nothing identifies them.

    A round answered by codes takes a code that was not used yet; the code is marked used in the same
    transaction that stores the answers, and nothing ties the one to the other."""
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    if not assessment_round.is_open:
        raise ValidationError("This round has closed; answers are no longer accepted.")
    errors = {}
    round_code = None
    if assessment_round.uses_codes:
        if not normalize_code(code):
            errors["code"] = "Enter the code from your slip."
        else:
            round_code = RoundCode.objects.filter(code=normalize_code(code)).first()
            if message := _code_error(assessment_round, round_code):
                errors["code"] = message
    if system not in System.values:
        errors["system"] = "Choose the system you work in."
    if role not in RespondentRole.values or role == RespondentRole.NOT_RECORDED:
        errors["role"] = "Choose your role."
    items = {item.code: item for item in assessment_round.instrument.items.all()}
    answered = {}
    for code, score in scores.items():
        if score is None:
            continue
        if code not in items or score not in range(1, 6):
            errors["__all__"] = "An answer was not one of the five choices."
            break
        answered[items[code]] = score
    if not answered:
        errors.setdefault("__all__", "Answer at least one statement.")
    if errors:
        raise ValidationError(errors)
    # A conditional update, not save(): it holds against a second use racing this one, and it sends no
    # signal, so the audit log gets no event that would put a time on this code.
    if round_code is not None and not RoundCode.objects.filter(pk=round_code.pk, used=False).update(used=True):
        raise ValidationError({"code": USED_CODE})
    _store_respondents(assessment_round, [(Respondent(round=assessment_round, system=system, role=role), answered)])


def _system_code(value: str) -> str | None:
    value = value.strip().lower()
    for code, label in System.choices:
        if value in (code, label.lower()):
            return code
    return None


@transaction.atomic
def import_round_results(user: User, assessment_round: AssessmentRound, text: str) -> int:
    """Paper or other-survey results, in the analyze command's CSV shape. All or nothing."""
    access.ensure_coordinator(user, assessment_round.partnership)
    if not assessment_round.is_open:
        raise ValidationError("This round is closed: its results are frozen.")
    try:
        rows = read_responses(text)
    except ResponsesFileError as error:
        raise ValidationError(str(error)) from error
    items = {item.code: item for item in assessment_round.instrument.items.all()}
    respondents: dict[str, tuple[Respondent, dict[Item, int]]] = {}
    for row in rows:
        item = items.get(row.item_id)
        if item is None:
            raise ValidationError(f"Item {row.item_id!r} is not in {assessment_round.instrument.name}.")
        if row.element is not None and row.element != item.element:
            raise ValidationError(f"Item {row.item_id!r} belongs to element {item.element}, not {row.element}.")
        system = _system_code(row.system)
        if system is None:
            raise ValidationError(f"System {row.system!r} is not one of: {', '.join(code for code in System.values)}.")
        respondent, scores = respondents.setdefault(
            row.respondent_id,
            (Respondent(round=assessment_round, system=system, source=RespondentSource.IMPORTED), {}),
        )
        if row.score is not None:
            scores[item] = row.score
    answered = [(respondent, scores) for respondent, scores in respondents.values() if scores]
    if not answered:
        raise ValidationError("The file holds no answered statements.")
    _store_respondents(assessment_round, answered)
    record_event("round_results_imported", assessment_round, details={"respondents": len(answered)})
    return len(answered)


@transaction.atomic
def create_action_plan(
    user: User, partnership: Partnership, *, title: str, based_on_round: AssessmentRound | None = None
) -> ActionPlan:
    access.ensure_coordinator(user, partnership)
    if not title.strip():
        raise ValidationError({"title": "Give the plan a title."})
    if based_on_round is not None and based_on_round.partnership_id != partnership.pk:
        raise ValidationError({"based_on_round": "That round belongs to another partnership."})
    return ActionPlan.objects.create(partnership=partnership, title=title.strip(), based_on_round=based_on_round)


@transaction.atomic
def add_objective(user: User, plan: ActionPlan, *, text: str, elements: list[int], indicator: str) -> Objective:
    access.ensure_coordinator(user, plan.partnership)
    elements = sorted({int(element) for element in elements})
    if not elements or any(element not in ELEMENT_BY_ID for element in elements):
        raise ValidationError({"elements": "Tie the objective to at least one of the ten elements."})
    return Objective.objects.create(plan=plan, text=text.strip(), elements=elements, indicator=indicator.strip())


@transaction.atomic
def add_task(user: User, objective: Objective, *, text: str, owner_agency: Agency, due_on: date | None) -> Task:
    partnership = objective.plan.partnership
    access.ensure_coordinator(user, partnership)
    if not partnership.agencies.filter(pk=owner_agency.pk).exists():
        raise ValidationError({"owner_agency": "The owner must be a member agency of the partnership."})
    return Task.objects.create(objective=objective, text=text.strip(), owner_agency=owner_agency, due_on=due_on)


@transaction.atomic
def set_task_status(user: User, task: Task, status: str) -> Task:
    access.ensure_coordinator(user, task.objective.plan.partnership)
    if status not in TaskStatus.values:
        raise ValidationError({"status": "Unknown status."})
    task.status = status
    task.save(update_fields=["status"])
    return task


@transaction.atomic
def set_objective_status(user: User, objective: Objective, status: str) -> Objective:
    access.ensure_coordinator(user, objective.plan.partnership)
    if status not in ObjectiveStatus.values:
        raise ValidationError({"status": "Unknown status."})
    objective.status = status
    objective.save(update_fields=["status"])
    return objective


@transaction.atomic
def publish_protocol(
    user: User,
    partnership: Partnership,
    *,
    title: str,
    topic: str,
    body: str,
    change_note: str = "",
    protocol: Protocol | None = None,
) -> ProtocolVersion:
    """A new protocol of the user's own agency, or a new version of one; earlier versions are kept."""
    if not access.may_publish_protocols(user, partnership):
        raise PermissionDenied("Supervisors, administrators and coordinators publish their own agency's protocols.")
    if protocol is None:
        if topic not in ProtocolTopic.values:
            raise ValidationError({"topic": "Choose what the protocol is about."})
        if not title.strip():
            raise ValidationError({"title": "Give the protocol a title."})
        protocol, _ = Protocol.objects.get_or_create(
            partnership=partnership, agency=user.agency, title=title.strip(), defaults={"topic": topic}
        )
    if protocol.agency_id != user.agency_id or protocol.partnership_id != partnership.pk:
        raise PermissionDenied("Only the agency that owns a protocol publishes new versions of it.")
    if not body.strip():
        raise ValidationError({"body": "Write the protocol."})
    number = (protocol.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return ProtocolVersion.objects.create(
        protocol=protocol, number=number, body=body.strip(), change_note=change_note.strip(), published_by=user
    )


@transaction.atomic
def acknowledge_protocol(user: User, version: ProtocolVersion) -> Acknowledgement:
    protocol = version.protocol
    access.ensure_member(user, protocol.partnership)
    if user.agency_id == protocol.agency_id:
        raise ValidationError("Protocols are acknowledged by staff of the other agencies.")
    acknowledgement, _ = Acknowledgement.objects.get_or_create(version=version, user=user)
    return acknowledgement


@transaction.atomic
def add_course(user: User, partnership: Partnership, *, title: str, audience: str, hours: int | None) -> Course:
    access.ensure_coordinator(user, partnership)
    if not title.strip():
        raise ValidationError({"title": "Give the course a title."})
    if audience and audience not in System.values:
        raise ValidationError({"audience": "Unknown audience."})
    code = slugify(f"{partnership.slug} {title}")[:80]
    if Course.objects.filter(code=code).exists():
        raise ValidationError({"title": "There is already a course with that title."})
    return Course.objects.create(
        partnership=partnership, code=code, kind=CourseKind.LOCAL, title=title.strip(), audience=audience, hours=hours
    )


@transaction.atomic
def record_completion(
    user: User, partnership: Partnership, course: Course, *, completed_on: date, staff: User | None = None
) -> Completion:
    """Staff record their own training; coordinators may record it for any member agency's staff."""
    staff = staff or user
    access.ensure_member(user, partnership)
    if staff.pk != user.pk:
        access.ensure_coordinator(user, partnership)
        access.ensure_member(staff, partnership)
    if course.partnership_id not in (None, partnership.pk):
        raise ValidationError({"course": "That course belongs to another partnership."})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    completion, _ = Completion.objects.update_or_create(
        course=course, user=staff, defaults={"completed_on": completed_on}
    )
    return completion


@transaction.atomic
def create_committee(
    user: User, partnership: Partnership, *, kind: str, name: str, charge: str = "", reports_to: Committee | None = None
) -> Committee:
    access.ensure_coordinator(user, partnership)
    if kind not in CommitteeKind.values:
        raise ValidationError({"kind": "Choose oversight, steering or subcommittee."})
    if not name.strip():
        raise ValidationError({"name": "Give the committee a name."})
    if reports_to is not None and reports_to.partnership_id != partnership.pk:
        raise ValidationError({"reports_to": "That committee belongs to another partnership."})
    return Committee.objects.create(
        partnership=partnership, kind=kind, name=name.strip(), charge=charge.strip(), reports_to=reports_to
    )


@transaction.atomic
def add_committee_member(user: User, committee: Committee, member: User, *, is_chair: bool = False) -> CommitteeMember:
    access.ensure_coordinator(user, committee.partnership)
    if not access.is_member(member, committee.partnership):
        raise ValidationError({"member": "Members come from the partnership's member agencies."})
    membership, _ = CommitteeMember.objects.update_or_create(
        committee=committee, user=member, defaults={"is_chair": is_chair}
    )
    return membership


@transaction.atomic
def record_meeting(user: User, committee: Committee, *, held_on: date, notes: str, decisions_text: str) -> Meeting:
    """A meeting and its decisions, one per line ("element | decision" ties one to an element)."""
    access.ensure_coordinator(user, committee.partnership)
    decisions = parse_element_lines(decisions_text, field="decisions", required=False)
    meeting = Meeting.objects.create(committee=committee, held_on=held_on, notes=notes.strip())
    for element, text in decisions:
        Decision.objects.create(meeting=meeting, text=text, element=element)
    return meeting
