"""Opening a family and recording who is in it: child welfare's writes on families, members and relationships.

Child welfare staff (caseworkers, supervisors) of the agency open its families; a caseworker who opens one
works it from that day. Members are added only by the family's agency's child welfare staff who may see the
family, and only after the duplicate check (people.selectors.likely_duplicates): an existing person the user
may know of is linked, not typed again.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import AgencyKind, Role
from familybridge.dates import us_date
from familybridge.people import services as assignments
from familybridge.people.models import (
    SYMMETRIC_KINDS,
    Family,
    FamilyMember,
    FamilyStage,
    LocalIdentifier,
    MemberRole,
    Person,
    Relationship,
    RelationshipKind,
    Sex,
)
from familybridge.people.selectors import caseload_families, known_people

EARLIEST_DAY = date(1900, 1, 1)


def may_open_families(user: User) -> bool:
    """Caseworkers and supervisors of a child welfare agency open its families."""
    return bool(
        user.is_authenticated
        and user.agency_kind == AgencyKind.CHILD_WELFARE
        and user.has_role(Role.CASEWORKER, Role.CW_SUPERVISOR)
    )


def may_change_membership(user: User, family: Family) -> bool:
    """Child welfare staff of the family's own agency who work it add its members and relationships: a supervisor
    (who sees the whole agency), or a caseworker with the family on their caseload. Need to know for a caseworker
    is the caseload, so they see every member of the family they change."""
    if not may_open_families(user) or family.owner_agency_id != user.agency_id:
        return False
    return user.sees_whole_agency or caseload_families(user).filter(pk=family.pk).exists()


def ensure_may_change_membership(user: User, family: Family) -> None:
    if not may_change_membership(user, family):
        raise PermissionDenied(
            "Only child welfare staff of the family's agency who work this family change who is in it."
        )
    if family.closed_on is not None:
        closed = us_date(family.closed_on)
        raise ValidationError({NON_FIELD_ERRORS: f"{family} was closed on {closed}; its members no longer change."})


def _check_day(value: date | None, field: str, what: str, *, required: bool) -> None:
    if value is None:
        if required:
            raise ValidationError({field: f"Enter the {what}."})
        return
    if value > timezone.localdate():
        raise ValidationError({field: f"The {what} cannot be in the future."})
    if value < EARLIEST_DAY:
        raise ValidationError({field: f"Check the {what}: it is before {EARLIEST_DAY.year}."})


def _required_text(value: str, field: str, what: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"Enter the {what}."})
    if len(value) > max_length:
        raise ValidationError({field: f"The {what} can be at most {max_length} characters."})
    return value


def _checked_case_number(user: User, case_number: str) -> str:
    case_number = (case_number or "").strip()
    if len(case_number) > 64:
        raise ValidationError({"case_number": "The case number can be at most 64 characters."})
    if case_number and Family.objects.filter(owner_agency_id=user.agency_id, case_number=case_number).exists():
        raise ValidationError({"case_number": f"Case number {case_number} is already used at your agency."})
    return case_number


def _saved_with_case_number(family: Family, case_number: str, **save_options) -> Family:
    try:
        with transaction.atomic():
            family.save(**save_options)
    except IntegrityError as error:  # two people opening the same number at once
        raise ValidationError({"case_number": f"Case number {case_number} is already used at your agency."}) from error
    return family


@transaction.atomic
def open_family(
    user: User, *, name: str, case_number: str = "", opened_on: date, at_intake: bool = False
) -> Family:
    """Open a family at the user's agency; a caseworker has it on their caseload from the day it opens.

    A family opened `at_intake` (when a report about children unknown to the agency is received) has no case yet:
    its case opens, with a case number, if the report's investigation or assessment leads to one (`open_case`)."""
    if not may_open_families(user):
        raise PermissionDenied("Only caseworkers and supervisors of a child welfare agency open families.")
    name = _required_text(name, "name", "family's name", 200)
    case_number = _checked_case_number(user, case_number)
    what = "day the report was received" if at_intake else "day the case opened"
    _check_day(opened_on, "opened_on", what, required=True)
    family = _saved_with_case_number(
        Family(
            name=name,
            owner_agency_id=user.agency_id,
            case_number=case_number,
            opened_on=opened_on,
            stage=FamilyStage.INTAKE if at_intake else FamilyStage.OPEN_CASE,
        ),
        case_number,
    )
    if user.has_role(Role.CASEWORKER):
        assignments.assign(None, staff=user, family=family, on=opened_on)
    return family


@transaction.atomic
def open_case(user: User, family: Family, *, case_number: str, opened_on: date) -> Family:
    """Open the case of a family at intake: its case number and the day the case opened.

    Only child welfare staff of the family's agency who work it; its number is used once at the agency."""
    ensure_may_change_membership(user, family)
    if family.stage != FamilyStage.INTAKE:
        raise ValidationError({NON_FIELD_ERRORS: f"{family} already has an open case."})
    case_number = _checked_case_number(user, case_number)
    if not case_number:
        raise ValidationError({"case_number": "Enter the case number."})
    _check_day(opened_on, "opened_on", "day the case opened", required=True)
    if opened_on < family.opened_on:
        raise ValidationError(
            {"opened_on": f"The case cannot open before the family was opened ({us_date(family.opened_on)})."}
        )
    family.case_number = case_number
    family.case_opened_on = opened_on
    family.stage = FamilyStage.OPEN_CASE
    return _saved_with_case_number(family, case_number, update_fields=["case_number", "case_opened_on", "stage"])


def _check_role(role: str) -> None:
    if role not in MemberRole.values:
        raise ValidationError({"role": "Choose whether the person is a parent, a child or a caregiver."})


def _add_membership(user: User, family: Family, person: Person, role: str) -> FamilyMember:
    if FamilyMember.unrestricted.filter(family=family, subject=person).exists():
        raise ValidationError({NON_FIELD_ERRORS: f"{person} is already a member of {family}."})
    return FamilyMember.objects.create(
        owner_agency=family.owner_agency, subject=person, family=family, role=role, recorded_by=user
    )


@transaction.atomic
def link_member(user: User, family: Family, *, person_id: int, role: str, purpose: str) -> FamilyMember:
    """Add a person already recorded, whom the user may know of, to the family: the same person, not a copy.

    A person the user may not know of (for instance one known only to a Part 2 program) is refused with the
    same words as a person who does not exist."""
    ensure_may_change_membership(user, family)
    _check_role(role)
    person = known_people(user, purpose).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person": "Choose one of the people listed, or add a new person."})
    return _add_membership(user, family, person, role)


@dataclass(frozen=True)
class NewMember:
    """A new person as checked before they are recorded."""

    first_name: str
    last_name: str
    birth_date: date | None
    sex: str
    agency_identifier: str


def check_new_person(
    agency_id: int, *, first_name: str, last_name: str, birth_date: date | None, sex: str, agency_identifier: str = ""
) -> NewMember:
    """What is typed for a new person, checked (names, birth date, sex, the agency's number unused at the agency),
    before they are added to a family: now, or at the end of a longer form (receiving a report)."""
    first_name = _required_text(first_name, "first_name", "first name", 100)
    last_name = _required_text(last_name, "last_name", "last name", 100)
    _check_day(birth_date, "birth_date", "birth date", required=False)
    if sex not in Sex.values:
        raise ValidationError({"sex": "Choose the person's sex, or Unknown."})
    agency_identifier = (agency_identifier or "").strip()
    if len(agency_identifier) > 64:
        raise ValidationError({"agency_identifier": "The number can be at most 64 characters."})
    if agency_identifier and LocalIdentifier.unrestricted.filter(
        owner_agency_id=agency_id, identifier=agency_identifier
    ).exists():
        raise ValidationError(
            {"agency_identifier": f"Number {agency_identifier} is already used at your agency for another person."}
        )
    return NewMember(first_name, last_name, birth_date, sex, agency_identifier)


@transaction.atomic
def add_new_member(
    user: User,
    family: Family,
    *,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    sex: str = Sex.UNKNOWN,
    role: str,
    agency_identifier: str = "",
) -> FamilyMember:
    """Record a new person and add them to the family, with the user's agency's number for them if given.
    The page runs the duplicate check first; this only records what the user chose to create."""
    ensure_may_change_membership(user, family)
    new = check_new_person(
        family.owner_agency_id,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        sex=sex,
        agency_identifier=agency_identifier,
    )
    _check_role(role)
    person = Person.objects.create(
        first_name=new.first_name, last_name=new.last_name, birth_date=new.birth_date, sex=new.sex
    )
    if new.agency_identifier:
        LocalIdentifier.objects.create(
            owner_agency=family.owner_agency, subject=person, identifier=new.agency_identifier, recorded_by=user
        )
    return _add_membership(user, family, person, role)


def _describe(kind: str) -> str:
    return RelationshipKind(kind).label.lower()


@transaction.atomic
def record_relationship(user: User, family: Family, *, person_id: int, kind: str, relative_id: int) -> Relationship:
    """Record that one member of the family is related to another ("Ana is the mother of Sofia").

    Both must be members; a person is not related to themselves; a relationship is recorded once (either way
    round for siblings and partners); nobody is both the parent (or grandparent, caregiver) of someone and
    that person's child; and where both birth dates are known, the elder is the parent."""
    ensure_may_change_membership(user, family)
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": "Choose how the two people are related."})
    members = {
        member.subject_id: member.subject
        for member in FamilyMember.unrestricted.filter(family=family, subject_id__in=[person_id, relative_id])
        .select_related("subject")
    }
    if person_id not in members:
        raise ValidationError({"person": f"Choose a member of {family}."})
    if relative_id not in members:
        raise ValidationError({"relative": f"Choose a member of {family}."})
    if person_id == relative_id:
        raise ValidationError({"relative": "Choose two different people."})
    person, relative = members[person_id], members[relative_id]
    existing = Relationship.unrestricted.filter(family=family)
    same_way = existing.filter(subject=person, relative=relative)
    other_way = existing.filter(subject=relative, relative=person)
    if same_way.filter(kind=kind).exists() or (kind in SYMMETRIC_KINDS and other_way.filter(kind=kind).exists()):
        raise ValidationError(
            {NON_FIELD_ERRORS: f"That {person} and {relative} are related this way is already recorded."}
        )
    if kind not in SYMMETRIC_KINDS:
        reverse = other_way.exclude(kind__in=SYMMETRIC_KINDS).first()
        if reverse is not None:
            raise ValidationError(
                {
                    "kind": f"{relative} is recorded as the {_describe(reverse.kind)} of {person}; "
                    "a person cannot be both."
                }
            )
        if person.birth_date and relative.birth_date and person.birth_date >= relative.birth_date:
            raise ValidationError(
                {
                    "kind": f"{person} was born on or after {relative}'s birth date, so cannot be their "
                    f"{_describe(kind)}. Check the order of the two people or their birth dates."
                }
            )
    return Relationship.objects.create(
        owner_agency=family.owner_agency, subject=person, relative=relative, family=family, kind=kind, recorded_by=user
    )
