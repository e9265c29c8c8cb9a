"""The intake pages as a worker meets them: who may open them, the queue's filters and query count, and the
messages next to the fields when something is wrong."""

import html
import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from familybridge.intake import services
from familybridge.intake.draft import SESSION_KEY
from familybridge.intake.models import Allegation, IntakeReport, MaltreatmentType
from familybridge.intake.services import AllegationEntry, ReportPerson
from familybridge.people.models import Family
from tests.conftest import sign_in
from tests.intake.conftest import PLANNING, details, new_child, receipt_about_new_children


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def make_reports(worker, count: int, *, start: int = 0, hours_ago: int = 2) -> list[IntakeReport]:
    return [
        services.receive_report(
            worker,
            receipt_about_new_children(
                details=details(received_at=timezone.now() - timedelta(hours=hours_ago)),
                children=[new_child("c1", f"Child{start + n}", f"Family{start + n}"), new_child("c2", "Leo")],
                family_name=f"Family{start + n} family",
            ),
            purpose=PLANNING,
        )
        for n in range(count)
    ]


def test_only_child_welfare_staff_open_the_intake_pages(client, agencies, make_user, counselor):
    sign_in(client, counselor)
    for name in ("intake:queue", "intake:receive", "intake:receive-people"):
        assert client.get(reverse(name)).status_code == 403


def queries_for(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("intake:queue"), params).status_code == 200
    return len(queries)


def test_the_queue_query_count_is_the_same_for_2_or_10_reports(client, intake_worker, supervisor, investigator):
    make_reports(intake_worker, 2)
    sign_in(client, supervisor)
    queries_for(client, {})  # the first request fills Django's content type cache
    few = queries_for(client, {})
    more = make_reports(intake_worker, 8, start=2)
    # Some further along: awaiting approval, and one in investigation with its investigator.
    services.propose_screening(intake_worker, more[0], decision="screen_out", reason="not_maltreatment")
    services.propose_screening(
        intake_worker, more[1], decision="screen_in", reason="risk_of_harm", response_track="investigation",
        response_hours=24,
    )
    services.approve_screening(supervisor, more[1], investigator=investigator)
    assert queries_for(client, {}) == few
    page = text(client.get(reverse("intake:queue")))
    assert page.count("Report ") >= 10 and "Showing 1–10 of 10" in page


def test_the_queue_filters_by_step_worker_and_overdue(client, intake_worker, supervisor, investigator, agencies,
                                                     make_user):
    late, recent = make_reports(intake_worker, 1, hours_ago=30)[0], make_reports(intake_worker, 1, start=1)[0]
    services.propose_screening(
        intake_worker, recent, decision="screen_in", reason="risk_of_harm", response_track="investigation",
        response_hours=72,
    )
    services.approve_screening(supervisor, recent, investigator=investigator)
    sign_in(client, supervisor)
    queue = reverse("intake:queue")

    overdue = text(client.get(queue, {"overdue_only": "on"}))
    assert f"Report {late.pk}<" in overdue and f"Report {recent.pk}<" not in overdue
    assert "Screen the report, due" in overdue and "(overdue by 6 hours)" in overdue and "Overdue" in overdue

    responding = text(client.get(queue, {"status": "responding"}))
    assert f"Report {recent.pk}<" in responding and f"Report {late.pk}<" not in responding
    assert "See the children (first contact), due" in responding

    by_investigator = text(client.get(queue, {"worker": investigator.pk}))
    assert f"Report {recent.pk}<" in by_investigator and f"Report {late.pk}<" not in by_investigator

    refused = text(client.get(queue, {"received_from": "2026-03-10", "received_to": "2026-03-01"}))
    assert "Choose a day on or after the first day." in refused


def test_a_caseworker_sees_in_the_queue_only_the_reports_she_works(client, intake_worker, investigator):
    mine = make_reports(intake_worker, 1)[0]
    sign_in(client, investigator)
    page = text(client.get(reverse("intake:queue")))
    assert f"Report {mine.pk}<" not in page and "No reports you can see match." in page
    assert client.get(reverse("intake:report", args=[mine.pk])).status_code == 404


def test_receiving_a_report_puts_each_error_next_to_its_field_and_records_nothing_until_the_end(
    client, intake_worker
):
    sign_in(client, intake_worker)
    start = reverse("intake:receive")
    page = text(client.post(start, {"received_on": "", "received_time": "10:00", "reporter_type": "",
                                    "narrative": "", "zip_code": "abc"}))
    assert 'id="id_received_on_error">This field is required.' in page
    assert 'id="id_reporter_type_error">This field is required.' in page
    response = client.post(start, {
        "received_on": timezone.localdate().isoformat(), "received_time": "00:01", "reporter_type": "anonymous",
        "narrative": "A neighbor hears a small child crying alone at night.", "zip_code": "60601",
    })
    assert response.status_code == 302 and response.url == reverse("intake:receive-people")
    people = reverse("intake:receive-people")
    # A child nobody has recorded: the check finds no one, then the new person is named.
    page = text(client.post(people, {"action": "check", "named_as": "child", "first_name": "Ivy",
                                     "last_name": "Marsh", "birth_date": "2023-05-01"}))
    assert "No one you may see looks like this person." in page
    client.post(people, {"action": "create", "new-named_as": "child", "new-first_name": "Ivy",
                         "new-last_name": "Marsh", "new-birth_date": "2023-05-01", "new-sex": "F",
                         "new-role": "child"})
    page = text(client.post(people, {"action": "receive", "family": "new", "family_name": "Marsh family"}))
    assert "Add what is alleged about Ivy Marsh." in page
    assert IntakeReport.unrestricted.count() == 0 and Family.objects.count() == 0
    key = client.session[SESSION_KEY]["people"][0]["key"]
    client.post(people, {"action": "allege", "child": key, "maltreatment_type": "neglect", "perpetrator": ""})
    response = client.post(people, {"action": "receive", "family": "new", "family_name": "Marsh family"})
    report = IntakeReport.unrestricted.get()
    assert response.status_code == 302 and response.url == reverse("intake:report", args=[report.pk])
    assert SESSION_KEY not in client.session
    assert (report.reporter_type, report.family.name, str(report.subject)) == ("anonymous", "Marsh family", "Ivy Marsh")


def test_a_proposal_with_errors_shows_them_next_to_the_fields(client, received, intake_worker):
    sign_in(client, intake_worker)
    page = text(client.post(reverse("intake:propose", args=[received.pk]), {"decision": "screen_in", "reason": ""}))
    assert re.search(r'id="id_reason_error">This field is required', page)
    page = text(client.post(reverse("intake:propose", args=[received.pk]),
                            {"decision": "screen_in", "reason": "meets_definition"}))
    assert "Choose an investigation or a family assessment." in page
    assert IntakeReport.unrestricted.get(pk=received.pk).status == "awaiting_screening"


def test_a_supervisor_is_told_she_cannot_approve_her_own_proposal(client, received, supervisor):
    services.propose_screening(supervisor, received, decision="screen_out", reason="cannot_locate")
    sign_in(client, supervisor)
    page = text(client.get(reverse("intake:review", args=[received.pk])))
    assert "You proposed this decision: another supervisor approves it" in page
    assert "Approve: screen out" not in page


def test_the_family_page_links_its_reports(client, received, intake_worker):
    sign_in(client, intake_worker)
    page = text(client.get(reverse("web:family-detail", args=[received.family_id])))
    assert f'href="/intake/reports/{received.pk}/"' in page and "awaiting screening" in page
    assert "at intake (no case open)" in page


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_page_query_count_is_the_same_for_2_or_10_contacts(client, screened_in, investigator, supervisor):
    report = screened_in
    children = [a.subject_id for a in Allegation.unrestricted.filter(report=report)]

    def contacts(count: int) -> None:
        for n in range(count):
            services.record_contact(
                investigator, report, person_id=children[n % 2], contacted_at=timezone.now(), method="phone"
            )

    contacts(2)
    sign_in(client, supervisor)
    url = reverse("intake:report", args=[report.pk])
    page_queries(client, url)  # the first request fills Django's content type cache
    few = page_queries(client, url)
    contacts(8)
    assert page_queries(client, url) == few
    assert text(client.get(url)).count("by phone with") == 10


def test_the_family_page_query_count_is_the_same_for_2_or_10_reports(client, family, worker, supervisor):
    sofia = family.people["kid"]

    def re_reports(count: int) -> None:
        for _ in range(count):
            receipt = receipt_about_new_children(
                children=[ReportPerson(key="c1", name="Sofia Rivera", role="child", person_id=sofia.pk)],
                perpetrators=[],
                allegations=[AllegationEntry("c1", MaltreatmentType.NEGLECT, "")],
                family_id=family.pk,
            )
            services.receive_report(supervisor, receipt, purpose=PLANNING)

    re_reports(2)
    sign_in(client, worker)
    url = reverse("web:family-detail", args=[family.pk])
    page_queries(client, url)
    few = page_queries(client, url)
    re_reports(8)
    assert page_queries(client, url) == few
    assert text(client.get(url)).count("awaiting screening") == 10
