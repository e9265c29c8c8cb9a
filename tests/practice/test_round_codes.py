"""Finding 14, second half: one answer per respondent, without identifying anyone.

A new round is answered with single-use codes the coordinator issues; a code lets in one set of
answers, and nothing ties the stored answers to the code."""

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from familybridge.agencies.roles import Role
from familybridge.audit.models import AuditEvent
from familybridge.practice import services
from familybridge.practice.models import Answer, Respondent, RoundCode
from tests.conftest import sign_in

ANSWERS = {"system": "court", "role": "legal", "item_V01": "4"}


def respond_url(assessment_round) -> str:
    return reverse("practice:respond", args=[assessment_round.token])


def codes_of(assessment_round, count: int) -> list[str]:
    batch = services.issue_codes(assessment_round.opened_by, assessment_round, count)
    return [code.display for code in assessment_round.codes.filter(batch=batch)]


def test_one_link_no_longer_takes_repeat_answers(client, open_round):
    # Before: the same person could send the link's form again and again, each time counted anew.
    [code] = codes_of(open_round, 1)
    assert client.post(respond_url(open_round), {**ANSWERS, "code": code}).status_code == 302
    again = client.post(respond_url(open_round), {**ANSWERS, "code": code})
    assert "This code has already been used." in again.content.decode()
    without = client.post(respond_url(open_round), ANSWERS)
    assert "Enter the code from your slip." in without.content.decode()
    assert Respondent.objects.count() == 1


def test_unknown_codes_and_codes_of_another_round_are_refused_and_the_answers_kept(
    client, open_round, partnership, coordinator, values_inventory
):
    other_round = services.open_round(coordinator, partnership, values_inventory, "Another round")
    [other_code] = codes_of(other_round, 1)
    unknown = client.post(respond_url(open_round), {**ANSWERS, "code": "ABCD-EFGH-JKMN"}).content.decode()
    assert "We do not know this code." in unknown
    assert re.search(r'name="item_V01" value="4"[^>]*checked', unknown)  # the answer given is still chosen
    elsewhere = client.post(respond_url(open_round), {**ANSWERS, "code": other_code}).content.decode()
    assert "This code is for another round." in elsewhere
    assert not Respondent.objects.exists()
    assert not RoundCode.objects.filter(used=True).exists()


def test_a_refused_answer_does_not_use_up_the_code(client, open_round):
    [code] = codes_of(open_round, 1)
    refused = client.post(respond_url(open_round), {"system": "court", "role": "legal", "code": code})
    assert "Answer at least one statement." in refused.content.decode()
    assert not RoundCode.objects.get().used
    # Typed from the slip in lower case with spaces, it still works.
    typed = code.lower().replace("-", " ")
    assert client.post(respond_url(open_round), {**ANSWERS, "code": typed}).status_code == 302
    assert RoundCode.objects.get().used


def test_nothing_ties_the_stored_answers_to_the_code(client, open_round):
    codes = codes_of(open_round, 2)
    events = AuditEvent.objects.count()
    client.post(respond_url(open_round), {**ANSWERS, "code": codes[1]}, REMOTE_ADDR="203.0.113.9")
    # The code keeps only its round, batch and used flag; answers keep no code, time or account.
    assert {f.name for f in RoundCode._meta.concrete_fields} == {"id", "round", "code", "batch", "used"}
    assert {f.name for f in Respondent._meta.concrete_fields} == {"id", "round", "system", "role", "source"}
    assert {f.name for f in Answer._meta.concrete_fields} == {"id", "respondent", "item", "score"}
    for model in (Respondent, Answer):
        assert not [f for f in model._meta.get_fields() if f.related_model is RoundCode]
    # Using the code wrote no audit event: none can put a time or an address on it.
    assert AuditEvent.objects.count() == events


def test_the_coordinator_issues_codes_prints_them_and_downloads_them(client, open_round, partnership, coordinator):
    sign_in(client, coordinator)
    round_url = reverse("practice:round", args=[partnership.slug, open_round.pk])
    issued = client.post(round_url, {"action": "issue_codes", "count": "3"})
    assert issued.status_code == 302
    slips = client.get(issued["Location"]).content.decode()
    codes = list(open_round.codes.all())
    assert len(codes) == 3 and all(code.display in slips for code in codes)
    assert f"/respond/{open_round.token}/" in slips
    export = client.get(reverse("practice:round-codes-csv", args=[partnership.slug, open_round.pk, 1]))
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [row["code"] for row in rows] == [code.display for code in codes]
    assert rows[0]["link"].endswith(f"/respond/{open_round.token}/")

    client.post(respond_url(open_round), {**ANSWERS, "code": codes[0].code})
    page = client.get(round_url).content.decode()
    assert "3 codes issued, 1 used." in page and "Batch 1 (3 codes)" in page
    assert codes[0].display not in page  # which code was used is never shown


@pytest.mark.parametrize(
    ("count", "message"),
    [("0", "Issue from 1 to 500 codes at a time."), ("501", "Issue from 1 to 500"), ("forty", "whole number")],
)
def test_a_bad_number_of_codes_is_refused_and_nothing_issued(
    client, open_round, partnership, coordinator, count, message
):
    sign_in(client, coordinator)
    page = client.post(
        reverse("practice:round", args=[partnership.slug, open_round.pk]), {"action": "issue_codes", "count": count}
    )
    assert message in page.content.decode()
    assert not RoundCode.objects.exists()


def test_only_coordinators_see_codes_and_only_open_code_rounds_get_them(
    client, open_round, open_link_round, coordinator, partnership, agencies, make_user
):
    codes_of(open_round, 2)
    sign_in(client, make_user("worker", agencies["cw"], Role.CASEWORKER))
    assert client.get(reverse("practice:round-codes", args=[partnership.slug, open_round.pk, 1])).status_code == 403
    assert client.get(reverse("practice:round-codes-csv", args=[partnership.slug, open_round.pk, 1])).status_code == 403
    with pytest.raises(ValidationError, match="open link"):
        services.issue_codes(open_link_round.opened_by, open_link_round, 5)
    services.close_round(coordinator, open_round)
    with pytest.raises(ValidationError, match="closed"):
        services.issue_codes(coordinator, open_round, 5)


def test_the_slips_page_costs_the_same_queries_for_three_codes_or_thirty(client, open_round, partnership, coordinator):
    sign_in(client, coordinator)
    few = services.issue_codes(coordinator, open_round, 3)
    many = services.issue_codes(coordinator, open_round, 30)

    def queries_for(batch: int) -> int:
        url = reverse("practice:round-codes", args=[partnership.slug, open_round.pk, batch])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        return len(queries)

    queries_for(few)  # the first page after signing in also sets up the session
    assert queries_for(many) == queries_for(few)
