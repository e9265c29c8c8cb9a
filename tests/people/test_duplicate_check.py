"""The duplicate check before a person is added: who it finds, why, and what it never reveals."""

import re
from datetime import date

import pytest
from django.urls import reverse

from familybridge.agencies.roles import Purpose, Role
from familybridge.audit.models import AuditEvent
from familybridge.consent import policy
from familybridge.consent import services as services_of_consent
from familybridge.people import families as services
from familybridge.people import selectors
from familybridge.people.matching import Typed
from familybridge.people.models import FamilyMember, LocalIdentifier, Person
from tests.conftest import sign_in

PLANNING = Purpose.CASE_PLANNING


def found(user, first, last, born=None, identifier=""):
    return {
        (c.person.first_name, c.person.last_name): c
        for c in selectors.likely_duplicates(user, PLANNING, Typed(first, last, born, identifier))
    }


@pytest.fixture
def porters(family, worker):
    """William Porter, born March 4, 1987, and his twin daughters, in a second family on the worker's caseload."""
    second = services.open_family(worker, name="Porter family", opened_on=date(2026, 1, 10))
    people = {}
    twins_born = date(2015, 6, 1)
    for first, born, role in (("William", date(1987, 3, 4), "parent"), ("Maria", twins_born, "child"),
                              ("Marta", twins_born, "child")):
        added = services.add_new_member(
            worker, second, first_name=first, last_name="Porter", birth_date=born, role=role
        )
        people[first] = added.subject
    second.people = people
    return second


def test_a_nickname_and_a_swapped_day_and_month_find_the_person(porters, worker):
    [(name, candidate)] = found(worker, "Bill", "Porter", date(1987, 4, 3)).items()
    assert name == ("William", "Porter")
    assert candidate.likeness.label == "Likely the same person"
    assert candidate.likeness.why == (
        "Birth date with day and month swapped, Bill and William are one name (nickname), same last name"
    )
    assert [m.family.name for m in candidate.memberships] == ["Porter family"]


def test_a_typo_and_a_changed_last_name_find_the_person(family, worker):
    assert found(worker, "Luiz", "Rivera", date(1988, 7, 9))["Luis", "Rivera"].likeness.score == 90
    married = found(worker, "Ana", "Morales", date(1990, 4, 1))["Ana", "Rivera"]
    assert married.likeness.why == "Same birth date, same first name, different last name"


def test_twins_are_two_people_each_shown_for_what_it_is(porters, worker):
    candidates = selectors.likely_duplicates(worker, PLANNING, Typed("Maria", "Porter", date(2015, 6, 1)))
    assert [(c.person.first_name, c.likeness.label) for c in candidates] == [
        ("Maria", "Likely the same person"),
        ("Marta", "Possibly the same person"),
    ]
    assert "different first name" in candidates[1].likeness.reasons
    # Adding the other twin creates her: nothing merges them.
    member = services.add_new_member(
        worker, porters, first_name="Mara", last_name="Porter", birth_date=date(2015, 6, 1), role="child"
    )
    assert member.subject.pk not in {porters.people["Maria"].pk, porters.people["Marta"].pk}


def test_an_identifier_the_user_may_see_finds_the_person(family, worker):
    assert found(worker, "Someone", "Else", None, "cw-kid")["Sofia", "Rivera"].likeness.reasons[0] == "same identifier"


def test_a_caseworker_finds_only_people_on_their_caseload_a_supervisor_the_whole_agency(family, agencies, make_user):
    caseworker = make_user("elsewhere", agencies["cw"], Role.CASEWORKER)
    supervisor = make_user("supervisor", agencies["cw"], Role.CW_SUPERVISOR)
    assert found(caseworker, "Ana", "Rivera", date(1990, 4, 1)) == {}
    assert ("Ana", "Rivera") in found(supervisor, "Ana", "Rivera", date(1990, 4, 1))


@pytest.fixture
def program_client(agencies):
    """Known only to a Part 2 program: its client number is the only record of her."""
    person = Person.objects.create(first_name="Dana", last_name="Whitfield", birth_date=date(1992, 8, 15), sex="F")
    LocalIdentifier.objects.create(owner_agency=agencies["sud"], subject=person, identifier="TX-77")
    return person


def test_a_programs_records_never_make_a_candidate_even_where_a_consent_opens_them(
    family, worker, consent_terms
):
    """The mother's consent opens her treatment program's identity record (TX-1) to child welfare: the policy
    point shows it on the family page, but the check neither finds her by it nor lists it."""
    services_of_consent.record_consent(consent_terms(categories=["person.identity"]))
    opened = policy.permitted(worker, LocalIdentifier.objects.filter(identifier="TX-1"), PLANNING)
    assert opened.exists()
    assert found(worker, "Someone", "Else", None, "TX-1") == {}
    [mother] = found(worker, "Ana", "Rivera", date(1990, 4, 1)).values()
    assert [i.identifier for i in mother.identifiers] == ["CW-mom"]


def test_a_program_client_is_not_a_candidate(program_client, agencies, make_user, worker):
    assert found(worker, "Dana", "Whitfield", date(1992, 8, 15), "TX-77") == {}
    # The program's own staff know her.
    counselor = make_user("hope", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    candidates = selectors.likely_duplicates(counselor, Purpose.TREATMENT, Typed("Dana", "Whitfield", None))
    assert [c.person for c in candidates] == [program_client]


def test_linking_a_person_the_user_may_not_know_is_refused_as_if_nobody_had_that_number(
    family, worker, program_client
):
    def refusal(person_id: int) -> str:
        with pytest.raises(services.ValidationError) as error:
            services.link_member(worker, family, person_id=person_id, role="parent", purpose=PLANNING)
        return str(error.value.message_dict)

    assert refusal(program_client.pk) == refusal(Person.objects.order_by("-pk").first().pk + 1000)
    assert not FamilyMember.unrestricted.filter(subject=program_client).exists()


def page_of_the_check(client, family, first, last, born):
    response = client.post(
        reverse("people:add-member", args=[family.pk]),
        {"action": "check", "first_name": first, "last_name": last, "birth_date": born, "identifier": ""},
    )
    assert response.status_code == 200
    # The CSRF tokens differ on every page; nothing else may.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", response.content.decode())


def test_the_check_page_for_a_program_client_is_the_page_for_nobody(client, family, worker, program_client):
    sign_in(client, worker)
    client_page = page_of_the_check(client, family, "Dana", "Whitfield", "1992-08-15")
    nobody_page = page_of_the_check(client, family, "Dana", "Whitfield", "1992-08-16")
    nobody_page = nobody_page.replace("1992-08-16", "1992-08-15")
    assert client_page == nobody_page
    assert "No one you may see looks like this person." in client_page


def test_the_check_page_lists_candidates_and_links_one(client, family, worker, porters):
    sign_in(client, worker)
    page = page_of_the_check(client, family, "Bill", "Porter", "1987-04-03")
    assert "William Porter" in page and "Likely the same person" in page
    event = AuditEvent.objects.filter(action="search").latest("sequence")
    assert event.details["check"] == "duplicates" and event.details["query"] == "Bill Porter"
    response = client.post(
        reverse("people:add-member", args=[family.pk]),
        {"action": "link", "person": porters.people["William"].pk, "role": "parent", "first_name": "Bill",
         "last_name": "Porter", "birth_date": "1987-04-03"},
    )
    assert response.status_code == 302
    assert FamilyMember.unrestricted.filter(family=family, subject=porters.people["William"]).exists()


def test_a_new_person_is_created_only_once_none_of_the_candidates_is_them(client, family, worker, porters):
    sign_in(client, worker)
    url = reverse("people:add-member", args=[family.pk])
    data = {"action": "create", "new-first_name": "Bill", "new-last_name": "Porter", "new-birth_date": "1987-04-03",
            "new-sex": "M", "new-role": "parent"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Look at the people listed first" in response.content.decode()
    assert not Person.objects.filter(first_name="Bill").exists()
    response = client.post(url, {**data, "new-none_of_these": "on"})
    assert response.status_code == 302
    assert FamilyMember.unrestricted.filter(family=family, subject__first_name="Bill").exists()


def test_only_staff_who_work_the_family_reach_the_page(client, family, agencies, make_user):
    sign_in(client, make_user("other", agencies["cw"], Role.CASEWORKER))
    assert client.get(reverse("people:add-member", args=[family.pk])).status_code == 404
    sign_in(client, make_user("boss", agencies["cw"], Role.CW_SUPERVISOR))
    assert client.get(reverse("people:add-member", args=[family.pk])).status_code == 200


def test_the_relationship_page_records_one_and_explains_a_refusal_next_to_the_field(client, family, worker):
    sign_in(client, worker)
    url = reverse("people:add-relationship", args=[family.pk])
    people = family.people
    response = client.post(url, {"person": people["kid"].pk, "kind": "mother", "relative": people["mom"].pk})
    assert response.status_code == 200
    assert "Sofia Rivera was born on or after Ana Rivera&#x27;s birth date" in response.content.decode()
    response = client.post(url, {"person": people["mom"].pk, "kind": "mother", "relative": people["kid"].pk})
    assert response.status_code == 302
    detail = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Ana Rivera is the mother of Sofia Rivera" in detail
