"""Recording the three systems' records day to day: each agency writes only its own kind, about its family.

Every write checks, in this order: the user works cases at an agency of the right kind in a role that
records this kind; the family is visible to them; the person is a visible member of the family in the
right role; the parent record (removal episode, treatment episode, court case) is their agency's own and
about this family; the dates make sense. The new record belongs to the user's agency. Nothing is saved
unless everything is.

Each kind's rules (`_<kind>_rules`) are one function that creating and correcting a record both run
(cases.corrections): a correction is held to the rule its record was written under.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from familybridge.agencies.models import AgencyKind, User
from familybridge.agencies.roles import Role
from familybridge.audit.services import audited_update
from familybridge.cases import models as m
from familybridge.cases.selectors import FTC_RESPONSE_SOURCES
from familybridge.consent import policy
from familybridge.dates import us_date
from familybridge.people import selectors as people_selectors
from familybridge.people import services as people_services
from familybridge.people.models import (
    AssignmentEnd,
    CaseloadAssignment,
    Family,
    FamilyMember,
    MemberRole,
    Person,
    ProtectedRecord,
    derive_provenance,
)

# A kind's rules: given the writer, the family and the record's values (a correction also passes the record it
# corrects), raise ValidationError naming the field, or return the values to save.
Rules = Callable[[User, Family, dict[str, Any], ProtectedRecord | None], dict[str, Any]]

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
    """A kind of record: who may write it, the service that does, and how it is corrected.

    Every kind whose record is a row of its own names its `model`, the fields a correction may change
    (`editable`; `set_later` are editable once a later step has set them) and the `rules` its service runs,
    which a correction runs too (cases.corrections). A kind that only completes another kind's record
    (a discharge from care completes the removal episode) has no model: its fields are corrected with that record.
    `sync` keeps what a record mirrors elsewhere true after a correction or a void; `voids_with` names the
    related records voided with it (a referral's steps), `void_check` refuses a void that would break a sequence.
    `in_add_menu` is False for kinds added from their own pages (screens, assessments, referrals).
    `field_choices` narrows, for a writer, the choices of fields the model allows more widely (a note's category
    among those the writer's agency writes), on the correction form as on the kind's own form.
    """

    slug: str
    label: str
    agency_kind: str | None
    roles: frozenset[str]
    write: Callable[..., object]
    model: type[ProtectedRecord] | None = None
    editable: tuple[str, ...] = ()
    rules: Rules | None = None
    set_later: tuple[str, ...] = ()
    sync: Callable[[ProtectedRecord], None] | None = None
    voids_with: tuple[str, ...] = ()
    void_check: Callable[[ProtectedRecord], None] | None = None
    in_add_menu: bool = True
    labels: dict[str, str] = field(default_factory=dict)
    field_choices: Callable[[User], dict[str, list[tuple[str, str]]]] | None = None

    def writable_by(self, user: User) -> bool:
        agency = user.agency
        if agency is None or not user.has_role(*self.roles):
            return False
        if self.agency_kind is None:
            return True
        if agency.kind != self.agency_kind:
            return False
        # Treatment records are Part 2 records: only a Part 2 program keeps them.
        return self.agency_kind != AgencyKind.SUD_TREATMENT or agency.is_part2_program

    def correctable_fields(self, record: ProtectedRecord) -> list[str]:
        """The fields a correction of this record may change: those set later only once they are set."""
        return [name for name in self.editable if name not in self.set_later or getattr(record, name) is not None]


# One registry of record kinds: the family page's kinds below, and the kinds other apps register (screening,
# referrals) with `register_kind` when they load.
RECORD_KINDS: dict[str, RecordKind] = {}


def register_kind(kind: RecordKind) -> RecordKind:
    RECORD_KINDS[kind.slug] = kind
    return kind


def kind_of(record: ProtectedRecord) -> RecordKind | None:
    """The kind whose rules a record is corrected under: the kind that wrote its row."""
    for kind in RECORD_KINDS.values():
        if kind.model is type(record):
            return kind
    return None


def ensure_may_write(user: User, slug: str) -> RecordKind:
    kind = RECORD_KINDS[slug]
    if not kind.writable_by(user):
        agency_kind = WRITER_AGENCY_NAMES.get(kind.agency_kind or "", "case")
        roles = ", ".join(sorted(Role(r).label.lower() for r in kind.roles))
        raise PermissionDenied(f"Only {agency_kind} staff ({roles}) record a {kind.label.lower()}.")
    return kind


def writable_kinds(user: User) -> list[RecordKind]:
    """The record kinds the user's agency and roles let them add, in menu order."""
    return [kind for kind in RECORD_KINDS.values() if kind.in_add_menu and kind.writable_by(user)]


def _purpose(user: User) -> str:
    return user.default_purpose or ""


def ensure_family_visible(user: User, family: Family) -> None:
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
    return us_date(day)


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
    ensure_family_visible(user, family)


# Child welfare


def _report_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    _ensure_member(user, family, values["subject"], MemberRole.CHILD)
    _not_future(values["report_date"], "report_date", "report date")
    return {
        "subject": values["subject"],
        "family": family,
        "report_date": values["report_date"],
        "disposition": values["disposition"],
        "summary": values.get("summary", "").strip(),
    }


@transaction.atomic
def record_report(
    user: User, family: Family, *, subject: Person, report_date: date, disposition: str, summary: str = ""
) -> m.ChildWelfareReport:
    """A report of suspected abuse or neglect about a child, and its finding."""
    _start(user, family, "report")
    values = _report_rules(
        user,
        family,
        {
            "subject": subject,
            "report_date": report_date,
            "disposition": disposition,
            "summary": summary,
        },
        None,
    )
    return m.ChildWelfareReport.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _removal_discharge_rules(episode: m.RemovalEpisode, values: dict[str, Any]) -> dict:
    """When and why a child left care: the rules of a discharge, and of a correction of a discharged episode."""
    discharge_date = values["discharge_date"]
    _not_future(discharge_date, "discharge_date", "discharge date")
    removed = _day(values["removal_date"])
    _not_before(
        discharge_date, values["removal_date"], "discharge_date", f"Discharge cannot be before removal ({removed})."
    )
    settings = m.PlacementSetting.unrestricted.filter(episode=episode)
    last_start = settings.order_by("-setting_start").values_list("setting_start", flat=True).first()
    if last_start and discharge_date < last_start:
        started = _day(last_start)
        raise ValidationError({"discharge_date": f"Discharge cannot be before the last placement started ({started})."})
    if values["discharge_reason"] not in m.DischargeReason.values:
        raise ValidationError({"discharge_reason": "Choose why the child left care."})
    return {"discharge_date": discharge_date, "discharge_reason": values["discharge_reason"]}


def _removal_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    subject = values["subject"]
    _ensure_member(user, family, subject, MemberRole.CHILD)
    _not_future(values["removal_date"], "removal_date", "removal date")
    open_episodes = m.RemovalEpisode.unrestricted.filter(subject=subject, discharge_date=None)
    if record is not None:
        open_episodes = open_episodes.exclude(pk=record.pk)
    if values.get("discharge_date") is None and open_episodes.exists():
        raise ValidationError({"subject": f"{subject} is already in care: discharge that episode first."})
    fields = {"subject": subject, "family": family, "removal_date": values["removal_date"]}
    if record is None:
        return fields
    # A correction keeps the episode's placements (and its discharge, once there is one) inside it.
    settings = m.PlacementSetting.unrestricted.filter(episode=record)
    first_start = settings.order_by("setting_start").values_list("setting_start", flat=True).first()
    if first_start and values["removal_date"] > first_start:
        started = _day(first_start)
        raise ValidationError({"removal_date": f"Removal cannot be after the first placement started ({started})."})
    if values.get("discharge_date") is not None:
        fields |= _removal_discharge_rules(record, values)
    return fields


@transaction.atomic
def record_removal(user: User, family: Family, *, subject: Person, removal_date: date) -> m.RemovalEpisode:
    """A child enters care: a new removal episode, open until discharge."""
    _start(user, family, "removal")
    values = _removal_rules(user, family, {"subject": subject, "removal_date": removal_date}, None)
    return m.RemovalEpisode.objects.create(owner_agency=user.agency, recorded_by=user, **values)


@transaction.atomic
def discharge_removal(
    user: User, family: Family, *, episode: m.RemovalEpisode, discharge_date: date, discharge_reason: str
) -> m.RemovalEpisode:
    """A child leaves care: the episode's discharge date and reason."""
    _start(user, family, "removal-discharge")
    _ensure_own(user, family, episode, "episode", "removal episodes")
    if episode.discharge_date:
        raise ValidationError({"episode": "This episode is already discharged."})
    values = _removal_discharge_rules(
        episode,
        {"removal_date": episode.removal_date, "discharge_date": discharge_date, "discharge_reason": discharge_reason},
    )
    episode.discharge_date = values["discharge_date"]
    episode.discharge_reason = values["discharge_reason"]
    episode.save(update_fields=["discharge_date", "discharge_reason", "updated_at"])
    audited_update(episode.settings.filter(setting_end=None), setting_end=discharge_date)
    return episode


def _placement_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    episode = values["episode"]
    setting_start, setting_end = values["setting_start"], values.get("setting_end")
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
    return {
        "subject": episode.subject,
        "episode": episode,
        "setting_type": values["setting_type"],
        "setting_start": setting_start,
        "setting_end": setting_end,
    }


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
    values = _placement_rules(
        user,
        family,
        {
            "episode": episode,
            "setting_type": setting_type,
            "setting_start": setting_start,
            "setting_end": setting_end,
        },
        None,
    )
    still_open = episode.settings.filter(setting_end=None, setting_start__lte=setting_start)
    audited_update(still_open, setting_end=setting_start)
    return m.PlacementSetting.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _permanency_plan_rules(
    user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None
) -> dict:
    _ensure_member(user, family, values["subject"], MemberRole.CHILD)
    _not_future(values["set_on"], "set_on", "date the goal was set")
    goal, concurrent_goal = values["goal"], values.get("concurrent_goal", "")
    tpr_exception, exception_note = values.get("tpr_exception", ""), values.get("exception_note", "").strip()
    if concurrent_goal and concurrent_goal == goal:
        raise ValidationError({"concurrent_goal": "The concurrent goal must differ from the primary goal."})
    if tpr_exception and not exception_note:
        raise ValidationError({"exception_note": "Say what supports the exception: the court will ask."})
    return {
        "subject": values["subject"],
        "family": family,
        "goal": goal,
        "concurrent_goal": concurrent_goal,
        "tpr_exception": tpr_exception,
        "exception_note": exception_note,
        "set_on": values["set_on"],
    }


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
    values = _permanency_plan_rules(
        user,
        family,
        {
            "subject": subject,
            "goal": goal,
            "set_on": set_on,
            "concurrent_goal": concurrent_goal,
            "tpr_exception": tpr_exception,
            "exception_note": exception_note,
        },
        None,
    )
    return m.PermanencyPlan.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _case_plan_service_rules(
    user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None
) -> dict:
    _ensure_member(user, family, values["subject"], None)
    service = values["service"].strip()
    if not service:
        raise ValidationError({"service": "Name the service."})
    if values.get("end_date") and values["end_date"] < values["start_date"]:
        raise ValidationError({"end_date": "A service cannot end before it starts."})
    return {
        "subject": values["subject"],
        "family": family,
        "service": service,
        "provider_name": values.get("provider_name", "").strip(),
        "start_date": values["start_date"],
        "end_date": values.get("end_date"),
        "status": values["status"],
    }


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
    values = _case_plan_service_rules(
        user,
        family,
        {
            "subject": subject,
            "service": service,
            "start_date": start_date,
            "status": status,
            "provider_name": provider_name,
            "end_date": end_date,
        },
        None,
    )
    return m.CasePlanService.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _visit_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    _ensure_member(user, family, values["subject"], MemberRole.CHILD)
    _ensure_member(user, family, values["parent"], MemberRole.PARENT, field="parent")
    _not_future(values["visit_date"], "visit_date", "visit date")
    return {
        "subject": values["subject"],
        "family": family,
        "parent": values["parent"],
        "visit_date": values["visit_date"],
        "supervised": values.get("supervised", True),
        "attended": values["attended"],
        "note": values.get("note", "").strip(),
    }


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
    values = _visit_rules(
        user,
        family,
        {
            "subject": subject,
            "parent": parent,
            "visit_date": visit_date,
            "attended": attended,
            "supervised": supervised,
            "note": note,
        },
        None,
    )
    return m.Visitation.objects.create(owner_agency=user.agency, recorded_by=user, **values)


# Treatment (Part 2)


def _admission_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    subject, admission_date = values["subject"], values["admission_date"]
    _ensure_member(user, family, subject, MemberRole.PARENT)
    _not_future(admission_date, "admission_date", "admission date")
    open_here = m.TreatmentEpisode.unrestricted.filter(owner_agency=user.agency, subject=subject, discharge_date=None)
    if record is None and open_here.exists():
        raise ValidationError({"subject": f"{subject} already has an open episode here: discharge it first."})
    if values.get("discharge_date") and admission_date > values["discharge_date"]:
        discharged = _day(values["discharge_date"])
        raise ValidationError({"admission_date": f"Admission cannot be after discharge ({discharged})."})
    level_of_care = values.get("level_of_care", "").strip()
    return {"subject": subject, "admission_date": admission_date, "level_of_care": level_of_care}


@transaction.atomic
def admit_to_treatment(
    user: User, family: Family, *, subject: Person, admission_date: date, level_of_care: str = ""
) -> m.TreatmentEpisode:
    """A parent is admitted to the user's program: a new treatment episode."""
    _start(user, family, "admission")
    values = _admission_rules(
        user,
        family,
        {
            "subject": subject,
            "admission_date": admission_date,
            "level_of_care": level_of_care,
        },
        None,
    )
    return m.TreatmentEpisode.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _ensure_treatment_episode(user: User, family: Family, episode: m.TreatmentEpisode) -> None:
    _ensure_own(user, family, episode, "episode", "treatment episodes")
    _ensure_member(user, family, episode.subject, MemberRole.PARENT, field="episode")


def _attendance_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    episode, session_date = values["episode"], values["session_date"]
    _ensure_treatment_episode(user, family, episode)
    _not_future(session_date, "session_date", "session date")
    _within_treatment(episode, session_date, "session_date", "session date")
    return {
        "subject": episode.subject,
        "episode": episode,
        "session_date": session_date,
        "session_kind": values.get("session_kind", "").strip() or "group",
        "status": values["status"],
    }


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
    values = _attendance_rules(
        user,
        family,
        {
            "episode": episode,
            "session_date": session_date,
            "status": status,
            "session_kind": session_kind,
        },
        None,
    )
    return m.Attendance.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _toxicology_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    episode, collected_on, substances = values["episode"], values["collected_on"], values.get("substances", "").strip()
    _ensure_treatment_episode(user, family, episode)
    _not_future(collected_on, "collected_on", "collection date")
    _within_treatment(episode, collected_on, "collected_on", "collection date")
    if values["outcome"] == m.ToxicologyOutcome.POSITIVE and not substances:
        raise ValidationError({"substances": "Name the substances detected in a positive test."})
    return {
        "subject": episode.subject,
        "episode": episode,
        "collected_on": collected_on,
        "outcome": values["outcome"],
        "substances": substances,
    }


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
    values = _toxicology_rules(
        user,
        family,
        {
            "episode": episode,
            "collected_on": collected_on,
            "outcome": outcome,
            "substances": substances,
        },
        None,
    )
    return m.ToxicologyResult.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _treatment_plan_rules(
    user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None
) -> dict:
    episode, written_on, goals = values["episode"], values["written_on"], values["goals"].strip()
    _ensure_treatment_episode(user, family, episode)
    _not_future(written_on, "written_on", "date the plan was written")
    _within_treatment(episode, written_on, "written_on", "plan date")
    if not goals:
        raise ValidationError({"goals": "Write the plan's goals."})
    return {
        "subject": episode.subject,
        "episode": episode,
        "written_on": written_on,
        "goals": goals,
        "services": values.get("services", "").strip(),
        "moud": values.get("moud", ""),
    }


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
    values = _treatment_plan_rules(
        user,
        family,
        {
            "episode": episode,
            "written_on": written_on,
            "goals": goals,
            "services": services,
            "moud": moud,
        },
        None,
    )
    return m.TreatmentPlan.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _progress_summary_rules(
    user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None
) -> dict:
    episode, period_start, period_end = values["episode"], values["period_start"], values["period_end"]
    summary = values["summary"].strip()
    _ensure_treatment_episode(user, family, episode)
    if period_end < period_start:
        raise ValidationError({"period_end": "The period cannot end before it starts."})
    _not_future(period_end, "period_end", "end of the period")
    _within_treatment(episode, period_start, "period_start", "period start")
    _within_treatment(episode, period_end, "period_end", "period end")
    if not summary:
        raise ValidationError({"summary": "Summarize the progress in the period."})
    return {
        "subject": episode.subject,
        "episode": episode,
        "period_start": period_start,
        "period_end": period_end,
        "summary": summary,
        "recommendations": values.get("recommendations", "").strip(),
    }


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
    values = _progress_summary_rules(
        user,
        family,
        {
            "episode": episode,
            "period_start": period_start,
            "period_end": period_end,
            "summary": summary,
            "recommendations": recommendations,
        },
        None,
    )
    return m.ProgressSummary.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _discharge_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    episode, discharged_on, reason = values["episode"], values["discharged_on"], values["reason"]
    _ensure_treatment_episode(user, family, episode)
    _not_future(discharged_on, "discharged_on", "discharge date")
    admitted = _day(episode.admission_date)
    _not_before(
        discharged_on, episode.admission_date, "discharged_on", f"Discharge cannot be before admission ({admitted})."
    )
    if reason not in m.TedsDischargeReason.values:
        raise ValidationError({"reason": "Choose the discharge reason."})
    return {
        "subject": episode.subject,
        "episode": episode,
        "discharged_on": discharged_on,
        "reason": reason,
        "recommendations": values.get("recommendations", "").strip(),
    }


def _sync_episode_discharge(summary: ProtectedRecord) -> None:
    """The episode's discharge date and reason mirror its discharge summary; a voided summary reopens it.

    Consents that ended at the discharge stay ended: a discharge event cannot be taken back (the parent
    signs again)."""
    episode = summary.episode
    if summary.is_voided:
        episode.discharge_date, episode.discharge_reason = None, ""
    else:
        episode.discharge_date, episode.discharge_reason = summary.discharged_on, summary.reason
    # The episode's new version names the same author and reason as the summary's (cases.corrections).
    episode._history_user = getattr(summary, "_history_user", None)
    episode._change_reason = getattr(summary, "_change_reason", None)
    episode.save(update_fields=["discharge_date", "discharge_reason", "updated_at"])


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
    try:
        values = _discharge_rules(
            user,
            family,
            {
                "episode": episode,
                "discharged_on": discharge_date,
                "reason": discharge_reason,
                "recommendations": recommendations,
            },
            None,
        )
    except ValidationError as error:
        # The discharge form names its fields after the episode's.
        names = {"discharged_on": "discharge_date", "reason": "discharge_reason"}
        raise ValidationError({names.get(k, k): v for k, v in error.message_dict.items()}) from None
    episode.discharge_date = discharge_date
    episode.discharge_reason = discharge_reason
    episode.save(update_fields=["discharge_date", "discharge_reason", "updated_at"])
    return m.DischargeSummary.objects.create(owner_agency=user.agency, recorded_by=user, **values)


# Court


def _ensure_court_case(user: User, family: Family, court_case: m.CourtCase) -> None:
    _ensure_own(user, family, court_case, "court_case", "court cases")


def _court_case_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    _ensure_member(user, family, values["subject"], MemberRole.CHILD)
    filed_on = values["filed_on"]
    if filed_on is None:
        raise ValidationError({"filed_on": "Give the date the petition was filed."})
    _not_future(filed_on, "filed_on", "filing date")
    docket_number = values["docket_number"].strip()
    same_number = m.CourtCase.unrestricted.filter(owner_agency=user.agency, docket_number=docket_number)
    if record is not None:
        same_number = same_number.exclude(pk=record.pk)
    if same_number.exists():
        raise ValidationError({"docket_number": f"Case {docket_number} is already open at your court."})
    return {
        "subject": values["subject"],
        "family": family,
        "docket_number": docket_number,
        "filed_on": filed_on,
        "is_family_treatment_court": values.get("is_family_treatment_court", False),
    }


@transaction.atomic
def open_court_case(
    user: User,
    family: Family,
    *,
    subject: Person,
    docket_number: str,
    filed_on: date,
    judge: User,
    is_family_treatment_court: bool = False,
) -> m.CourtCase:
    """A dependency petition about a child is filed: the court's case, which hearings and orders belong to.

    The case goes on the docket of the judge named (a judge of the court), from the filing day: the judge's need
    to know is the docket.
    """
    _start(user, family, "court-case")
    _ensure_judge_of(user.agency_id, judge)
    values = _court_case_rules(
        user,
        family,
        {
            "subject": subject,
            "docket_number": docket_number,
            "filed_on": filed_on,
            "is_family_treatment_court": is_family_treatment_court,
        },
        None,
    )
    court_case = m.CourtCase.objects.create(owner_agency=user.agency, recorded_by=user, **values)
    # Opening the case is the court staff's authority to put it on a docket, whoever of them opens it.
    people_services.assign(
        user, staff=judge, family=family, about=court_case, capacity=Role.JUDGE, on=filed_on, authorized=True
    )
    return court_case


def _hearing_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    court_case, hearing_date = values["court_case"], values["hearing_date"]
    _ensure_court_case(user, family, court_case)
    if court_case.filed_on:
        filed = _day(court_case.filed_on)
        _not_before(
            hearing_date, court_case.filed_on, "hearing_date", f"A hearing cannot be before the petition ({filed})."
        )
    return {
        "subject": court_case.subject,
        "court_case": court_case,
        "hearing_date": hearing_date,
        "hearing_time": values.get("hearing_time"),
        "courtroom": (values.get("courtroom") or "").strip(),
        "hearing_type": values["hearing_type"],
    }


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
    values = _hearing_rules(
        user,
        family,
        {
            "court_case": court_case,
            "hearing_date": hearing_date,
            "hearing_type": hearing_type,
            "hearing_time": hearing_time,
            "courtroom": courtroom,
        },
        None,
    )
    return m.Hearing.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _order_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    court_case, order_date = values["court_case"], values["order_date"]
    _ensure_court_case(user, family, court_case)
    _not_future(order_date, "order_date", "order date")
    if court_case.filed_on:
        filed = _day(court_case.filed_on)
        _not_before(order_date, court_case.filed_on, "order_date", f"An order cannot be before the petition ({filed}).")
    return {
        "subject": court_case.subject,
        "court_case": court_case,
        "order_date": order_date,
        "order_type": values["order_type"],
        "summary": values.get("summary", "").strip(),
    }


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
    values = _order_rules(
        user,
        family,
        {
            "court_case": court_case,
            "order_date": order_date,
            "order_type": order_type,
            "summary": summary,
        },
        None,
    )
    return m.CourtOrder.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _ensure_ftc(court_case: m.CourtCase) -> None:
    if not court_case.is_family_treatment_court:
        raise ValidationError({"court_case": "Choose a family treatment court case."})


def _ftc_phase_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    court_case, phase = values["court_case"], values["phase"]
    _ensure_court_case(user, family, court_case)
    _ensure_ftc(court_case)
    _ensure_member(user, family, values["subject"], MemberRole.PARENT)
    _not_future(values["started_on"], "started_on", "phase start")
    if not 1 <= phase <= 5:
        raise ValidationError({"phase": "A phase is 1 to 4, or 5 for graduation."})
    return {"subject": values["subject"], "court_case": court_case, "phase": phase, "started_on": values["started_on"]}


@transaction.atomic
def record_ftc_phase(
    user: User, family: Family, *, court_case: m.CourtCase, subject: Person, phase: int, started_on: date
) -> m.FtcPhase:
    """A parent moves to a family treatment court phase (5 means graduated)."""
    _start(user, family, "ftc-phase")
    values = _ftc_phase_rules(
        user,
        family,
        {
            "court_case": court_case,
            "subject": subject,
            "phase": phase,
            "started_on": started_on,
        },
        None,
    )
    return m.FtcPhase.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _ftc_response_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    """A correction keeps what the response responds to (its provenance): only a new response names another."""
    court_case, subject, description = values["court_case"], values["subject"], values["description"].strip()
    _ensure_court_case(user, family, court_case)
    _ensure_ftc(court_case)
    _ensure_member(user, family, subject, MemberRole.PARENT)
    _not_future(values["response_date"], "response_date", "response date")
    if not description:
        raise ValidationError({"description": "Describe the response."})
    fields = {
        "subject": subject,
        "court_case": court_case,
        "response_date": values["response_date"],
        "kind": values["kind"],
        "description": description,
    }
    if record is None:
        responds_to = values["responds_to"]
        if not _may_respond_to(user, subject, responds_to):
            raise ValidationError({"responds_to": "Choose the parent's test result, session or treatment episode."})
        fields |= derive_provenance(responds_to)
    return fields


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
    values = _ftc_response_rules(
        user,
        family,
        {
            "court_case": court_case,
            "subject": subject,
            "response_date": response_date,
            "kind": kind,
            "description": description,
            "responds_to": responds_to,
        },
        None,
    )
    return m.FtcResponse.objects.create(owner_agency=user.agency, recorded_by=user, **values)


def _may_respond_to(user: User, subject: Person, record: ProtectedRecord | None) -> bool:
    """The record is one of the parent's treatment records that the court may see."""
    if not isinstance(record, FTC_RESPONSE_SOURCES) or record.subject_id != subject.pk:
        return False
    return policy.permitted(user, type(record).objects.filter(pk=record.pk), _purpose(user)).exists()


CW, SUD, COURT = AgencyKind.CHILD_WELFARE, AgencyKind.SUD_TREATMENT, AgencyKind.COURT

for _kind in [
    RecordKind(
        "report",
        "Report and finding",
        CW,
        CHILD_WELFARE_WRITERS,
        record_report,
        m.ChildWelfareReport,
        ("report_date", "disposition", "summary"),
        _report_rules,
    ),
    RecordKind(
        "removal",
        "Removal from home",
        CW,
        CHILD_WELFARE_WRITERS,
        record_removal,
        m.RemovalEpisode,
        ("removal_date", "discharge_date", "discharge_reason"),
        _removal_rules,
        set_later=("discharge_date",),
    ),
    RecordKind(
        "placement",
        "Placement change",
        CW,
        CHILD_WELFARE_WRITERS,
        record_placement,
        m.PlacementSetting,
        ("setting_type", "setting_start", "setting_end"),
        _placement_rules,
    ),
    # Completes the removal episode: a discharge is corrected with the episode (its `set_later` fields).
    RecordKind("removal-discharge", "Discharge from care", CW, CHILD_WELFARE_WRITERS, discharge_removal),
    RecordKind(
        "permanency-plan",
        "Permanency goal",
        CW,
        CHILD_WELFARE_WRITERS,
        record_permanency_plan,
        m.PermanencyPlan,
        ("goal", "concurrent_goal", "tpr_exception", "exception_note", "set_on"),
        _permanency_plan_rules,
    ),
    RecordKind(
        "case-plan-service",
        "Case plan service",
        CW,
        CHILD_WELFARE_WRITERS,
        record_case_plan_service,
        m.CasePlanService,
        ("service", "provider_name", "status", "start_date", "end_date"),
        _case_plan_service_rules,
    ),
    RecordKind(
        "visit",
        "Family time visit",
        CW,
        CHILD_WELFARE_WRITERS,
        record_visit,
        m.Visitation,
        ("visit_date", "attended", "supervised", "note"),
        _visit_rules,
    ),
    RecordKind(
        "admission",
        "Admission to treatment",
        SUD,
        CLINICAL_WRITERS,
        admit_to_treatment,
        m.TreatmentEpisode,
        ("admission_date", "level_of_care"),
        _admission_rules,
    ),
    RecordKind(
        "attendance",
        "Session attendance",
        SUD,
        ATTENDANCE_WRITERS,
        record_attendance,
        m.Attendance,
        ("session_date", "session_kind", "status"),
        _attendance_rules,
    ),
    RecordKind(
        "toxicology",
        "Toxicology result",
        SUD,
        CLINICAL_WRITERS,
        record_toxicology,
        m.ToxicologyResult,
        ("collected_on", "outcome", "substances"),
        _toxicology_rules,
    ),
    RecordKind(
        "treatment-plan",
        "Treatment plan",
        SUD,
        CLINICAL_WRITERS,
        record_treatment_plan,
        m.TreatmentPlan,
        ("written_on", "goals", "services", "moud"),
        _treatment_plan_rules,
    ),
    RecordKind(
        "progress-summary",
        "Progress summary",
        SUD,
        CLINICAL_WRITERS,
        record_progress_summary,
        m.ProgressSummary,
        ("period_start", "period_end", "summary", "recommendations"),
        _progress_summary_rules,
    ),
    RecordKind(
        "discharge",
        "Discharge from treatment",
        SUD,
        CLINICAL_WRITERS,
        discharge_from_treatment,
        m.DischargeSummary,
        ("discharged_on", "reason", "recommendations"),
        _discharge_rules,
        sync=_sync_episode_discharge,
    ),
    RecordKind(
        "court-case",
        "Dependency case (petition filed)",
        COURT,
        COURT_WRITERS,
        open_court_case,
        m.CourtCase,
        ("docket_number", "filed_on", "is_family_treatment_court"),
        _court_case_rules,
    ),
    RecordKind(
        "hearing",
        "Hearing",
        COURT,
        COURT_WRITERS,
        record_hearing,
        m.Hearing,
        ("hearing_type", "hearing_date", "hearing_time", "courtroom"),
        _hearing_rules,
    ),
    RecordKind(
        "order",
        "Court order",
        COURT,
        COURT_WRITERS,
        record_court_order,
        m.CourtOrder,
        ("order_type", "order_date", "summary"),
        _order_rules,
    ),
    RecordKind(
        "ftc-phase",
        "Family treatment court phase",
        COURT,
        COURT_WRITERS,
        record_ftc_phase,
        m.FtcPhase,
        ("phase", "started_on"),
        _ftc_phase_rules,
    ),
    RecordKind(
        "ftc-response",
        "Incentive or sanction",
        COURT,
        COURT_WRITERS,
        record_ftc_response,
        m.FtcResponse,
        ("kind", "response_date", "description"),
        _ftc_response_rules,
    ),
]:
    register_kind(_kind)


# Court assignments: the docket and the parties' attorneys


def judges_of(court_id: int | None) -> QuerySet[User]:
    """The court's active judges, whose dockets cases go on."""
    return User.objects.filter(agency_id=court_id, is_active=True, staff_roles__role=Role.JUDGE).order_by(
        "last_name", "first_name"
    )


def attorneys_of(court_id: int | None) -> QuerySet[User]:
    return User.objects.filter(agency_id=court_id, is_active=True, staff_roles__role=Role.ATTORNEY).order_by(
        "last_name", "first_name"
    )


def _ensure_judge_of(court_id: int | None, judge: User | None) -> None:
    if judge is None or not judges_of(court_id).filter(pk=judge.pk).exists():
        raise ValidationError({"judge": "Choose a judge of your court."})


def docket_assignment(court_case: m.CourtCase) -> CaseloadAssignment | None:
    """The open assignment that puts the case on a judge's docket."""
    return court_case.assignments.open().filter(capacity=Role.JUDGE).select_related("staff").first()


def may_manage_court_case(user: User, court_case: m.CourtCase) -> bool:
    """The court's coordinators manage its cases' assignments; a case's judge and the coordinators close it."""
    return bool(
        user.is_active and user.agency_id == court_case.owner_agency_id and user.has_role(Role.COURT_COORDINATOR)
    )


@transaction.atomic
def reassign_judge(
    user: User, court_case: m.CourtCase, *, judge: User, on: date, note: str = ""
) -> CaseloadAssignment:
    """A court coordinator moves a case to another judge's docket from an effective day (a transfer: the history
    shows who heard the case when)."""
    if not may_manage_court_case(user, court_case):
        raise PermissionDenied("Only a court coordinator of the case's court reassigns it.")
    if court_case.closed_on is not None:
        raise ValidationError("The case is closed.")
    _ensure_judge_of(court_case.owner_agency_id, judge)
    current = docket_assignment(court_case)
    if current is None:
        return people_services.assign(
            user, staff=judge, family=court_case.family, about=court_case, capacity=Role.JUDGE, on=on, note=note
        )
    return people_services.transfer(user, current, to=judge, on=on, note=note)


@transaction.atomic
def assign_attorney(
    user: User, court_case: m.CourtCase, *, attorney: User, represents: Person, on: date, note: str = ""
) -> CaseloadAssignment:
    """A court coordinator assigns one of the court's attorneys to a party of the case."""
    if not may_manage_court_case(user, court_case):
        raise PermissionDenied("Only a court coordinator of the case's court assigns attorneys.")
    if court_case.closed_on is not None:
        raise ValidationError("The case is closed.")
    if court_case.family is None:
        raise ValidationError("The case names no family whose parties an attorney could represent.")
    if not attorneys_of(court_case.owner_agency_id).filter(pk=attorney.pk).exists():
        raise ValidationError({"staff": "Choose an attorney of your court."})
    return people_services.assign_attorney(
        user, about=court_case, family=court_case.family, attorney=attorney, represents=represents, on=on, note=note
    )


def may_close_court_case(user: User, court_case: m.CourtCase) -> bool:
    """The court's coordinators, and the judge whose docket the case is on."""
    if may_manage_court_case(user, court_case):
        return True
    on_docket = court_case.assignments.in_effect(timezone.localdate()).filter(capacity=Role.JUDGE, staff=user)
    return bool(user.is_active and on_docket.exists())


@transaction.atomic
def close_court_case(user: User, court_case: m.CourtCase, *, on: date, reason: str) -> m.CourtCase:
    """The court closes a dependency case: its judge's and attorneys' assignments end that day."""
    if not may_close_court_case(user, court_case):
        raise PermissionDenied("Only the case's judge or a court coordinator of its court closes it.")
    if court_case.closed_on is not None:
        raise ValidationError(f"Case {court_case.docket_number} is already closed.")
    if reason not in m.CourtCaseClosure.values:
        raise ValidationError({"reason": "Say why the case closes."})
    _not_future(on, "closed_on", "closing date")
    if court_case.filed_on:
        filed = _day(court_case.filed_on)
        _not_before(on, court_case.filed_on, "closed_on", f"The case cannot close before the petition ({filed}).")
    court_case.closed_on = on
    court_case.closed_reason = reason
    court_case.save(update_fields=["closed_on", "closed_reason", "updated_at"])
    people_services.end_assignments(court_case.assignments.open(), on=on, reason=AssignmentEnd.CASE_CLOSED, by=user)
    return court_case
