"""Court reports: compiled at request time through the policy point, for the court as recipient.

The author sees a preview of exactly what the court will see, and what was left out and why: the
records the author may see that the court may not (each with the court's denial reason).
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import models as m
from familybridge.cases.models import Hearing
from familybridge.cases.timeline import TimelineEntry, describe
from familybridge.consent import policy
from familybridge.consent.categories import Category
from familybridge.consent.policy import Withheld
from familybridge.courts.models import CourtReport
from familybridge.messaging.selectors import staff_who_work
from familybridge.people.models import FamilyMember, MemberRole, record_label


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


@dataclass
class Section:
    key: str
    title: str
    entries: list[TimelineEntry] = field(default_factory=list)
    attendance: list[str] = field(default_factory=list)
    part2: bool = False


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


def _attendance_lines(records: list) -> list[str]:
    by_person: dict[str, Counter] = {}
    for record in records:
        by_person.setdefault(str(record.subject), Counter())[record.status] += 1
    lines = []
    for person, counts in sorted(by_person.items()):
        total = sum(counts.values())
        lines.append(
            f"{person}: attended {counts['attended']} of {total} scheduled sessions "
            f"({round(100 * counts['attended'] / total)}%), {counts['missed']} missed"
        )
    return lines


def _section(spec: SectionSpec, records: list[Model]) -> Section:
    section = Section(spec.key, spec.title)
    attendance = [r for r in records if isinstance(r, m.Attendance)]
    section.attendance = _attendance_lines(attendance)
    for record in records:
        if not isinstance(record, m.Attendance):
            section.entries.extend(describe(record))
    section.entries.sort(key=lambda e: e.day, reverse=True)
    section.part2 = any(r.redisclosure_notice for r in records)
    return section


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


def compile_for_court(reader: Any, report: Any) -> CompiledReport:
    """The report as the court reads it now: the records the author included that the reader may still
    see. Reading it is a disclosure of those records (and only those) where they are Part 2."""
    family = report.hearing.court_case.family
    wanted: dict[str, set[int]] = {}
    for key in report.included:
        label, pk = key.rsplit(":", 1)
        wanted.setdefault(label, set()).add(int(pk))
    sections = []
    for spec in SECTIONS:
        records = []
        for make_queryset in spec.querysets:
            queryset = make_queryset(family)
            ids = wanted.get(queryset.model._meta.label_lower, set())
            visible = _visible(reader, queryset.filter(pk__in=ids), report.purpose, disclose=True)
            records += [record for record in visible.values() if not isinstance(record, Withheld)]
        sections.append(_section(spec, records))
    return CompiledReport(report.hearing, reader, sections, [], sorted(report.included))


def reports_for_family(user: Any, family: Any, purpose: str) -> list:
    """The reports filed for the family's hearings that the user may know of."""
    reports = CourtReport.objects.filter(hearing__court_case__family=family).select_related("hearing", "author")
    return [item for item in policy.read(user, reports, purpose) if isinstance(item, CourtReport)]
