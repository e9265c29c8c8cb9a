"""Messages people can rely on: the category the sender's agency keeps, readers known before sending, a message
nobody could read refused, threads with replies, named staff, an inbox, a sent folder and unread counts."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from familybridge.agencies.roles import Purpose, Role
from familybridge.consent import services as consent_services
from familybridge.consent.categories import PART2_CATEGORIES, Category
from familybridge.messaging import selectors, services
from familybridge.messaging.models import Message, Notification
from tests.conftest import sign_in
from tests.lists import assert_constant_queries


@pytest.fixture
def judge(agencies, family, make_user, assign):
    user = make_user("judge", agencies["court"], Role.JUDGE)
    assign(user, family)
    return user


def share(agencies, *parties: str, categories=(Category.CW_CASE, Category.COURT_CASE)) -> None:
    """A data-sharing agreement among these agencies for the categories, for the purposes their staff read for."""
    consent_services.record_agreement(
        name="Sharing " + " ".join(parties),
        parties=[agencies[party] for party in parties],
        categories=list(categories),
        purposes=[Purpose.CASE_PLANNING, Purpose.COURT_MONITORING, Purpose.TREATMENT],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )


def to_court(worker, family, agencies, **changes) -> Message:
    values = {
        "family": family,
        "about": family.people["mom"],
        "category": Category.CW_CASE,
        "recipient_agencies": [agencies["court"]],
        "subject_line": "Family time",
        "body": "Visits go well; we propose unsupervised time.",
    }
    return services.send_message(worker, **{**values, **changes})


def test_the_category_defaults_to_the_senders_own_kind_of_information(client, family, worker, counselor, judge):
    assert selectors.default_category(worker) == Category.CW_CASE
    assert selectors.default_category(judge) == Category.COURT_CASE
    assert selectors.default_category(counselor) == Category.SUD_PROGRESS
    # Part 2 categories are offered to a program's staff only; counseling notes to nobody.
    assert not {value for value, _ in selectors.message_categories(worker)} & PART2_CATEGORIES
    assert not {value for value, _ in selectors.message_categories(judge)} & PART2_CATEGORIES
    offered = {value for value, _ in selectors.message_categories(counselor)}
    assert Category.SUD_PROGRESS in offered and Category.SUD_COUNSELING_NOTES not in offered

    sign_in(client, worker)
    page = client.get(reverse("messaging:compose", args=[family.pk]))
    assert page.context["form"]["category"].initial == Category.CW_CASE
    assert "SUD enrollment" not in page.content.decode()


def test_staff_outside_a_program_cannot_label_a_message_as_treatment_information(agencies, family, worker, judge):
    share(agencies, "cw", "court")
    with pytest.raises(ValidationError, match="treatment"):
        to_court(worker, family, agencies, category=Category.SUD_ENROLLMENT)
    assert not Message.unrestricted.exists()


def test_a_message_nobody_addressed_can_read_is_not_sent(agencies, family, worker, judge, coordinator):
    # No agreement opens child welfare's case information to the court: nobody there could read it.
    with pytest.raises(ValidationError, match="Not sent: nobody you addressed could read this message") as refused:
        to_court(worker, family, agencies)
    assert "No consent, court order or agreement opens Child welfare case" in str(refused.value)
    assert not Message.unrestricted.exists()
    assert not Notification.objects.exists()


def test_the_readers_of_a_draft_are_known_before_it_is_sent(agencies, family, worker, judge, coordinator, counselor):
    share(agencies, "cw", "court")
    readers = selectors.readers_of_draft(
        worker,
        family=family,
        about=family.people["mom"],
        category=Category.CW_CASE,
        recipient_agencies=[agencies["court"], agencies["sud"], agencies["sud2"]],
    )
    court, program, other_program = readers.addressees
    assert set(court.readers) == {judge, coordinator}
    assert program.readers == () and "No consent, court order or agreement opens" in program.why_not
    assert other_program.why_not == "Nobody at Harbor Treatment works this family."
    assert [addressee.name for addressee in readers.left_out] == ["Hope Recovery", "Harbor Treatment"]
    assert not Message.unrestricted.exists()  # the draft was only tried

    # Sent anyway, those who can read it are notified; the others are not.
    message = to_court(worker, family, agencies, recipient_agencies=[agencies["court"], agencies["sud"]])
    assert set(message.readers.everyone) == {judge, coordinator}
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"judge", "coordinator"}


def test_a_caseworkers_message_is_read_by_the_judge_and_the_coordinator_and_answered_in_its_thread(
    client, agencies, family, worker, judge, coordinator
):
    share(agencies, "cw", "court")
    message = to_court(worker, family, agencies)
    assert list(selectors.inbox(judge, Purpose.COURT_MONITORING)) == [message]
    assert list(selectors.inbox(coordinator, Purpose.COURT_MONITORING)) == [message]
    assert selectors.unread_message_count(judge) == selectors.unread_message_count(coordinator) == 1

    sign_in(client, judge)
    opened = client.get(reverse("messaging:thread", args=[message.pk]))
    assert "Visits go well" in opened.content.decode()
    # Read per person: the judge's count goes down, the coordinator's does not.
    assert selectors.unread_message_count(judge) == 0
    assert selectors.unread_message_count(coordinator) == 1

    reply = services.send_message(
        judge,
        family=family,
        about=family.people["mom"],
        category=Category.COURT_CASE,
        recipient_agencies=[agencies["cw"]],
        subject_line="Re: Family time",
        body="Agreed; we will take it up at the review.",
        in_reply_to=message,
    )
    assert reply.thread == message and reply.subject == message.subject
    assert reply.source_record == f"messaging.message:{message.pk}"
    assert list(selectors.inbox(worker, Purpose.CASE_PLANNING)) == [reply]
    assert selectors.unread_message_count(worker) == 1
    thread = selectors.thread_of(coordinator, reply.pk, Purpose.COURT_MONITORING)
    assert thread == [message, reply]
    assert list(selectors.sent(judge, Purpose.COURT_MONITORING)) == [reply]


def test_a_reply_to_a_programs_message_is_part2_by_provenance(
    agencies, family, worker, judge, counselor, consent_terms
):
    share(agencies, "cw", "sud", "court")
    consent_services.record_consent(
        consent_terms(recipients=[agencies["court"]], purposes=["court_monitoring"], categories=["sud.progress"])
    )
    progress = services.send_message(
        counselor,
        family=family,
        about=family.people["mom"],
        category=Category.SUD_PROGRESS,
        recipient_agencies=[agencies["court"]],
        subject_line="Progress",
        body="Attending every group.",
    )
    readers = selectors.readers_of_draft(
        judge,
        family=family,
        about=family.people["mom"],
        category=Category.COURT_CASE,
        recipient_agencies=[agencies["cw"], agencies["sud"]],
        in_reply_to=progress,
    )
    child_welfare, program = readers.addressees
    # The court's answer carries the program's information: child welfare, which the consent does not name,
    # may not read it, though the agreement opens the court's own case information to it.
    assert child_welfare.readers == () and "(or the message it answers)" in child_welfare.why_not
    assert program.readers == (counselor,)
    reply = services.send_message(
        judge,
        family=family,
        about=family.people["mom"],
        category=Category.COURT_CASE,
        recipient_agencies=[agencies["cw"], agencies["sud"]],
        subject_line="Re: Progress",
        body="Good to hear.",
        in_reply_to=progress,
    )
    assert reply.source_owner_agency == agencies["sud"]
    assert list(selectors.inbox(worker, Purpose.CASE_PLANNING)) == []
    [shown] = selectors.inbox(counselor, Purpose.TREATMENT)
    assert shown == reply


def test_a_message_to_named_staff_reaches_them_and_not_their_colleagues(
    agencies, family, worker, judge, coordinator, make_user
):
    share(agencies, "cw", "court")
    message = to_court(worker, family, agencies, recipient_agencies=[], recipient_staff=[judge])
    assert list(selectors.inbox(judge, Purpose.COURT_MONITORING)) == [message]
    assert list(selectors.inbox(coordinator, Purpose.COURT_MONITORING)) == []
    assert [n.recipient for n in Notification.objects.all()] == [judge]

    stranger = make_user("stranger", agencies["court"], Role.JUDGE)
    with pytest.raises(ValidationError, match="does not work this family"):
        to_court(worker, family, agencies, recipient_agencies=[], recipient_staff=[stranger])
    with pytest.raises(ValidationError, match="at least one partner agency or named staff"):
        to_court(worker, family, agencies, recipient_agencies=[])


def test_only_a_message_you_may_read_can_be_answered(agencies, family, worker, judge, counselor):
    share(agencies, "cw", "court")
    message = to_court(worker, family, agencies)
    with pytest.raises(PermissionDenied):
        services.send_message(
            counselor,
            family=family,
            about=family.people["mom"],
            category=Category.SUD_PROGRESS,
            recipient_agencies=[agencies["cw"]],
            subject_line="Re",
            body="x",
            in_reply_to=message,
        )


def test_the_unread_count_is_in_the_navigation_and_the_inbox(client, agencies, family, worker, coordinator):
    share(agencies, "cw", "court")
    message = to_court(worker, family, agencies)
    sign_in(client, coordinator)
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert "Inbox (1 unread)" in inbox and "Unread" in inbox
    client.get(reverse("messaging:thread", args=[message.pk]))
    assert client.get(reverse("messaging:inbox")).context["nav_unread_messages"] == 0


def test_the_inbox_and_the_sent_folder_cost_the_same_for_2_or_12_messages(
    client, agencies, family, worker, coordinator, judge
):
    share(agencies, "cw", "court")

    def send(count: int) -> None:
        for index in range(count):
            to_court(worker, family, agencies, recipient_staff=[judge], subject_line=f"Update {index}")

    sign_in(client, coordinator)
    assert_constant_queries(client, reverse("messaging:inbox"), send)
    sign_in(client, worker)
    assert_constant_queries(client, reverse("messaging:sent"), send)
