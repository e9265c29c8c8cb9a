"""The assignment pages cost the same number of queries for 2 rows as for 10."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.models import Team, TeamMembership
from familybridge.agencies.roles import Role
from familybridge.cases.models import RemovalEpisode
from familybridge.people.models import AssignmentEnd, CaseloadAssignment, Family, FamilyMember, Person
from familybridge.referrals.models import Referral, ReferralStep
from tests.conftest import sign_in


def queries_for_page(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def same_cost(client, url: str, add_rows) -> None:
    add_rows(2)
    queries_for_page(client, url)  # the first look fills the content-type cache
    few = queries_for_page(client, url)
    add_rows(8)
    assert queries_for_page(client, url) == few


def new_family(agencies, n: int) -> Family:
    family = Family.objects.create(
        name=f"Family {n}", owner_agency=agencies["cw"], case_number=f"Q-{n}", opened_on=date(2026, 1, 1)
    )
    child = Person.objects.create(first_name=f"Child{n}", last_name="Q", birth_date=date(2020, 1, 1))
    FamilyMember.objects.create(owner_agency=agencies["cw"], subject=child, family=family, role="child")
    RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=child, family=family, removal_date=date(2025, 1, 1)
    )
    return family


@pytest.fixture
def counter():
    return iter(range(1000))


def test_the_intake_queue(client, agencies, make_user, counter):
    supervisor = make_user("ben", agencies["sud"], Role.CLINICAL_SUPERVISOR)

    def add(n: int) -> None:
        for _ in range(n):
            i = next(counter)
            person = Person.objects.create(first_name=f"P{i}", last_name="Q")
            referral = Referral.objects.create(
                owner_agency=agencies["sud"],
                subject=person,
                referring_agency=agencies["cw"],
                referral_date=timezone.localdate() - timedelta(days=i % 5),
                source="child_welfare",
            )
            ReferralStep.objects.create(
                owner_agency=agencies["sud"], subject=person, referral=referral, status="received",
                occurred_at=timezone.now(),
            )

    sign_in(client, supervisor)
    same_cost(client, reverse("referrals:intake-queue"), add)


def test_my_clients(client, agencies, make_user, counter):
    counselor = make_user("rosa", agencies["sud"], Role.COUNSELOR)

    def add(n: int) -> None:
        for _ in range(n):
            person = Person.objects.create(first_name=f"P{next(counter)}", last_name="Q")
            CaseloadAssignment.objects.create(
                client=person, staff=counselor, capacity=Role.COUNSELOR, assigned_on=date(2026, 1, 1)
            )

    sign_in(client, counselor)
    same_cost(client, reverse("assignments:my-clients"), add)


def test_team_caseloads_and_a_workers_families(client, agencies, make_user, counter):
    supervisor = make_user("denise", agencies["cw"], Role.CW_SUPERVISOR)
    team = Team.objects.create(agency=agencies["cw"], name="Ongoing", supervisor=supervisor)
    maria = make_user("maria", agencies["cw"], Role.CASEWORKER)
    TeamMembership.objects.create(team=team, user=maria)

    def add_workers(n: int) -> None:
        for _ in range(n):
            i = next(counter)
            worker = make_user(f"worker{i}", agencies["cw"], Role.CASEWORKER)
            TeamMembership.objects.create(team=team, user=worker)
            family = new_family(agencies, i)
            CaseloadAssignment.objects.create(family=family, staff=worker, assigned_on=date(2026, 1, 1))

    def add_families(n: int) -> None:
        for _ in range(n):
            family = new_family(agencies, next(counter))
            CaseloadAssignment.objects.create(family=family, staff=maria, assigned_on=date(2026, 1, 1))

    sign_in(client, supervisor)
    same_cost(client, reverse("assignments:team-caseloads"), add_workers)
    same_cost(client, reverse("assignments:worker-families", args=[maria.pk]), add_families)


def test_a_familys_assignment_history(client, agencies, family, make_user):
    supervisor = make_user("denise", agencies["cw"], Role.CW_SUPERVISOR)
    workers = [make_user(f"worker{i}", agencies["cw"], Role.CASEWORKER) for i in range(10)]
    made = iter(workers)

    def add(n: int) -> None:
        for _ in range(n):
            CaseloadAssignment.objects.create(
                family=family,
                staff=next(made),
                assigned_on=date(2025, 1, 1),
                ended_on=date(2025, 6, 1),
                end_reason=AssignmentEnd.TRANSFERRED,
                assigned_by=supervisor,
                ended_by=supervisor,
            )

    sign_in(client, supervisor)
    url = reverse("web:family-detail", args=[family.pk])
    same_cost(client, url, add)
    assert client.get(url).content.decode().count("Transferred to a colleague") == 10
