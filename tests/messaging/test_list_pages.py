"""Messages, notifications and scheduled reports: paginated, filtered, constant in cost."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from familybridge.consent.categories import Category
from familybridge.consent.services import record_agreement
from familybridge.messaging import services
from familybridge.messaging.models import Notification, ScheduledReport
from tests.conftest import sign_in
from tests.lists import assert_constant_queries, assert_paged


def test_the_inbox_costs_the_same_for_2_or_12_messages_and_filters_by_sender(
    client, agencies, family, worker, coordinator
):
    record_agreement(
        name="Child welfare and court",
        parties=[agencies["cw"], agencies["court"]],
        categories=[Category.CW_CASE_PLAN],
        purposes=["case_planning", "court_monitoring"],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )

    def send(count: int) -> None:
        for index in range(count):
            services.send_message(
                worker,
                family=family,
                about=family.people["mom"],
                category=Category.CW_CASE_PLAN,
                recipient_agencies=[agencies["court"]],
                subject_line=f"Update {index}",
                body="Family time went well.",
            )

    sign_in(client, coordinator)
    url = reverse("messaging:inbox")
    assert_constant_queries(client, url, send)
    send(18)
    assert_paged(client, url, 30)
    assert (
        "No messages you can read match these filters."
        in client.get(url, {"from_agency": agencies["court"].pk}).content.decode()
    )


def test_notifications_are_paginated_and_filtered_to_unread(client, worker):
    def notify(count: int) -> None:
        start = Notification.objects.count()
        Notification.objects.bulk_create(
            Notification(recipient=worker, kind="message", text=f"Note {start + n}", dedupe_key=f"n{start + n}")
            for n in range(count)
        )

    sign_in(client, worker)
    url = reverse("messaging:notifications")
    assert_constant_queries(client, url, notify)
    notify(18)
    assert_paged(client, url, 30)
    Notification.objects.filter(text="Note 0").update(read_at=timezone.now())
    assert client.get(url, {"unread_only": "on"}).context["page"].paginator.count == 29


def test_scheduled_reports_drafted_or_not_are_paginated_and_filtered_by_status(
    client, agencies, family, counselor, monthly_protocol
):
    def owe(count: int) -> None:
        for index in range(count):
            drafted = index % 2 == 0  # drafts and reports not yet drafted cost the same to list
            ScheduledReport.objects.create(
                draft_body="Engaged." if drafted else "",
                drafted_by=counselor if drafted else None,
                drafted_at=timezone.now() if drafted else None,
                owner_agency=agencies["sud"],
                subject=family.people["mom"],
                category=Category.SUD_PROGRESS,
                protocol=monthly_protocol,
                family=family,
                period_start=date(2020, 1, 1) + timedelta(days=ScheduledReport.unrestricted.count() * 31),
                period_end=date(2020, 1, 28),
                due_on=timezone.localdate() - timedelta(days=1),
            )

    sign_in(client, counselor)
    url = reverse("messaging:reports")
    assert_constant_queries(client, url, owe)
    owe(18)
    assert_paged(client, url, 30)
    assert client.get(url, {"status": "late"}).context["page"].paginator.count == 30
    assert client.get(url, {"status": "sent"}).context["page"].paginator.count == 0
