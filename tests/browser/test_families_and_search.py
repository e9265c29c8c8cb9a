"""Opening a family, adding a member through the duplicate check, recording a relationship, and searching."""

from datetime import date

import pytest
from playwright.sync_api import expect

from familybridge.agencies.roles import Role
from familybridge.people import families as services
from familybridge.people.models import FamilyMember
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def william(worker):
    """William Porter, born March 4, 1987, already in a family on the worker's caseload."""
    porters = services.open_family(worker, name="Porter family", opened_on=date(2026, 1, 10))
    member = services.add_new_member(
        worker, porters, first_name="William", last_name="Porter", birth_date=date(1987, 3, 4), sex="M", role="parent"
    )
    return member.subject


def test_a_caseworker_opens_a_family_and_links_an_existing_person_found_by_nickname(page, worker, william):
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Families").click()
    page.get_by_role("link", name="Open a family").click()
    expect(page.get_by_role("heading", name="Open a family")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Family name").fill("Porter-Hayes family")
    page.get_by_label("Case number (optional)").fill("CW-2026-0042")
    page.get_by_role("button", name="Open the family").click()
    expect(page.get_by_role("heading", name="Porter-Hayes family")).to_be_visible()
    expect(page.get_by_text("Porter-Hayes family is open. Add its members.")).to_be_visible()

    page.get_by_role("link", name="Add a member").click()
    assert_accessible(page)
    page.get_by_label("First name").fill("Bill")
    page.get_by_label("Last name").fill("Porter")
    page.get_by_label("Date of birth").fill("1987-04-03")
    page.get_by_role("button", name="Look for this person").click()
    expect(page.get_by_role("heading", name="William Porter")).to_be_visible()
    expect(page.get_by_text("Likely the same person")).to_be_visible()
    expect(page.get_by_text("Birth date with day and month swapped, Bill and William are one name")).to_be_visible()
    expect(page.get_by_text("Member of Porter family (parent).")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Role in this family").first.select_option("parent")
    page.get_by_role("button", name="Add William Porter").click()
    expect(page.get_by_text("William Porter added to Porter-Hayes family as a parent.")).to_be_visible()
    expect(page.get_by_role("cell", name="William Porter")).to_be_visible()
    assert FamilyMember.unrestricted.filter(subject=william).count() == 2


def test_a_caseworker_adds_a_new_child_and_records_a_relationship(page, worker, family):
    sign_in(page, "worker", PASSWORD)
    page.goto(f"/families/{family.pk}/members/new/")
    page.get_by_label("First name").fill("Mateo")
    page.get_by_label("Last name").fill("Rivera")
    page.get_by_label("Date of birth").fill("2023-09-14")
    page.get_by_role("button", name="Look for this person").click()
    expect(page.get_by_text("No one you may see looks like this person.")).to_be_visible()
    assert_accessible(page)
    new_person = page.get_by_role("region", name="Add a new person")
    new_person.get_by_label("Role in this family").select_option("child")
    new_person.get_by_label("Sex").select_option("M")
    page.get_by_role("button", name="Add a new person").click()
    expect(page.get_by_text("Mateo Rivera added to Rivera family as a child.")).to_be_visible()

    page.get_by_role("link", name="Record a relationship").click()
    assert_accessible(page)
    page.get_by_label("Person", exact=True).select_option(label="Ana Rivera (parent)")
    page.get_by_label("Relationship").select_option("mother")
    page.get_by_label("Related to").select_option(label="Mateo Rivera (child)")
    page.get_by_role("button", name="Record the relationship").click()
    expect(page.get_by_text("Recorded: Ana Rivera is the mother of Mateo Rivera.")).to_be_visible()
    relationships = page.get_by_role("region", name="Relationships")
    expect(relationships.get_by_text("Ana Rivera is the mother of Mateo Rivera")).to_be_visible()
    assert_accessible(page)


def test_a_supervisor_searches_from_the_navigation_and_pages_through_results(page, agencies, make_user, family):
    supervisor = make_user("boss", agencies["cw"], Role.CW_SUPERVISOR)
    for index in range(27):
        opened = services.open_family(supervisor, name=f"Garcia family {index:02d}", opened_on=date(2026, 1, 5))
        services.add_new_member(
            supervisor, opened, first_name=f"Eva{index:02d}", last_name="Garcia", birth_date=None, role="parent"
        )
    sign_in(page, "boss", PASSWORD)
    page.get_by_label("Search people and families").fill("garcia")
    page.get_by_label("Search people and families").press("Enter")
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    families = page.get_by_role("region", name="Families")
    expect(families.get_by_text("Showing 1–25 of 27")).to_be_visible()
    assert_accessible(page)
    families.get_by_role("link", name="Next page of families").click()
    expect(page.get_by_role("region", name="Families").get_by_text("Showing 26–27 of 27")).to_be_visible()
    expect(page.get_by_role("link", name="Garcia family 26")).to_be_visible()

    page.get_by_label("Name, date of birth, case, docket or identifier number").fill("4/1/1990")
    page.get_by_role("button", name="Search", exact=True).last.click()
    people = page.get_by_role("region", name="People")
    expect(people.get_by_role("cell", name="Ana Rivera")).to_be_visible()
    people.get_by_role("link", name="Rivera family").click()
    expect(page.get_by_role("heading", name="Rivera family")).to_be_visible()
