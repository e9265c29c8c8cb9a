"""Each agency's involvement with a family, read through the policy decision point."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from familybridge.cases.clocks import (
    CareEpisode,
    ChildFacts,
    Clock,
    Level,
    Period,
    TreatmentFacts,
    asfa_clocks,
    developmental_clock,
    recovery_clock,
)
from familybridge.cases.models import (
    Attendance,
    AttendanceStatus,
    ChildWelfareReport,
    CourtCase,
    CourtOrder,
    DischargeSummary,
    Hearing,
    HearingType,
    OrderType,
    PermanencyPlan,
    PlacementSetting,
    RemovalEpisode,
    SettingType,
    ToxicologyOutcome,
    ToxicologyResult,
    TreatmentEpisode,
)
from familybridge.consent import policy
from familybridge.consent.policy import Withheld
from familybridge.consent.withheld import withheld_markers
from familybridge.dates import us_date
from familybridge.people import selectors as people_selectors
from familybridge.people.models import Family, FamilyMember, MemberRole, Person
from familybridge.referrals.selectors import ATTENDING_WINDOW_DAYS


def _subjects_of(family: Family) -> QuerySet:
    return FamilyMember.objects.filter(family=family).values("subject_id")


@dataclass
class Involvement:
    """One family's records, grouped the way the family page shows them."""

    reports: list
    removals: list
    placements: list
    treatment: list
    court_cases: list
    hearings: list
    # The sessions of the last weeks of the open episodes the viewer may see: the engagement signal's evidence.
    recent_attendance: list


def visible_discharge_summaries(user: Any, episode_ids: list[int], purpose: str) -> dict[int, DischargeSummary]:
    """The discharge summaries of these episodes that the viewer may see, by episode.

    Why an episode ended is sud.discharge content: it is shown from the summary that owns it, never from
    the copy on the episode (sud.enrollment), which only the outcomes engine's aggregates read.
    """
    summaries = DischargeSummary.objects.filter(episode_id__in=episode_ids)
    return {s.episode_id: s for s in policy.read(user, summaries, purpose) if not isinstance(s, Withheld)}


def _with_discharge_reasons(user: Any, episodes: list, purpose: str) -> list:
    """Each visible episode gets `shown_discharge_reason`: the reason from a summary the viewer may see, or ""."""
    shown = [e for e in episodes if isinstance(e, TreatmentEpisode)]
    summaries = visible_discharge_summaries(user, [e.pk for e in shown], purpose)
    for episode in shown:
        summary = summaries.get(episode.pk)
        episode.shown_discharge_reason = summary.get_reason_display() if summary else ""
    return episodes


def family_involvement(user: Any, family: Family, purpose: str, *, on: date | None = None) -> Involvement:
    on = on or timezone.localdate()
    subjects = _subjects_of(family)
    treatment = policy.read(
        user,
        TreatmentEpisode.objects.filter(subject__in=subjects).select_related("subject", "owner_agency"),
        purpose,
    )
    open_episodes = [e.pk for e in treatment if isinstance(e, TreatmentEpisode) and e.discharge_date is None]
    # Only the sessions of episodes the viewer already sees are read: nothing more of Part 2 is disclosed.
    attendance = Attendance.objects.filter(
        episode_id__in=open_episodes, session_date__gt=on - timedelta(days=ATTENDING_WINDOW_DAYS), session_date__lte=on
    )
    return Involvement(
        reports=policy.read(
            user, ChildWelfareReport.objects.filter(subject__in=subjects).select_related("subject"), purpose
        ),
        removals=policy.read(
            user,
            RemovalEpisode.objects.filter(subject__in=subjects).select_related("subject"),
            purpose,
        ),
        placements=policy.read(user, PlacementSetting.objects.filter(subject__in=subjects), purpose),
        treatment=_with_discharge_reasons(user, treatment, purpose),
        court_cases=policy.read(
            user, CourtCase.objects.filter(subject__in=subjects).select_related("subject"), purpose
        ),
        hearings=policy.read(
            user, Hearing.objects.filter(subject__in=subjects).select_related("subject", "court_case"), purpose
        ),
        recent_attendance=policy.read(user, attendance, purpose) if open_episodes else [],
    )


@dataclass
class MemberClocks:
    name: str
    role: str
    clocks: list[Clock]
    person_id: int | None = None


@dataclass(frozen=True)
class SummaryLine:
    """One system's state in a sentence a person can scan, from what the viewer may see ("" when nothing)."""

    system: str
    label: str
    text: str
    records: list  # the records it was written from, so the page can link Part 2 lines to the notice
    withheld: int = 0  # how many of the system's records the viewer may not see (Part 2 ones are not counted)


def family_summary(involvement: Involvement, clocks: list[MemberClocks], *, on: date) -> list[SummaryLine]:
    """Child welfare, treatment, court and the clocks, one line each, written only from the records the page
    already read through the policy point (no second read: what the viewer may not see cannot appear)."""
    removals = [r for r in involvement.removals if isinstance(r, RemovalEpisode)]
    treatment = [t for t in involvement.treatment if isinstance(t, TreatmentEpisode)]
    hearings = [h for h in involvement.hearings if isinstance(h, Hearing)]
    cases = [c for c in involvement.court_cases if isinstance(c, CourtCase)]
    attendance = [a for a in involvement.recent_attendance if isinstance(a, Attendance)]
    care = [involvement.reports, involvement.removals, involvement.placements]
    court = [involvement.court_cases, involvement.hearings]
    return [
        SummaryLine(
            "child_welfare",
            "Child welfare",
            _care_summary(removals, involvement.placements, on),
            removals,
            len(withheld_markers(*care)),
        ),
        SummaryLine(
            "treatment",
            "Treatment",
            _treatment_summary(treatment, attendance),
            treatment,
            len(withheld_markers(involvement.treatment)),
        ),
        SummaryLine(
            "court", "Court", _court_summary(cases, hearings, on), [*cases, *hearings], len(withheld_markers(*court))
        ),
        SummaryLine("clocks", "Clocks", _nearest_deadline(clocks), []),
    ]


def _care_summary(removals: list[RemovalEpisode], placements: list, on: date) -> str:
    settings = [p for p in placements if isinstance(p, PlacementSetting)]
    phrases = []
    for episode in sorted(removals, key=lambda e: e.removal_date):
        if episode.discharge_date is None:
            current = [
                s.get_setting_type_display().lower()
                for s in settings
                if s.episode_id == episode.pk and s.setting_start <= on < (s.setting_end or date.max)
            ]
            where = f", {current[-1]}" if current else ""
            phrases.append(f"{episode.subject} in care since {us_date(episode.removal_date)}{where}")
    if phrases:
        return "; ".join(phrases)
    if removals:
        last = max(removals, key=lambda e: e.discharge_date)
        return f"No child in care; {last.subject} left care {us_date(last.discharge_date)}"
    return ""


def _treatment_summary(episodes: list[TreatmentEpisode], attendance: list[Attendance]) -> str:
    latest: dict[int, TreatmentEpisode] = {}
    for episode in sorted(episodes, key=lambda e: e.admission_date):
        latest[episode.subject_id] = episode
    phrases = []
    for episode in latest.values():
        if episode.discharge_date:
            reason = f" ({episode.shown_discharge_reason.lower()})" if episode.shown_discharge_reason else ""
            phrases.append(f"{episode.subject} discharged {us_date(episode.discharge_date)}{reason}")
            continue
        sessions = [a for a in attendance if a.episode_id == episode.pk]
        if any(a.status == AttendanceStatus.ATTENDED for a in sessions):
            signal = ", attending"
        elif sessions:
            signal = f", no session attended in the last {ATTENDING_WINDOW_DAYS} days"
        else:
            signal = ""
        phrases.append(
            f"{episode.subject} in treatment since {us_date(episode.admission_date)} at {episode.owner_agency}{signal}"
        )
    return "; ".join(phrases)


def _court_summary(cases: list[CourtCase], hearings: list[Hearing], on: date) -> str:
    dockets = {case.pk: case.docket_number for case in cases}
    upcoming = sorted((h for h in hearings if h.hearing_date >= on), key=lambda h: h.hearing_date)
    if upcoming:
        hearing = upcoming[0]
        docket = dockets.get(hearing.court_case_id)
        in_case = f", case {docket}" if docket else ""
        return f"Next: {hearing.get_hearing_type_display().lower()} on {us_date(hearing.hearing_date)}{in_case}"
    if cases:
        return "No hearing scheduled; case " + ", ".join(sorted(set(dockets.values())))
    return ""


CLOCK_URGENCY = {Level.DUE: 0, Level.WARNING: 1, Level.OK: 2}


def _nearest_deadline(clocks: list[MemberClocks]) -> str:
    """The most pressing deadline: an action due first, then one nearing, then the soonest."""
    dated = [(member, clock) for member in clocks for clock in member.clocks if clock.deadline]
    if not dated:
        return ""
    member, clock = min(dated, key=lambda pair: (CLOCK_URGENCY.get(pair[1].level, 3), pair[1].deadline))
    words = f"{clock.deadline_label} " if clock.deadline_label else ""
    return f"{clock.name} ({member.name}): {words}{us_date(clock.deadline)}"


def family_clocks(user: Any, family: Family, purpose: str, *, on: date, recovery: bool = True) -> list[MemberClocks]:
    """The clocks of each family member the viewer may see, from the records the viewer may see."""
    return clocks_of_families(user, [family.pk], purpose, on=on, recovery=recovery).get(family.pk, [])


def clocks_of_families(
    user: Any, family_ids: Iterable[int], purpose: str, *, on: date, recovery: bool = True
) -> dict[int, list[MemberClocks]]:
    """`family_clocks` of many families at once, by family: the same queries for one family or a caseload.

    Without `recovery`, the parents' treatment records are not read at all: a caller that shows only the ASFA
    clocks must not disclose (nor account for) Part 2 records it does not show.
    """
    members = people_selectors.visible_members_of_families(user, family_ids, purpose)
    subjects = {member.subject_id for member in members}

    def visible(queryset: QuerySet) -> list:
        # read, not permitted: what a clock shows of another agency's Part 2 records is a disclosure.
        items = policy.read(user, queryset.filter(subject_id__in=subjects), purpose, on=on)
        return [item for item in items if not isinstance(item, Withheld)]

    episodes = _group(visible(RemovalEpisode.objects.all()))
    settings = _group(visible(PlacementSetting.objects.all()))
    findings = _group(visible(CourtOrder.objects.filter(order_type=OrderType.ABUSE_NEGLECT_FINDING)))
    hearings = _group(visible(Hearing.objects.filter(hearing_type=HearingType.PERMANENCY)))
    plans = _group(visible(PermanencyPlan.objects.order_by("-set_on")))
    treatment, positives = {}, {}
    if recovery:
        treatment = _group(visible(TreatmentEpisode.objects.filter(admission_date__lte=on).order_by("-admission_date")))
        positives = _group(visible(ToxicologyResult.objects.filter(outcome=ToxicologyOutcome.POSITIVE)))

    result: dict[int, list[MemberClocks]] = {}
    for member in members:
        person, clocks = member.subject, []
        if member.role == MemberRole.CHILD:
            child_settings = settings.get(person.pk, [])
            plan = (plans.get(person.pk) or [None])[0]
            child = ChildFacts(
                birth_date=person.birth_date,
                episodes=[
                    _care_episode(episode, findings.get(person.pk, []), child_settings)
                    for episode in episodes.get(person.pk, [])
                ],
                permanency_hearings=[h.hearing_date for h in hearings.get(person.pk, [])],
                tpr_exception=plan.get_tpr_exception_display() if plan and plan.tpr_exception else "",
                placed_with_relative=_currently_with_relative(child_settings, on),
            )
            clocks += asfa_clocks(child, on)
            if person.birth_date:
                clocks.append(developmental_clock(person.birth_date, on))
        current = (treatment.get(person.pk) or [None])[0]
        if current is not None:
            facts = TreatmentFacts(
                current.admission_date,
                current.discharge_date,
                [t.collected_on for t in positives.get(person.pk, []) if t.episode_id == current.pk],
            )
            recovery = recovery_clock(facts, on)
            if recovery:
                clocks.append(recovery)
        if clocks:
            result.setdefault(member.family_id, []).append(
                MemberClocks(str(person), member.get_role_display(), clocks, person.pk)
            )
    return result


def _group(records: list) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for record in records:
        grouped.setdefault(record.subject_id, []).append(record)
    return grouped


NOT_COUNTED_SETTINGS = {SettingType.TRIAL_HOME_VISIT, SettingType.RUNAWAY}


def _care_episode(episode: RemovalEpisode, findings: list, settings: list) -> CareEpisode:
    finding_dates = [f.order_date for f in findings if f.order_date >= episode.removal_date]
    not_counted = tuple(
        Period(s.setting_start, s.setting_end)
        for s in settings
        if s.episode_id == episode.pk and s.setting_type in NOT_COUNTED_SETTINGS
    )
    return CareEpisode(
        removal_date=episode.removal_date,
        discharge_date=episode.discharge_date,
        first_finding_date=min(finding_dates, default=None),
        not_counted=not_counted,
    )


def _currently_with_relative(settings: list, on: date) -> bool:
    current = [s for s in settings if s.setting_start <= on and (s.setting_end is None or s.setting_end > on)]
    return any(s.setting_type == SettingType.RELATIVE for s in current)


# What the record forms offer: the people and parent records a user may write about.


def recordable_members(user: Any, family: Family, purpose: str, role: str | None = None) -> QuerySet[Person]:
    """The family's members in a role (any role when None) whom the user may know of."""
    members = FamilyMember.objects.filter(family=family)
    if role:
        members = members.filter(role=role)
    visible = people_selectors.visible_member_ids(user, family, purpose)
    return Person.objects.filter(pk__in=members.values("subject_id")).filter(pk__in=visible)


def own_removal_episodes(user: Any, family: Family, purpose: str, *, open_only: bool = False) -> QuerySet:
    episodes = RemovalEpisode.objects.filter(owner_agency=user.agency_id, subject__in=_subjects_of(family))
    if open_only:
        episodes = episodes.filter(discharge_date=None)
    return policy.permitted(user, episodes.select_related("subject"), purpose)


def own_treatment_episodes(user: Any, family: Family, purpose: str, *, open_only: bool = False) -> QuerySet:
    parents = FamilyMember.objects.filter(family=family, role=MemberRole.PARENT).values("subject_id")
    episodes = TreatmentEpisode.objects.filter(owner_agency=user.agency_id, subject__in=parents)
    if open_only:
        episodes = episodes.filter(discharge_date=None)
    return policy.permitted(user, episodes.select_related("subject"), purpose)


# What a family treatment court responds to: a test result, a session, or the treatment episode as a whole.
FTC_RESPONSE_SOURCES = (ToxicologyResult, Attendance, TreatmentEpisode)


def ftc_response_sources(user: Any, family: Family, purpose: str) -> list:
    """The parents' treatment records the court may see, newest first, for a response to name its source."""
    parents = FamilyMember.objects.filter(family=family, role=MemberRole.PARENT).values("subject_id")
    records = []
    for model in FTC_RESPONSE_SOURCES:
        queryset = model.objects.filter(subject__in=parents).select_related("subject", "owner_agency")
        records += [item for item in policy.read(user, queryset, purpose) if not isinstance(item, Withheld)]
    return records


def own_court_cases(user: Any, family: Family, purpose: str, *, ftc_only: bool = False) -> QuerySet:
    cases = CourtCase.objects.filter(owner_agency=user.agency_id, subject__in=_subjects_of(family))
    if ftc_only:
        cases = cases.filter(is_family_treatment_court=True)
    return policy.permitted(user, cases.select_related("subject"), purpose)
