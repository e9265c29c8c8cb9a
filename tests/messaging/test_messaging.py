from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, Hearing, ProgressSummary, RemovalEpisode, TreatmentEpisode
from familybridge.consent.categories import Category
from familybridge.consent.services import record_consent
from familybridge.messaging import selectors, services
from familybridge.messaging.models import Message, Notification, ScheduledReport
from familybridge.messaging.reminders import run_reminders
from familybridge.referrals.services import create_referral


@pytest.fixture
def staff(agencies, family, make_user, assign):
    people = {
        "worker": make_user("worker", agencies["cw"], Role.CASEWORKER),
        "counselor": make_user("counselor", agencies["sud"], Role.COUNSELOR),
        "clinical": make_user("clinical", agencies["sud"], Role.CLINICAL_SUPERVISOR),
        "judge": make_user("judge", agencies["court"], Role.JUDGE),
    }
    for key in ("worker", "counselor", "judge"):
        assign(people[key], family)
    for user in people.values():
        user.email = f"{user.username}@example.org"
        user.save()
    return people


def test_a_part2_message_reaches_no_one_without_a_basis_so_it_is_not_sent(agencies, family, staff):
    with pytest.raises(ValidationError, match="Not sent"):
        services.send_message(
            staff["counselor"],
            family=family,
            about=family.people["mom"],
            category=Category.SUD_PROGRESS,
            recipient_agencies=[agencies["cw"]],
            subject_line="Progress",
            body="Attending every group.",
        )
    assert not Message.unrestricted.exists()
    assert list(selectors.inbox(staff["worker"], Purpose.CASE_PLANNING)) == []
    assert not Notification.objects.filter(recipient=staff["worker"]).exists()
    assert mail.outbox == []


def test_only_families_you_work_and_never_counseling_notes(agencies, family, staff, make_user):
    stranger = make_user("stranger", agencies["cw"], Role.CASEWORKER)
    with pytest.raises(PermissionDenied):
        services.send_message(
            stranger,
            family=family,
            about=family.people["mom"],
            category=Category.CW_CASE,
            recipient_agencies=[agencies["court"]],
            subject_line="x",
            body="y",
        )
    with pytest.raises(ValidationError):
        services.send_message(
            staff["counselor"],
            family=family,
            about=family.people["mom"],
            category=Category.SUD_COUNSELING_NOTES,
            recipient_agencies=[agencies["cw"]],
            subject_line="x",
            body="y",
        )
    assert not Message.unrestricted.exists()


def test_hearing_reminder_goes_to_those_who_may_see_the_hearing_once(
    agencies, family, staff, django_capture_on_commit_callbacks
):
    today = date(2026, 3, 1)
    case = CourtCase.objects.create(
        owner_agency=agencies["court"], subject=family.people["kid"], family=family, docket_number="JD-9"
    )
    Hearing.objects.create(
        owner_agency=agencies["court"],
        subject=family.people["kid"],
        court_case=case,
        hearing_date=today + timedelta(days=7),
        hearing_type="review",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert run_reminders(today)["hearings_in_seven_days"] == 1
    notice = Notification.objects.get(kind="hearing_soon")
    assert notice.recipient == staff["judge"]
    assert notice.text == "Review hearing for Sofia Rivera on Sun, Mar 8 (Rivera family)"
    assert mail.outbox[0].to == ["judge@example.org"]
    assert run_reminders(today)["hearings_in_seven_days"] == 0


def test_the_months_in_care_reminder_says_what_the_12_months_mean(agencies, family, staff):
    kid = family.people["kid"]
    RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=kid, family=family, removal_date=date(2025, 1, 3)
    )
    # entry Mar 4, 2025, 60 days after removal: the 365th day in care is Mar 3, 2026
    assert run_reminders(date(2026, 3, 2))["months_in_care"] == 0
    assert run_reminders(date(2026, 3, 3))["months_in_care"] == 1
    notice = Notification.objects.get(kind="months_in_care")
    assert notice.recipient == staff["worker"]
    assert notice.text == (
        "Sofia Rivera has been in care 12 months in the last 22 (Rivera family). At 15 months, if the child stays "
        "in care, ASFA asks the agency to file to terminate parental rights unless an exception applies."
    )


def test_no_reminder_for_a_hearing_voided_as_entered_in_error(agencies, family, staff):
    today = date(2026, 3, 1)
    case = CourtCase.objects.create(
        owner_agency=agencies["court"], subject=family.people["kid"], family=family, docket_number="JD-9"
    )
    Hearing.objects.create(
        owner_agency=agencies["court"],
        subject=family.people["kid"],
        court_case=case,
        hearing_date=today + timedelta(days=7),
        hearing_type="review",
        voided_at=timezone.now(),
        void_reason="Set on the wrong case.",
    )
    assert run_reminders(today)["hearings_in_seven_days"] == 0
    assert not Notification.objects.exists()


def test_monthly_reports_are_produced_sent_and_chased(agencies, family, staff, monthly_protocol, consent_terms):
    mom = family.people["mom"]
    # The report is a message: it is sent only when someone it is addressed to may read it.
    record_consent(
        consent_terms(recipients=[agencies["court"]], purposes=["court_monitoring"], categories=["sud.progress"])
    )
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=mom, admission_date=date(2026, 1, 5)
    )
    run_reminders(date(2026, 3, 5))
    report = ScheduledReport.unrestricted.get()
    assert (report.period_start, report.period_end, report.due_on) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
        date(2026, 3, 10),
    )
    day = date(2026, 3, 5)
    shown = selectors.scheduled_reports(staff["counselor"], Purpose.TREATMENT, on=day, status="due")
    assert [(r, r.status_on(day)) for r in shown] == [(report, "due")]
    # Part 2: child welfare cannot even learn that a report is owed
    assert list(selectors.scheduled_reports(staff["worker"], Purpose.CASE_PLANNING, on=day)) == []

    run_reminders(date(2026, 3, 11))
    chased = set(Notification.objects.filter(kind="report_overdue").values_list("recipient__username", flat=True))
    assert chased == {"counselor", "clinical"}

    with pytest.raises(ValidationError, match="progress summary first"):
        services.draft_scheduled_report(staff["counselor"], report)
    summary = ProgressSummary.objects.create(
        owner_agency=agencies["sud"],
        subject=mom,
        episode=episode,
        period_start=date(2026, 2, 1),
        period_end=date(2026, 2, 28),
        summary="Engaged; all tests negative.",
    )
    services.draft_scheduled_report(staff["counselor"], report)
    message = services.send_scheduled_report(staff["counselor"], report, on=date(2026, 3, 11))
    report.refresh_from_db()
    assert report.sent_on == date(2026, 3, 11) and report.message == message
    assert message.category == Category.SUD_PROGRESS and "all tests negative" in message.body
    # built from the summary, the message opens only to those who may also see the summary
    assert message.source_record == f"cases.progresssummary:{summary.pk}"


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens database connections
def test_the_worker_runs_the_reminders(agencies, family, staff, monthly_protocol):
    TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2020, 1, 5)
    )
    call_command("worker", batch=True)
    assert ScheduledReport.unrestricted.exists()


def test_an_unanswered_referral_is_chased_after_three_business_days(agencies, family, staff):
    friday = date(2026, 11, 20)
    referral = create_referral(
        staff["worker"],
        subject=family.people["mom"],
        provider=agencies["sud"],
        referral_date=friday,
        reason="Positive screen",
    )
    assert run_reminders(date(2026, 11, 25))["unanswered_referrals"] == 0  # 3 business days
    run_reminders(date(2026, 11, 26))
    chased = Notification.objects.filter(kind="referral_unanswered")
    assert set(chased.values_list("recipient__username", flat=True)) >= {"counselor", "clinical"}
    assert (
        chased.first().text == f"No answer in 3 business days to the referral of Ana Rivera to {referral.owner_agency}"
    )


def test_a_notification_is_emailed_only_once_its_change_is_committed(staff, django_capture_on_commit_callbacks):
    judge = staff["judge"]

    class Undone(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Undone), transaction.atomic():
        services.notify(judge, "assigned", "A change that is rolled back", dedupe_key="undone")
        raise Undone
    assert mail.outbox == [] and not Notification.objects.filter(dedupe_key="undone").exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(judge, "assigned", "A change that stays", dedupe_key="kept")
    assert [m.to for m in mail.outbox] == [["judge@example.org"]]
    assert Notification.objects.get(dedupe_key="kept").emailed_at is not None
