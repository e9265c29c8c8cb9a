"""One timeline of a family's events across the three systems, read through the policy point."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from familybridge.agencies.models import AgencyKind
from familybridge.cases import models as m
from familybridge.consent import policy
from familybridge.consent.categories import Category
from familybridge.consent.policy import Withheld
from familybridge.consent.withheld import WithheldGroup, group_withheld
from familybridge.notes.models import CaseNote, ContactLogEntry
from familybridge.people.models import Family, FamilyMember
from familybridge.referrals.models import Referral


class System:
    CHILD_WELFARE = "child_welfare"
    TREATMENT = "treatment"
    COURT = "court"


SYSTEM_LABELS = {System.CHILD_WELFARE: "Child welfare", System.TREATMENT: "Treatment", System.COURT: "Court"}

# Notes and contacts belong to the system of the agency that wrote them.
SYSTEM_OF_AGENCY_KIND = {
    AgencyKind.CHILD_WELFARE: System.CHILD_WELFARE,
    AgencyKind.SUD_TREATMENT: System.TREATMENT,
    AgencyKind.COURT: System.COURT,
}


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    system: str
    title: str
    person: str
    detail: str
    record: Model

    @property
    def system_label(self) -> str:
        return SYSTEM_LABELS[self.system]

    @property
    def category(self) -> str:
        return self.record.category

    @property
    def redisclosure_notice(self) -> str:
        """The §2.32 notice the policy point attached to the record behind this entry, if any."""
        return getattr(self.record, "redisclosure_notice", "")


def describe(record: Any) -> list[TimelineEntry]:
    """What one record says, dated: its timeline entries (an episode gives its start and its end)."""
    who = str(record.subject)

    def entry(day: date, system: str, title: str, detail: str = "") -> TimelineEntry:
        return TimelineEntry(day, system, title, who, detail, record)

    match record:
        case m.ChildWelfareReport():
            return [entry(record.report_date, System.CHILD_WELFARE, "Report", record.get_disposition_display())]
        case m.RemovalEpisode():
            items = [entry(record.removal_date, System.CHILD_WELFARE, "Removed from home")]
            if record.discharge_date:
                items.append(
                    entry(
                        record.discharge_date, System.CHILD_WELFARE, "Left care", record.get_discharge_reason_display()
                    )
                )
            return items
        case m.PlacementSetting():
            return [entry(record.setting_start, System.CHILD_WELFARE, "Placement", record.get_setting_type_display())]
        case m.PermanencyPlan():
            return [entry(record.set_on, System.CHILD_WELFARE, "Permanency goal", record.get_goal_display())]
        case m.CasePlanService():
            return [
                entry(
                    record.start_date,
                    System.CHILD_WELFARE,
                    "Case plan service",
                    f"{record.service} ({record.get_status_display().lower()})",
                )
            ]
        case m.Visitation():
            attended = "attended" if record.attended else "missed"
            return [entry(record.visit_date, System.CHILD_WELFARE, "Family time", f"with {record.parent}, {attended}")]
        case Referral():
            return [entry(record.referral_date, System.TREATMENT, "Referred to treatment", str(record.owner_agency))]
        case m.TreatmentEpisode():
            items = [
                entry(
                    record.admission_date,
                    System.TREATMENT,
                    "Admitted to treatment",
                    f"{record.owner_agency}, ASAM {record.level_of_care}"
                    if record.level_of_care
                    else str(record.owner_agency),
                )
            ]
            if record.discharge_date:
                items.append(entry(record.discharge_date, System.TREATMENT, "Discharged from treatment"))
            return items
        case m.DischargeSummary():
            return [
                entry(
                    record.discharged_on,
                    System.TREATMENT,
                    "Discharge reason",
                    record.get_reason_display(),
                )
            ]
        case m.Attendance():
            return [entry(record.session_date, System.TREATMENT, "Session", record.get_status_display())]
        case m.ToxicologyResult():
            detail = record.get_outcome_display() + (f": {record.substances}" if record.substances else "")
            return [entry(record.collected_on, System.TREATMENT, "Drug test", detail)]
        case m.TreatmentPlan():
            moud = f"; MOUD: {record.get_moud_display()}" if record.moud else ""
            return [entry(record.written_on, System.TREATMENT, "Treatment plan", f"{record.goals}{moud}")]
        case m.ProgressSummary():
            return [entry(record.period_end, System.TREATMENT, "Progress summary", record.summary)]
        case m.CourtCase():
            day = record.filed_on or record.created_at.date()
            return [entry(day, System.COURT, "Petition filed", f"Case {record.docket_number}")]
        case m.Hearing():
            return [entry(record.hearing_date, System.COURT, record.get_hearing_type_display())]
        case m.CourtOrder():
            return [entry(record.order_date, System.COURT, record.get_order_type_display(), record.summary)]
        case m.FtcPhase():
            phase = "Graduated" if record.phase >= 5 else f"Phase {record.phase}"
            return [entry(record.started_on, System.COURT, "Family treatment court", phase)]
        case m.FtcResponse():
            return [entry(record.response_date, System.COURT, record.get_kind_display(), record.description)]
        case CaseNote():
            counseling = record.category == Category.SUD_COUNSELING_NOTES
            title = "Counseling note" if counseling else "Case note"
            return [entry(record.note_date, SYSTEM_OF_AGENCY_KIND[record.owner_agency.kind], title, record.title)]
        case ContactLogEntry():
            # Who took part is left to the contact log, which names only the people the viewer may see.
            seen = {True: "child seen", False: "child not seen"}.get(record.child_seen, "")
            detail = ", ".join(part for part in (record.location, seen) if part)
            day = timezone.localdate(record.occurred_at)
            system = SYSTEM_OF_AGENCY_KIND[record.owner_agency.kind]
            return [entry(day, system, record.get_contact_type_display(), detail)]
    raise TypeError(f"{type(record).__name__} has no place on the timeline")


def timeline_querysets(family: Family, system: str = "") -> list[QuerySet]:
    """Every kind of record about the family's members that the timeline shows, or those of one system.

    The system is chosen here, in the query, so that nothing outside it is read (or disclosed).
    """
    subjects = FamilyMember.objects.filter(family=family).values("subject_id")
    about = {"subject__in": subjects}

    def written_on_the_family(agency_kind: str) -> list[QuerySet]:
        written = {"family": family, "owner_agency__kind": agency_kind, **about}
        return [
            model.objects.filter(**written).select_related("subject", "owner_agency")
            for model in (CaseNote, ContactLogEntry)
        ]

    by_system = {
        System.CHILD_WELFARE: [
            m.ChildWelfareReport.objects.filter(**about).select_related("subject"),
            m.RemovalEpisode.objects.filter(**about).select_related("subject"),
            m.PlacementSetting.objects.filter(**about).select_related("subject"),
            m.PermanencyPlan.objects.filter(**about).select_related("subject"),
            m.CasePlanService.objects.filter(**about).select_related("subject"),
            m.Visitation.objects.filter(**about).select_related("subject", "parent"),
            *written_on_the_family(AgencyKind.CHILD_WELFARE),
        ],
        System.TREATMENT: [
            Referral.objects.filter(**about).select_related("subject", "owner_agency"),
            m.TreatmentEpisode.objects.filter(**about).select_related("subject", "owner_agency"),
            m.DischargeSummary.objects.filter(**about).select_related("subject"),
            m.Attendance.objects.filter(**about).select_related("subject"),
            m.ToxicologyResult.objects.filter(**about).select_related("subject"),
            m.TreatmentPlan.objects.filter(**about).select_related("subject"),
            m.ProgressSummary.objects.filter(**about).select_related("subject"),
            *written_on_the_family(AgencyKind.SUD_TREATMENT),
        ],
        System.COURT: [
            m.CourtCase.objects.filter(**about).select_related("subject"),
            m.Hearing.objects.filter(**about).select_related("subject"),
            m.CourtOrder.objects.filter(**about).select_related("subject"),
            m.FtcPhase.objects.filter(**about).select_related("subject"),
            m.FtcResponse.objects.filter(**about).select_related("subject"),
            *written_on_the_family(AgencyKind.COURT),
        ],
    }
    return [queryset for name, group in by_system.items() if system in ("", name) for queryset in group]


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    withheld: list[WithheldGroup]


def family_timeline(user: Any, family: Family, purpose: str, *, system: str = "") -> Timeline:
    entries: list[TimelineEntry] = []
    withheld: list[Withheld] = []
    for queryset in timeline_querysets(family, system):
        for item in policy.read(user, queryset, purpose):
            if isinstance(item, Withheld):
                withheld.append(item)
            else:
                entries.extend(describe(item))
    entries.sort(key=lambda e: (e.day, e.system), reverse=True)
    return Timeline(entries, group_withheld(withheld))
