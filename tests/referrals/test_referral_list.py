"""The program's referral list: paginated, filtered, and as cheap for 203 referrals as for 2."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Role
from familybridge.people import services as people_services
from familybridge.referrals import services
from familybridge.referrals.models import ReferralStatus
from tests.conftest import sign_in
from tests.lists import assert_constant_queries, assert_paged

URL = reverse("referrals:worklist")


@pytest.fixture
def refer(agencies, family, worker):
    def make(count: int, days_ago: int = 1) -> list:
        return [
            services.create_referral(
                worker,
                subject=family.people["mom"],
                provider=agencies["sud"],
                referral_date=timezone.localdate() - timedelta(days=days_ago),
                reason="Positive screen",
                family=family,
            )
            for _ in range(count)
        ]

    return make


@pytest.fixture
def intake(agencies, make_user, client):
    supervisor = make_user("ben", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    sign_in(client, supervisor)
    return supervisor


def test_the_referral_list_costs_the_same_queries_for_2_or_12_referrals(client, intake, refer):
    assert_constant_queries(client, URL, refer)


def test_the_referral_list_is_paginated(client, intake, refer):
    refer(30)
    assert_paged(client, URL, 30)


def test_the_list_filters_by_status_date_and_worker(client, agencies, family, intake, refer, make_user):
    old, new = refer(1, days_ago=40)[0], refer(1)[0]
    counselor = make_user("rosa", agencies["sud"], Role.COUNSELOR)
    services.record_step(counselor, new, ReferralStatus.ACCEPTED)
    people_services.assign(intake, staff=counselor, client=family.people["mom"], about=new, on=timezone.localdate())

    def listed(**query) -> list:
        return [view.referral for view in client.get(URL, query).context["page"]]

    assert listed() == [new, old]
    assert listed(status="accepted") == [new] and listed(status="received") == [old]
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert listed(since=since) == [new]
    assert listed(worker=counselor.pk) == [new] and listed(worker="unassigned") == [old]
    assert listed(referring_agency=agencies["cw"].pk) == [new, old]
    page = client.get(URL, {"status": "accepted"}).content.decode()
    assert "<td>Rosa Tester</td>" in page and '<span class="muted">Not assigned yet' not in page


def test_a_bad_filter_is_said_next_to_its_field_and_left_out(client, intake, refer):
    refer(2)
    response = client.get(URL, {"since": "yesterday", "until": "2020-01-01", "status": "lost"})
    body = response.content.decode()
    assert "Enter a valid date." in body and "Select a valid choice." in body
    assert len(response.context["page"]) == 0  # the valid filter (until 2020) still applies


def test_a_counselor_lists_only_her_clients_referrals(client, agencies, family, refer, make_user):
    first, _ = refer(2)
    counselor = make_user("rosa", agencies["sud"], Role.COUNSELOR)
    people_services.assign(None, staff=counselor, client=family.people["mom"], about=first, on=timezone.localdate())
    other = make_user("other", agencies["sud"], Role.COUNSELOR)
    sign_in(client, other)
    assert "No referrals you can see." in client.get(URL).content.decode()
