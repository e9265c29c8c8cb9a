"""Demo families with varied, realistic histories across the three systems, from a fixed seed.

Each family follows one of a handful of paths a partnership sees every week: a report that was not
substantiated; in-home services while a parent is in treatment; removal, treatment and
reunification; removal with a parent who did not engage, ending in guardianship or adoption;
reunification followed by re-entry; a family in the family treatment court now.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from familybridge.agencies.models import Agency, User
from familybridge.cases.models import (
    Attendance,
    AttendanceStatus,
    CasePlanService,
    ChildWelfareReport,
    CourtCase,
    CourtOrder,
    DischargeSummary,
    Disposition,
    FtcPhase,
    FtcResponse,
    Hearing,
    HearingType,
    Moud,
    OrderType,
    PermanencyGoal,
    PermanencyPlan,
    PlacementSetting,
    ProgressSummary,
    RemovalEpisode,
    ResponseKind,
    ServiceStatus,
    SettingType,
    ToxicologyOutcome,
    ToxicologyResult,
    TreatmentEpisode,
    TreatmentPlan,
    Visitation,
)
from familybridge.demo.names import CHILDREN, MEN, SURNAMES, WOMEN, ZIPS
from familybridge.people import services as people_services
from familybridge.people.models import (
    AssignmentEnd,
    Family,
    FamilyMember,
    LocalIdentifier,
    MemberRole,
    Person,
    derive_provenance,
)
from familybridge.referrals.models import Referral, ReferralSource, ReferralStatus, ReferralStep

SEED = 20261125
FAMILY_COUNT = 44


PATHS = ["unsubstantiated", "in_home", "reunified", "no_engagement", "reentry", "ftc_active", "in_care_treatment"]


@dataclass
class DemoContext:
    today: date
    cw: Agency
    providers: list[Agency]
    court: Agency
    caseworkers: list[User]
    counselors: dict[int, User]
    judge: User
    attorney: User
    supervisor: User
    clinical_supervisors: dict[str, User]
    coordinator: User


class FamilyBuilder:
    """Builds one family's history; all randomness comes from the seeded generator it is given."""

    def __init__(self, rng: random.Random, ctx: DemoContext, index: int) -> None:
        self.rng = rng
        self.ctx = ctx
        self.index = index
        self.case_number = f"CW-{2023 + index % 3}-{1000 + index:05d}"

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def person(self, first: str, last: str, birth: date, sex: str) -> Person:
        return Person.objects.create(
            first_name=first, last_name=last, birth_date=birth, sex=sex, zip_code=self.rng.choice(ZIPS)
        )

    def identify(self, person: Person, agency: Agency, prefix: str) -> None:
        LocalIdentifier.unrestricted.get_or_create(
            owner_agency=agency, subject=person, defaults={"identifier": f"{prefix}{person.pk:06d}"}
        )

    def build(self) -> Family:
        rng, ctx = self.rng, self.ctx
        path = PATHS[self.index % len(PATHS)]
        surname = SURNAMES[self.index % len(SURNAMES)]
        opened = (
            ctx.today - self.days(60, 900)
            if path not in {"ftc_active", "in_care_treatment"}
            else (ctx.today - self.days(45, 300))
        )
        family = Family.objects.create(
            name=f"{surname} family", owner_agency=ctx.cw, case_number=self.case_number, opened_on=opened
        )
        mother = self.person(rng.choice(WOMEN), surname, opened - self.days(19 * 365, 38 * 365), "F")
        parents = [mother]
        if rng.random() < 0.45:
            parents.append(self.person(rng.choice(MEN), surname, opened - self.days(21 * 365, 42 * 365), "M"))
        children = [
            self.person(rng.choice(CHILDREN), surname, opened - self.days(20, 15 * 365), rng.choice("FM"))
            for _ in range(rng.choice([1, 1, 2, 2, 3]))
        ]
        for person in parents:
            FamilyMember.objects.create(owner_agency=ctx.cw, subject=person, family=family, role=MemberRole.PARENT)
        for person in children:
            FamilyMember.objects.create(owner_agency=ctx.cw, subject=person, family=family, role=MemberRole.CHILD)
        for person in parents + children:
            self.identify(person, ctx.cw, "CW")
        caseworker = ctx.caseworkers[self.index % len(ctx.caseworkers)]
        people_services.assign(ctx.supervisor, staff=caseworker, family=family, on=opened)

        disposition = (
            Disposition.UNSUBSTANTIATED
            if path == "unsubstantiated"
            else rng.choice([Disposition.SUBSTANTIATED, Disposition.SUBSTANTIATED, Disposition.INDICATED])
        )
        for child in children:
            ChildWelfareReport.objects.create(
                owner_agency=ctx.cw,
                subject=child,
                family=family,
                report_date=opened,
                disposition=disposition,
                summary="Neglect related to caregiver substance use reported by a hospital social worker.",
                source_id=f"R{family.pk:04d}{child.pk:06d}",
            )
        if path == "unsubstantiated":
            family.closed_on = opened + self.days(30, 60)
            family.save(update_fields=["closed_on"])
            return family

        provider_index = self.index % len(ctx.providers)
        provider = ctx.providers[provider_index]
        self.treatment(family, mother, provider, opened, path, ctx.counselors[provider_index])
        if path == "in_home":
            return family
        self.removal_and_court(family, children, parents, opened, path)
        return family

    def treatment(
        self, family: Family, parent: Person, provider: Agency, opened: date, path: str, counselor: User
    ) -> None:
        rng, ctx = self.rng, self.ctx
        referral_date = opened + self.days(1, 10)
        source = ReferralSource.COURT if path == "ftc_active" else ReferralSource.CHILD_WELFARE
        referral_source_agency = ctx.court if source == ReferralSource.COURT else ctx.cw
        referral = Referral.objects.create(
            owner_agency=provider,
            subject=parent,
            family=family,
            referring_agency=referral_source_agency,
            referral_date=referral_date,
            source=source,
            reason="Positive substance use screen at the child welfare investigation.",
            source_id=f"REF{family.pk:05d}",
        )
        admitted = referral_date + self.days(2, 20)
        self.referral_steps(referral, admitted, engaged=path != "no_engagement")
        # The program's intake assigns a counselor to the client the day after the referral arrives.
        assignment = people_services.assign(
            ctx.clinical_supervisors[provider.slug],
            staff=counselor,
            client=parent,
            family=family,
            about=referral,
            on=min(referral_date + timedelta(days=1), ctx.today),
        )
        if path == "no_engagement":
            step = ReferralStep.unrestricted.filter(referral=referral, status=ReferralStatus.NOT_ENGAGED).first()
            if step is not None:
                people_services.end_assignments(
                    [assignment], on=step.occurred_at.date(), reason=AssignmentEnd.REFERRAL_CLOSED
                )
            return
        self.identify(parent, provider, "TX")
        if admitted > ctx.today:
            return
        discharge_date, reason = None, ""
        if path in {"reunified", "reentry"}:
            discharge_date = min(admitted + self.days(90, 200), ctx.today)
            reason = "completed"
        elif path == "in_home" and rng.random() < 0.5:
            discharge_date = min(admitted + self.days(20, 80), ctx.today)
            reason = rng.choice(["left", "completed"])
        episode = TreatmentEpisode.objects.create(
            owner_agency=provider,
            subject=parent,
            admission_date=admitted,
            discharge_date=discharge_date,
            discharge_reason=reason,
            level_of_care=rng.choice(["1", "2.1", "2.1", "3.5", "3.7"]),
            source_id=f"TX{family.pk:05d}",
        )
        self.treatment_detail(episode)

    def referral_steps(self, referral: Referral, admitted: date, *, engaged: bool) -> None:
        """The provider's steps, each on its day, as far as today: a closed loop or one still open."""
        start = referral.referral_date
        steps = [(ReferralStatus.RECEIVED, start), (ReferralStatus.ACCEPTED, start + self.days(0, 4))]
        if engaged:
            assessed = start + (admitted - start) // 2
            steps += [
                (ReferralStatus.ASSESSMENT_SCHEDULED, start + self.days(1, 4)),
                (ReferralStatus.ASSESSED, assessed),
                (ReferralStatus.ADMITTED, admitted),
            ]
        else:
            steps += [(ReferralStatus.NOT_ENGAGED, start + self.days(20, 40))]
        for status, day in steps:
            if day > self.ctx.today:
                break
            ReferralStep.objects.create(
                owner_agency=referral.owner_agency,
                subject=referral.subject,
                referral=referral,
                status=status,
                occurred_at=datetime.combine(day, time(10), tzinfo=UTC),
                scheduled_for=day + timedelta(days=3) if status == ReferralStatus.ASSESSMENT_SCHEDULED else None,
                note="Did not attend intake after three outreach attempts."
                if status == ReferralStatus.NOT_ENGAGED
                else "",
            )

    def treatment_detail(self, episode: TreatmentEpisode) -> None:
        """Weekly sessions and tests, a plan, monthly progress summaries, and the discharge summary."""
        rng, today = self.rng, self.ctx.today
        about = {"owner_agency": episode.owner_agency, "subject": episode.subject, "episode": episode}
        last_day = min(episode.discharge_date or today, today)
        opioid = rng.random() < 0.4
        TreatmentPlan.objects.create(
            **about,
            written_on=episode.admission_date + timedelta(days=7),
            goals="Sustained abstinence; safe parenting plan; stable housing.",
            services="Group counseling three times a week, individual counseling weekly, parenting group.",
            moud=rng.choice([Moud.BUPRENORPHINE, Moud.METHADONE]) if opioid else Moud.NONE,
        )
        slips = rng.random() < 0.5
        attendance, tests = [], []
        for week, day in enumerate(range(0, (last_day - episode.admission_date).days, 7)):
            when = episode.admission_date + timedelta(days=day)
            missed = rng.random() < (0.35 if episode.discharge_reason == "left" else 0.1)
            status = AttendanceStatus.MISSED if missed else AttendanceStatus.ATTENDED
            attendance.append(Attendance(**about, session_date=when, status=status))
            positive = slips and 3 <= week <= 6 and rng.random() < 0.4
            tests.append(
                ToxicologyResult(
                    **about,
                    collected_on=when,
                    outcome=ToxicologyOutcome.POSITIVE if positive else ToxicologyOutcome.NEGATIVE,
                    substances=rng.choice(["methamphetamine", "fentanyl", "alcohol"]) if positive else "",
                )
            )
        Attendance.objects.bulk_create(attendance)
        ToxicologyResult.objects.bulk_create(tests)
        month_end = episode.admission_date + timedelta(days=30)
        while month_end <= last_day:
            kept = sum(
                1
                for a in attendance
                if month_end - timedelta(days=30) <= a.session_date < month_end
                and a.status == AttendanceStatus.ATTENDED
            )
            ProgressSummary.objects.create(
                **about,
                period_start=month_end - timedelta(days=30),
                period_end=month_end,
                summary=f"Attended {kept} scheduled sessions this month; engaged in group and individual work.",
                recommendations="Continue at the current level of care.",
            )
            month_end += timedelta(days=30)
        if episode.discharge_date:
            DischargeSummary.objects.create(
                **about,
                discharged_on=episode.discharge_date,
                reason=episode.discharge_reason,
                recommendations="Step down to outpatient aftercare and a recovery support group."
                if episode.discharge_reason == "completed"
                else "Re-engage at intake when ready; outreach by the peer recovery specialist.",
            )

    def removal_and_court(
        self, family: Family, children: list[Person], parents: list[Person], opened: date, path: str
    ) -> None:
        rng, ctx = self.rng, self.ctx
        removal = opened + self.days(0, 5)
        discharge, reason = None, ""
        if path in {"reunified", "reentry"}:
            discharge = min(removal + self.days(150, 330), ctx.today - timedelta(days=20))
            reason = "reunification"
        elif path == "no_engagement" and (ctx.today - removal).days > 420:
            discharge = removal + self.days(400, min(700, (ctx.today - removal).days))
            reason = rng.choice(["guardianship", "adoption", "relative"])
        court_case = None
        for child in children:
            self.identify(child, ctx.court, "JV")
            episode = RemovalEpisode.objects.create(
                owner_agency=ctx.cw,
                subject=child,
                family=family,
                removal_date=removal,
                discharge_date=discharge,
                discharge_reason=reason,
                source_id=f"E{family.pk:04d}{child.pk:06d}",
            )
            first_home = rng.choice([SettingType.RELATIVE, SettingType.FOSTER, SettingType.FOSTER])
            PlacementSetting.objects.create(
                owner_agency=ctx.cw,
                subject=child,
                episode=episode,
                setting_start=removal,
                setting_type=first_home,
                setting_end=removal + timedelta(days=60) if rng.random() < 0.4 else discharge,
            )
            if discharge is None and rng.random() < 0.4 and removal + timedelta(days=60) < ctx.today:
                PlacementSetting.objects.create(
                    owner_agency=ctx.cw,
                    subject=child,
                    episode=episode,
                    setting_type=SettingType.FOSTER,
                    setting_start=removal + timedelta(days=60),
                )
            if path == "reentry" and discharge is not None:
                reentry = discharge + self.days(30, 120)
                if reentry < ctx.today:
                    RemovalEpisode.objects.create(
                        owner_agency=ctx.cw,
                        subject=child,
                        family=family,
                        removal_date=reentry,
                        source_id=f"E{family.pk:04d}{child.pk:06d}B",
                    )
            court_case = CourtCase.objects.create(
                owner_agency=ctx.court,
                subject=child,
                family=family,
                docket_number=f"JD-{family.pk:04d}-{child.pk}",
                filed_on=removal + timedelta(days=1),
                is_family_treatment_court=path == "ftc_active",
                source_id=f"JD{family.pk:04d}{child.pk:06d}",
            )
            self.hearings(court_case, child, removal, discharge, path)
            self.child_welfare_plan(family, child, parents, removal, discharge, path)
            if removal + timedelta(days=30) <= ctx.today:
                CourtOrder.objects.create(
                    owner_agency=ctx.court,
                    subject=child,
                    court_case=court_case,
                    order_date=removal + timedelta(days=30),
                    order_type=OrderType.ABUSE_NEGLECT_FINDING,
                    summary="The child is found to be neglected; the parents are ordered to follow the case plan.",
                    source_id=f"O{court_case.pk:05d}",
                )
        if path == "ftc_active" and court_case is not None:
            self.family_treatment_court(court_case, parents[0], removal)
        for parent in parents:
            self.identify(parent, ctx.court, "JP")
        # Each dependency case is on the judge's docket; the parent attorney represents the mother in it.
        for case in CourtCase.unrestricted.filter(family=family, owner_agency=ctx.court).order_by("pk"):
            people_services.assign(ctx.coordinator, staff=ctx.judge, family=family, about=case, on=case.filed_on)
            people_services.assign(
                ctx.coordinator, staff=ctx.attorney, family=family, about=case, represents=parents[0], on=case.filed_on
            )

    def child_welfare_plan(
        self, family: Family, child: Person, parents: list[Person], removal: date, discharge: date | None, path: str
    ) -> None:
        ctx, rng = self.ctx, self.rng
        goal = PermanencyGoal.ADOPTION if path == "no_engagement" and discharge else PermanencyGoal.REUNIFICATION
        PermanencyPlan.objects.create(
            owner_agency=ctx.cw,
            subject=child,
            family=family,
            goal=goal,
            concurrent_goal=PermanencyGoal.GUARDIANSHIP if goal == PermanencyGoal.REUNIFICATION else "",
            set_on=removal + timedelta(days=55),
        )
        for week in range(2, 30, 2):
            day = removal + timedelta(days=7 * week)
            if day > min(discharge or ctx.today, ctx.today):
                break
            Visitation.objects.create(
                owner_agency=ctx.cw,
                subject=child,
                family=family,
                parent=parents[0],
                visit_date=day,
                supervised=week < 16,
                attended=rng.random() < (0.5 if path == "no_engagement" else 0.9),
            )
        if child is not None and not CasePlanService.unrestricted.filter(family=family).exists():
            for service, offset in (("Parenting education", 20), ("Housing assistance", 35)):
                CasePlanService.objects.create(
                    owner_agency=ctx.cw,
                    subject=parents[0],
                    family=family,
                    service=service,
                    provider_name="Cedar County Family Resource Center",
                    start_date=removal + timedelta(days=offset),
                    status=ServiceStatus.COMPLETED if discharge else ServiceStatus.ACTIVE,
                )

    def family_treatment_court(self, court_case: CourtCase, parent: Person, removal: date) -> None:
        ctx = self.ctx
        admitted = removal + timedelta(days=40)
        CourtOrder.objects.create(
            owner_agency=ctx.court,
            subject=parent,
            court_case=court_case,
            order_date=admitted,
            order_type=OrderType.FTC_ADMISSION,
            summary="Admitted to the family treatment court.",
            source_id=f"FTC{court_case.pk:05d}",
        )
        for phase, offset in ((1, 40), (2, 130), (3, 220)):
            if removal + timedelta(days=offset) <= ctx.today:
                FtcPhase.objects.create(
                    owner_agency=ctx.court,
                    subject=parent,
                    court_case=court_case,
                    phase=phase,
                    started_on=removal + timedelta(days=offset),
                )
        responses = [
            (60, ResponseKind.INCENTIVE, "Praise from the bench and a gift card for 30 days of negative tests."),
            (95, ResponseKind.SANCTION, "Two missed tests: one day of community service."),
            (110, ResponseKind.THERAPEUTIC, "Added individual counseling after a positive test."),
            (135, ResponseKind.INCENTIVE, "Moved to phase 2; unsupervised family time approved."),
        ]
        # Each response answers the parent's treatment: the latest drug test before it, else the episode.
        episode = TreatmentEpisode.unrestricted.filter(subject=parent).order_by("-admission_date").first()
        for offset, kind, description in responses:
            day = removal + timedelta(days=offset)
            if episode is not None and day <= ctx.today:
                tests = ToxicologyResult.unrestricted.filter(episode=episode, collected_on__lte=day)
                source = tests.order_by("-collected_on").first() or episode
                FtcResponse.objects.create(
                    owner_agency=ctx.court,
                    subject=parent,
                    court_case=court_case,
                    response_date=day,
                    kind=kind,
                    description=description,
                    **derive_provenance(source),
                )

    def hearings(self, court_case: CourtCase, child: Person, removal: date, discharge: date | None, path: str) -> None:
        schedule = [
            (HearingType.SHELTER, 2),
            (HearingType.ADJUDICATION, 30),
            (HearingType.DISPOSITION, 60),
            (HearingType.REVIEW, 180),
            (HearingType.PERMANENCY, 360),
            (HearingType.REVIEW, 540),
        ]
        if path == "ftc_active":
            schedule += [(HearingType.FTC, day) for day in range(70, 400, 14)]
        end = discharge or self.ctx.today + timedelta(days=60)
        for kind, offset in schedule:
            day = removal + timedelta(days=offset)
            day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)  # courts sit on weekdays
            if day > end:
                continue
            Hearing.objects.create(
                owner_agency=self.ctx.court,
                subject=child,
                court_case=court_case,
                hearing_date=day,
                hearing_type=kind,
                source_id=f"H{court_case.pk:05d}{offset:04d}",
            )


def load_families(ctx: DemoContext) -> int:
    """Create the families that do not exist yet; returns how many were created."""
    rng = random.Random(SEED)
    created = 0
    for index in range(FAMILY_COUNT):
        builder = FamilyBuilder(random.Random(rng.random()), ctx, index)
        if Family.objects.filter(owner_agency=ctx.cw, case_number=builder.case_number).exists():
            continue
        builder.build()
        created += 1
    return created
