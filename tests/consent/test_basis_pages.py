"""The pages for court orders, agreements, emergency access, restrictions and child-abuse reports: who may use them."""

from datetime import date

import pytest
from django.urls import reverse

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import ChildWelfareReport, TreatmentEpisode
from familybridge.consent import policy, services
from familybridge.consent.models import (
    Agreement,
    ChildAbuseReportFiling,
    CourtOrder,
    EmergencyAccess,
    RestrictionRequest,
)
from familybridge.messaging.models import Notification
from familybridge.people.models import LocalIdentifier
from tests.conftest import sign_in


@pytest.fixture
def court_knows_mom(agencies, family):
    return LocalIdentifier.objects.create(
        owner_agency=agencies["court"], subject=family.people["mom"], identifier="JD-1"
    )


def order_answers(agencies, **changes) -> dict:
    answers = {
        "court_name": "Family Court",
        "case_number": "JD-2026-14",
        "judge_name": "Hon. M. Okafor",
        "issued_on": "2026-02-01",
        "ends_on": "2027-02-01",
        "disclosers": [agencies["sud"].pk],
        "recipients": [agencies["court"].pk],
        "categories": ["sud.enrollment"],
        "purposes": ["court_monitoring"],
    }
    return {**answers, **changes}


def test_a_judge_records_a_court_order_that_lists_with_its_status_and_explains_the_record(
    client, agencies, family, episode, court_knows_mom, make_user, assign
):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)  # the family's case is on her docket
    sign_in(client, judge)
    mom = family.people["mom"]
    assert "Record a court order" in client.get(reverse("consent:person", args=[mom.pk])).content.decode()
    url = reverse("consent:court-order-new", args=[mom.pk])
    response = client.post(url, order_answers(agencies, ends_on="2026-01-01"))
    assert "The order would end before it is issued." in response.content.decode()
    response = client.post(url, order_answers(agencies, case_number=""))
    assert "This field is required." in response.content.decode() and not CourtOrder.objects.exists()

    response = client.post(url, order_answers(agencies))
    order = CourtOrder.objects.get()
    assert response.url == reverse("consent:person", args=[mom.pk]) and order.recorded_by == judge
    listing = client.get(response.url).content.decode()
    assert "case JD-2026-14" in listing and "Active" in listing
    why = client.get(reverse("consent:why", args=["cases.treatmentepisode", episode.pk]) + "?purpose=court_monitoring")
    assert "Order of Family Court, case JD-2026-14, judge Hon. M. Okafor" in why.content.decode()


def test_only_a_courts_judges_and_coordinators_record_orders(
    client, agencies, family, court_knows_mom, make_user, assign
):
    mom = family.people["mom"]
    attorney = make_user("attorney", agencies["court"], Role.ATTORNEY)
    assign(attorney, family)
    sign_in(client, attorney)
    assert "Record a court order" not in client.get(reverse("consent:person", args=[mom.pk])).content.decode()
    assert client.post(reverse("consent:court-order-new", args=[mom.pk]), order_answers(agencies)).status_code == 403
    client.logout()
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(client, worker)
    assert client.get(reverse("consent:court-order-new", args=[mom.pk])).status_code == 403
    assert not CourtOrder.objects.exists()


def agreement_answers(agencies, **changes) -> dict:
    answers = {
        "name": "Child welfare and court MOU",
        "parties": [agencies["cw"].pk, agencies["court"].pk],
        "categories": ["cw.case", "court.case"],
        "purposes": ["case_planning", "court_monitoring"],
        "starts_on": "2026-01-01",
        "ends_on": "",
    }
    return {**answers, **changes}


def test_a_coordinator_records_an_agreement_and_part2_categories_are_refused(client, agencies, make_user):
    coordinator = make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)
    sign_in(client, coordinator)
    url = reverse("consent:agreement-new")
    response = client.post(url, agreement_answers(agencies, categories=["cw.case", "sud.toxicology"]))
    page = response.content.decode()
    assert "An agreement cannot open Part 2 information (SUD toxicology" in page and not Agreement.objects.exists()
    response = client.post(url, agreement_answers(agencies, parties=[agencies["cw"].pk]))
    assert "An agreement has at least two parties." in response.content.decode() and not Agreement.objects.exists()

    response = client.post(url, agreement_answers(agencies))
    assert response.url == reverse("consent:agreement", args=[Agreement.objects.get().pk])
    listing = client.get(reverse("consent:agreements")).content.decode()
    assert "Child welfare and court MOU" in listing and "Waiting for approval" in listing and "no end date" in listing


def test_staff_read_the_agreements_but_only_admins_and_coordinators_record_them(client, agencies, make_user):
    admin = make_user("admin", agencies["court"], Role.AGENCY_ADMIN)
    sign_in(client, admin)
    response = client.post(reverse("consent:agreement-new"), agreement_answers(agencies))
    assert response.status_code == 302 and Agreement.objects.count() == 1
    client.logout()
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    sign_in(client, worker)
    listing = client.get(reverse("consent:agreements")).content.decode()
    assert "Child welfare and court MOU" in listing and "Record an agreement" not in listing
    assert client.post(reverse("consent:agreement-new"), agreement_answers(agencies)).status_code == 403
    assert Agreement.objects.count() == 1


@pytest.fixture
def harbor_counselor(agencies, family, make_user, assign):
    """A counselor at another program who knows the mother, with the family on their caseload."""
    user = make_user("harbor", agencies["sud2"], Role.COUNSELOR)
    assign(user, family)
    LocalIdentifier.objects.create(owner_agency=agencies["sud2"], subject=family.people["mom"], identifier="HB-7")
    return user


def test_a_counselor_opens_emergency_access_with_a_reason_and_reads_for_the_emergency(
    client, agencies, family, episode, harbor_counselor, make_user
):
    supervisor = make_user("hopesup", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    sign_in(client, harbor_counselor)
    mom = family.people["mom"]
    url = reverse("consent:emergency-new", args=[mom.pk])
    page = client.get(url).content.decode()
    assert "logged" in page and "program is notified at once" in page
    response = client.post(url, {"program": agencies["sud"].pk, "reason": "  "})
    assert "Say what the medical emergency is." in response.content.decode()
    assert not EmergencyAccess.objects.exists() and not Notification.objects.exists()
    response = client.post(url, {"program": agencies["cw"].pk, "reason": "Overdose"})
    assert "Select a valid choice" in response.content.decode() and not EmergencyAccess.objects.exists()

    response = client.post(url, {"program": agencies["sud"].pk, "reason": "Found unresponsive, suspected overdose"})
    assert response.url == reverse("web:family-detail", args=[family.pk]) + "?purpose=medical_emergency"
    assert "Hope Recovery: admitted Jan 20, 2026" in client.get(response.url).content.decode()
    assert Notification.objects.filter(recipient=supervisor).exists()


def test_only_medical_roles_open_emergency_access(client, agencies, family, make_user, assign):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(client, worker)
    mom = family.people["mom"]
    assert "Medical emergency access" not in client.get(reverse("consent:person", args=[mom.pk])).content.decode()
    response = client.post(
        reverse("consent:emergency-new", args=[mom.pk]), {"program": agencies["sud"].pk, "reason": "x"}
    )
    assert response.status_code == 403 and not EmergencyAccess.objects.exists()


def test_finding_7_the_programs_clinical_supervisors_not_its_admins_review_its_emergency_accesses(
    client, agencies, family, harbor_counselor, make_user
):
    """Issue 10, finding 7: the log names the clients, and administrators read no one's records."""
    supervisor = make_user("hopesup", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    admin = make_user("hopeadmin", agencies["sud"], Role.AGENCY_ADMIN)
    services.open_emergency_access(harbor_counselor, family.people["mom"], agencies["sud"], "Seizure in the clinic")
    url = reverse("consent:emergency-log")
    sign_in(client, supervisor)
    page = client.get(url).content.decode()
    assert "Seizure in the clinic" in page and "Harbor Tester (Harbor Treatment)" in page
    client.logout()
    sign_in(client, admin)
    assert "Emergency accesses" not in client.get(reverse("web:home")).content.decode()
    assert client.get(url).status_code == 403
    assert Notification.objects.filter(recipient=supervisor).exists()
    assert not Notification.objects.filter(recipient=admin).exists()
    client.logout()
    harbor_supervisor = make_user("harborsup", agencies["sud2"], Role.CLINICAL_SUPERVISOR)
    sign_in(client, harbor_supervisor)
    assert "Seizure in the clinic" not in client.get(url).content.decode()
    client.logout()
    for username, agency, role in (("hopec", "sud", Role.COUNSELOR), ("cwsup", "cw", Role.CW_SUPERVISOR)):
        sign_in(client, make_user(username, agencies[agency], role))
        assert client.get(url).status_code == 403
        client.logout()


@pytest.fixture
def hope_counselor(agencies, family, make_user, assign):
    user = make_user("hope", agencies["sud"], Role.COUNSELOR)
    assign(user, family)
    return user


def test_program_staff_record_a_restriction_request_and_agree_to_it(
    client, agencies, family, episode, consented, hope_counselor, make_user, assign
):
    caseworker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(caseworker, family)
    assert policy.permitted(caseworker, TreatmentEpisode.objects.all(), Purpose.CASE_PLANNING).exists()
    sign_in(client, hope_counselor)
    mom = family.people["mom"]
    url = reverse("consent:restriction-new", args=[mom.pk])
    response = client.post(url, {"request": ""})
    assert "Say what the person asks not to be disclosed." in response.content.decode()
    assert not RestrictionRequest.objects.exists()
    response = client.post(url, {"request": "Nothing about my treatment to child welfare"})
    restriction = RestrictionRequest.objects.get()
    assert restriction.status == "pending" and restriction.recorded_by == hope_counselor
    assert "Nothing about my treatment to child welfare" in client.get(response.url).content.decode()

    decide = reverse("consent:restriction-decide", args=[restriction.pk])
    response = client.post(decide, {"decision": "agree", "recipients": [agencies["cw"].pk]})
    restriction.refresh_from_db()
    assert restriction.status == "agreed" and restriction.decided_by == hope_counselor
    assert "Agreed" in client.get(response.url).content.decode()
    assert not policy.permitted(caseworker, TreatmentEpisode.objects.all(), Purpose.CASE_PLANNING).exists()
    response = client.post(decide, {"decision": "refuse"})
    assert "This request was already decided." in response.content.decode()
    restriction.refresh_from_db()
    assert restriction.status == "agreed"


def test_only_the_programs_treatment_staff_handle_its_restriction_requests(
    client, agencies, family, hope_counselor, harbor_counselor, make_user, assign
):
    mom = family.people["mom"]
    restriction = services.request_restriction(subject=mom, program=agencies["sud"], request="Not to the court")
    sign_in(client, harbor_counselor)
    assert "Not to the court" not in client.get(reverse("consent:person", args=[mom.pk])).content.decode()
    decide = reverse("consent:restriction-decide", args=[restriction.pk])
    assert client.post(decide, {"decision": "refuse"}).status_code == 404
    client.logout()
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(client, worker)
    assert client.post(decide, {"decision": "refuse"}).status_code == 403
    assert client.post(reverse("consent:restriction-new", args=[mom.pk]), {"request": "x"}).status_code == 403
    restriction.refresh_from_db()
    assert restriction.status == "pending" and RestrictionRequest.objects.count() == 1


@pytest.fixture
def membership_shared_with_hope(agencies):
    return services.record_agreement(
        name="Family membership for treatment",
        parties=[agencies["cw"], agencies["sud"]],
        categories=["cw.case"],
        purposes=["treatment"],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )


def test_treatment_staff_file_a_child_abuse_report_that_becomes_child_welfares_record(
    client, agencies, family, episode, hope_counselor, membership_shared_with_hope
):
    sign_in(client, hope_counselor)
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Report suspected abuse or neglect" in page
    url = reverse("consent:abuse-report", args=[family.pk])
    form = client.get(url).content.decode()
    assert "Sofia Rivera" in form and "Luis Rivera" not in form
    kid = family.people["kid"]
    response = client.post(url, {"child": kid.pk, "summary": ""})
    assert "Describe what makes you suspect abuse or neglect." in response.content.decode()
    assert not ChildWelfareReport.unrestricted.exists()

    response = client.post(url, {"child": kid.pk, "summary": "Sofia said she is left alone overnight"})
    report = ChildWelfareReport.unrestricted.get()
    assert response.url == reverse("web:family-detail", args=[family.pk])
    assert (report.owner_agency, report.subject, report.category) == (agencies["cw"], kid, "cw.allegation")
    assert ChildAbuseReportFiling.objects.get().reporter == hope_counselor
    assert report.summary == "Sofia said she is left alone overnight"


def test_a_report_names_only_a_child_the_reporter_may_see_and_only_treatment_staff_file(
    client, agencies, family, hope_counselor, make_user, assign
):
    sign_in(client, hope_counselor)
    url = reverse("consent:abuse-report", args=[family.pk])
    assert "make the report" in client.get(url).content.decode()
    assert client.post(url, {"child": family.people["kid"].pk, "summary": "x"}).status_code == 200
    assert not ChildWelfareReport.unrestricted.exists()
    client.logout()
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(client, worker)
    assert (
        "Report suspected abuse or neglect"
        not in client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    )
    assert client.post(url, {"child": family.people["kid"].pk, "summary": "x"}).status_code == 403
    assert not ChildWelfareReport.unrestricted.exists()
