"""The demo's intake: reports at each step, made through intake's own services.

Lin Chen, the intake caseworker, received a report on the Hale children an hour ago (awaiting screening); a
hospital's notification about the Castillo infant, screened in for a family assessment, is James Brooks's to respond
to within 72 hours; a report on the Ward children was screened out and the family opened for it closed. Maria
Alvarez received a re-report on Mason Porter, whose family she works, and proposed to screen it in: it awaits the
approval of Denise Davis, her supervisor. Loading again adds nothing: each report's family is looked for first.
"""

from datetime import date, timedelta

from django.utils import timezone

from familybridge.agencies.roles import Purpose
from familybridge.consent import policy
from familybridge.demo.families import DemoContext
from familybridge.demo.people import PORTER_CASE_NUMBER
from familybridge.intake import services
from familybridge.intake.models import IntakeReport, MaltreatmentType, ReporterType
from familybridge.intake.services import AllegationEntry, NewPerson, Receipt, ReportDetails, ReportPerson
from familybridge.people.models import Family, FamilyMember, MemberRole, Sex

PLANNING = Purpose.CASE_PLANNING


def load_intake(ctx: DemoContext) -> None:
    maria, james, lin = ctx.caseworkers
    now = timezone.now()
    if _new(ctx, "Hale family"):
        services.receive_report(lin, _hale_report(ctx.today, now - timedelta(minutes=50)), purpose=PLANNING)
    if _new(ctx, "Castillo family"):
        report = services.receive_report(lin, _castillo_report(ctx.today, now - timedelta(hours=3)), purpose=PLANNING)
        services.propose_screening(
            lin,
            report,
            decision="screen_in",
            reason="capta_notification",
            note="Hospital notification; the mother asks for help with treatment.",
            response_track="family_assessment",
            response_hours=72,
        )
        services.approve_screening(ctx.supervisor, report, investigator=james)
    if _new(ctx, "Ward family"):
        report = services.receive_report(lin, _ward_report(ctx.today, now - timedelta(days=1)), purpose=PLANNING)
        services.propose_screening(
            lin,
            report,
            decision="screen_out",
            reason="community_services",
            note="Housing and food needs; referred to the family resource center.",
        )
        services.approve_screening(ctx.supervisor, report)
    _porter_re_report(ctx, maria, now - timedelta(hours=5))


def _new(ctx: DemoContext, name: str) -> bool:
    return not Family.objects.filter(owner_agency=ctx.cw, name=name).exists()


def _details(received_at, reporter_type: str, narrative: str, **more: str) -> ReportDetails:
    return ReportDetails(received_at=received_at, reporter_type=reporter_type, narrative=narrative, **more)


def _new_person(key: str, first: str, last: str, born: date, sex: str, role: str = MemberRole.CHILD) -> ReportPerson:
    return ReportPerson(key=key, name=f"{first} {last}", role=role, new=NewPerson(first, last, born, sex))


def _hale_report(today: date, received_at) -> Receipt:
    return Receipt(
        details=_details(
            received_at,
            ReporterType.EDUCATION,
            "Ruby's teacher: Ruby and her brother Owen have come to school hungry all week and were left waiting "
            "after school twice; Ruby says their mother sleeps most of the day.",
            reporter_name="Karen Lowe (Cedar Elementary)",
            reporter_contact="555-0142",
            address="18 Birch Lane, Cedar",
            zip_code="54311",
        ),
        children=[
            _new_person("c1", "Ruby", "Hale", today - timedelta(days=7 * 365 + 40), Sex.FEMALE),
            _new_person("c2", "Owen", "Hale", today - timedelta(days=4 * 365 + 100), Sex.MALE),
        ],
        perpetrators=[
            _new_person("p1", "Dana", "Hale", today - timedelta(days=31 * 365), Sex.FEMALE, MemberRole.PARENT)
        ],
        allegations=[
            AllegationEntry("c1", MaltreatmentType.NEGLECT, "p1"),
            AllegationEntry("c2", MaltreatmentType.NEGLECT, "p1"),
        ],
        family_name="Hale family",
    )


def _castillo_report(today: date, received_at) -> Receipt:
    return Receipt(
        details=_details(
            received_at,
            ReporterType.MEDICAL,
            "Cedar General's social worker: Lucia was born two days ago with a positive toxicology for opioids; the "
            "mother is on no medication for opioid use disorder and asks for help. Plan of safe care needed.",
            reporter_name="Sam Ortiz, MSW (Cedar General Hospital)",
            reporter_contact="555-0199",
            zip_code="54312",
        ),
        children=[_new_person("c1", "Lucia", "Castillo", today - timedelta(days=2), Sex.FEMALE)],
        allegations=[AllegationEntry("c1", MaltreatmentType.PRENATAL_SUBSTANCE_EXPOSURE, "")],
        family_name="Castillo family",
    )


def _ward_report(today: date, received_at) -> Receipt:
    return Receipt(
        details=_details(
            received_at,
            ReporterType.FRIEND_OR_NEIGHBOR,
            "A neighbor: the Ward family's power was cut off and the children say there is little food at home.",
            zip_code="54311",
        ),
        children=[_new_person("c1", "Ella", "Ward", today - timedelta(days=9 * 365), Sex.FEMALE)],
        allegations=[AllegationEntry("c1", MaltreatmentType.NEGLECT, "")],
        family_name="Ward family",
    )


def _porter_re_report(ctx: DemoContext, maria, received_at) -> None:
    porters = Family.objects.get(owner_agency=ctx.cw, case_number=PORTER_CASE_NUMBER)
    reported = policy.permitted(ctx.supervisor, IntakeReport.objects.filter(family=porters), PLANNING)
    if reported.exists():
        return
    members = policy.permitted(maria, FamilyMember.objects.filter(family=porters), PLANNING).select_related("subject")
    people = {member.subject.first_name: member.subject for member in members}
    mason, william = people["Mason"], people["William"]
    receipt = Receipt(
        details=_details(
            received_at,
            ReporterType.MEDICAL,
            "Urgent care nurse: Mason has a bruise on his cheek he says his father made; the father was "
            "intoxicated at the visit.",
            reporter_name="Jo Park, RN",
            reporter_contact="555-0177",
            zip_code="54310",
        ),
        children=[ReportPerson(key="c1", name=str(mason), role=MemberRole.CHILD, person_id=mason.pk)],
        perpetrators=[ReportPerson(key="p1", name=str(william), role=MemberRole.PARENT, person_id=william.pk)],
        allegations=[AllegationEntry("c1", MaltreatmentType.PHYSICAL_ABUSE, "p1")],
        family_id=porters.pk,
    )
    report = services.receive_report(maria, receipt, purpose=PLANNING)
    services.propose_screening(
        maria,
        report,
        decision="screen_in",
        reason="meets_definition",
        response_track="investigation",
        response_hours=24,
    )
