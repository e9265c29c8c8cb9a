"""Notes and contacts in the demo, written through the services staff use: a caseworker's monthly home visits, a call
and a case note on three of her families, a counselor's progress note, counseling note and call about a client, and
the court coordinator's note on a family in the family treatment court. Loading again adds none."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.cases.models import CourtCase
from familybridge.consent.categories import Category
from familybridge.notes import services
from familybridge.notes.models import CaseNote, ContactType
from familybridge.people.models import CaseloadAssignment, Family, FamilyMember, LocalIdentifier, MemberRole, Person

HOME_VISIT_NARRATIVES = [
    "{child} showed me the new bunk bed and her school folder. {parent} has kept the kitchen stocked; we went over "
    "the safety plan and she named her two supports. No safety concerns observed.",
    "{child} was home with {parent} after school. We talked about the upcoming review hearing and the family time "
    "schedule. {parent} showed me her group attendance sheet.",
    "{child} was napping when I arrived and woke during the visit; appeared well cared for. {parent} asked about "
    "moving to unsupervised family time; I explained what the team will look at.",
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _members(family: Family, role: str) -> list[Person]:
    rows = FamilyMember.unrestricted.filter(family=family, role=role).select_related("subject").order_by("pk")
    return [row.subject for row in rows]


def _caseworker_notes(caseworker: User, today: date) -> None:
    assignments = CaseloadAssignment.objects.filter(
        staff=caseworker, ended_on=None, client=None, family__closed_on=None
    ).order_by("family__case_number")
    written = 0
    for assignment in assignments.select_related("family"):
        family = assignment.family
        children, parents = _members(family, MemberRole.CHILD), _members(family, MemberRole.PARENT)
        if not children or not parents:
            continue
        child, parent = children[0], parents[0]
        for months_ago, narrative in zip((2, 1, 0), HOME_VISIT_NARRATIVES, strict=True):
            day = today - timedelta(days=30 * months_ago + 5)
            if day < family.opened_on:
                continue
            services.log_contact(
                caseworker,
                family,
                subject=child,
                occurred_at=_at(day, 10),
                contact_type=ContactType.HOME_VISIT,
                category=Category.CW_CASE_PLAN,
                participants=[parent, child],
                location="Family home",
                child_seen=True,
                narrative=narrative.format(child=child.first_name, parent=parent.first_name),
            )
        services.log_contact(
            caseworker,
            family,
            subject=parent,
            occurred_at=_at(today - timedelta(days=12), 15),
            contact_type=ContactType.PHONE_CALL,
            category=Category.CW_CASE,
            participants=[parent],
            narrative=f"Called {parent.first_name} to confirm next week's visit and the ride to the hearing.",
        )
        services.log_contact(
            caseworker,
            family,
            subject=child,
            occurred_at=_at(today - timedelta(days=20), 16),
            contact_type=ContactType.ATTEMPTED,
            category=Category.CW_CASE,
            narrative="Unannounced visit: no one answered the door. Left a card and called the same evening.",
        )
        services.write_case_note(
            caseworker,
            family,
            subject=child,
            note_date=today - timedelta(days=8),
            category=Category.CW_CASE_PLAN,
            title="Case plan review with the family",
            narrative=f"Reviewed the case plan with {parent.first_name}: parenting class completed, housing "
            "application pending. Next step: ask the team about longer family time.",
        )
        written += 1
        if written == 3:
            return


def _counselor_notes(counselor: User, today: date) -> None:
    """A client of the counselor whom the program knows (its own number for them) and who is in a family."""
    clients = CaseloadAssignment.objects.filter(staff=counselor, ended_on=None, client__isnull=False)
    clients = clients.exclude(family=None)
    known = LocalIdentifier.unrestricted.filter(owner_agency=counselor.agency).values("subject_id")
    assignment = clients.filter(client__in=known).select_related("family", "client").order_by("pk").first()
    if assignment is None:
        return
    family, client = assignment.family, assignment.client
    services.write_case_note(
        counselor,
        family,
        subject=client,
        note_date=today - timedelta(days=6),
        category=Category.SUD_PROGRESS,
        title="Steady in intensive outpatient",
        narrative=f"{client.first_name} attended all three groups this week and shared her relapse prevention plan. "
        "Discussed how to tell the caseworker about her new job.",
    )
    services.write_case_note(
        counselor,
        family,
        subject=client,
        note_date=today - timedelta(days=4),
        category=Category.SUD_COUNSELING_NOTES,
        title="Individual session",
        narrative="Talked through the anniversary of her mother's death and the cravings it brings; practiced a "
        "grounding exercise to use before family time.",
    )
    services.log_contact(
        counselor,
        family,
        subject=client,
        occurred_at=_at(today - timedelta(days=3), 11),
        contact_type=ContactType.PHONE_CALL,
        category=Category.SUD_ATTENDANCE,
        participants=[client],
        narrative=f"{client.first_name} called to move Thursday's session; rescheduled to Friday morning.",
    )


def _coordinator_note(coordinator: User, today: date) -> None:
    case = (
        CourtCase.unrestricted.filter(owner_agency=coordinator.agency, is_family_treatment_court=True)
        .exclude(family=None)
        .select_related("family")
        .order_by("docket_number")
        .first()
    )
    parents = _members(case.family, MemberRole.PARENT) if case is not None else []
    if not parents:
        return
    services.write_case_note(
        coordinator,
        case.family,
        subject=parents[0],
        note_date=today - timedelta(days=2),
        category=Category.COURT_CASE,
        title="Staffing before the review hearing",
        narrative=f"Team staffing on case {case.docket_number}: treatment, child welfare and the parent attorney agree "
        f"to recommend phase 2 for {parents[0].first_name} at the next review hearing.",
    )


def load_notes(caseworker: User, counselor: User, coordinator: User, today: date) -> None:
    """The demo's notes and contacts, once: a database that holds any case note already has them."""
    if CaseNote.unrestricted_with_voided.exists():
        return
    _caseworker_notes(caseworker, today)
    _counselor_notes(counselor, today)
    _coordinator_note(coordinator, today)
