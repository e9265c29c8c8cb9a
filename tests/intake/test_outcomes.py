"""Intake's findings reach the joint outcome indicators as any report and finding does."""

from datetime import timedelta

from django.utils import timezone

from familybridge.intake import services
from familybridge.intake.models import Allegation, IntakeReport, MaltreatmentType
from familybridge.intake.services import AllegationEntry, ReportPerson
from familybridge.outcomes.engine import Period, compute
from familybridge.people.models import Person
from tests.intake.conftest import PLANNING, details, new_child, receipt_about_new_children


def _investigate(report: IntakeReport, worker, supervisor, investigator, finding: str) -> None:
    services.propose_screening(
        worker, report, decision="screen_in", reason="meets_definition", response_track="investigation",
        response_hours=72,
    )
    services.approve_screening(supervisor, report, investigator=investigator)
    child = report.subject
    services.record_contact(
        investigator, report, person_id=child.pk, contacted_at=report.received_at + timedelta(hours=3),
        method="in_person",
    )
    services.record_findings(
        investigator, report, findings={a.pk: finding for a in Allegation.unrestricted.filter(report=report)}
    )


def test_a_child_substantiated_again_within_a_year_counts_as_recurrence_p7(
    intake_worker, supervisor, second_supervisor, investigator
):
    now = timezone.now()
    first = services.receive_report(
        intake_worker,
        receipt_about_new_children(
            details=details(received_at=now - timedelta(days=100)),
            children=[new_child("c1", "Nora", "Vance", born=timezone.localdate() - timedelta(days=2000))],
            perpetrators=[],
            allegations=[AllegationEntry("c1", MaltreatmentType.NEGLECT, "")],
            family_name="Vance family",
        ),
        purpose=PLANNING,
    )
    _investigate(first, intake_worker, supervisor, investigator, "substantiated")
    nora = Person.objects.get(first_name="Nora")
    # The same child, reported again two months later: a supervisor receives it into her family.
    again = services.receive_report(
        second_supervisor,
        receipt_about_new_children(
            details=details(received_at=now - timedelta(days=40)),
            children=[ReportPerson(key="c1", name="Nora Vance", role="child", person_id=nora.pk)],
            perpetrators=[],
            allegations=[AllegationEntry("c1", MaltreatmentType.PHYSICAL_ABUSE, "")],
            family_id=first.family_id,
        ),
        purpose=PLANNING,
    )
    assert again.family_id == first.family_id
    _investigate(again, second_supervisor, supervisor, investigator, "indicated")

    figures = compute(Period.twelve_months_to(timezone.localdate()))
    assert (figures["P7"].numerator, figures["P7"].denominator) == (1, 1)
