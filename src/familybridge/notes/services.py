"""Writing case notes and logging contacts from the family page.

The staff of each agency who work the family write them — child welfare caseworkers and supervisors, a Part 2
program's counselors, clinical supervisors and peer recovery specialists, the court's coordinators — each in the
categories their agency writes, about members of the family they may see. A note belongs to the writer's agency;
who else reads it is the policy point's decision, by its category, its owner and its subject, like any record.

Both kinds are registered in the record-kind registry (cases.services), so they are corrected and voided with
their history like every record; each kind's rules run on writing and on correcting.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from familybridge.agencies.models import AgencyKind, User
from familybridge.agencies.roles import Role
from familybridge.audit.services import audited_update
from familybridge.cases.selectors import recordable_members
from familybridge.cases.services import RecordKind, ensure_family_visible, ensure_may_write, register_kind
from familybridge.consent.categories import Category
from familybridge.notes.models import IN_PERSON_CONTACTS, CaseNote, ContactLogEntry, ContactParticipant, ContactType
from familybridge.people.models import Family, Person, ProtectedRecord

# Who writes notes and logs contacts: the staff who work families, except judges (the court's record is its
# hearings and orders) and attorneys (their notes are their own work, not the family's shared record).
NOTE_WRITERS = frozenset(
    {
        Role.CASEWORKER,
        Role.CW_SUPERVISOR,
        Role.COUNSELOR,
        Role.CLINICAL_SUPERVISOR,
        Role.PEER_RECOVERY_SPECIALIST,
        Role.COURT_COORDINATOR,
    }
)

# The categories each kind of agency files its notes and contacts under. A treatment agency writes them only if it
# is a Part 2 program; its notes are Part 2 whatever their category, because the program holds them.
CATEGORIES_BY_AGENCY_KIND: dict[str, tuple[Category, ...]] = {
    AgencyKind.CHILD_WELFARE: (Category.CW_CASE, Category.CW_CASE_PLAN),
    AgencyKind.SUD_TREATMENT: (Category.SUD_PROGRESS, Category.SUD_TREATMENT_PLAN, Category.SUD_ATTENDANCE),
    AgencyKind.COURT: (Category.COURT_CASE,),
}

# SUD counseling notes (42 CFR 2.11, 2.31(b)): a treating professional's notes of what was said in a counseling
# session, kept apart from the rest of the record. Only a consent for counseling notes alone discloses them (no other
# consent, court order, agreement or emergency: consent.grants); peer recovery specialists write none.
COUNSELING_NOTE_WRITERS = frozenset({Role.COUNSELOR, Role.CLINICAL_SUPERVISOR})
COUNSELING_NOTE_LABEL = "SUD counseling notes (kept apart: only a consent for counseling notes alone discloses them)"


def categories_for(user: User, *, counseling_notes: bool = False) -> list[str]:
    """The categories the user's agency files notes (with `counseling_notes`) or contacts under; none for an agency
    that writes neither."""
    agency = user.agency
    if agency is None or (agency.kind == AgencyKind.SUD_TREATMENT and not agency.is_part2_program):
        return []
    categories = [str(category) for category in CATEGORIES_BY_AGENCY_KIND.get(agency.kind, ())]
    treats = agency.kind == AgencyKind.SUD_TREATMENT and user.has_role(*COUNSELING_NOTE_WRITERS)
    if counseling_notes and categories and treats:
        categories.append(str(Category.SUD_COUNSELING_NOTES))
    return categories


def category_choices(user: User, *, counseling_notes: bool = False) -> list[tuple[str, str]]:
    labels = {Category.SUD_COUNSELING_NOTES: COUNSELING_NOTE_LABEL}
    return [
        (category, labels.get(category, Category(category).label))
        for category in categories_for(user, counseling_notes=counseling_notes)
    ]


@dataclass(frozen=True)
class NoteKind(RecordKind):
    """A kind every agency that works families writes, each in its own categories (`categories_for`)."""

    def writable_by(self, user: User) -> bool:
        return super().writable_by(user) and bool(categories_for(user))


def _purpose(user: User) -> str:
    return user.default_purpose or ""


def _start(user: User, family: Family, slug: str) -> None:
    ensure_may_write(user, slug)
    ensure_family_visible(user, family)


def _ensure_members(user: User, family: Family, people: Iterable[Person], field: str) -> None:
    """Each person is a member of the family whom the writer may see."""
    writable = set(recordable_members(user, family, _purpose(user)).values_list("pk", flat=True))
    if any(person.pk not in writable for person in people):
        what = "a member" if field == "subject" else "members"
        raise ValidationError({field: f"Choose {what} of the {family.name} you work with."})


def _required_text(values: dict[str, Any], field: str, message: str) -> str:
    text = (values.get(field) or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _in_category(user: User, category: str, *, counseling_notes: bool) -> str:
    if category not in categories_for(user, counseling_notes=counseling_notes):
        choices = ", ".join(label for _, label in category_choices(user, counseling_notes=counseling_notes))
        raise ValidationError({"category": f"Choose a category your agency writes: {choices}."})
    return category


def _note_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    subject, note_date = values["subject"], values["note_date"]
    _ensure_members(user, family, [subject], "subject")
    if note_date > timezone.localdate():
        raise ValidationError({"note_date": "The note's date cannot be in the future."})
    return {
        "subject": subject,
        "family": family,
        "note_date": note_date,
        "category": _in_category(user, values["category"], counseling_notes=True),
        "title": _required_text(values, "title", "Give the note a title."),
        "narrative": _required_text(values, "narrative", "Write the note."),
    }


@transaction.atomic
def write_case_note(
    user: User, family: Family, *, subject: Person, note_date: date, category: str, title: str, narrative: str
) -> CaseNote:
    """A note about one member of the family, in a category the writer's agency writes."""
    _start(user, family, "case-note")
    values = _note_rules(
        user,
        family,
        {"subject": subject, "note_date": note_date, "category": category, "title": title, "narrative": narrative},
        None,
    )
    return CaseNote.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _contact_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    """Who took part is set when the contact is logged; a correction keeps it (a contact logged with the wrong people
    is voided and logged again)."""
    subject, occurred_at, contact_type = values["subject"], values["occurred_at"], values["contact_type"]
    _ensure_members(user, family, [subject], "subject")
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "The contact cannot be in the future."})
    if contact_type not in ContactType.values:
        raise ValidationError({"contact_type": "Choose the type of contact."})
    child_seen = values.get("child_seen")
    if contact_type not in IN_PERSON_CONTACTS:
        child_seen = None
    elif child_seen is None:
        raise ValidationError(
            {"child_seen": "Say whether the child was seen: visits in person count toward caseworker visit measures."}
        )
    fields = {
        "subject": subject,
        "family": family,
        "occurred_at": occurred_at,
        "contact_type": contact_type,
        "location": (values.get("location") or "").strip(),
        "child_seen": child_seen,
        "category": _in_category(user, values["category"], counseling_notes=False),
        "narrative": _required_text(values, "narrative", "Say what happened."),
    }
    if record is None:
        participants = list(dict.fromkeys(values.get("participants") or []))
        _ensure_members(user, family, participants, "participants")
        fields["participants"] = participants
    return fields


@transaction.atomic
def log_contact(
    user: User,
    family: Family,
    *,
    subject: Person,
    occurred_at: datetime,
    contact_type: str,
    category: str,
    narrative: str,
    participants: Iterable[Person] = (),
    location: str = "",
    child_seen: bool | None = None,
) -> ContactLogEntry:
    """A contact with or about the family, filed under one member (the subject), with the members who took part."""
    _start(user, family, "contact")
    values = _contact_rules(
        user,
        family,
        {
            "subject": subject,
            "occurred_at": occurred_at,
            "contact_type": contact_type,
            "category": category,
            "narrative": narrative,
            "participants": participants,
            "location": location,
            "child_seen": child_seen,
        },
        None,
    )
    people = values.pop("participants")
    contact = ContactLogEntry.objects.create(owner_agency=user.agency, recorded_by=user, **values)
    for person in people:
        ContactParticipant.objects.create(
            owner_agency=contact.owner_agency,
            subject=person,
            category=contact.category,
            contact=contact,
            recorded_by=user,
        )
    return contact


def _participants_follow(contact: ProtectedRecord) -> None:
    """Who took part is filed in the contact's category: a corrected category moves theirs with it."""
    rows = ContactParticipant.objects.filter(contact=contact).exclude(category=contact.category)
    audited_update(rows, category=contact.category)


register_kind(
    NoteKind(
        "case-note",
        "Case note",
        None,
        NOTE_WRITERS,
        write_case_note,
        CaseNote,
        ("note_date", "category", "title", "narrative"),
        _note_rules,
        field_choices=lambda user: {"category": category_choices(user, counseling_notes=True)},
    )
)
register_kind(
    NoteKind(
        "contact",
        "Contact log entry",
        None,
        NOTE_WRITERS,
        log_contact,
        ContactLogEntry,
        ("occurred_at", "contact_type", "location", "child_seen", "category", "narrative"),
        _contact_rules,
        sync=_participants_follow,
        voids_with=("participants",),
        field_choices=lambda user: {"category": category_choices(user)},
    )
)
