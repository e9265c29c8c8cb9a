"""The policy decision point's first basis: own agency with need to know, and deny by default."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import ChildWelfareReport, TreatmentEpisode
from familybridge.consent import policy
from familybridge.consent.policy import Withheld
from familybridge.people.models import Family, FamilyMember, LocalIdentifier, Person


@pytest.fixture
def records(agencies, family):
    mom, kid = family.people["mom"], family.people["kid"]
    report = ChildWelfareReport.objects.create(
        owner_agency=agencies["cw"],
        subject=kid,
        family=family,
        report_date=date(2026, 1, 2),
        disposition="substantiated",
    )
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=mom, admission_date=date(2026, 1, 20)
    )
    return {"report": report, "episode": episode}


def test_caseworker_sees_own_agency_records_of_caseload(agencies, family, records, make_user, assign):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    visible = policy.permitted(worker, ChildWelfareReport.objects.all(), Purpose.CASE_PLANNING)
    assert list(visible) == [records["report"]]


def test_caseworker_without_the_family_on_caseload_sees_a_withheld_marker(agencies, family, records, make_user):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    items = policy.read(worker, ChildWelfareReport.objects.all(), Purpose.CASE_PLANNING)
    assert len(items) == 1 and isinstance(items[0], Withheld)
    assert "caseload" in items[0].reason


def test_supervisor_sees_the_whole_agency(agencies, family, records, make_user):
    supervisor = make_user("s", agencies["cw"], Role.CW_SUPERVISOR)
    assert list(policy.permitted(supervisor, ChildWelfareReport.objects.all(), Purpose.CASE_PLANNING)) == [
        records["report"]
    ]


def test_part2_record_without_a_basis_is_invisible_not_withheld(agencies, family, records, make_user, assign):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    assert policy.read(worker, TreatmentEpisode.objects.all(), Purpose.CASE_PLANNING) == []


def test_part2_programs_client_identifier_is_invisible_across_agencies(agencies, family, make_user, assign):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    items = policy.read(worker, LocalIdentifier.objects.all(), Purpose.CASE_PLANNING)
    assert {item.owner_agency_id for item in items} == {agencies["cw"].pk}


def test_counselor_sees_own_client_but_not_the_other_program(agencies, family, records, make_user, assign):
    counselor = make_user("c", agencies["sud2"], Role.COUNSELOR)
    assign(counselor, family)
    assert policy.read(counselor, TreatmentEpisode.objects.all(), Purpose.TREATMENT) == []
    own = make_user("c2", agencies["sud"], Role.COUNSELOR)
    assign(own, family)
    assert policy.read(own, TreatmentEpisode.objects.all(), Purpose.TREATMENT) == [records["episode"]]


@pytest.mark.parametrize("role", [Role.AGENCY_ADMIN, Role.DATA_ANALYST, Role.PARTNERSHIP_COORDINATOR])
def test_roles_that_work_no_cases_read_no_records(agencies, family, records, make_user, role):
    user = make_user("x", agencies["cw"], role)
    assert not policy.permitted(user, ChildWelfareReport.objects.all(), Purpose.CASE_PLANNING).exists()
    assert not policy.permitted(user, FamilyMember.objects.all(), Purpose.CASE_PLANNING).exists()


def test_reading_many_records_takes_a_constant_number_of_queries(agencies, family, make_user, assign):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            policy.read(worker, FamilyMember.objects.select_related("subject"), Purpose.CASE_PLANNING)
        return len(queries)

    count_queries()  # the user's roles are loaded once and cached
    few = count_queries()
    other = Family.objects.create(name="Other", owner_agency=agencies["cw"], opened_on=date(2026, 1, 1))
    for i in range(30):
        person = Person.objects.create(first_name=f"P{i}", last_name="X")
        FamilyMember.objects.create(owner_agency=agencies["cw"], subject=person, family=other, role="child")
    assert count_queries() == few


def test_small_cells_are_suppressed_except_for_analysts(agencies, make_user):
    analyst = make_user("a", agencies["cw"], Role.DATA_ANALYST)
    coordinator = make_user("c", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    caseworker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assert policy.may_see_aggregates(analyst) and policy.may_see_aggregates(coordinator)
    assert not policy.may_see_aggregates(caseworker)
    assert [policy.suppress_small_cell(n, coordinator) for n in (0, 1, 10, 11, None)] == [0, "<11", "<11", 11, None]
    assert policy.suppress_small_cell(3, analyst) == 3
