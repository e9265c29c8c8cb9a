"""Court reports: compiled through the policy point for the court as recipient, and read once filed.

The author sees a preview of exactly what the court will see, and what was left out and why: the
records the author may see that the court may not (each with the court's denial reason). Filing freezes
what the court read then (services.file_report); a later reader sees those frozen lines as far as the
policy point lets them see each line's source now.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import AgencyKind, Purpose, Role
from familybridge.cases import models as m
from familybridge.cases.models import CourtCase, Hearing
from familybridge.cases.timeline import describe
from familybridge.consent import policy
from familybridge.consent.categories import Category
from familybridge.consent.policy import Withheld
from familybridge.courts.models import CourtReport, FiledPart
from familybridge.messaging.selectors import staff_who_work
from familybridge.people import selectors as people_selectors
from familybridge.people.models import CaseloadAssignment, FamilyMember, MemberRole, record_label


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    querysets: tuple  # callables taking the family's subject ids


def _children(family) -> QuerySet:
    return FamilyMember.objects.filter(family=family, role=MemberRole.CHILD).values("subject_id")


def _members(family) -> QuerySet:
    return FamilyMember.objects.filter(family=family).values("subject_id")


def _parents(family) -> QuerySet:
    return FamilyMember.objects.exclude(role=MemberRole.CHILD).filter(family=family).values("subject_id")


SECTIONS = [
    SectionSpec(
        "child_welfare",
        "Child welfare summary",
        (
            lambda f: m.ChildWelfareReport.objects.filter(subject__in=_children(f)),
            lambda f: m.RemovalEpisode.objects.filter(subject__in=_children(f)),
            lambda f: m.PlacementSetting.objects.filter(subject__in=_children(f)),
            lambda f: m.PermanencyPlan.objects.filter(subject__in=_children(f)),
            lambda f: m.Visitation.objects.filter(subject__in=_children(f)).select_related("parent"),
            lambda f: m.CasePlanService.objects.filter(subject__in=_parents(f)),
        ),
    ),
    SectionSpec(
        "treatment",
        "Treatment engagement and progress",
        (
            lambda f: m.TreatmentEpisode.objects.filter(subject__in=_parents(f)).select_related("owner_agency"),
            lambda f: m.TreatmentPlan.objects.filter(subject__in=_parents(f)),
            lambda f: m.ProgressSummary.objects.filter(subject__in=_parents(f)),
            lambda f: m.DischargeSummary.objects.filter(subject__in=_parents(f)),
            lambda f: m.Attendance.objects.filter(subject__in=_parents(f)),
        ),
    ),
    SectionSpec("toxicology", "Toxicology", (lambda f: m.ToxicologyResult.objects.filter(subject__in=_parents(f)),)),
    SectionSpec(
        "children_services",
        "Services to children",
        (lambda f: m.CasePlanService.objects.filter(subject__in=_children(f)),),
    ),
]


@dataclass(frozen=True)
class Part:
    """One line of a section: an event a record tells, or a person's attendance at one program."""

    day: date | None
    title: str
    person: str
    detail: str
    source: Model  # the record the line comes from (for attendance, the first of the sessions)
    is_attendance: bool = False


@dataclass
class Section:
    key: str
    title: str
    parts: list[Part] = field(default_factory=list)
    part2: bool = False
    # For a filed report read later: how many of the lines filed here the reader may not see now, and why.
    withheld: int = 0
    withheld_reasons: list[str] = field(default_factory=list)

    @property
    def entries(self) -> list[Part]:
        return [part for part in self.parts if not part.is_attendance]

    @property
    def attendance(self) -> list[str]:
        return [part.detail for part in self.parts if part.is_attendance]


@dataclass(frozen=True)
class LeftOut:
    what: str
    category_label: str
    reason: str


@dataclass
class CompiledReport:
    hearing: Hearing
    court_reader: User
    sections: list[Section]
    left_out: list[LeftOut]
    included: list[str]
    records: list[Model] = field(default_factory=list)

    @property
    def has_part2(self) -> bool:
        return any(section.part2 for section in self.sections)

    @property
    def line_count(self) -> int:
        return sum(len(section.parts) for section in self.sections)


def court_reader_for(hearing: Hearing) -> User | None:
    """Whom the court's view is computed for: the judge with the case on her docket, else another judge who
    works the family, else the coordinator."""
    family = hearing.court_case.family
    if family is None:
        return None
    docket = hearing.court_case.assignments.in_effect(timezone.localdate()).values("staff_id")
    judge = User.objects.filter(is_active=True, pk__in=docket, staff_roles__role=Role.JUDGE).first()
    if judge is not None:
        return judge
    staff = list(staff_who_work(family, [hearing.owner_agency_id]).prefetch_related("staff_roles"))
    for role in (Role.JUDGE, Role.COURT_COORDINATOR):
        for user in staff:
            if user.has_role(role):
                return user
    return None


def _visible(user: Any, queryset: QuerySet, purpose: str, *, disclose: bool) -> dict[str, Model | Withheld]:
    """Records of the queryset keyed by record key; Withheld markers keyed by position (they have no key)."""
    items = policy.read(user, queryset.select_related("subject", "owner_agency"), purpose, disclose=disclose)
    return {
        (record_label(item) if not isinstance(item, Withheld) else f"withheld:{index}"): item
        for index, item in enumerate(items)
    }


def _attendance_parts(records: list) -> list[Part]:
    """One line per person and program: the sessions attended, of those scheduled."""
    by_source: dict[tuple[str, int], list] = {}
    for record in records:
        by_source.setdefault((str(record.subject), record.owner_agency_id), []).append(record)
    parts = []
    for (person, _), sessions in sorted(by_source.items()):
        counts = Counter(session.status for session in sessions)
        total = len(sessions)
        line = (
            f"{person}: attended {counts['attended']} of {total} scheduled sessions "
            f"({round(100 * counts['attended'] / total)}%), {counts['missed']} missed"
        )
        parts.append(Part(None, "", person, line, sessions[0], is_attendance=True))
    return parts


def _section(spec: SectionSpec, records: list[Model]) -> Section:
    entries = [
        Part(entry.day, entry.title, entry.person, entry.detail, record)
        for record in records
        if not isinstance(record, m.Attendance)
        for entry in describe(record)
    ]
    entries.sort(key=lambda part: part.day, reverse=True)
    attendance = _attendance_parts([r for r in records if isinstance(r, m.Attendance)])
    return Section(spec.key, spec.title, attendance + entries, any(r.redisclosure_notice for r in records))


def compile_for_author(author: Any, hearing: Hearing, purpose: str) -> CompiledReport:
    """The preview: what the court will see of what the author may see, and what is left out and why."""
    reader = court_reader_for(hearing)
    family = hearing.court_case.family
    # The author reads for a purpose of their own roles: a caseworker prepares a report for a court
    # proceeding while reading for case planning; the court's purpose decides what the court sees.
    author_purpose = purpose if purpose in author.allowed_purposes else author.default_purpose or purpose
    sections, left_out, included, all_records = [], [], [], []
    for spec in SECTIONS:
        records = []
        for make_queryset in spec.querysets:
            queryset = make_queryset(family)
            mine = {
                k: v
                for k, v in _visible(author, queryset, author_purpose, disclose=True).items()
                if not isinstance(v, Withheld)
            }
            theirs = _visible(reader, queryset, purpose, disclose=False) if reader else {}
            for key, record in mine.items():
                if key in theirs:
                    # as the court will read it, so its §2.32 notice is the one the court's read carries
                    records.append(theirs[key])
                    included.append(key)
                else:
                    left_out.append(_left_out(record, reader, purpose))
        sections.append(_section(spec, records))
        all_records += records
    return CompiledReport(hearing, reader, sections, _merge(left_out), included, all_records)


def _left_out(record: Model, reader: User | None, purpose: str) -> LeftOut:
    what = describe(record)[0]
    label = Category(record.category).label
    if reader is None:
        reason = "No judge or court coordinator has this family on their caseload."
    else:
        purpose_label = Purpose(purpose).label.lower() if purpose in Purpose.values else purpose
        reason = (
            f"No consent, court order or agreement opens {label} from {record.owner_agency.name} "
            f"to the court for {purpose_label}."
        )
    return LeftOut(f"{what.title} — {what.person}", label, reason)


def _merge(items: list[LeftOut]) -> list[LeftOut]:
    """One line per kind of record and reason, counted, so a long list of drug tests reads as one line."""
    counts = Counter(items)
    return [
        LeftOut(f"{item.what}" + (f" (and {n - 1} more like it)" if n > 1 else ""), item.category_label, item.reason)
        for item, n in counts.items()
    ]


def compile_for_court(reader: User, hearing: Hearing, included: list[str], purpose: str) -> CompiledReport:
    """What filing discloses: the included records the court reader may see, read as the reader. The read is
    the disclosure, so the policy point accounts for the Part 2 records in it (and only those)."""
    family = hearing.court_case.family
    wanted: dict[str, set[int]] = {}
    for key in included:
        label, pk = key.rsplit(":", 1)
        wanted.setdefault(label, set()).add(int(pk))
    sections, all_records = [], []
    for spec in SECTIONS:
        records = []
        for make_queryset in spec.querysets:
            queryset = make_queryset(family)
            ids = wanted.get(queryset.model._meta.label_lower, set())
            visible = _visible(reader, queryset.filter(pk__in=ids), purpose, disclose=True)
            records += [record for record in visible.values() if not isinstance(record, Withheld)]
        sections.append(_section(spec, records))
        all_records += records
    return CompiledReport(hearing, reader, sections, [], sorted(record_label(r) for r in all_records), all_records)


# A filed report, read later: the frozen lines as far as the reader may see them now.

WITHHELD_NOW = (
    "No consent, court order or agreement opens them to you now: a consent that allowed them may have been "
    "revoked or have ended. The filed copy is unchanged; only what you may see now is shown."
)


@dataclass
class FiledReport:
    report: CourtReport
    sections: list[Section]
    superseded_by: CourtReport | None = None

    @property
    def hearing(self) -> Hearing:
        return self.report.hearing

    @property
    def complete(self) -> bool:
        """Whether the reader sees every line that was filed (and so may have the filed PDF)."""
        return not any(section.withheld for section in self.sections)

    @property
    def has_part2(self) -> bool:
        return any(section.part2 for section in self.sections)


def filed_sections(report: CourtReport, parts: list[FiledPart], notices: dict[str, bool]) -> list[Section]:
    """The sections of a filed report from its frozen lines, in the order filed; `notices` says which sections
    carry the §2.32 notice."""
    by_section: dict[str, list[Part]] = {}
    for part in parts:
        by_section.setdefault(part.section, []).append(
            Part(part.day, part.title, part.person, part.detail, part, part.kind == FiledPart.ATTENDANCE)
        )
    return [
        Section(filed["key"], filed["title"], by_section.get(filed["key"], []), notices.get(filed["key"], False))
        for filed in report.filed_sections
    ]


def read_filed(reader: User, report: CourtReport, purpose: str) -> FiledReport:
    """The filed report as the reader may see it now: each frozen line read through the policy point (logged as
    a disclosure where it is Part 2); the lines withheld from the reader counted per section, with the reason."""
    lines = FiledPart.objects.filter(report=report).order_by("position")
    items = policy.read(reader, lines, purpose)
    shown = [item for item in items if isinstance(item, FiledPart)]
    reasons = sorted({item.reason for item in items if isinstance(item, Withheld)})
    notices = {}
    for part in shown:
        notices[part.section] = notices.get(part.section, False) or bool(part.redisclosure_notice)
    sections = filed_sections(report, shown, notices)
    for section, filed in zip(sections, report.filed_sections, strict=True):
        section.withheld = filed["parts"] - len(section.parts)
        if section.withheld:
            section.withheld_reasons = [WITHHELD_NOW] if filed["part2"] or not reasons else reasons
    amendments = CourtReport.objects.filter(amends=report).exclude(sent_at=None).select_related("author")
    superseded_by = policy.permitted(reader, amendments, purpose).order_by("-version").first()
    return FiledReport(report, sections, superseded_by)


def verify_filed_copy(report: CourtReport) -> bool:
    """Whether the stored HTML and PDF are still exactly what was filed: their SHA-256 hashes match."""
    return bool(report.content_hash) and (
        sha256_of(report.filed_html.encode()) == report.content_hash
        and sha256_of(bytes(report.filed_pdf or b"")) == report.pdf_hash
    )


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def filed_reports(user: Any, queryset: QuerySet, purpose: str) -> QuerySet:
    """The filed reports of the queryset the user may read for the purpose (drafts are their authors' alone)."""
    return policy.permitted(user, queryset.exclude(sent_at=None), purpose)


def reports_for_family(user: Any, family: Any, purpose: str) -> list:
    """The reports filed for the family's hearings that the user may know of."""
    reports = CourtReport.objects.filter(hearing__court_case__family=family).exclude(sent_at=None)
    reports = reports.select_related("hearing", "author").defer("filed_html", "filed_pdf")
    return [item for item in policy.read(user, reports, purpose) if isinstance(item, CourtReport)]


def draft_of(author: Any, hearing: Hearing) -> CourtReport | None:
    """The author's draft for the hearing, if she has one."""
    drafts = CourtReport.objects.filter(hearing=hearing, author=author, sent_at=None)
    return policy.permitted(author, drafts, author.default_purpose or Purpose.CASE_PLANNING).first()


# The hearing docket: a judge's cases, or the whole court for its coordinator, a day or a week at a time.

DOCKET_ROLES = frozenset({Role.JUDGE, Role.COURT_COORDINATOR})


def may_see_docket(user: Any) -> bool:
    """A court's judges and court coordinators keep its hearing calendar."""
    return bool(
        user.is_authenticated
        and user.agency_id
        and user.agency.kind == AgencyKind.COURT
        and user.role_codes & DOCKET_ROLES
    )


def sees_whole_docket(user: Any) -> bool:
    """The court coordinator sees the whole court's calendar; a judge, the cases on her docket."""
    return Role.COURT_COORDINATOR in user.role_codes


def judges_of(user: Any) -> QuerySet[User]:
    """The judges of the user's court, by name: whose docket a coordinator may look at."""
    return User.objects.filter(agency_id=user.agency_id, is_active=True, staff_roles__role=Role.JUDGE).order_by(
        "last_name", "first_name"
    )


@dataclass
class DocketEntry:
    """One hearing as the docket lists it: the court's own case number, who sits, the parties and their counsel,
    each as far as the viewer may see them."""

    hearing: Hearing
    judge: str = ""
    parties: list[str] = field(default_factory=list)
    counsel: list[str] = field(default_factory=list)
    family_name: str = ""  # only where the viewer may open the family's page


@dataclass
class DocketDay:
    day: date
    entries: list[DocketEntry]


def _in_effect_on_hearing_day() -> Q:
    """An assignment about the hearing's case in effect on the hearing's day (the judge who sat then)."""
    return Q(assigned_on__lte=OuterRef("hearing_date")) & (Q(ended_on=None) | Q(ended_on__gt=OuterRef("hearing_date")))


def docket(user: Any, purpose: str, *, start: date, end: date, judge: User | None = None) -> list[DocketDay]:
    """The court's hearings from start to end (inclusive), each day in the order the cases are called.

    A judge sees the hearings of the cases on her docket on the hearing's day, whatever `judge` says; the
    coordinator sees the whole court, or one judge's docket. Every hearing, party and attorney is read
    through the policy point; a constant number of queries for any number of hearings.
    """
    if not sees_whole_docket(user):
        judge = user
    hearings = Hearing.objects.filter(
        owner_agency=user.agency_id, hearing_date__gte=start, hearing_date__lte=end
    ).select_related("court_case", "subject")
    if judge is not None:
        on_docket = CaseloadAssignment.objects.filter(
            _in_effect_on_hearing_day(),
            about_type=ContentType.objects.get_for_model(CourtCase),
            about_id=OuterRef("court_case_id"),
            staff=judge,
        )
        hearings = hearings.filter(Exists(on_docket))
    ordered = policy.permitted(user, hearings, purpose).order_by(
        "hearing_date", F("hearing_time").asc(nulls_last=True), "courtroom", "court_case__docket_number", "pk"
    )
    entries = _docket_entries(user, list(ordered), purpose)
    days: dict[date, list[DocketEntry]] = {}
    for entry in entries:
        days.setdefault(entry.hearing.hearing_date, []).append(entry)
    return [DocketDay(day, entries) for day, entries in sorted(days.items())]


def _docket_entries(user: Any, hearings: list[Hearing], purpose: str) -> list[DocketEntry]:
    family_ids = {h.court_case.family_id for h in hearings if h.court_case.family_id}
    families = dict(
        people_selectors.families_visible_to(user, purpose).filter(pk__in=family_ids).values_list("pk", "name")
    )
    members: dict[int, list[FamilyMember]] = {}
    for member in people_selectors.visible_members_of_families(user, family_ids, purpose):
        members.setdefault(member.family_id, []).append(member)
    assignments: dict[int, list[CaseloadAssignment]] = {}
    for assignment in CaseloadAssignment.objects.filter(
        about_type=ContentType.objects.get_for_model(CourtCase),
        about_id__in={h.court_case_id for h in hearings},
        capacity__in=(Role.JUDGE, Role.ATTORNEY),
    ).select_related("staff", "represents"):
        assignments.setdefault(assignment.about_id, []).append(assignment)
    entries = []
    for hearing in hearings:
        people = members.get(hearing.court_case.family_id, [])
        visible = {member.subject_id for member in people}
        sitting = [a for a in assignments.get(hearing.court_case_id, []) if _in_effect(a, hearing.hearing_date)]
        entries.append(
            DocketEntry(
                hearing=hearing,
                judge=", ".join(str(a.staff) for a in sitting if a.capacity == Role.JUDGE),
                parties=[_party(member, hearing) for member in people],
                counsel=[_counsel(a, visible) for a in sitting if a.capacity == Role.ATTORNEY],
                family_name=families.get(hearing.court_case.family_id, ""),
            )
        )
    return entries


def _in_effect(assignment: CaseloadAssignment, day: date) -> bool:
    return assignment.assigned_on <= day and (assignment.ended_on is None or assignment.ended_on > day)


def _party(member: FamilyMember, hearing: Hearing) -> str:
    if member.subject_id == hearing.subject_id:
        return f"{member.subject} (the child in this case)"
    return f"{member.subject} ({member.get_role_display().lower()})"


def _counsel(assignment: CaseloadAssignment, visible: set[int]) -> str:
    if assignment.represents_id in visible:
        return f"{assignment.staff} for {assignment.represents}"
    return f"{assignment.staff} (attorney)"
