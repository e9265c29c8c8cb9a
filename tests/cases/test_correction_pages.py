"""The correct, void and history pages: what the writer, a colleague and a partner agency each get."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import corrections, services
from familybridge.cases import models as m
from familybridge.consent import services as consent_services
from tests.conftest import sign_in


@pytest.fixture
def report(worker, family):
    return services.record_report(
        worker, family, subject=family.people["kid"], report_date=date(2026, 2, 1), disposition="indicated"
    )


@pytest.fixture
def toxicology(counselor, family):
    episode = services.admit_to_treatment(
        counselor, family, subject=family.people["mom"], admission_date=date(2026, 2, 1)
    )
    return services.record_toxicology(
        counselor, family, episode=episode, collected_on=date(2026, 2, 3), outcome="negative"
    )


def url(name: str, family, kind: str, pk: int) -> str:
    return reverse(f"cases:{name}", args=[family.pk, kind, pk])


def test_the_writer_corrects_a_report_from_the_family_page(client, worker, family, report):
    sign_in(client, worker)
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert url("correct-record", family, "report", report.pk) in page
    form = client.get(url("correct-record", family, "report", report.pk)).context["form"]
    assert form.initial["disposition"] == "indicated"
    response = client.post(
        url("correct-record", family, "report", report.pk),
        {"report_date": "2026-02-01", "disposition": "substantiated", "summary": "", "reason": "Finding approved."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.disposition == "substantiated"
    history = client.get(url("record-history", family, "report", report.pk)).content.decode()
    assert "Indicated" in history and "Substantiated" in history and "Finding approved." in history


def test_a_correction_without_a_reason_or_against_the_rule_is_refused_next_to_the_field(
    client, worker, family, report
):
    sign_in(client, worker)
    address = url("correct-record", family, "report", report.pk)
    no_reason = client.post(address, {"report_date": "2026-02-01", "disposition": "other", "reason": ""})
    assert no_reason.status_code == 200 and no_reason.context["form"].errors["reason"]
    future = client.post(address, {"report_date": "2099-02-01", "disposition": "other", "reason": "Date."})
    assert "cannot be in the future" in future.context["form"].errors["report_date"][0]
    report.refresh_from_db()
    assert report.disposition == "indicated"


def test_voiding_asks_for_confirmation_and_a_reason(client, worker, family, report):
    sign_in(client, worker)
    address = url("void-record", family, "report", report.pk)
    confirm = client.get(address).content.decode()
    assert "Void this record" in confirm and "entered in error" in confirm and "Indicated" in confirm
    assert client.post(address, {"reason": ""}).context["form"].errors["reason"]
    voided = client.post(address, {"reason": "Wrong family."})
    history_url = url("record-history", family, "report", report.pk)
    assert voided.status_code == 302 and voided["Location"].startswith(history_url)
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "report about Sofia Rivera" not in page
    history = client.get(history_url).content.decode()
    assert "Voided" in history and "Wrong family." in history and "<del>" in history
    assert client.get(address).status_code == 404  # a voided record is not voided again


def test_a_colleague_sees_the_history_but_may_not_correct_or_void(
    client, agencies, make_user, assign, family, report
):
    colleague = make_user("colleague", agencies["cw"], Role.CASEWORKER)
    assign(colleague, family)
    sign_in(client, colleague)
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert url("record-history", family, "report", report.pk) in page
    assert url("correct-record", family, "report", report.pk) not in page
    assert client.get(url("correct-record", family, "report", report.pk)).status_code == 403
    assert client.post(url("void-record", family, "report", report.pk), {"reason": "x"}).status_code == 403
    assert client.get(url("record-history", family, "report", report.pk)).status_code == 200


def test_a_supervisor_of_the_agency_may_void(client, agencies, make_user, family, report):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    sign_in(client, supervisor)
    assert client.post(url("void-record", family, "report", report.pk), {"reason": "Duplicate."}).status_code == 302


def test_a_part2_records_history_is_hidden_from_a_partner_without_a_basis(
    client, worker, coordinator, family, toxicology, consent_terms
):
    history = url("record-history", family, "toxicology", toxicology.pk)
    missing = url("record-history", family, "toxicology", toxicology.pk + 1000)
    for user in (worker, coordinator):
        sign_in(client, user)
        # exactly what a record that does not exist gets: nothing tells a program's client list
        assert client.get(history).status_code == client.get(missing).status_code == 404
    consent_services.record_consent(
        consent_terms(purposes=[Purpose.CASE_PLANNING], recipients=[worker.agency], categories=["sud.toxicology"])
    )
    sign_in(client, worker)
    page = client.get(history)
    assert page.status_code == 200 and "42 CFR Part 2" in page.content.decode()
    assert client.get(url("correct-record", family, "toxicology", toxicology.pk)).status_code == 403


def test_the_history_page_costs_the_same_queries_for_2_or_10_versions(client, agencies, make_user, family):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    sign_in(client, supervisor)
    counts = []
    for versions in (2, 10):
        report = m.ChildWelfareReport.objects.create(
            owner_agency=agencies["cw"],
            subject=family.people["kid"],
            family=family,
            report_date=date(2026, 2, 1),
            disposition="indicated",
            recorded_by=supervisor,
        )
        kind = services.kind_of(report)
        for number in range(versions - 1):
            shown = corrections.record_of_family(supervisor, family, kind, report.pk, Purpose.CASE_PLANNING)
            corrections.correct_record(supervisor, family, shown, {"summary": f"v{number}"}, f"Edit {number}.")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("record-history", family, "report", report.pk))
        assert response.content.decode().count('<li class="version') == versions
        counts.append(len(queries))
    assert counts[0] == counts[1]
