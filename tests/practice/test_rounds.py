import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from familybridge.agencies.models import Agency, AgencyKind
from familybridge.agencies.roles import Role
from familybridge.audit.models import AuditEvent
from familybridge.practice import services
from familybridge.practice.analysis import analyze
from familybridge.practice.models import Answer, Respondent
from familybridge.practice.selectors import round_responses
from tests.conftest import sign_in
from tests.practice.conftest import answer_round


def respond_url(assessment_round) -> str:
    return reverse("practice:respond", args=[assessment_round.token])


def test_an_answer_through_the_link_keeps_only_system_and_role(client, open_link_round, agencies, make_user):
    # Even a signed-in staff member answers anonymously: nothing ties the answers to them.
    staff = make_user("worker", agencies["cw"], Role.CASEWORKER)
    sign_in(client, staff)
    events_before = AuditEvent.objects.count()
    response = client.post(
        respond_url(open_link_round),
        {"system": "child_welfare", "role": "frontline", "item_V01": "4", "item_V03": "2"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    respondent = Respondent.objects.get()
    assert (respondent.system, respondent.role, respondent.source) == ("child_welfare", "frontline", "online")
    assert sorted(Answer.objects.values_list("item__code", "score")) == [("V01", 4), ("V03", 2)]
    # The rows hold no account, address or time, and the audit log gained nothing about this answer.
    assert {f.name for f in Respondent._meta.concrete_fields} == {"id", "round", "system", "role", "source"}
    assert {f.name for f in Answer._meta.concrete_fields} == {"id", "respondent", "item", "score"}
    assert AuditEvent.objects.count() == events_before
    assert not AuditEvent.objects.filter(client_address="203.0.113.9").exists()


def test_the_link_needs_no_account_and_reports_missing_answers(client, open_link_round):
    page = client.get(respond_url(open_link_round))
    assert page.status_code == 200
    assert "Your answers are anonymous" in page.content.decode()
    response = client.post(respond_url(open_link_round), {"system": "court", "role": "legal"})
    assert "Answer at least one statement." in response.content.decode()
    assert not Respondent.objects.exists()


def test_closing_freezes_the_round(client, closed_round, coordinator):
    count = Respondent.objects.count()
    page = client.post(respond_url(closed_round), {"system": "court", "role": "legal", "item_V01": "4"})
    assert "This round has closed" in page.content.decode()
    with pytest.raises(ValidationError, match="closed"):
        services.submit_anonymous_answers(closed_round, system="court", role="legal", scores={"V01": 4})
    with pytest.raises(ValidationError, match="frozen"):
        services.import_round_results(coordinator, closed_round, "respondent_id,system,item_id,score\np1,court,V01,4\n")
    assert Respondent.objects.count() == count


def test_only_coordinators_open_and_close_rounds(partnership, values_inventory, agencies, make_user, open_round):
    supervisor = make_user("super", agencies["cw"], Role.CW_SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.open_round(supervisor, partnership, values_inventory, "")
    with pytest.raises(PermissionDenied):
        services.close_round(supervisor, open_round)
    outsider_agency = Agency.objects.create(name="Elsewhere CPS", slug="elsewhere", kind=AgencyKind.CHILD_WELFARE)
    outsider = make_user("outsider", outsider_agency, Role.PARTNERSHIP_COORDINATOR)
    with pytest.raises(PermissionDenied):
        services.open_round(outsider, partnership, values_inventory, "")


def test_rounds_repeat_and_the_report_compares_with_the_last_one(client, closed_round, coordinator, partnership):
    second = services.open_round(coordinator, partnership, closed_round.instrument, "Values inventory, autumn")
    answer_round(second, {"child_welfare": [(4, 3)] * 5, "treatment": [(3, 3)] * 5})
    services.close_round(coordinator, second)
    sign_in(client, coordinator)
    page = client.get(reverse("practice:report", args=[partnership.slug, second.pk])).content.decode()
    assert "compared with" in page and "Values inventory, spring" in page
    assert "Gap last round" in page


def test_paper_results_import_all_or_nothing(open_round, coordinator):
    good = "respondent_id,system,item_id,score,element\np1,court,V01,4,1\np1,court,V02,,1\np2,Court,V01,5,1\n"
    assert services.import_round_results(coordinator, open_round, good) == 2
    assert set(Respondent.objects.values_list("source", flat=True)) == {"imported"}
    bad = "respondent_id,system,item_id,score\np3,court,V01,4\np4,court,NOPE,4\n"
    with pytest.raises(ValidationError, match="Item 'NOPE' is not in"):
        services.import_round_results(coordinator, open_round, bad)
    with pytest.raises(ValidationError, match="line 2: score must be"):
        services.import_round_results(coordinator, open_round, "respondent_id,system,item_id,score\np5,cw,V01,0\n")
    assert Respondent.objects.count() == 2


def test_report_shows_the_same_analysis_as_the_command(client, closed_round, coordinator, partnership):
    sign_in(client, coordinator)
    page = client.get(reverse("practice:report", args=[partnership.slug, closed_round.pk])).content.decode()
    analysis = analyze(round_responses(closed_round))
    assert analysis["items"]["V01"]["gap"] == 2.6
    assert analysis["agenda"] == ["V01", "V02"]
    assert "2.60" in page and "fewer than 5" in page
    assert page.count('src="data:image/svg+xml;base64,') == 2  # distribution and element profile
    # The court's two respondents are never broken out, not even in the export.
    export = client.get(reverse("practice:report-csv", args=[partnership.slug, closed_round.pk]))
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(export.content.decode())) if row["level"] == "item"}
    assert rows["V01"]["court_mean"] == "suppressed" and rows["V01"]["court_n"] == "2"
    assert rows["V01"]["child_welfare_mean"] == "4.6" and rows["V01"]["gap"] == "2.6"
    assert rows["V01"]["agenda_rank"] == "1"
    pdf = client.get(reverse("practice:report-pdf", args=[partnership.slug, closed_round.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_reports_are_for_member_staff_once_the_round_closes(client, open_round, partnership, agencies, make_user):
    url = reverse("practice:report", args=[partnership.slug, open_round.pk])
    assert client.get(url).status_code == 302  # sign in first
    outsider = make_user("outsider", Agency.objects.create(name="Other", slug="other", kind="court"), Role.AGENCY_ADMIN)
    sign_in(client, outsider)
    assert client.get(url).status_code == 403
    sign_in(client, make_user("worker", agencies["court"], Role.AGENCY_ADMIN))
    assert client.get(url).status_code == 404  # still open: no figures by system yet


def test_a_partnership_adds_its_own_instrument(client, coordinator, partnership):
    sign_in(client, coordinator)
    response = client.post(
        reverse("practice:instrument-new", args=[partnership.slug]),
        {"name": "Court report check", "description": "", "items_text": "6 | Reports arrive in time.\nWe use them.\n"},
    )
    assert response.status_code == 302
    instrument = partnership.instruments.get()
    assert list(instrument.items.values_list("code", "element", "text")) == [
        ("Q01", 6, "Reports arrive in time."),
        ("Q02", None, "We use them."),
    ]
    bad = client.post(
        reverse("practice:instrument-new", args=[partnership.slug]),
        {"name": "Another", "description": "", "items_text": "12 | Out of range"},
    )
    assert "must be a number from 1 to 10" in bad.content.decode()


def test_the_round_page_imports_paper_results(client, open_round, coordinator, partnership):
    sign_in(client, coordinator)
    upload = SimpleUploadedFile(
        "paper.csv", b"respondent_id,system,item_id,score\np1,court,V01,4\np2,court,V01,5\n", content_type="text/csv"
    )
    response = client.post(
        reverse("practice:round", args=[partnership.slug, open_round.pk]),
        {"action": "import", "file": upload},
        follow=True,
    )
    assert "2 respondents imported." in response.content.decode()
    assert Respondent.objects.count() == 2
