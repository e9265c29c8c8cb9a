"""The partnership workspace in a browser: answering anonymously, the report, the board and the other pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from familybridge.practice import services
from familybridge.practice.models import Respondent
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD
from tests.practice import conftest as practice_fixtures
from tests.practice.conftest import answer_round

pytestmark = pytest.mark.browser

partnership = practice_fixtures.partnership
coordinator = practice_fixtures.coordinator
values_inventory = practice_fixtures.values_inventory
open_round = practice_fixtures.open_round
open_link_round = practice_fixtures.open_link_round


def test_staff_answer_a_round_anonymously_with_a_single_use_code(page, open_round, coordinator):
    batch = services.issue_codes(coordinator, open_round, 2)
    code = open_round.codes.filter(batch=batch).first().display
    page.goto(f"/respond/{open_round.token}/")
    expect(page.get_by_role("heading", name="Collaborative values inventory")).to_be_visible()
    expect(page.get_by_text("Your answers are anonymous.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Enter the code from your slip.")).to_be_visible()
    expect(page.get_by_text("Choose the system you work in.").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your code").fill("ABCD-EFGH-JKMN")
    page.get_by_role("group", name="The system you work in").get_by_label("Court").check()
    page.get_by_role("group", name="Your role").get_by_label("Judge, attorney or court staff").check()
    page.get_by_role("group", name="V01.").get_by_label("Agree", exact=True).check()
    page.get_by_role("group", name="V03.").get_by_label("Strongly disagree").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("We do not know this code.")).to_be_visible()
    # The answers given are still chosen: only the code needs fixing.
    expect(page.get_by_role("group", name="V01.").get_by_label("Agree", exact=True)).to_be_checked()
    assert_accessible(page)

    page.get_by_label("Your code").fill(code.lower())
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_accessible(page)

    # The same code a second time is refused: one answer per code.
    page.goto(f"/respond/{open_round.token}/")
    page.get_by_label("Your code").fill(code)
    page.get_by_role("group", name="The system you work in").get_by_label("Court").check()
    page.get_by_role("group", name="Your role").get_by_label("Judge, attorney or court staff").check()
    page.get_by_role("group", name="V02.").get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("This code has already been used.")).to_be_visible()
    assert_accessible(page)
    respondent = Respondent.objects.get()
    assert (respondent.system, respondent.role) == ("court", "legal")
    assert sorted(respondent.answers.values_list("item__code", "score")) == [("V01", 4), ("V03", 1)]


def test_staff_answer_an_open_link_round_without_a_code(page, open_link_round):
    page.goto(f"/respond/{open_link_round.token}/")
    expect(page.get_by_label("Your code")).to_have_count(0)
    page.get_by_role("group", name="The system you work in").get_by_label("Court").check()
    page.get_by_role("group", name="Your role").get_by_label("Judge, attorney or court staff").check()
    page.get_by_role("group", name="V01.").get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert Respondent.objects.count() == 1


def test_coordinator_runs_a_round_and_reads_the_report(page, coordinator, values_inventory, partnership):
    sign_in(page, "coord", PASSWORD)
    page.get_by_role("link", name="Partnership").click()
    expect(page.get_by_role("heading", name="The ten system linkage elements")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Edit element 6").click()
    page.get_by_label("Where the partnership stands").select_option("fundamental")
    page.get_by_label("Evidence").fill("Consent form drafted")
    page.get_by_role("button", name="Save standing").click()
    expect(page.get_by_role("cell", name="Consent form drafted")).to_be_visible()

    page.get_by_role("link", name="Assessment rounds").click()
    assert_accessible(page)
    page.get_by_label("Instrument", exact=True).select_option(label="Collaborative values inventory")
    page.get_by_label("Title").fill("Spring round")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("heading", name="Spring round")).to_be_visible()
    expect(page.get_by_label("Round link")).to_have_value(
        f"{page.url.split('/partnership')[0]}/respond/" + partnership.assessment_rounds.get().token + "/"
    )
    assert_accessible(page)

    # Codes, one per person asked: a wrong number is refused, then the slips print and download.
    page.get_by_label("Number of codes").fill("0")
    page.get_by_role("button", name="Issue codes").click()
    expect(page.get_by_text("Issue from 1 to 500 codes at a time.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Number of codes").fill("3")
    page.get_by_role("button", name="Issue codes").click()
    expect(page.get_by_role("heading", name="Codes for Spring round, batch 1")).to_be_visible()
    codes = [code.display for code in partnership.assessment_rounds.get().codes.all()]
    slips = page.get_by_role("list", name="Code slips").get_by_role("listitem")
    expect(slips).to_have_count(3)
    expect(slips.first).to_contain_text(codes[0])
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download them as CSV").click()
    assert download.value.suggested_filename.endswith("-codes-1.csv")
    page.get_by_role("link", name="Back to the round").click()
    expect(page.get_by_text("3 codes issued, 0 used.")).to_be_visible()

    answer_round(partnership.assessment_rounds.get())
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_text("The round is closed and its results are frozen.", exact=True)).to_be_visible()
    page.get_by_role("link", name="Read the report").click()
    expect(page.get_by_role("heading", name="Report: Spring round")).to_be_visible()
    agenda = page.get_by_role("table").nth(1)
    expect(agenda.get_by_role("row").nth(1)).to_contain_text("V01")
    expect(agenda.get_by_role("row").nth(1)).to_contain_text("2.60")
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    expect(page.get_by_role("img", name="Line chart: each system's mean per element")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.endswith(".csv")

    page.get_by_role("link", name="Collaborative values inventory").click()
    expect(page.get_by_role("cell", name="V24")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def plan(partnership, coordinator, agencies):
    plan = services.create_action_plan(coordinator, partnership, title="Plan of action 2026")
    objective = services.add_objective(
        coordinator, plan, text="One consent form", elements=[6], indicator="Share of cases with a valid consent"
    )
    today = timezone.localdate()
    services.add_task(
        coordinator, objective, text="Draft the consent form", owner_agency=agencies["sud"], due_on=today - timedelta(7)
    )
    services.add_task(
        coordinator, objective, text="Train intake staff", owner_agency=agencies["cw"], due_on=today + timedelta(30)
    )
    return plan


def test_the_action_board_highlights_overdue_tasks(page, plan, agencies):
    sign_in(page, "coord", PASSWORD)
    page.goto("/partnership/test/plans/")
    assert_accessible(page)
    page.get_by_role("link", name="Plan of action 2026").click()
    expect(page.get_by_text("1 task overdue.")).to_be_visible()
    overdue_card = page.locator(".task-card.overdue")
    expect(overdue_card).to_contain_text("Draft the consent form")
    expect(overdue_card.get_by_text("Overdue")).to_be_visible()
    assert_accessible(page)

    overdue_card.get_by_label("Status of Draft the consent form").select_option("done")
    overdue_card.get_by_role("button", name="Move Draft the consent form").click()
    done = page.get_by_role("region", name="Done (1)")
    expect(done).to_contain_text("Draft the consent form")
    expect(page.get_by_text("1 task overdue.")).to_have_count(0)

    page.get_by_label("Task", exact=True).fill("Court sets the report deadline")
    page.get_by_label("Owner agency").select_option(label="Family Court")
    page.get_by_label("Due date").fill("2020-01-01")
    page.get_by_role("button", name="Add task").click()
    expect(page.locator(".task-card.overdue")).to_contain_text("Court sets the report deadline")
    assert_accessible(page)


def test_staff_acknowledge_a_protocol_and_record_training(page, partnership, agencies, make_user):
    publisher = make_user("hopeadmin", agencies["sud"], Role.AGENCY_ADMIN)
    services.publish_protocol(
        publisher, partnership, title="How Hope handles a referral", topic="referral", body="Assessed within 10 days."
    )
    make_user("worker", agencies["cw"], Role.CASEWORKER)
    sign_in(page, "worker", PASSWORD)
    page.goto("/partnership/test/protocols/")
    expect(page.get_by_role("region", name="To read and acknowledge")).to_contain_text("How Hope handles a referral")
    assert_accessible(page)
    page.get_by_role("link", name="How Hope handles a referral").first.click()
    page.get_by_role("button", name="I have read version 1").click()
    expect(page.get_by_text("You have acknowledged this version.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Cross-training").click()
    page.get_by_label("Course", exact=True).select_option(
        label="Online tutorial for child welfare professionals: SUD, treatment and recovery"
    )
    page.get_by_label("Completed on").fill("2026-02-03")
    page.get_by_role("button", name="Record training").click()
    expect(page.get_by_role("region", name="My training")).to_contain_text("Online tutorial for child welfare")
    expect(page.get_by_role("row", name="Child welfare 1 1 100%")).to_be_visible()
    assert_accessible(page)


def test_coordinator_pages_protocol_coverage_training_and_governance(
    page, partnership, coordinator, agencies, make_user
):
    publisher = make_user("hopeadmin", agencies["sud"], Role.AGENCY_ADMIN)
    services.publish_protocol(publisher, partnership, title="Who to call", topic="contacts", body="Intake line.")
    sign_in(page, "coord", PASSWORD)
    page.goto("/partnership/test/protocols/")
    page.get_by_role("link", name="Coverage: who has read what").click()
    expect(page.get_by_role("row", name="Who to call")).to_contain_text("0 of 1")
    assert_accessible(page)
    page.goto("/partnership/test/training/")
    page.get_by_label("Course title").fill("Our FTC 101")
    page.get_by_role("button", name="Add course").click()
    expect(page.get_by_role("cell", name="Our FTC 101")).to_be_visible()
    page.get_by_role("link", name="Completions per staff member").click()
    expect(page.get_by_role("row", name="hopeadmin")).to_contain_text("None yet")
    assert_accessible(page)

    page.get_by_role("link", name="Governance").click()
    assert_accessible(page)
    page.get_by_label("Kind").select_option("steering")
    page.get_by_label("Name").fill("Steering committee")
    page.get_by_role("button", name="Add committee").click()
    expect(page.get_by_role("heading", name="Steering committee")).to_be_visible()
    page.get_by_label("Staff member").select_option(label=str(publisher))
    page.get_by_label("Chair").check()
    page.get_by_role("button", name="Add member").click()
    page.get_by_label("Held on").fill("2026-03-02")
    page.get_by_label("Decisions", exact=True).fill("6 | One consent form for all")
    page.get_by_role("button", name="Record meeting").click()
    expect(page.get_by_text("One consent form for all")).to_be_visible()
    expect(page.get_by_text("(chair)")).to_be_visible()
    assert_accessible(page)
