"""Action plans, protocols, cross-training, governance and the Matrix: who may do what, and what shows."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.models import Agency
from familybridge.agencies.roles import Role
from familybridge.practice import selectors, services
from familybridge.practice.models import Course, TaskStatus
from tests.conftest import sign_in


@pytest.fixture
def plan(partnership, coordinator, agencies):
    plan = services.create_action_plan(coordinator, partnership, title="Plan of action")
    objective = services.add_objective(
        coordinator, plan, text="One consent form", elements=[6], indicator="Share of cases with valid consent"
    )
    today = timezone.localdate()
    services.add_task(
        coordinator, objective, text="Draft the form", owner_agency=agencies["sud"], due_on=today - timedelta(days=3)
    )
    services.add_task(
        coordinator, objective, text="Compare forms", owner_agency=agencies["cw"], due_on=today - timedelta(days=9)
    )
    services.add_task(
        coordinator, objective, text="Train intake", owner_agency=agencies["cw"], due_on=today + timedelta(days=9)
    )
    done = plan.objectives.get().tasks.get(text="Compare forms")
    services.set_task_status(coordinator, done, TaskStatus.DONE)
    return plan


def test_the_board_highlights_overdue_tasks_that_are_not_done(client, plan, partnership, agencies, make_user):
    _, columns, overdue = selectors.action_board(plan, timezone.localdate())
    assert overdue == 1
    not_started = next(c for c in columns if c.status == TaskStatus.NOT_STARTED)
    assert [(t.text, t.overdue) for t in not_started.tasks] == [("Draft the form", True), ("Train intake", False)]
    sign_in(client, make_user("worker", agencies["cw"], Role.CASEWORKER))
    page = client.get(reverse("practice:plan", args=[partnership.slug, plan.pk])).content.decode()
    assert "1 task overdue." in page and page.count('class="overdue-badge"') == 1
    assert "Add a task" not in page  # staff read the board; coordinators manage it


def test_only_coordinators_manage_plans_and_tasks_belong_to_member_agencies(plan, agencies, make_user, partnership):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    task = plan.objectives.get().tasks.first()
    with pytest.raises(PermissionDenied):
        services.set_task_status(worker, task, TaskStatus.DONE)
    stranger = Agency.objects.create(name="Not a member", slug="stranger", kind="community")
    coordinator = partnership.agencies.get(slug="cw").staff.get(username="coord")
    with pytest.raises(ValidationError, match="member agency"):
        services.add_task(coordinator, plan.objectives.get(), text="x", owner_agency=stranger, due_on=None)
    with pytest.raises(ValidationError, match="at least one of the ten elements"):
        services.add_objective(coordinator, plan, text="x", elements=[11], indicator="y")


def test_protocols_are_versioned_acknowledged_by_other_agencies_and_covered(partnership, agencies, make_user):
    supervisor = make_user("cwsup", agencies["cw"], Role.CW_SUPERVISOR)
    caseworker = make_user("cw2", agencies["cw"], Role.CASEWORKER)
    counselor = make_user("counsel", agencies["sud"], Role.COUNSELOR)
    first = services.publish_protocol(
        supervisor, partnership, title="Referrals", topic="referral", body="Same day referral."
    )
    with pytest.raises(PermissionDenied):
        services.publish_protocol(caseworker, partnership, title="Mine", topic="other", body="x")
    with pytest.raises(ValidationError, match="other agencies"):
        services.acknowledge_protocol(caseworker, first)
    services.acknowledge_protocol(counselor, first)
    coverage = selectors.protocol_coverage(partnership)[0]
    assert (coverage.version.number, coverage.acknowledged, coverage.expected) == (1, 1, 1)
    second = services.publish_protocol(
        supervisor, partnership, title="", topic="", body="Same day, with consent.", protocol=first.protocol
    )
    assert second.number == 2
    coverage = selectors.protocol_coverage(partnership)[0]
    assert (coverage.version.number, coverage.acknowledged) == (2, 0)  # a new version must be read again
    assert selectors.unacknowledged_versions(counselor, partnership) == [second]


def test_share_of_each_systems_staff_trained(partnership, agencies, make_user, coordinator):
    services.ensure_builtins()
    assert Course.objects.filter(kind="ncsacw_tutorial").count() == 3
    assert Course.objects.filter(kind="ncsacw_toolkit").count() == 10
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    counselor = make_user("counsel", agencies["sud"], Role.COUNSELOR)
    tutorial = Course.objects.get(code="ncsacw-tutorial-child-welfare")
    services.record_completion(worker, partnership, tutorial, completed_on=date(2026, 1, 10))
    with pytest.raises(PermissionDenied):
        services.record_completion(worker, partnership, tutorial, completed_on=date(2026, 1, 10), staff=counselor)
    services.record_completion(coordinator, partnership, tutorial, completed_on=date(2026, 1, 12), staff=counselor)
    with pytest.raises(ValidationError, match="future"):
        services.record_completion(worker, partnership, tutorial, completed_on=timezone.localdate() + timedelta(days=1))
    shares = {row.system: (row.trained, row.staff) for row in selectors.trained_share_by_system(partnership)}
    assert shares == {"child_welfare": (1, 2), "treatment": (1, 1)}


def test_committees_members_and_meetings(partnership, coordinator, agencies, make_user):
    steering = services.create_committee(coordinator, partnership, kind="steering", name="Steering committee")
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    services.add_committee_member(coordinator, steering, judge, is_chair=True)
    meeting = services.record_meeting(
        coordinator,
        steering,
        held_on=date(2026, 3, 1),
        notes="Reviewed the round.",
        decisions_text="6 | One form\nMeet monthly",
    )
    assert list(meeting.decisions.values_list("element", "text")) == [(6, "One form"), (None, "Meet monthly")]
    with pytest.raises(PermissionDenied):
        services.create_committee(judge, partnership, kind="oversight", name="Oversight")


def test_matrix_benchmarks_are_the_partnerships_own_when_edited(client, partnership, coordinator, agencies, make_user):
    sign_in(client, coordinator)
    url = reverse("practice:element", args=[partnership.slug, 6])
    client.post(url, {"form": "standing", "standing": "good", "evidence": "Consent in 80% of cases"})
    client.post(url, {"form": "benchmarks", "fundamental": "F", "good": "One consent form in use", "best": "B"})
    row = selectors.matrix(partnership)[5]
    assert row.standing.standing == "good" and row.standing.evidence == "Consent in 80% of cases"
    assert row.benchmarks[1] == ("Good", "One consent form in use", True)
    assert selectors.matrix(partnership)[0].benchmarks[1][2] is False  # element 1 keeps our default wording
    sign_in(client, make_user("worker", agencies["cw"], Role.CASEWORKER))
    assert client.get(url).status_code == 403
    assert (
        "Consent in 80% of cases" in client.get(reverse("practice:overview", args=[partnership.slug])).content.decode()
    )
