"""Recording the three systems' records day to day: each agency writes only its own kind, about its family.

Every write checks, in this order: the user works cases at an agency of the right kind in a role that
records this kind; the family is visible to them; the person is a visible member of the family in the
right role; the parent record (removal episode, treatment episode, court case) is their agency's own and
about this family; the dates make sense. The new record belongs to the user's agency. Nothing is saved
unless everything is.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from familybridge.agencies.models import AgencyKind, User
from familybridge.agencies.roles import Role
from familybridge.audit.services import audited_update
from familybridge.cases import models as m
from familybridge.cases.selectors import FTC_RESPONSE_SOURCES
from familybridge.consent import policy
from familybridge.people import selectors as people_selectors
from familybridge.people.models import Family, FamilyMember, MemberRole, Person, ProtectedRecord, derive_provenance

CHILD_WELFARE_WRITERS = frozenset({Role.CASEWORKER, Role.CW_SUPERVISOR})
CLINICAL_WRITERS = frozenset({Role.COUNSELOR, Role.CLINICAL_SUPERVISOR})
# Peer recovery specialists run and sit in groups: they may record attendance, not clinical records.
ATTENDANCE_WRITERS = CLINICAL_WRITERS | {Role.PEER_RECOVERY_SPECIALIST}
COURT_WRITERS = frozenset({Role.JUDGE, Role.COURT_COORDINATOR})
WRITER_AGENCY_NAMES = {
    AgencyKind.CHILD_WELFARE: "child welfare",
    AgencyKind.SUD_TREATMENT: "SUD treatment program",
    AgencyKind.COURT: "court",
}


@dataclass(frozen=True)
class RecordKind:
    """A kind of record staff add from the family page: who may write it, and the service that does."""

    slug: str
    label: str
    agency_kind: str
    roles: frozenset[str]
    write: Callable[..., object]

    def writable_by(self, user: User) -> bool:
        agency = user.agency
        if agency is None or agency.kind != self.agency_kind or not user.has_role(*self.roles):
            return False
        # Treatment records are Part 2 records: only a Part 2 program keeps them.
        return self.agency_kind != AgencyKind.SUD_TREATMENT or agency.is_part2_program


def ensure_may_write(user: User, slug: str) -> RecordKind:
    kind = RECORD_KINDS[slug]
    if not kind.writable_by(user):
        agency_kind = WRITER_AGENCY_NAMES[kind.agency_kind]
        roles = ", ".join(sorted(Role(r).label.lower() for r in kind.roles))
        raise PermissionDenied(f"Only {agency_kind} staff ({roles}) record a {kind.label.lower()}.")
    return kind


def writable_kinds(user: User) -> list[RecordKind]:
    """The record kinds the user's agency and roles let them add, in menu order."""
    return [kind for kind in RECORD_KINDS.values() if kind.writable_by(user)]


def _purpose(user: User) -> str:
    return user.default_purpose or ""


def _ensure_family_visible(user: User, family: Family) -> None:
    if not people_selectors.families_visible_to(user, _purpose(user)).filter(pk=family.pk).exists():
        raise PermissionDenied("This family is not open to you.")


def _ensure_member(user: User, family: Family, person: Person, role: str | None, field: str = "subject") -> None:
    """The person is a member of the family (in that role, if one is named), and one the user may know of."""
    members = FamilyMember.unrestricted.filter(family=family, subject=person)
    is_member = (members.filter(role=role) if role else members).exists()
    if not is_member or person.pk not in people_selectors.visible_member_ids(user, family, _purpose(user)):
        who = f"a {MemberRole(role).label.lower()}" if role else "a member"
        raise ValidationError({field: f"Choose {who} of the {family.name}."})


def _ensure_own(user: User, family: Family, record: m.SourcedRecord, field: str, what: str) -> None:
    """A parent record the new one hangs on is the user's agency's own and about a member of this family."""
    about_family = FamilyMember.unrestricted.filter(family=family, subject_id=record.subject_id).exists()
    if record.owner_agency_id != user.agency_id or not about_family:
        raise ValidationError({field: f"Choose one of your agency's {what} for the {family.name}."})


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _not_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"The {what} cannot be in the future."})


def _not_before(day: date, start: date, field: str, message: str) -> None:
    if day < start:
        raise ValidationError({field: message})


def _within_treatment(episode: m.TreatmentEpisode, day: date, field: str, what: str) -> None:
    admitted = _day(episode.admission_date)
    _not_before(day, episode.admission_date, field, f"The {what} cannot be before admission ({admitted}).")
    if episode.discharge_date and day > episode.discharge_date:
        discharged = _day(episode.discharge_date)
        raise ValidationError({field: f"The {what} cannot be after discharge ({discharged})."})


def _start(user: User, family: Family, slug: str) -> None:
    ensure_may_write(user, slug)
    _ensure_family_visible(user, family)


# Child welfare


@transaction.atomic
def record_report(
    user: User, family: Family, *, subject: Person, report_date: date, disposition: str, summary: str = ""
) -> m.ChildWelfareReport:
    """A report of suspected abuse or neglect about a child, and its finding."""
    _start(user, family, "report")
    _ensure_member(user, family, subject, MemberRole.CHILD)
    _not_future(report_date, "report_date", "report date")
    return m.ChildWelfareReport.objects.create(
        owner_agency=user.agency,
        subject=subject,
        family=family,
        report_date=report_date,
        disposition=disposition,
        summary=summary.strip(),
    )


@transaction.atomic
def record_removal(user: User, family: Family, *, subject: Person, removal_date: date) -> m.RemovalEpisode:
    """A child enters care: a new removal episode, open until discharge."""
    _start(user, family, "removal")
    _ensure_member(user, family, subject, MemberRole.CHILD)
    _not_future(removal_date, "removal_date", "removal date")
    if m.RemovalEpisode.unrestricted.filter(subject=subject, discharge_date=None).exists():
        raise ValidationError({"subject": f"{subject} is already in care: discharge that episode first."})
    return m.RemovalEpisode.objects.create(
        owner_agency=user.agency, subject=subject, family=family, removal_date=removal_date
    )


@transaction.atomic
def discharge_removal(
    user: User, family: Family, *, episode: m.RemovalEpisode, discharge_date: date, discharge_reason: str
) -> m.RemovalEpisode:
    """A child leaves care: the episode's discharge date and reason."""
    _start(user, family, "removal-discharge")
    _ensure_own(user, family, episode, "episode", "removal episodes")
    if episode.discharge_date:
        raise ValidationError({"episode": "This episode is already discharged."})
    _not_future(discharge_date, "discharge_date", "discharge date")
    removed = _day(episode.removal_date)
    _not_before(
        discharge_date, episode.removal_date, "discharge_date", f"Discharge cannot be before removal ({removed})."
    )
    settings = m.PlacementSetting.unrestricted.filter(episode=episode)
    last_start = settings.order_by("-setting_start").values_list("setting_start", flat=True).first()
    if last_start and discharge_date < last_start:
        started = _day(last_start)
        raise ValidationError({"discharge_date": f"Discharge cannot be before the last placement started ({started})."})
    if discharge_reason not in m.DischargeReason.values:
        raise ValidationError({"discharge_reason": "Choose why the child left care."})
    episode.discharge_date = discharge_date
    episode.discharge_reason = discharge_reason
    episode.save(update_fields=["discharge_date", "discharge_reason", "updated_at"])
    audited_update(episode.settings.filter(setting_end=None), setting_end=discharge_date)
    return episode


@transaction.atomic
def record_placement(
    user: User,
    family: Family,
    *,
    episode: m.RemovalEpisode,
    setting_type: str,
    setting_start: date,
    setting_end: date | None = None,
) -> m.PlacementSetting:
    """Where a child lives from a day on; the setting before it, if still open, ends that day."""
    _start(user, family, "placement")
    _ensure_own(user, family, episode, "episode", "removal episodes")
    _not_future(setting_start, "setting_start", "placement start")
    removed = _day(episode.removal_date)
    _not_before(
        setting_start, episode.removal_date, "setting_start", f"A placement cannot start before removal ({removed})."
    )
    if setting_end and setting_end < setting_start:
        raise ValidationError({"setting_end": "A placement cannot end before it starts."})
    if episode.discharge_date:
        discharged = _day(episode.discharge_date)
        if setting_start > episode.discharge_date or (setting_end and setting_end > episode.discharge_date):
            raise ValidationError(
                {"setting_start": f"The placement must fall within the episode (discharged {discharged})."}
            )
        setting_end = setting_end or episode.discharge_date
    still_open = episode.settings.filter(setting_end=None, setting_start__lte=setting_start)
    audited_update(still_open, setting_end=setting_start)
    return m.PlacementSetting.objects.create(
        owner_agency=user.agency,
        subject=episode.subject,
        episode=episode,
        setting_type=setting_type,
        setting_start=setting_start,
        setting_end=setting_end,
    )


@transaction.atomic
def record_permanency_plan(
    user: User,
    family: Family,
    *,
    subject: Person,
    goal: str,
    set_on: date,
    concurrent_goal: str = "",
    tpr_exception: str = "",
    exception_note: str = "",
) -> m.PermanencyPlan:
    _start(user, family, "permanency-plan")
    _ensure_member(user, family, subject, MemberRole.CHILD)
    _not_future(set_on, "set_on", "date the goal was set")
    if concurrent_goal and concurrent_goal == goal:
        raise ValidationError({"concurrent_goal": "The concurrent goal must differ from the primary goal."})
    if tpr_exception and not exception_note.strip():
        raise ValidationError({"exception_note": "Say what supports the exception: the court will ask."})
    return m.PermanencyPlan.objects.create(
        owner_agency=user.agency,
        subject=subject,
        family=family,
        goal=goal,
        concurrent_goal=concurrent_goal,
        tpr_exception=tpr_exception,
        exception_note=exception_note.strip(),
        set_on=set_on,
    )


@transaction.atomic
def record_case_plan_service(
    user: User,
    family: Family,
    *,
    subject: Person,
    service: str,
    start_date: date,
    status: str,
    provider_name: str = "",
    end_date: date | None = None,
) -> m.CasePlanService:
    _start(user, family, "case-plan-service")
    _ensure_member(user, family, subject, None)
    if not service.strip():
        raise ValidationError({"service": "Name the service."})
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": "A service cannot end before it starts."})
    return m.CasePlanService.objects.create(
        owner_agency=user.agency,
        subject=subject,
        family=family,
        service=service.strip(),
        provider_name=provider_name.strip(),
        start_date=start_date,
        end_date=end_date,
        status=status,
    )


@transaction.atomic
def record_visit(
    user: User,
    family: Family,
    *,
    subject: Person,
    parent: Person,
    visit_date: date,
    attended: bool,
    supervised: bool = True,
    note: str = "",
) -> m.Visitation:
    """Family time between a child (the subject) and a parent."""
    _start(user, family, "visit")
    _ensure_member(user, family, subject, MemberRole.CHILD)
    _ensure_member(user, family, parent, MemberRole.PARENT, field="parent")
    _not_future(visit_date, "visit_date", "visit date")
    return m.Visitation.objects.create(
        owner_agency=user.agency,
        subject=subject,
        family=family,
        parent=parent,
        visit_date=visit_date,
        supervised=supervised,
        attended=attended,
        note=note.strip(),
    )


# Treatment (Part 2)


@transaction.atomic
def admit_to_treatment(
    user: User, family: Family, *, subject: Person, admission_date: date, level_of_care: str = ""
) -> m.TreatmentEpisode:
    """A parent is admitted to the user's program: a new treatment episode."""
    _start(user, family, "admission")
    _ensure_member(user, family, subject, MemberRole.PARENT)
    _not_future(admission_date, "admission_date", "admission date")
    if m.TreatmentEpisode.unrestricted.filter(owner_agency=user.agency, subject=subject, discharge_date=None).exists():
        raise ValidationError({"subject": f"{subject} already has an open episode here: discharge it first."})
    return m.TreatmentEpisode.objects.create(
        owner_agency=user.agency, subject=subject, admission_date=admission_date, level_of_care=level_of_care.strip()
    )


def _ensure_treatment_episode(user: User, family: Family, episode: m.TreatmentEpisode) -> None:
    _ensure_own(user, family, episode, "episode", "treatment episodes")
    _ensure_member(user, family, episode.subject, MemberRole.PARENT, field="episode")


@transaction.atomic
def record_attendance(
    user: User,
    family: Family,
    *,
    episode: m.TreatmentEpisode,
    session_date: date,
    status: str,
    session_kind: str = "group",
) -> m.Attendance:
    _start(user, family, "attendance")
    _ensure_treatment_episode(user, family, episode)
    _not_future(session_date, "session_date", "session date")
    _within_treatment(episode, session_date, "session_date", "session date")
    return m.Attendance.objects.create(
        owner_agency=user.agency,
        subject=episode.subject,
        episode=episode,
        session_date=session_date,
        session_kind=session_kind.strip() or "group",
        status=status,
    )


@transaction.atomic
def record_toxicology(
    user: User,
    family: Family,
    *,
    episode: m.TreatmentEpisode,
    collected_on: date,
    outcome: str,
    substances: str = "",
) -> m.ToxicologyResult:
    _start(user, family, "toxicology")
    _ensure_treatment_episode(user, family, episode)
    _not_future(collected_on, "collected_on", "collection date")
    _within_treatment(episode, collected_on, "collected_on", "collection date")
    if outcome == m.ToxicologyOutcome.POSITIVE and not substances.strip():
        raise ValidationError({"substances": "Name the substances detected in a positive test."})
    return m.ToxicologyResult.objects.create(
        owner_agency=user.agency,
        subject=episode.subject,
        episode=episode,
        collected_on=collected_on,
        outcome=outcome,
        substances=substances.strip(),
    )


@transaction.atomic
def record_treatment_plan(
    user: User,
    family: Family,
    *,
    episode: m.TreatmentEpisode,
    written_on: date,
    goals: str,
    services: str = "",
    moud: str = "",
) -> m.TreatmentPlan:
    _start(user, family, "treatment-plan")
    _ensure_treatment_episode(user, family, episode)
    _not_future(written_on, "written_on", "date the plan was written")
    _within_treatment(episode, written_on, "written_on", "plan date")
    if not goals.strip():
        raise ValidationError({"goals": "Write the plan's goals."})
    return m.TreatmentPlan.objects.create(
        owner_agency=user.agency,
        subject=episode.subject,
        episode=episode,
        written_on=written_on,
        goals=goals.strip(),
        services=services.strip(),
        moud=moud,
    )


@transaction.atomic
def record_progress_summary(
    user: User,
    family: Family,
    *,
    episode: m.TreatmentEpisode,
    period_start: date,
    period_end: date,
    summary: str,
    recommendations: str = "",
) -> m.ProgressSummary:
    _start(user, family, "progress-summary")
    _ensure_treatment_episode(user, family, episode)
    if period_end < period_start:
        raise ValidationError({"period_end": "The period cannot end before it starts."})
    _not_future(period_end, "period_end", "end of the period")
    _within_treatment(episode, period_start, "period_start", "period start")
    _within_treatment(episode, period_end, "period_end", "period end")
    if not summary.strip():
        raise ValidationError({"summary": "Summarise the progress in the period."})
    return m.ProgressSummary.objects.create(
        owner_agency=user.agency,
        subject=episode.subject,
        episode=episode,
        period_start=period_start,
        period_end=period_end,
        summary=summary.strip(),
        recommendations=recommendations.strip(),
    )


@transaction.atomic
def discharge_from_treatment(
    user: User,
    family: Family,
    *,
    episode: m.TreatmentEpisode,
    discharge_date: date,
    discharge_reason: str,
    recommendations: str = "",
) -> m.DischargeSummary:
    """End a treatment episode: its discharge date and TEDS reason, and the discharge summary (sud.discharge).

    Saving the discharged episode records the discharge event for the consent app (consent/signals.py), which
    ends the parent's consents that end at discharge.
    """
    _start(user, family, "discharge")
    _ensure_treatment_episode(user, family, episode)
    if episode.discharge_date:
        raise ValidationError({"episode": "This episode is already discharged."})
    _not_future(discharge_date, "discharge_date", "discharge date")
    admitted = _day(episode.admission_date)
    _not_before(
        discharge_date, episode.admission_date, "discharge_date", f"Discharge cannot be before admission ({admitted})."
    )
    if discharge_reason not in m.TedsDischargeReason.values:
        raise ValidationError({"discharge_reason": "Choose the discharge reason."})
    episode.discharge_date = discharge_date
    episode.discharge_reason = discharge_reason
    episode.save(update_fields=["discharge_date", "discharge_reason", "updated_at"])
    return m.DischargeSummary.objects.create(
        owner_agency=user.agency,
        subject=episode.subject,
        episode=episode,
        discharged_on=discharge_date,
        reason=discharge_reason,
        recommendations=recommendations.strip(),
    )


# Court


def _ensure_court_case(user: User, family: Family, court_case: m.CourtCase) -> None:
    _ensure_own(user, family, court_case, "court_case", "court cases")


@transaction.atomic
def open_court_case(
    user: User,
    family: Family,
    *,
    subject: Person,
    docket_number: str,
    filed_on: date,
    is_family_treatment_court: bool = False,
) -> m.CourtCase:
    """A dependency petition about a child is filed: the court's case, which hearings and orders belong to."""
    _start(user, family, "court-case")
    _ensure_member(user, family, subject, MemberRole.CHILD)
    _not_future(filed_on, "filed_on", "filing date")
    docket_number = docket_number.strip()
    if m.CourtCase.unrestricted.filter(owner_agency=user.agency, docket_number=docket_number).exists():
        raise ValidationError({"docket_number": f"Case {docket_number} is already open at your court."})
    return m.CourtCase.objects.create(
        owner_agency=user.agency,
        subject=subject,
        family=family,
        docket_number=docket_number,
        filed_on=filed_on,
        is_family_treatment_court=is_family_treatment_court,
    )


@transaction.atomic
def record_hearing(
    user: User,
    family: Family,
    *,
    court_case: m.CourtCase,
    hearing_date: date,
    hearing_type: str,
    hearing_time: time | None = None,
    courtroom: str = "",
) -> m.Hearing:
    """A hearing held or set (it may be in the future), about the case's child, at a time and in a courtroom."""
    _start(user, family, "hearing")
    _ensure_court_case(user, family, court_case)
    if court_case.filed_on:
        filed = _day(court_case.filed_on)
        _not_before(
            hearing_date, court_case.filed_on, "hearing_date", f"A hearing cannot be before the petition ({filed})."
        )
    return m.Hearing.objects.create(
        owner_agency=user.agency,
        subject=court_case.subject,
        court_case=court_case,
        hearing_date=hearing_date,
        hearing_time=hearing_time,
        courtroom=courtroom.strip(),
        hearing_type=hearing_type,
    )


OUTCOMES_BEFORE_THE_DAY = frozenset({m.HearingOutcome.CONTINUED, m.HearingOutcome.VACATED})


@transaction.atomic
def record_hearing_outcome(user: User, hearing: m.Hearing, *, outcome: str, note: str = "") -> m.Hearing:
    """The court records what became of a hearing: held (on or after its day), continued or vacated, with a note.

    Only the court that holds the hearing, in a role that records hearings, and only for a hearing the
    policy point shows the user (a judge's docket, the coordinator's court).
    """
    if not RECORD_KINDS["hearing"].writable_by(user) or hearing.owner_agency_id != user.agency_id:
        raise PermissionDenied("Only the court's judges and court coordinators record a hearing's outcome.")
    if not policy.permitted(user, m.Hearing.objects.filter(pk=hearing.pk), _purpose(user)).exists():
        raise PermissionDenied("This hearing is not on your docket.")
    if outcome not in m.HearingOutcome.values:
        raise ValidationError({"outcome": "Choose held, continued or vacated."})
    if outcome not in OUTCOMES_BEFORE_THE_DAY and hearing.hearing_date > timezone.localdate():
        raise ValidationError({"outcome": f"A hearing is held on its day ({_day(hearing.hearing_date)}), not before."})
    note = note.strip()
    if outcome == m.HearingOutcome.CONTINUED and not note:
        raise ValidationError({"note": "Say to when, or why, the hearing was continued."})
    hearing.outcome, hearing.outcome_note = outcome, note
    hearing.save(update_fields=["outcome", "outcome_note", "updated_at"])
    return hearing


@transaction.atomic
def record_court_order(
    user: User, family: Family, *, court_case: m.CourtCase, order_date: date, order_type: str, summary: str = ""
) -> m.CourtOrder:
    _start(user, family, "order")
    _ensure_court_case(user, family, court_case)
    _not_future(order_date, "order_date", "order date")
    if court_case.filed_on:
        filed = _day(court_case.filed_on)
        _not_before(order_date, court_case.filed_on, "order_date", f"An order cannot be before the petition ({filed}).")
    return m.CourtOrder.objects.create(
        owner_agency=user.agency,
        subject=court_case.subject,
        court_case=court_case,
        order_date=order_date,
        order_type=order_type,
        summary=summary.strip(),
    )


def _ensure_ftc(court_case: m.CourtCase) -> None:
    if not court_case.is_family_treatment_court:
        raise ValidationError({"court_case": "Choose a family treatment court case."})


@transaction.atomic
def record_ftc_phase(
    user: User, family: Family, *, court_case: m.CourtCase, subject: Person, phase: int, started_on: date
) -> m.FtcPhase:
    """A parent moves to a family treatment court phase (5 means graduated)."""
    _start(user, family, "ftc-phase")
    _ensure_court_case(user, family, court_case)
    _ensure_ftc(court_case)
    _ensure_member(user, family, subject, MemberRole.PARENT)
    _not_future(started_on, "started_on", "phase start")
    if not 1 <= phase <= 5:
        raise ValidationError({"phase": "A phase is 1 to 4, or 5 for graduation."})
    return m.FtcPhase.objects.create(
        owner_agency=user.agency, subject=subject, court_case=court_case, phase=phase, started_on=started_on
    )


@transaction.atomic
def record_ftc_response(
    user: User,
    family: Family,
    *,
    court_case: m.CourtCase,
    subject: Person,
    response_date: date,
    kind: str,
    description: str,
    responds_to: m.ToxicologyResult | m.Attendance | m.TreatmentEpisode | None,
) -> m.FtcResponse:
    """An incentive, sanction or therapeutic adjustment the family treatment court gave a parent.

    A response is about the parent's tests or treatment, so it is derived from the treatment record it
    responds to and is Part 2 like it: shown only to those who may see that record too.
    """
    _start(user, family, "ftc-response")
    _ensure_court_case(user, family, court_case)
    _ensure_ftc(court_case)
    _ensure_member(user, family, subject, MemberRole.PARENT)
    _not_future(response_date, "response_date", "response date")
    if not description.strip():
        raise ValidationError({"description": "Describe the response."})
    if not _may_respond_to(user, subject, responds_to):
        raise ValidationError({"responds_to": "Choose the parent's test result, session or treatment episode."})
    return m.FtcResponse.objects.create(
        owner_agency=user.agency,
        subject=subject,
        court_case=court_case,
        response_date=response_date,
        kind=kind,
        description=description.strip(),
        **derive_provenance(responds_to),
    )


def _may_respond_to(user: User, subject: Person, record: ProtectedRecord | None) -> bool:
    """The record is one of the parent's treatment records that the court may see."""
    if not isinstance(record, FTC_RESPONSE_SOURCES) or record.subject_id != subject.pk:
        return False
    return policy.permitted(user, type(record).objects.filter(pk=record.pk), _purpose(user)).exists()


CW, SUD, COURT = AgencyKind.CHILD_WELFARE, AgencyKind.SUD_TREATMENT, AgencyKind.COURT

RECORD_KINDS: dict[str, RecordKind] = {
    kind.slug: kind
    for kind in [
        RecordKind("report", "Report and finding", CW, CHILD_WELFARE_WRITERS, record_report),
        RecordKind("removal", "Removal from home", CW, CHILD_WELFARE_WRITERS, record_removal),
        RecordKind("placement", "Placement change", CW, CHILD_WELFARE_WRITERS, record_placement),
        RecordKind("removal-discharge", "Discharge from care", CW, CHILD_WELFARE_WRITERS, discharge_removal),
        RecordKind("permanency-plan", "Permanency goal", CW, CHILD_WELFARE_WRITERS, record_permanency_plan),
        RecordKind("case-plan-service", "Case plan service", CW, CHILD_WELFARE_WRITERS, record_case_plan_service),
        RecordKind("visit", "Family time visit", CW, CHILD_WELFARE_WRITERS, record_visit),
        RecordKind("admission", "Admission to treatment", SUD, CLINICAL_WRITERS, admit_to_treatment),
        RecordKind("attendance", "Session attendance", SUD, ATTENDANCE_WRITERS, record_attendance),
        RecordKind("toxicology", "Toxicology result", SUD, CLINICAL_WRITERS, record_toxicology),
        RecordKind("treatment-plan", "Treatment plan", SUD, CLINICAL_WRITERS, record_treatment_plan),
        RecordKind("progress-summary", "Progress summary", SUD, CLINICAL_WRITERS, record_progress_summary),
        RecordKind("discharge", "Discharge from treatment", SUD, CLINICAL_WRITERS, discharge_from_treatment),
        RecordKind("court-case", "Dependency case (petition filed)", COURT, COURT_WRITERS, open_court_case),
        RecordKind("hearing", "Hearing", COURT, COURT_WRITERS, record_hearing),
        RecordKind("order", "Court order", COURT, COURT_WRITERS, record_court_order),
        RecordKind("ftc-phase", "Family treatment court phase", COURT, COURT_WRITERS, record_ftc_phase),
        RecordKind("ftc-response", "Incentive or sanction", COURT, COURT_WRITERS, record_ftc_response),
    ]
}
