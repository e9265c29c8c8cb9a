"""Search across what the user may see, and the family list: through the policy point, paginated, safe input."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from familybridge.agencies.roles import Role
from familybridge.audit.models import AuditEvent
from familybridge.cases.models import CourtCase
from familybridge.consent import services as consent_services
from familybridge.people import families as services
from familybridge.people.models import LocalIdentifier, Person
from tests.conftest import sign_in


@pytest.fixture
def supervisor(agencies, make_user):
    return make_user("supervisor", agencies["cw"], Role.CW_SUPERVISOR)


def page(client, url_name: str, **params) -> str:
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return response.content.decode()


def search(client, q: str, **params) -> str:
    return page(client, "people:search", q=q, **params)


def families_in(html: str) -> list[str]:
    section = html.split('id="families-heading"')[1].split('id="people-heading"')[0]
    return re.findall(r'<a href="/families/\d+/">([^<]+)</a>', section)


def people_in(html: str) -> list[str]:
    section = html.split('id="people-heading"')[1]
    return re.findall(r"<tr>\s*<td>([^<]+)</td>", section)


def test_a_caseworker_finds_only_their_caseload_a_supervisor_the_whole_agency(
    client, family, agencies, make_user, supervisor
):
    sign_in(client, make_user("elsewhere", agencies["cw"], Role.CASEWORKER))
    html = search(client, "Rivera")
    assert families_in(html) == [] and people_in(html) == []
    assert "No families you can see match." in html and "No people you can see match." in html
    sign_in(client, supervisor)
    html = search(client, "Rivera")
    assert families_in(html) == ["Rivera family"]
    assert people_in(html) == ["Ana Rivera", "Luis Rivera", "Sofia Rivera"]


def test_people_are_found_by_sound_nickname_birth_date_and_identifier(client, family, worker):
    sign_in(client, worker)
    assert people_in(search(client, "Riviera")) == ["Ana Rivera", "Luis Rivera", "Sofia Rivera"]
    assert people_in(search(client, "anna riv")) == ["Ana Rivera"]
    assert people_in(search(client, "4/1/1990")) == ["Ana Rivera"]
    # Typed the other way round (1 April read as January 4th) it is still found.
    assert people_in(search(client, "1/4/1990")) == ["Ana Rivera"]
    assert people_in(search(client, "cw-KID")) == ["Sofia Rivera"]
    html = search(client, "CW-1")
    assert families_in(html) == ["Rivera family"] and len(people_in(html)) == 3


def test_a_nickname_finds_the_full_name(client, family, worker):
    services.add_new_member(worker, family, first_name="William", last_name="Rivera", birth_date=None, role="caregiver")
    sign_in(client, worker)
    assert people_in(search(client, "Bill Rivera")) == ["William Rivera"]


def test_a_docket_number_is_found_only_where_the_policy_point_opens_the_court_case(client, family, worker, agencies):
    CourtCase.objects.create(owner_agency=agencies["court"], subject=family.people["kid"], family=family,
                             docket_number="JD-2026-15")
    sign_in(client, worker)
    assert families_in(search(client, "JD-2026")) == []
    consent_services.record_agreement(
        name="Court and child welfare MOU", parties=[agencies["cw"], agencies["court"]], categories=["court.case"],
        purposes=["case_planning"], starts_on=date(2026, 1, 1), ends_on=None, recorded_by=None,
    )
    html = search(client, "JD-2026")
    assert families_in(html) == ["Rivera family"] and people_in(html) == ["Sofia Rivera"]


def test_a_program_client_is_searched_for_exactly_as_nobody(client, family, worker, agencies):
    dana = Person.objects.create(first_name="Dana", last_name="Whitfield", birth_date=date(1992, 8, 15))
    LocalIdentifier.objects.create(owner_agency=agencies["sud"], subject=dana, identifier="TX-77")
    sign_in(client, worker)

    def shown(q: str) -> str:
        html = search(client, q).replace(q, "QUERY")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", html)

    assert shown("Dana Whitfield") == shown("Dana Whitfeldt")
    assert shown("TX-77") == shown("TX-78")
    # The mother's program number is the program's record: it finds nobody either.
    assert shown("TX-1") == shown("TX-78")


def test_a_control_character_or_a_huge_query_is_refused_plainly_and_audited(client, family, worker):
    sign_in(client, worker)
    for url_name in ("people:search", "web:family-list"):
        html = page(client, url_name, q="Riv\x1bera")
        assert "Use letters, digits, spaces and punctuation only." in html
        html = page(client, url_name, q="x" * 100_000)
        assert "Search for at most 100 characters." in html
        # A NUL byte never reaches the page: the address is a bad request (web.middleware), not a crash.
        response = client.get(reverse(url_name), {"q": "Riv\x00era"})
        assert response.status_code == 400 and "We could not understand that request" in response.content.decode()
    events = AuditEvent.objects.filter(action="search").order_by("-sequence")[:4]
    assert len(events) == 4
    assert all(e.details["refused"] and len(e.details["query"]) <= 100 for e in events)
    assert "\x1b" not in str([e.details for e in events])


def make_families(supervisor, count: int, start: int = 0) -> None:
    for index in range(start, start + count):
        family = services.open_family(supervisor, name=f"Garcia family {index:02d}", opened_on=date(2026, 1, 5))
        services.add_new_member(
            supervisor, family, first_name=f"Eva{index:02d}", last_name="Garcia", birth_date=None, role="parent"
        )


def test_results_are_paginated_and_say_where_the_reader_is(client, supervisor):
    make_families(supervisor, 30)
    sign_in(client, supervisor)
    html = search(client, "Garcia")
    assert "Showing 1–25 of 30" in html and len(families_in(html)) == 25 and len(people_in(html)) == 25
    next_page = re.search(r'href="(\?[^"]*families_page=2[^"]*)" rel="next"', html).group(1).replace("&amp;", "&")
    html = client.get(reverse("people:search") + next_page).content.decode()
    assert "Showing 26–30 of 30" in html and families_in(html)[0] == "Garcia family 25"


def test_the_status_filter_keeps_open_or_closed_families(client, supervisor, family):
    make_families(supervisor, 2)
    closed = services.open_family(supervisor, name="Garcia family closed", opened_on=date(2026, 1, 5))
    closed.closed_on = date(2026, 2, 1)
    closed.save()
    sign_in(client, supervisor)
    assert families_in(search(client, "Garcia", status="closed")) == ["Garcia family closed"]
    assert families_in(search(client, "Garcia", status="open")) == ["Garcia family 00", "Garcia family 01"]
    html = page(client, "web:family-list", status="closed")
    assert "Garcia family closed" in html and "Rivera family" not in html


def test_the_family_list_no_longer_stops_at_200(client, supervisor):
    make_families(supervisor, 26)
    sign_in(client, supervisor)
    html = page(client, "web:family-list")
    assert "Showing 1–25 of 26" in html and 'rel="next"' in html
    html = page(client, "web:family-list", page=2)
    assert "Showing 26 of 26" in html and "Garcia family 25" in html
    # The htmx search answers with the results alone, paginated too.
    response = client.get(reverse("web:family-list"), {"q": "family 2"}, headers={"HX-Request": "true"})
    partial = response.content.decode()
    assert "<h1>" not in partial and "Showing 1–6 of 6" in partial


def queries_for(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name, params", [("people:search", {"q": "Garcia"}), ("web:family-list", {"q": "Garcia", "status": "open"})]
)
def test_the_query_count_is_the_same_for_2_or_10_rows(client, supervisor, url_name, params):
    make_families(supervisor, 2)
    sign_in(client, supervisor)
    url = reverse(url_name)
    few = queries_for(client, url, params)
    make_families(supervisor, 8, start=2)
    assert queries_for(client, url, params) == few
    assert page(client, url_name, **params).count("Garcia family") >= 10
