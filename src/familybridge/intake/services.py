"""Child welfare intake, step by step: receive a report, screen it in or out (proposed by intake staff, approved by a
supervisor who did not propose it), respond (contacts, then a finding on each allegation), then open the family's
case or close the report.

Every step checks who may take it and that the report is at that step, raises ValidationError({field: message}) or
PermissionDenied in plain words, and saves everything or nothing. Model saves are audited by signals; each step's
reason is kept in the record. Families and their members are written through people.families, assignments through
people.services, and the finding of each child through cases.services.record_report, so the timeline, the clocks and
the joint outcome indicators see intake's results as any other report and finding.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import AgencyKind, Role
from familybridge.cases import services as case_records
from familybridge.cases.models import ChildWelfareReport, Disposition
from familybridge.cases.services import RecordKind, register_kind
from familybridge.consent import policy
from familybridge.dates import us_date, us_time
from familybridge.intake.models import (
    ACTIVE_STATUSES,
    FINDINGS_OF_TRACK,
    REASONS_NEEDING_WORDS,
    SCREEN_IN_REASONS,
    SCREEN_OUT_REASONS,
    SCREENING_STATUSES,
    Allegation,
    CloseReason,
    ContactMethod,
    Decision,
    Finding,
    IntakeReport,
    InvestigationContact,
    MaltreatmentType,
    ReporterType,
    ReportStatus,
    ResponseTime,
    ResponseTrack,
    Review,
    ScreeningDecision,
    findings_due,
    screening_due,
)
from familybridge.people import families
from familybridge.people import selectors as people_selectors
from familybridge.people import services as assignments
from familybridge.people.families import may_open_families
from familybridge.people.models import (
    AssignmentEnd,
    CaseClosure,
    CaseloadAssignment,
    Family,
    FamilyMember,
    FamilyStage,
    MemberRole,
    Person,
    Sex,
)

ZIP_CODE = re.compile(r"^\d{5}(-\d{4})?$")
# Roles a perpetrator named at intake may have in the children's household.
PERPETRATOR_ROLES = (MemberRole.PARENT, MemberRole.CAREGIVER)
# The most serious finding first: the child's report takes the most serious of their findings.
DISPOSITION_OF_FINDING = {
    Finding.SUBSTANTIATED: Disposition.SUBSTANTIATED,
    Finding.INDICATED: Disposition.INDICATED,
    Finding.UNSUBSTANTIATED: Disposition.UNSUBSTANTIATED,
    # A family assessment makes no finding of maltreatment: the child's report reads "other" (not a victim).
    Finding.SERVICES_NEEDED: Disposition.OTHER,
    Finding.NO_SERVICES_NEEDED: Disposition.OTHER,
}
SEVERITY = list(DISPOSITION_OF_FINDING)


# --- who may take each step -------------------------------------------------------------------------------------


def _purpose(user: User) -> str:
    return user.default_purpose or ""


def sees_report(user: User, report: IntakeReport) -> bool:
    """The policy point opens the report to the user (a check: nothing is disclosed)."""
    return policy.permitted(user, IntakeReport.objects.filter(pk=report.pk), _purpose(user)).exists()


def is_cw_staff_of(user: User, report: IntakeReport) -> bool:
    same_agency = user.is_active and user.agency_id == report.owner_agency_id
    return bool(same_agency and user.has_role(Role.CASEWORKER, Role.CW_SUPERVISOR))


def is_supervisor_of(user: User, report: IntakeReport) -> bool:
    return bool(user.is_active and user.agency_id == report.owner_agency_id and user.has_role(Role.CW_SUPERVISOR))


def may_screen(user: User, report: IntakeReport) -> bool:
    """The agency's child welfare staff who may see the report propose its screening decision: the worker who
    received it (who works the family until screening is decided) or a supervisor."""
    return is_cw_staff_of(user, report) and sees_report(user, report)


def investigator_assignments(report: IntakeReport) -> QuerySet[CaseloadAssignment]:
    """The open assignments of the staff who investigate or assess the report."""
    about = ContentType.objects.get_for_model(IntakeReport)
    return CaseloadAssignment.objects.open().filter(about_type=about, about_id=report.pk).select_related("staff")


def may_respond(user: User, report: IntakeReport) -> bool:
    """The worker assigned to investigate or assess the report, or a supervisor of the agency, records its
    contacts and findings."""
    if is_supervisor_of(user, report):
        return True
    return is_cw_staff_of(user, report) and investigator_assignments(report).filter(staff=user).exists()


def _ensure(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _ensure_supervisor(user: User, report: IntakeReport, what: str) -> None:
    _ensure(is_supervisor_of(user, report), f"Only a child welfare supervisor of {report.owner_agency} {what}.")


def _refuse(message: str, field_name: str = NON_FIELD_ERRORS) -> None:
    raise ValidationError({field_name: message})


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{us_date(local.date())}, {us_time(local)}"


# --- receiving a report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDetails:
    """What the reporter said and who they are."""

    received_at: datetime | None
    reporter_type: str
    narrative: str
    reporter_name: str = ""
    reporter_contact: str = ""
    address: str = ""
    zip_code: str = ""


@dataclass(frozen=True)
class NewPerson:
    """A person nobody has recorded yet, as typed after the duplicate check found no one who is them."""

    first_name: str
    last_name: str
    birth_date: date | None
    sex: str = Sex.UNKNOWN
    agency_identifier: str = ""


@dataclass(frozen=True)
class ReportPerson:
    """A child or an alleged perpetrator named in the report: a person the user may know of (`person_id`, found by
    the duplicate check) or a new one. `role` is their role in the children's household."""

    key: str
    name: str
    role: str
    person_id: int | None = None
    new: NewPerson | None = None


@dataclass(frozen=True)
class AllegationEntry:
    """A maltreatment type alleged about a child (by key), by an alleged perpetrator (by key) or by no one named."""

    child: str
    maltreatment_type: str
    perpetrator: str = ""


@dataclass(frozen=True)
class Receipt:
    """A report as the receiving worker has put it together."""

    details: ReportDetails
    children: list[ReportPerson]
    perpetrators: list[ReportPerson] = field(default_factory=list)
    allegations: list[AllegationEntry] = field(default_factory=list)
    family_id: int | None = None
    family_name: str = ""


def _text(value: str, field_name: str, what: str, max_length: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        _refuse(f"Enter {what}.", field_name)
    if len(value) > max_length:
        _refuse(f"{what[0].upper()}{what[1:]} can be at most {max_length} characters.", field_name)
    return value


def check_details(details: ReportDetails, *, at_receipt: bool = True) -> ReportDetails:
    """The report's details, checked and tidied (the first page checks them, receiving checks them again, and so
    does a correction, which leaves the moment received as it was)."""
    if at_receipt:
        _check_received_at(details.received_at)
    if details.reporter_type not in ReporterType.values:
        _refuse("Choose who made the report.", "reporter_type")
    zip_code = (details.zip_code or "").strip()
    if zip_code and not ZIP_CODE.match(zip_code):
        _refuse("Enter a ZIP code of 5 digits (or 5 and 4, as 12345-6789).", "zip_code")
    anonymous = details.reporter_type == ReporterType.ANONYMOUS
    name = _text(details.reporter_name, "reporter_name", "the reporter's name", 200)
    if anonymous and name:
        _refuse("An anonymous report has no reporter's name: choose another kind of reporter, or clear it.",
                "reporter_name")
    return ReportDetails(
        received_at=details.received_at,
        reporter_type=details.reporter_type,
        narrative=_text(details.narrative, "narrative", "what the reporter said", 20000, required=True),
        reporter_name=name,
        reporter_contact=_text(details.reporter_contact, "reporter_contact", "the reporter's contact", 200),
        address=_text(details.address, "address", "the address", 300),
        zip_code=zip_code,
    )


def _check_received_at(received_at: datetime | None) -> None:
    if received_at is None:
        _refuse("Enter the day and time the report was received.", "received_at")
    if received_at > timezone.now() + timedelta(minutes=5):
        _refuse("The report cannot have been received in the future.", "received_at")
    if timezone.localdate(received_at) < timezone.localdate() - timedelta(days=366):
        _refuse("Check the day received: it is more than a year ago.", "received_at")


def check_people(user: User, purpose: str, receipt: Receipt) -> dict[int, Person]:
    """The named people are each named once; those linked are people the user may know of (a person they may not,
    such as one known only to a Part 2 program, is refused in the same words as one who does not exist)."""
    if not receipt.children:
        _refuse("Add at least one child the report is about.", "children")
    seen: set[int] = set()
    for section, people in (("children", receipt.children), ("perpetrators", receipt.perpetrators)):
        for person in people:
            if person.person_id is None and person.new is None:
                _refuse(f"Look for {person.name} again.", section)
            if person.person_id is not None:
                if person.person_id in seen:
                    _refuse(f"{person.name} is named twice in this report.", section)
                seen.add(person.person_id)
    for perpetrator in receipt.perpetrators:
        if perpetrator.role not in PERPETRATOR_ROLES:
            _refuse(f"Say whether {perpetrator.name} is a parent or a caregiver of the children.", "perpetrators")
    known = {p.pk: p for p in people_selectors.known_people(user, purpose).filter(pk__in=seen)}
    for section, people in (("children", receipt.children), ("perpetrators", receipt.perpetrators)):
        for person in people:
            if person.person_id is not None and person.person_id not in known:
                _refuse(f"Look for {person.name} again: choose one of the people listed, or add a new person.", section)
    return known


def check_allegations(receipt: Receipt) -> None:
    """Each child has at least one allegation; each alleged perpetrator is named in one; none is given twice."""
    children = {child.key: child for child in receipt.children}
    perpetrators = {perpetrator.key: perpetrator for perpetrator in receipt.perpetrators}
    given = set()
    for allegation in receipt.allegations:
        if allegation.child not in children:
            _refuse("Choose the child of each allegation among the report's children.", "allegations")
        if allegation.maltreatment_type not in MaltreatmentType.values:
            _refuse("Choose the kind of maltreatment alleged.", "allegations")
        if allegation.perpetrator and allegation.perpetrator not in perpetrators:
            _refuse("Choose the alleged perpetrator among those named, or no one named.", "allegations")
        key = (allegation.child, allegation.maltreatment_type, allegation.perpetrator)
        if key in given:
            _refuse("The same allegation is given twice.", "allegations")
        given.add(key)
    alleged = {allegation.child for allegation in receipt.allegations}
    for child in receipt.children:
        if child.key not in alleged:
            _refuse(f"Add what is alleged about {child.name}.", "allegations")
    named = {allegation.perpetrator for allegation in receipt.allegations}
    for perpetrator in receipt.perpetrators:
        if perpetrator.key not in named:
            _refuse(f"Name {perpetrator.name} in an allegation, or take them off the report.", "allegations")


def families_of_children(user: User, purpose: str, person_ids: Iterable[int]) -> QuerySet[Family]:
    """The open families of the user's agency in which the policy point shows the user these people as children: a
    new report about them is a re-report of that family."""
    memberships = people_selectors.identity_records(user, purpose, FamilyMember).filter(
        subject_id__in=list(person_ids), role=MemberRole.CHILD
    )
    return Family.objects.filter(
        pk__in=memberships.values("family_id"), owner_agency_id=user.agency_id, closed_on=None
    ).order_by("name", "pk")


def _works_family(user: User, family: Family) -> CaseloadAssignment | None:
    return CaseloadAssignment.objects.open().filter(staff=user, family=family, client=None, about_id=None).first()


def _add_to_family(user: User, family: Family, person: ReportPerson, purpose: str) -> Person:
    """The person named, as a member of the family: added new, linked, or (a re-report) already there."""
    section = "children" if person.role == MemberRole.CHILD else "perpetrators"
    try:
        return _member(user, family, person, purpose)
    except ValidationError as error:
        raise ValidationError({section: [f"{person.name}: {message}" for message in error.messages]}) from error


def _member(user: User, family: Family, person: ReportPerson, purpose: str) -> Person:
    if person.new is not None:
        new = person.new
        return families.add_new_member(
            user,
            family,
            first_name=new.first_name,
            last_name=new.last_name,
            birth_date=new.birth_date,
            sex=new.sex,
            role=person.role,
            agency_identifier=new.agency_identifier,
        ).subject
    member = FamilyMember.unrestricted.filter(family=family, subject_id=person.person_id).first()
    if member is None:
        return families.link_member(user, family, person_id=person.person_id, role=person.role, purpose=purpose).subject
    if person.role == MemberRole.CHILD and member.role != MemberRole.CHILD:
        _refuse(f"Already in {family} as a {member.get_role_display().lower()}, not a child.")
    return member.subject


@transaction.atomic
def receive_report(user: User, receipt: Receipt, *, purpose: str) -> IntakeReport:
    """Record a report as received: its details, its children and alleged perpetrators (each linked to the person the
    duplicate check found, or new), and the allegations. If the children are in an open family the user may see,
    the report is that family's (a re-report); else a family is opened at intake. The receiver works the family
    until screening is decided."""
    _ensure(may_open_families(user), "Only caseworkers and supervisors of a child welfare agency receive reports.")
    details = check_details(receipt.details)
    check_people(user, purpose, receipt)
    check_allegations(receipt)
    linked_children = [child.person_id for child in receipt.children if child.person_id is not None]
    if receipt.family_id is not None:
        family = families_of_children(user, purpose, linked_children).filter(pk=receipt.family_id).first()
        if family is None:
            _refuse("Choose one of the families listed, or a new family.", "family")
    else:
        family = None
    received_on = timezone.localdate(details.received_at)
    working = _works_family(user, family) if family is not None else None
    if family is None:
        family = families.open_family(user, name=receipt.family_name, opened_on=received_on, at_intake=True)
    people = {person.key: _add_to_family(user, family, person, purpose) for person in receipt.children}
    people |= {person.key: _add_to_family(user, family, person, purpose) for person in receipt.perpetrators}
    report = IntakeReport(
        owner_agency_id=family.owner_agency_id,
        subject=people[receipt.children[0].key],
        family=family,
        received_at=details.received_at,
        received_by=user,
        recorded_by=user,
        reporter_type=details.reporter_type,
        reporter_name=details.reporter_name,
        reporter_contact=details.reporter_contact,
        narrative=details.narrative,
        address=details.address,
        zip_code=details.zip_code,
        screening_due_at=screening_due(details.received_at),
    )
    if working is None:
        report.intake_assignment = _works_family(user, family) or assignments.assign(
            None, staff=user, family=family, on=received_on, note="Received a report: works it until it is screened."
        )
    elif _screening_under(working):
        # She works the family only to screen another report: she works it until both are screened.
        report.intake_assignment = working
    report.set_next_due()
    report.save()
    for allegation in receipt.allegations:
        Allegation.objects.create(
            owner_agency_id=report.owner_agency_id,
            subject=people[allegation.child],
            report=report,
            maltreatment_type=allegation.maltreatment_type,
            perpetrator=people[allegation.perpetrator] if allegation.perpetrator else None,
            recorded_by=user,
        )
    return report


# --- screening --------------------------------------------------------------------------------------------------


def _locked(report: IntakeReport) -> IntakeReport:
    """The report as stored, locked until the step is saved: two people taking the same step at once take it once."""
    return IntakeReport.unrestricted.select_for_update().select_related("family", "owner_agency").get(pk=report.pk)


def _ensure_status(report: IntakeReport, *allowed: str) -> None:
    if report.status in allowed:
        return
    messages = {
        ReportStatus.AWAITING_SCREENING: "This report has not been screened yet.",
        ReportStatus.AWAITING_APPROVAL: "This report's screening decision is awaiting a supervisor's approval.",
        ReportStatus.RESPONDING: "This report was screened in: its investigation or assessment is under way.",
        ReportStatus.FINDINGS_RECORDED: "This report's findings are recorded: a case is to be opened or it closed.",
        ReportStatus.CASE_OPENED: f"A case was opened from this report on {_day(report.case_opened_on)}.",
        ReportStatus.CLOSED: f"This report was closed on {_day(report.closed_on)}.",
    }
    _refuse(messages[report.status])


def _day(day: date | None) -> str:
    return us_date(day) if day else "an earlier day"


@transaction.atomic
def propose_screening(
    user: User,
    report: IntakeReport,
    *,
    decision: str,
    reason: str,
    note: str = "",
    response_track: str = "",
    response_hours: int | None = None,
) -> ScreeningDecision:
    """Intake staff propose to screen the report in (with a response track and time) or out, with a reason from the
    list and, for "other", in words. A supervisor who did not propose it approves it or sends it back."""
    report = _locked(report)
    _ensure(may_screen(user, report), "Only the agency's child welfare staff who work this report screen it.")
    _ensure_status(report, ReportStatus.AWAITING_SCREENING)
    if decision not in Decision.values:
        _refuse("Choose whether to screen the report in or out.", "decision")
    reasons = SCREEN_IN_REASONS if decision == Decision.SCREEN_IN else SCREEN_OUT_REASONS
    if reason not in reasons:
        direction = "in" if decision == Decision.SCREEN_IN else "out"
        _refuse(f"Choose the reason to screen the report {direction}.", "reason")
    note = (note or "").strip()
    if reason in REASONS_NEEDING_WORDS and not note:
        _refuse("Say in words why, since the reason is “other”.", "note")
    if decision == Decision.SCREEN_IN:
        if response_track not in ResponseTrack.values:
            _refuse("Choose an investigation or a family assessment.", "response_track")
        if response_hours not in ResponseTime.values:
            _refuse("Choose how soon the children must be seen.", "response_hours")
    else:
        response_track, response_hours = "", None
    proposal = ScreeningDecision.objects.create(
        owner_agency_id=report.owner_agency_id,
        subject_id=report.subject_id,
        report=report,
        decision=decision,
        reason=reason,
        note=note,
        response_track=response_track,
        response_hours=response_hours,
        proposed_by=user,
        proposed_at=timezone.now(),
        recorded_by=user,
    )
    report.status = ReportStatus.AWAITING_APPROVAL
    report.set_next_due()
    report.save(update_fields=["status", "next_due_at", "updated_at"])
    return proposal


def _pending(report: IntakeReport) -> ScreeningDecision:
    decision = ScreeningDecision.unrestricted.filter(report=report, review=Review.PENDING).first()
    if decision is None:
        _refuse("No screening decision is awaiting approval.")
    return decision


def _screening_under(assignment: CaseloadAssignment, *, besides: IntakeReport | None = None) -> bool:
    """Whether a report still being screened is worked under this intake assignment (besides the one named)."""
    reports = IntakeReport.unrestricted.filter(intake_assignment=assignment, status__in=SCREENING_STATUSES)
    if besides is not None:
        reports = reports.exclude(pk=besides.pk)
    return reports.exists()


def _end_intake_assignment(report: IntakeReport, *, by: User, on: date) -> None:
    """The receiver's work on the family ends with the screening, unless she still screens another of its reports."""
    if report.intake_assignment_id is not None and not _screening_under(report.intake_assignment, besides=report):
        assignments.end_assignments(
            CaseloadAssignment.objects.open().filter(pk=report.intake_assignment_id),
            on=on,
            reason=AssignmentEnd.INTAKE_DONE,
            by=by,
        )


def _close_family_if_only_for(report: IntakeReport, *, by: User, on: date) -> None:
    """A family opened at intake for reports that have all been closed is closed with the last of them."""
    family = report.family
    if family.stage != FamilyStage.INTAKE:
        return
    others_active = IntakeReport.unrestricted.filter(family=family, status__in=ACTIVE_STATUSES).exclude(pk=report.pk)
    if not others_active.exists():
        assignments.close_family_case(by, family, on=on, reason=CaseClosure.CLOSED_AT_INTAKE, authorized=True)


def _ensure_investigator(by: User, report: IntakeReport, investigator: User | None) -> User:
    if investigator is None:
        _refuse("Choose the worker who will investigate or assess the report.", "investigator")
    fits = investigator.is_active and investigator.has_role(Role.CASEWORKER, Role.CW_SUPERVISOR)
    if not fits or not assignments.may_assign(by, investigator):
        _refuse(f"Choose a caseworker of {report.owner_agency}.", "investigator")
    return investigator


@transaction.atomic
def approve_screening(by: User, report: IntakeReport, *, investigator: User | None = None) -> IntakeReport:
    """A supervisor approves the decision proposed — never her own: two people decide each screening.

    Screened in: the response track and time take effect (the time counts from receipt) and the supervisor assigns
    the investigator (an assignment about the report). Screened out: the report is closed, and a family opened at
    intake only for it is closed too (which ends its assignments and the consents that end with the case)."""
    report = _locked(report)
    _ensure_supervisor(by, report, "approves screening decisions")
    _ensure_status(report, ReportStatus.AWAITING_APPROVAL)
    decision = _pending(report)
    if decision.proposed_by_id == by.pk:
        raise PermissionDenied(
            "You proposed this decision: another supervisor approves it, so that two people decide each screening."
        )
    now = timezone.now()
    today = timezone.localdate()
    if decision.decision == Decision.SCREEN_IN:
        investigator = _ensure_investigator(by, report, investigator)
    decision.review = Review.APPROVED
    decision.reviewed_by = by
    decision.reviewed_at = now
    decision.save(update_fields=["review", "reviewed_by", "reviewed_at", "updated_at"])
    _end_intake_assignment(report, by=by, on=today)
    if decision.decision == Decision.SCREEN_IN:
        report.status = ReportStatus.RESPONDING
        report.response_track = decision.response_track
        report.response_due_at = report.received_at + timedelta(hours=decision.response_hours)
        report.findings_due_on = findings_due(report.received_at)
        report.set_next_due()
        report.save()
        what = "assess" if report.response_track == ResponseTrack.FAMILY_ASSESSMENT else "investigate"
        assignments.assign(
            by, staff=investigator, family=report.family, about=report, on=today, note=f"To {what} report {report.pk}."
        )
        return report
    report.status = ReportStatus.CLOSED
    report.closed_on = today
    report.close_reason = CloseReason.SCREENED_OUT
    report.close_note = decision.get_reason_display() + (f": {decision.note}" if decision.note else "")
    report.decided_by = by
    report.set_next_due()
    report.save()
    _close_family_if_only_for(report, by=by, on=today)
    return report


@transaction.atomic
def send_back(by: User, report: IntakeReport, *, note: str) -> ScreeningDecision:
    """A supervisor sends the proposed decision back, saying what should change; the report awaits screening again."""
    report = _locked(report)
    _ensure_supervisor(by, report, "sends screening decisions back")
    _ensure_status(report, ReportStatus.AWAITING_APPROVAL)
    note = (note or "").strip()
    if not note:
        _refuse("Say what should change before the decision can be approved.", "review_note")
    decision = _pending(report)
    decision.review = Review.SENT_BACK
    decision.reviewed_by = by
    decision.reviewed_at = timezone.now()
    decision.review_note = note
    decision.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    report.status = ReportStatus.AWAITING_SCREENING
    report.set_next_due()
    report.save(update_fields=["status", "next_due_at", "updated_at"])
    return decision


# --- investigation or assessment --------------------------------------------------------------------------------


def _alleged_victim_ids(report: IntakeReport) -> set[int]:
    return set(Allegation.unrestricted.filter(report=report).values_list("subject_id", flat=True))


@transaction.atomic
def record_contact(
    user: User,
    report: IntakeReport,
    *,
    person_id: int | None,
    contacted_at: datetime | None,
    method: str,
    note: str = "",
) -> InvestigationContact:
    """A contact made while investigating or assessing, with a member of the report's family. The first in-person
    contact with an alleged victim is the response, on time or late against the response time."""
    _ensure(
        may_respond(user, report),
        "Only the worker assigned to investigate or assess this report, or a supervisor, records its contacts.",
    )
    report = _locked(report)
    _ensure_status(report, ReportStatus.RESPONDING)
    if person_id is None or not FamilyMember.unrestricted.filter(family=report.family, subject_id=person_id).exists():
        _refuse(f"Choose a member of {report.family}.", "person")
    checked = _contact_values(report, {"contacted_at": contacted_at, "method": method, "note": note})
    contact = InvestigationContact.objects.create(
        owner_agency_id=report.owner_agency_id, subject_id=person_id, report=report, recorded_by=user, **checked
    )
    _keep_response(report)
    return contact


def _contact_values(report: IntakeReport, values: dict[str, Any]) -> dict[str, Any]:
    """A contact's when, how and note, checked: when recorded, and when corrected."""
    contacted_at, method = values["contacted_at"], values["method"]
    if method not in ContactMethod.values:
        _refuse("Choose how the contact was made.", "method")
    if contacted_at is None:
        _refuse("Enter the day and time of the contact.", "contacted_at")
    if contacted_at > timezone.now() + timedelta(minutes=5):
        _refuse("The contact cannot be in the future.", "contacted_at")
    if contacted_at < report.received_at:
        _refuse(f"The contact cannot be before the report was received ({_when(report.received_at)}).", "contacted_at")
    note = _text(values.get("note", ""), "note", "the note", 5000)
    return {"contacted_at": contacted_at, "method": method, "note": note}


def _responses(report: IntakeReport) -> QuerySet[InvestigationContact]:
    """The report's contacts (not voided) in person with an alleged victim: the first of them is the response."""
    return InvestigationContact.unrestricted.filter(
        report=report, method=ContactMethod.IN_PERSON, subject_id__in=_alleged_victim_ids(report)
    )


def _keep_response(report: IntakeReport) -> None:
    """The report's response is its first contact in person with an alleged victim, as the contacts now stand."""
    first = _responses(report).order_by("contacted_at").values_list("contacted_at", flat=True).first()
    if first != report.first_contact_at:
        report.first_contact_at = first
        report.set_next_due()
        report.save(update_fields=["first_contact_at", "next_due_at", "updated_at"])


def _summary(report: IntakeReport, allegations: list[Allegation]) -> str:
    found = "; ".join(f"{a.get_maltreatment_type_display()}: {a.get_finding_display().lower()}" for a in allegations)
    return f"Intake report {report.pk} ({report.get_response_track_display().lower()}). {found}."


@transaction.atomic
def record_findings(user: User, report: IntakeReport, *, findings: dict[int, str]) -> list[ChildWelfareReport]:
    """The finding on every allegation, once the children have been seen: substantiated, indicated or
    unsubstantiated after an investigation; services needed or not after a family assessment. Each child's report
    and finding (cases.ChildWelfareReport: the day received, the child's most serious finding) is written for the
    timeline, the clocks and the joint outcome indicators."""
    report = _locked(report)
    _ensure(
        may_respond(user, report),
        "Only the worker assigned to investigate or assess this report, or a supervisor, records its findings.",
    )
    if report.status in (ReportStatus.AWAITING_SCREENING, ReportStatus.AWAITING_APPROVAL):
        _refuse("Findings are recorded once the report is screened in and the children seen.")
    if report.status in (ReportStatus.FINDINGS_RECORDED, ReportStatus.CASE_OPENED) or (
        report.findings_recorded_at is not None
    ):
        _refuse(f"The findings were already recorded on {_when(report.findings_recorded_at)}.")
    _ensure_status(report, ReportStatus.RESPONDING)
    if report.first_contact_at is None:
        _refuse("Record the first in-person contact with the children before the findings.")
    allowed = FINDINGS_OF_TRACK[report.response_track]
    allegations = list(Allegation.unrestricted.filter(report=report).select_related("subject").order_by("pk"))
    errors = {
        f"finding_{a.pk}": "Choose the finding." for a in allegations if findings.get(a.pk) not in allowed
    }
    if errors:
        raise ValidationError(errors)
    by_child: dict[int, list[Allegation]] = {}
    for allegation in allegations:
        allegation.finding = findings[allegation.pk]
        by_child.setdefault(allegation.subject_id, []).append(allegation)
    written = []
    received_on = timezone.localdate(report.received_at)
    for child_allegations in by_child.values():
        most_serious = min((a.finding for a in child_allegations), key=SEVERITY.index)
        child_report = case_records.record_report(
            user,
            report.family,
            subject=child_allegations[0].subject,
            report_date=received_on,
            disposition=DISPOSITION_OF_FINDING[most_serious],
            summary=_summary(report, child_allegations),
        )
        for allegation in child_allegations:
            allegation.child_welfare_report = child_report
            allegation.save(update_fields=["finding", "child_welfare_report", "updated_at"])
        written.append(child_report)
    report.status = ReportStatus.FINDINGS_RECORDED
    report.findings_recorded_at = timezone.now()
    report.findings_recorded_by = user
    report.set_next_due()
    report.save()
    return written


# --- the outcome: a case opened, or the report closed -----------------------------------------------------------


def _ensure_outcome_step(report: IntakeReport) -> None:
    if report.status in (ReportStatus.AWAITING_SCREENING, ReportStatus.AWAITING_APPROVAL, ReportStatus.RESPONDING):
        _refuse("A case is opened, or the report closed, once its findings are recorded.")
    _ensure_status(report, ReportStatus.FINDINGS_RECORDED)


def _check_outcome_day(report: IntakeReport, day: date | None, field_name: str, what: str) -> date:
    if day is None:
        _refuse(f"Enter the day the {what}.", field_name)
    if day > timezone.localdate():
        _refuse(f"The day the {what} cannot be in the future.", field_name)
    received_on = timezone.localdate(report.received_at)
    if day < received_on:
        _refuse(f"The day the {what} cannot be before the report was received ({us_date(received_on)}).", field_name)
    return day


@transaction.atomic
def open_case(
    by: User, report: IntakeReport, *, case_number: str = "", opened_on: date | None, caseworker: User | None
) -> Family:
    """A supervisor opens the family's case from the report (its case number and opening day, for a family at
    intake; a family whose case is already open keeps it) and assigns the ongoing caseworker: the investigator goes
    on working the family, or hands it to the caseworker that day."""
    report = _locked(report)
    _ensure_supervisor(by, report, "opens a case from a report")
    _ensure_outcome_step(report)
    opened_on = _check_outcome_day(report, opened_on, "opened_on", "case opened")
    if caseworker is None or not caseworker.is_active or not caseworker.has_role(Role.CASEWORKER):
        _refuse(f"Choose a caseworker of {report.owner_agency} to work the family's case.", "caseworker")
    assignments.ensure_may_assign(by, caseworker)
    family = report.family
    if family.stage == FamilyStage.INTAKE:
        families.open_case(by, family, case_number=case_number, opened_on=opened_on)
    elif family.stage == FamilyStage.CLOSED:
        _refuse(f"{family} was closed on {_day(family.closed_on)}.")
    elif case_number.strip() and case_number.strip() != family.case_number:
        _refuse(f"{family}'s case is already open, as case {family.case_number or 'without a number'}.", "case_number")
    for investigation in investigator_assignments(report):
        reason = AssignmentEnd.INTAKE_DONE if investigation.staff_id == caseworker.pk else AssignmentEnd.TRANSFERRED
        assignments.end_assignment(investigation, by=by, on=opened_on, reason=reason, note="Case opened.")
    if _works_family(caseworker, family) is None:
        note = f"Case opened from report {report.pk}."
        assignments.assign(by, staff=caseworker, family=family, on=opened_on, note=note)
    report.status = ReportStatus.CASE_OPENED
    report.case_opened_on = opened_on
    report.decided_by = by
    report.set_next_due()
    report.save()
    return family


@transaction.atomic
def close_report(by: User, report: IntakeReport, *, reason: str, note: str = "", on: date | None) -> IntakeReport:
    """A supervisor closes a report after its findings, with a reason (and words for "other"): its investigation
    ends, and a family opened at intake only for it is closed too."""
    report = _locked(report)
    _ensure_supervisor(by, report, "closes reports")
    if report.status == ReportStatus.CLOSED:
        _refuse(f"This report was already closed on {_day(report.closed_on)}.")
    if report.status == ReportStatus.CASE_OPENED:
        _refuse("A case was opened from this report: close the family's case instead.")
    _ensure_outcome_step(report)
    if reason not in CloseReason.values or reason == CloseReason.SCREENED_OUT:
        _refuse("Choose why the report is closed.", "reason")
    note = _text(note, "note", "the note", 5000)
    if reason == CloseReason.OTHER and not note:
        _refuse("Say in words why, since the reason is “other”.", "note")
    on = _check_outcome_day(report, on, "closed_on", "report closed")
    assignments.end_assignments(investigator_assignments(report), on=on, reason=AssignmentEnd.INTAKE_DONE, by=by)
    report.status = ReportStatus.CLOSED
    report.closed_on = on
    report.close_reason = reason
    report.close_note = note
    report.decided_by = by
    report.set_next_due()
    report.save()
    _close_family_if_only_for(report, by=by, on=on)
    return report


# --- correcting and voiding intake's records (cases.corrections) ---------------------------------------------------
#
# The report's details, an allegation (its type; its finding once recorded) and a contact are corrected with a reason
# by their writer or a supervisor, under the rules they were written under. A report entered in error is voided, with
# its allegations, decisions and contacts, while it is still being screened; after that it is closed, not voided.
# Screening decisions are not corrected: a decision is sent back and proposed again, and an approved one stands.


def _report_rules(user: User, family: Family | None, values: dict[str, Any], record: Any) -> dict[str, Any]:
    details = check_details(
        ReportDetails(
            received_at=values["received_at"],
            reporter_type=values["reporter_type"],
            narrative=values["narrative"],
            reporter_name=values["reporter_name"],
            reporter_contact=values["reporter_contact"],
            address=values["address"],
            zip_code=values["zip_code"],
        ),
        at_receipt=False,
    )
    return {
        "reporter_type": details.reporter_type,
        "reporter_name": details.reporter_name,
        "reporter_contact": details.reporter_contact,
        "narrative": details.narrative,
        "address": details.address,
        "zip_code": details.zip_code,
    }


def _report_void_check(report: Any) -> None:
    if report.status not in SCREENING_STATUSES:
        _refuse("A report is voided only while it is being screened: close it instead, or correct it.")


def _sync_voided_report(report: Any) -> None:
    """A report voided as entered in error: its receiver stops working the family for it, and a family opened at
    intake only for it is closed."""
    if not report.is_voided:
        return
    today = timezone.localdate()
    _close_family_if_only_for(report, by=report.voided_by, on=today)
    _end_intake_assignment(report, by=report.voided_by, on=today)


def _allegation_rules(user: User, family: Family | None, values: dict[str, Any], record: Any) -> dict[str, Any]:
    if values["maltreatment_type"] not in MaltreatmentType.values:
        _refuse("Choose the kind of maltreatment alleged.", "maltreatment_type")
    report = record.report
    finding = values.get("finding") or ""
    if report.findings_recorded_at is None and finding:
        _refuse("Findings are recorded for all the report's allegations at once, once the children are seen.",
                "finding")
    if report.findings_recorded_at is not None and finding not in FINDINGS_OF_TRACK[report.response_track]:
        _refuse(f"Choose a finding of the report's {report.get_response_track_display().lower()}.", "finding")
    return {"maltreatment_type": values["maltreatment_type"], "finding": finding}


def _allegation_void_check(allegation: Any) -> None:
    if allegation.report.findings_recorded_at is not None:
        _refuse("Its finding is recorded: correct the finding instead.")
    if not Allegation.unrestricted.filter(report_id=allegation.report_id).exclude(pk=allegation.pk).exists():
        _refuse("This is the report's only allegation: void the report instead.")


def _sync_child_report(allegation: Any) -> None:
    """A corrected finding changes the child's report and finding (the most serious of the child's findings), with
    the same author and reason in its history."""
    if allegation.child_welfare_report_id is None:
        return
    report = allegation.report
    child_allegations = list(
        Allegation.unrestricted.filter(report=report, subject_id=allegation.subject_id).order_by("pk")
    )
    most_serious = min((a.finding for a in child_allegations), key=SEVERITY.index)
    child_report = ChildWelfareReport.unrestricted.get(pk=allegation.child_welfare_report_id)
    child_report.disposition = DISPOSITION_OF_FINDING[most_serious]
    child_report.summary = _summary(report, child_allegations)
    child_report._history_user = getattr(allegation, "_history_user", None)
    child_report._change_reason = getattr(allegation, "_change_reason", None)
    child_report.save(update_fields=["disposition", "summary", "updated_at"])


def _contact_rules(user: User, family: Family | None, values: dict[str, Any], record: Any) -> dict[str, Any]:
    checked = _contact_values(record.report, values)
    responses = _responses(record.report).exclude(pk=record.pk)
    is_response = checked["method"] == ContactMethod.IN_PERSON and record.subject_id in _alleged_victim_ids(
        record.report
    )
    if record.report.findings_recorded_at is not None and not is_response and not responses.exists():
        _refuse("The findings rest on this contact, the only one in person with the children.", "method")
    return checked


def _contact_void_check(contact: Any) -> None:
    others = _responses(contact.report).exclude(pk=contact.pk)
    if contact.report.findings_recorded_at is not None and not others.exists():
        _refuse("The findings rest on this contact, the only one in person with the children.")


def _sync_response(contact: Any) -> None:
    _keep_response(IntakeReport.unrestricted.get(pk=contact.report_id))


CW_WRITERS = frozenset({Role.CASEWORKER, Role.CW_SUPERVISOR})

register_kind(
    RecordKind(
        "intake-report",
        "Report received (intake)",
        AgencyKind.CHILD_WELFARE,
        CW_WRITERS,
        receive_report,
        IntakeReport,
        ("reporter_type", "reporter_name", "reporter_contact", "narrative", "address", "zip_code"),
        _report_rules,
        sync=_sync_voided_report,
        voids_with=("allegations", "decisions", "contacts"),
        void_check=_report_void_check,
        in_add_menu=False,
    )
)
register_kind(
    RecordKind(
        "intake-allegation",
        "Allegation",
        AgencyKind.CHILD_WELFARE,
        CW_WRITERS,
        receive_report,
        Allegation,
        ("maltreatment_type", "finding"),
        _allegation_rules,
        sync=_sync_child_report,
        void_check=_allegation_void_check,
        in_add_menu=False,
    )
)
register_kind(
    RecordKind(
        "intake-contact",
        "Investigation contact",
        AgencyKind.CHILD_WELFARE,
        CW_WRITERS,
        record_contact,
        InvestigationContact,
        ("contacted_at", "method", "note"),
        _contact_rules,
        sync=_sync_response,
        void_check=_contact_void_check,
        in_add_menu=False,
    )
)
