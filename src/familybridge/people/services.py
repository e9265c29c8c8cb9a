"""Assigning work: who works which family or client, from when, and how it ends.

An assignment is the need-to-know boundary of the policy point: a caseworker sees the families on her
caseload, a counselor his clients, a judge the cases on her docket. Supervising staff of an agency (a child
welfare supervisor, a clinical supervisor, a court coordinator) assign its work to its own staff; a
transfer ends one assignment and opens the next on the same effective day, so the history shows who worked
the family when. Nothing is deleted: an ended assignment stays as history.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import ASSIGNABLE_ROLES, SUPERVISING_ROLES, Role, role_label
from familybridge.audit.services import record_event
from familybridge.dates import us_date
from familybridge.people.models import AssignmentEnd, CaseClosure, CaseloadAssignment, Family, FamilyMember, Person


def may_assign(by: User, staff: User) -> bool:
    """Supervising staff assign the work of their own agency's staff."""
    return bool(by.is_active and by.agency_id and by.agency_id == staff.agency_id and by.role_codes & SUPERVISING_ROLES)


def ensure_may_assign(by: User, staff: User) -> None:
    if not may_assign(by, staff):
        raise PermissionDenied(
            "Only a supervisor of the agency (a child welfare supervisor, a clinical supervisor or a court "
            "coordinator) assigns its staff's work."
        )


def capacity_of(staff: User, requested: str = "") -> str:
    """The role the staff member works an assignment in: the one asked for, if theirs, else their first
    assignable role."""
    if requested:
        if requested not in staff.role_codes or requested not in ASSIGNABLE_ROLES:
            raise ValidationError({"staff": f"{staff} does not work cases as a {role_label(requested).lower()}."})
        return requested
    for role in ASSIGNABLE_ROLES:
        if role in staff.role_codes:
            return role
    raise ValidationError({"staff": f"{staff} has no role that works families or clients."})


def _about_fields(about: models.Model | None) -> dict:
    if about is None:
        return {"about_type": None, "about_id": None}
    from django.contrib.contenttypes.models import ContentType

    return {"about_type": ContentType.objects.get_for_model(about), "about_id": about.pk}


def _check_new(
    staff: User,
    *,
    family: Family | None,
    client: Person | None,
    about: models.Model | None,
    on: date,
    ended_on: date | None = None,
) -> None:
    if not staff.is_active:
        raise ValidationError({"staff": f"{staff}'s account is deactivated."})
    if staff.agency_id is None:
        raise ValidationError({"staff": f"{staff} belongs to no agency."})
    if family is None and client is None:
        raise ValidationError("Name the family or the client to assign.")
    if client is not None and family is not None and not is_member(family, client):
        raise ValidationError({"client": f"{client} is not a member of the {family}."})
    if ended_on is not None and ended_on < on:
        raise ValidationError({"assigned_on": "An assignment cannot end before it starts."})
    same = CaseloadAssignment.objects.open().filter(staff=staff)
    if about is not None:
        fields = _about_fields(about)
        duplicate = same.filter(about_type=fields["about_type"], about_id=fields["about_id"])
    elif client is not None:
        duplicate = same.filter(client=client)
    else:
        duplicate = same.filter(family=family, client=None, about_id=None)
    if duplicate.exists():
        raise ValidationError({"staff": f"{staff} already works {client or family}."})


def is_member(family: Family, person: Person) -> bool:
    return FamilyMember.unrestricted.filter(family=family, subject=person).exists()


@transaction.atomic
def assign(
    by: User | None,
    *,
    staff: User,
    on: date,
    family: Family | None = None,
    client: Person | None = None,
    about: models.Model | None = None,
    represents: Person | None = None,
    capacity: str = "",
    note: str = "",
    authorized: bool = False,
) -> CaseloadAssignment:
    """Give a staff member a family or a client from a day on.

    `by` is the supervisor assigning (checked), or None for the platform itself acting on a rule (a caseworker
    who opens a family works it; the demo and scenario loaders). `about` is the one record the assignment is
    for (a court case on a docket, a referral taken in by a program). `authorized` says the caller has checked
    `by`'s authority under its own rule (the court staff who open a case name its judge); `by` is still recorded.
    """
    if by is not None and not authorized:
        ensure_may_assign(by, staff)
    _check_new(staff, family=family, client=client, about=about, on=on)
    return CaseloadAssignment.objects.create(
        family=family,
        client=client,
        staff=staff,
        capacity=capacity_of(staff, capacity),
        represents=represents,
        assigned_on=on,
        assigned_by=by,
        note=note.strip(),
        **_about_fields(about),
    )


@transaction.atomic
def end_assignment(
    assignment: CaseloadAssignment, *, by: User | None, on: date, reason: str, note: str = ""
) -> CaseloadAssignment:
    """A supervisor ends an assignment from a day on (the first day it is no longer in effect)."""
    if by is not None:
        ensure_may_assign(by, assignment.staff)
    return _end(assignment, by=by, on=on, reason=reason, note=note)


def _end(
    assignment: CaseloadAssignment, *, by: User | None, on: date, reason: str, note: str = ""
) -> CaseloadAssignment:
    if assignment.ended_on is not None:
        raise ValidationError("This assignment has already ended.")
    if reason not in AssignmentEnd.values:
        raise ValidationError({"end_reason": "Say why the assignment ends."})
    assignment.ended_on = max(on, assignment.assigned_on)
    assignment.ended_by = by
    assignment.end_reason = reason
    if note.strip():
        assignment.note = note.strip()
    assignment.save(update_fields=["ended_on", "ended_by", "end_reason", "note"])
    return assignment


@transaction.atomic
def transfer(
    by: User | None, assignment: CaseloadAssignment, *, to: User, on: date, note: str = ""
) -> CaseloadAssignment:
    """A supervisor hands one assignment to a colleague of the same agency from an effective day: the old one
    ends that day and the new one starts it, so exactly one of them is in effect on any day."""
    if by is not None:
        ensure_may_assign(by, assignment.staff)
        ensure_may_assign(by, to)
    if assignment.capacity in SAME_ROLE_TRANSFERS and assignment.capacity not in to.role_codes:
        raise ValidationError({"staff": f"{to} is not {_a(role_label(assignment.capacity))}."})
    return _transfer(assignment, to=to, on=on, by=by, reason=AssignmentEnd.TRANSFERRED, note=note)


# A docket case goes to another judge, a party's representation to another attorney.
SAME_ROLE_TRANSFERS = frozenset({Role.JUDGE, Role.ATTORNEY})


def _a(label: str) -> str:
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label.lower()}"


def _transfer(
    assignment: CaseloadAssignment, *, to: User, on: date, by: User | None, reason: str, note: str = ""
) -> CaseloadAssignment:
    if to.agency_id != assignment.staff.agency_id:
        raise ValidationError({"staff": "Transfer to a colleague of the same agency."})
    if to.pk == assignment.staff_id:
        raise ValidationError({"staff": f"{to} already works this."})
    if on < assignment.assigned_on:
        raise ValidationError({"assigned_on": "A transfer cannot take effect before the assignment started."})
    _end(assignment, by=by, on=on, reason=reason, note=note)
    capacity = assignment.capacity if assignment.capacity in to.role_codes else ""
    _check_new(to, family=assignment.family, client=assignment.client, about=assignment.about, on=on)
    return CaseloadAssignment.objects.create(
        family=assignment.family,
        client=assignment.client,
        staff=to,
        capacity=capacity_of(to, capacity),
        represents=assignment.represents,
        assigned_on=on,
        assigned_by=by,
        note=note.strip(),
        about_type=assignment.about_type,
        about_id=assignment.about_id,
    )


@transaction.atomic
def hand_over_caseload(by: User | None, staff: User, *, to: User, on: date) -> list[CaseloadAssignment]:
    """Every open assignment of a staff member who leaves goes to a named colleague from a day on.

    The caller has checked `by`'s authority (an agency administrator deactivating an account).
    """
    if to.pk == staff.pk:
        raise ValidationError({"colleague": "Choose a colleague other than the person leaving."})
    if to.agency_id != staff.agency_id or not to.is_active:
        raise ValidationError({"colleague": "Choose an active colleague of the same agency."})
    handed = []
    for assignment in open_assignments_of(staff):
        if _already_works(to, assignment):
            # The colleague works this family or client already: the leaver's share simply ends.
            _end(assignment, by=by, on=on, reason=AssignmentEnd.DEACTIVATED)
        else:
            handed.append(_transfer(assignment, to=to, on=on, by=by, reason=AssignmentEnd.DEACTIVATED))
    return handed


def _already_works(staff: User, assignment: CaseloadAssignment) -> bool:
    """Whether the staff member has an open assignment to the same record, client or family."""
    same = CaseloadAssignment.objects.open().filter(staff=staff)
    if assignment.about_id is not None:
        return same.filter(about_type=assignment.about_type_id, about_id=assignment.about_id).exists()
    if assignment.client_id is not None:
        return same.filter(client=assignment.client_id).exists()
    return same.filter(family=assignment.family_id, client=None, about_id=None).exists()


def open_assignments_of(staff: User) -> models.QuerySet[CaseloadAssignment]:
    return CaseloadAssignment.objects.open().filter(staff=staff).select_related("family", "client", "staff")


@transaction.atomic
def end_assignments(
    assignments: Iterable[CaseloadAssignment], *, on: date, reason: str, by: User | None = None
) -> list[CaseloadAssignment]:
    """End open assignments on one day for one reason, by rule (a case closed, a client discharged)."""
    return [_end(a, by=by, on=on, reason=reason) for a in assignments if a.ended_on is None]


def end_for_discharge(program_id: int, client_id: int, on: date) -> list[CaseloadAssignment]:
    """A client discharged from a program: the program's staff assigned to them stop working them that day."""
    assigned = CaseloadAssignment.objects.open().filter(client_id=client_id, staff__agency_id=program_id)
    return end_assignments(assigned, on=on, reason=AssignmentEnd.DISCHARGED)


def end_for_closed_case(family: Family, on: date) -> list[CaseloadAssignment]:
    """A family's case closed: its caseload assignments end that day. A judge's docket case and a program's client
    are assignments about their own records (a court case, a referral) and end with those."""
    caseload = CaseloadAssignment.objects.open().filter(family=family, client=None, about_id=None)
    return end_assignments(caseload, on=on, reason=AssignmentEnd.CASE_CLOSED)


def may_manage_family(by: User, family: Family) -> bool:
    """A child welfare supervisor of the family's agency assigns its caseworkers and closes its case."""
    return bool(by.is_active and by.agency_id == family.owner_agency_id and by.has_role(Role.CW_SUPERVISOR))


@transaction.atomic
def close_family_case(by: User, family: Family, *, on: date, reason: str, authorized: bool = False) -> Family:
    """A supervisor closes a family's child welfare case from a day on (or intake closes a family it opened for a
    report, `authorized` by the intake step that closes it).

    Saving the closed family ends its caseload assignments (people/signals.py) and records the case-closed event
    for each member (consent/signals.py), which ends the consents that end when the case closes.
    """
    if not authorized and not may_manage_family(by, family):
        raise PermissionDenied("Only a child welfare supervisor of the family's agency closes its case.")
    if family.closed_on is not None:
        raise ValidationError(f"The {family} case is already closed.")
    if reason not in CaseClosure.values:
        raise ValidationError({"reason": "Say why the case closes."})
    if on > timezone.localdate():
        raise ValidationError({"closed_on": "A case cannot be closed on a day still to come."})
    if on < family.opened_on:
        raise ValidationError({"closed_on": f"The case opened on {us_date(family.opened_on)}: close it on or after."})
    family.closed_on = on
    family.closed_reason = reason
    family.save(update_fields=["closed_on", "closed_reason"])
    # Who closed it, by name, even when no request is behind the call (the family row has no column for it).
    record_event("case_closed", family, details={"closed_on": on, "reason": reason, "closed_by": by.get_username()})
    return family


@transaction.atomic
def assign_attorney(
    by: User, *, about: models.Model, family: Family, attorney: User, represents: Person, on: date, note: str = ""
) -> CaseloadAssignment:
    """A court coordinator assigns an attorney to a party of a case (`about`, the court case)."""
    if Role.ATTORNEY not in attorney.role_codes:
        raise ValidationError({"staff": f"{attorney} is not an attorney."})
    if not is_member(family, represents):
        raise ValidationError({"represents": f"Choose a member of the {family} as the party represented."})
    return assign(
        by,
        staff=attorney,
        family=family,
        about=about,
        represents=represents,
        capacity=Role.ATTORNEY,
        on=on,
        note=note,
    )


@transaction.atomic
def withdraw_attorney(by: User, assignment: CaseloadAssignment, *, on: date, note: str = "") -> CaseloadAssignment:
    """An attorney withdraws from representing a party: the assignment ends that day, and so does every consent
    of the party that ends when representation ends (the consent app's `representation_ended` event)."""
    from familybridge.consent import services as consent_services
    from familybridge.consent.models import ExpiryEvent

    if assignment.capacity != Role.ATTORNEY or assignment.represents_id is None:
        raise ValidationError("This is not an attorney's representation of a party.")
    if on < assignment.assigned_on:
        raise ValidationError({"ended_on": "The withdrawal cannot take effect before the representation started."})
    ended = end_assignment(assignment, by=by, on=on, reason=AssignmentEnd.WITHDREW, note=note)
    consent_services.record_subject_event(ended.represents, ExpiryEvent.REPRESENTATION_ENDED, ended.ended_on)
    return ended
