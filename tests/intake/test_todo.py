"""The to-do items intake gives the home page: what each worker has to do about reports, and by when."""

from datetime import timedelta

from django.utils import timezone

from familybridge.intake import selectors, services
from familybridge.intake.models import MaltreatmentType
from familybridge.intake.services import AllegationEntry, ReportPerson
from tests.intake.conftest import PLANNING, receipt_about_new_children


def reports_in(tasks) -> list[int]:
    return [task.report.pk for task in tasks]


def test_each_worker_sees_what_she_has_to_do_with_its_due_date(
    received, intake_worker, supervisor, second_supervisor, investigator
):
    report = received
    [task] = selectors.reports_awaiting_screening(intake_worker, PLANNING)
    assert (task.report.pk, task.what, task.due) == (report.pk, "Screen the report", report.screening_due_at)
    assert task.url == f"/intake/reports/{report.pk}/" and not task.is_overdue()
    assert reports_in(selectors.reports_awaiting_screening(supervisor, PLANNING)) == [report.pk]
    assert selectors.reports_awaiting_screening(investigator, PLANNING) == []

    services.propose_screening(
        supervisor, report, decision="screen_in", reason="meets_definition", response_track="investigation",
        response_hours=24,
    )
    # A supervisor's own proposal waits for another supervisor.
    assert selectors.decisions_awaiting_approval(supervisor, PLANNING) == []
    [task] = selectors.decisions_awaiting_approval(second_supervisor, PLANNING)
    assert task.what == "Approve or send back the screening decision"
    assert selectors.decisions_awaiting_approval(intake_worker, PLANNING) == []

    services.approve_screening(second_supervisor, report, investigator=investigator)
    report.refresh_from_db()
    [task] = selectors.responses_due(investigator, PLANNING)
    assert (task.what, task.due) == ("See the children (first contact)", report.response_due_at)
    assert selectors.responses_due(intake_worker, PLANNING) == []
    assert selectors.findings_due(investigator, PLANNING) == []

    services.record_contact(
        investigator, report, person_id=report.subject_id, contacted_at=timezone.now(), method="in_person"
    )
    assert selectors.responses_due(investigator, PLANNING) == []
    [task] = selectors.findings_due(investigator, PLANNING)
    assert (task.what, task.due) == ("Record the findings", report.findings_due_on)
    later = timezone.now() + timedelta(days=31)
    assert task.is_overdue(later) and task.due_words(later).endswith("(overdue by 1 day)")
    assert reports_in(selectors.findings_due(supervisor, PLANNING)) == [report.pk]


def test_the_receiver_of_a_re_report_screens_it_though_she_already_works_the_family(family, worker, supervisor):
    receipt = receipt_about_new_children(
        children=[ReportPerson(key="c1", name="Sofia Rivera", role="child", person_id=family.people["kid"].pk)],
        perpetrators=[],
        allegations=[AllegationEntry("c1", MaltreatmentType.NEGLECT, "")],
        family_id=family.pk,
    )
    report = services.receive_report(worker, receipt, purpose=PLANNING)
    assert reports_in(selectors.reports_awaiting_screening(worker, PLANNING)) == [report.pk]
    services.propose_screening(worker, report, decision="screen_out", reason="already_open")
    services.approve_screening(supervisor, report)
    assert selectors.reports_awaiting_screening(worker, PLANNING) == []


def test_due_in_words():
    now = timezone.now()
    assert selectors.describe_due(now + timedelta(hours=5, minutes=10), now).endswith("(in 5 hours)")
    assert selectors.describe_due(now - timedelta(days=3, hours=1), now).endswith("(overdue by 3 days)")
    assert selectors.describe_due(now - timedelta(minutes=20), now).endswith("(overdue by 20 minutes)")
    today = timezone.localdate(now)
    assert selectors.describe_due(today, now).endswith("(today)")
    assert selectors.describe_due(today + timedelta(days=1), now).endswith("(in 1 day)")


def test_the_home_to_do_list_carries_intake_work_to_each_worker(received, intake_worker, supervisor, investigator):
    from familybridge.worklists.selectors import INTAKE, worklist_for

    today = timezone.localdate()

    def intake_items(user):
        worklist = worklist_for(user, PLANNING, today=today)
        return [(item.what, item.link) for item in worklist.items if item.kind == INTAKE]

    to_screen = ("Screen the report", f"/intake/reports/{received.pk}/")
    assert intake_items(intake_worker) == [to_screen]
    assert intake_items(supervisor) == [to_screen]
    assert intake_items(investigator) == []
