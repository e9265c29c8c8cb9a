"""The reminders the partnership relies on. Each is written for one recipient from what that recipient
may see (notify_those_who_may_see), so a reminder never reveals Part 2 information."""

from datetime import date, timedelta

from django.urls import reverse

from familybridge.cases.clocks import FIFTEEN_OF_22, TPR_AHEAD, TPR_DUE, Level
from familybridge.cases.models import Hearing, RemovalEpisode
from familybridge.cases.selectors import family_clocks
from familybridge.consent.models import Consent
from familybridge.consent.selectors import consents_of
from familybridge.dates import us_date
from familybridge.messaging.models import NotificationKind, ScheduledReport
from familybridge.messaging.selectors import staff_who_work
from familybridge.messaging.services import default_purpose, notify, notify_those_who_may_see, produce_scheduled_reports
from familybridge.people.models import FamilyMember
from familybridge.referrals.models import Referral, ReferralStatus
from familybridge.referrals.selectors import targets_for, with_status
from familybridge.referrals.timeliness import business_days_between

HEARING_NOTICE_DAYS = 7


def hearings_in_seven_days(on: date) -> int:
    sent = 0
    day = on + timedelta(days=HEARING_NOTICE_DAYS)
    when = us_date(day, weekday=True, year=False)
    for hearing in Hearing.unrestricted.filter(hearing_date=day).select_related("subject", "court_case__family"):
        family = hearing.court_case.family
        if family is None:
            continue
        sent += notify_those_who_may_see(
            hearing,
            staff_who_work(family),
            default_purpose,
            NotificationKind.HEARING_SOON,
            f"{hearing.get_hearing_type_display()} for {hearing.subject} on {when} ({family.name})",
            link=reverse("web:family-detail", args=[family.pk]),
            dedupe_key=f"hearing:{hearing.pk}",
        )
    return sent


def months_in_care(on: date) -> int:
    """Tell each caseworker of a child in care when the child reaches 12, then 15, of 22 months."""
    sent = 0
    families = {
        e.family for e in RemovalEpisode.unrestricted.filter(discharge_date=None).select_related("family") if e.family
    }
    for family in families:
        for staff in staff_who_work(family):
            purpose = default_purpose(staff)
            if not purpose:
                continue
            for member in family_clocks(staff, family, purpose, on=on):
                for clock in member.clocks:
                    if clock.name != FIFTEEN_OF_22 or clock.level == Level.OK:
                        continue
                    months = 15 if clock.level == Level.DUE else 12
                    sent += (
                        notify(
                            staff,
                            NotificationKind.MONTHS_IN_CARE,
                            f"{member.name} has been in care {months} months in the last 22 ({family.name}). "
                            + (TPR_DUE if months == 15 else TPR_AHEAD),
                            link=reverse("web:family-detail", args=[family.pk]),
                            dedupe_key=f"months-in-care:{family.pk}:{member.name}:{months}",
                        )
                        is not None
                    )
    return sent


def overdue_reports(on: date) -> int:
    sent = 0
    overdue = ScheduledReport.unrestricted.filter(sent_on=None, due_on__lt=on).select_related(
        "protocol", "family", "subject"
    )
    for report in overdue:
        sent += notify_those_who_may_see(
            report,
            staff_who_work(report.family, [report.owner_agency_id]),
            default_purpose,
            NotificationKind.REPORT_OVERDUE,
            f"Overdue since {us_date(report.due_on, year=False)}: {report.protocol.information} for {report.subject}",
            link=reverse("messaging:reports"),
            dedupe_key=f"report-overdue:{report.pk}",
        )
    return sent


def unanswered_referrals(on: date) -> int:
    """Referrals neither accepted nor declined within the partnership's business days: tell the program, and
    the referring agency's staff who may see the referral."""
    sent = 0
    open_referrals = with_status(Referral.unrestricted.select_related("subject", "owner_agency", "referring_agency"))
    for referral in open_referrals.filter(current_status=ReferralStatus.RECEIVED):
        target = targets_for(referral).respond_business_days
        if business_days_between(referral.referral_date, on) <= target:
            continue
        member = FamilyMember.unrestricted.filter(subject=referral.subject).select_related("family").first()
        if member is None:
            continue
        agencies = [referral.owner_agency_id] + ([referral.referring_agency_id] if referral.referring_agency_id else [])
        sent += notify_those_who_may_see(
            referral,
            staff_who_work(member.family, agencies),
            default_purpose,
            NotificationKind.REFERRAL_UNANSWERED,
            f"No answer in {target} business days to the referral of {referral.subject} to {referral.owner_agency}",
            link=reverse("referrals:detail", args=[referral.pk]),
            dedupe_key=f"referral-unanswered:{referral.pk}",
        )
    return sent


CONSENT_NOTICE_DAYS = 14


def consents_expiring(on: date) -> int:
    """Tell the staff working the person's family, at the agencies party to the consent, 14 days ahead."""
    sent = 0
    day = on + timedelta(days=CONSENT_NOTICE_DAYS)
    when = us_date(day, weekday=True, year=False)
    expiring = Consent.objects.filter(expires_on=day, revoked_at=None).select_related("subject")
    for consent in expiring:
        if consent.status_on(on) != "active":
            continue
        member = FamilyMember.unrestricted.filter(subject=consent.subject).select_related("family").first()
        if member is None:
            continue
        for staff in staff_who_work(member.family):
            purpose = default_purpose(staff)
            if not purpose or not consents_of(staff, consent.subject).filter(pk=consent.pk).exists():
                continue
            sent += (
                notify(
                    staff,
                    NotificationKind.CONSENT_EXPIRING,
                    f"The consent of {consent.subject} ends on {when}: ask whether to renew it",
                    link=reverse("consent:person", args=[consent.subject_id]),
                    dedupe_key=f"consent-expiring:{consent.pk}",
                )
                is not None
            )
    return sent


REMINDERS = [hearings_in_seven_days, months_in_care, overdue_reports, unanswered_referrals, consents_expiring]


def run_reminders(on: date) -> dict[str, int]:
    """Produce due reports and send every reminder due on the day; running twice sends nothing twice."""
    produce_scheduled_reports(on)
    return {reminder.__name__: reminder(on) for reminder in REMINDERS}
