"""The workspace's lists: rounds, action plans, protocols and training per staff member, paginated and filtered."""

from itertools import count

from django.urls import reverse

from familybridge.agencies.roles import Role
from familybridge.practice import services
from familybridge.practice.models import RoundStatus
from tests.conftest import sign_in
from tests.lists import assert_constant_queries, assert_paged

NUMBERS = count()


def test_rounds_are_paginated_and_filtered_by_status(client, partnership, coordinator, values_inventory):
    def open_rounds(how_many: int) -> None:
        for _ in range(how_many):
            services.open_round(coordinator, partnership, values_inventory, f"Round {next(NUMBERS)}")

    sign_in(client, coordinator)
    url = reverse("practice:rounds", args=[partnership.slug])
    assert_constant_queries(client, url, open_rounds)
    open_rounds(18)
    assert_paged(client, url, 30)
    assert client.get(url, {"status": RoundStatus.CLOSED}).context["page"].paginator.count == 0


def test_action_plans_are_paginated(client, partnership, coordinator):
    def plan(how_many: int) -> None:
        for _ in range(how_many):
            services.create_action_plan(coordinator, partnership, title=f"Plan {next(NUMBERS)}")

    sign_in(client, coordinator)
    url = reverse("practice:plans", args=[partnership.slug])
    assert_constant_queries(client, url, plan)
    plan(18)
    assert_paged(client, url, 30)


def test_protocols_are_paginated_and_filtered_by_agency(client, agencies, partnership, coordinator, make_user):
    court = make_user("clerk", agencies["court"], Role.COURT_COORDINATOR)

    def publish(how_many: int) -> None:
        for index in range(how_many):
            services.publish_protocol(
                coordinator if index % 2 else court,
                partnership,
                title=f"Protocol {next(NUMBERS)}",
                topic="contacts",
                body="Call the duty worker first.",
            )

    sign_in(client, coordinator)
    url = reverse("practice:protocols", args=[partnership.slug])
    assert_constant_queries(client, url, publish)
    publish(18)
    assert_paged(client, url, 30)
    assert client.get(url, {"agency": agencies["court"].pk}).context["page"].paginator.count == 15


def test_training_per_staff_member_is_paginated_and_filtered_by_agency(
    client, agencies, partnership, coordinator, make_user
):
    def hire(how_many: int) -> None:
        for _ in range(how_many):
            make_user(f"staff{next(NUMBERS)}", agencies["sud"], Role.COUNSELOR)

    sign_in(client, coordinator)
    url = reverse("practice:training-staff", args=[partnership.slug])
    assert_constant_queries(client, url, hire)
    hire(17)  # and the coordinator: 30 staff members
    assert_paged(client, url, 30)
    assert client.get(url, {"agency": agencies["cw"].pk}).context["page"].paginator.count == 1
