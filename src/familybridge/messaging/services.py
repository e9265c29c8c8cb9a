"""Sending messages and reports between agencies, and notifying staff, always as the policy point allows."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.models import Agency, User
from familybridge.audit.services import record_event
from familybridge.cases.models import ProgressSummary, TreatmentEpisode
from familybridge.consent import policy
from familybridge.consent.categories import PART2_CATEGORIES, Category
from familybridge.dates import us_date
from familybridge.messaging import selectors
from familybridge.messaging.models import (
    CommunicationProtocol,
    Frequency,
    Message,
    MessageRead,
    Notification,
    NotificationKind,
    ScheduledReport,
    new_message,
)
from familybridge.messaging.selectors import staff_who_work
from familybridge.people import selectors as people_selectors
from familybridge.people.models import PROVENANCE_FIELDS, Family, FamilyMember, ProtectedRecord, derive_provenance


def notify(recipient: Any, kind: str, text: str, *, link: str = "", dedupe_key: str) -> Notification | None:
    """A notification in the app and by email; None when this recipient already had it."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, text=text, link=link, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None
    if recipient.email:
        # Emailed only once the change that caused it is committed: a rolled-back trial or error sends nothing.
        transaction.on_commit(lambda: _email(notification, recipient.email))
    return notification


def _email(notification: Notification, address: str) -> None:
    text = notification.text
    send_mail(f"familybridge: {text}", f"{text}\n\nSign in to familybridge to see more.", None, [address])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def notify_those_who_may_see(
    record: Model, recipients: Iterable[Any], purpose_of: Any, kind: str, text: str, *, link: str, dedupe_key: str
) -> int:
    """Notify each recipient who may see the record itself: a reminder never tells more than the record."""
    sent = 0
    for recipient in recipients:
        purpose = purpose_of(recipient)
        if purpose and policy.permitted(recipient, type(record).objects.filter(pk=record.pk), purpose).exists():
            sent += notify(recipient, kind, text, link=link, dedupe_key=dedupe_key) is not None
    return sent


def default_purpose(user: Any) -> str | None:
    return user.default_purpose


@transaction.atomic
def send_message(
    sender: Any,
    *,
    family: Family,
    about: Any,
    category: str,
    recipient_agencies: Iterable[Agency] = (),
    subject_line: str,
    body: str,
    derived_from: ProtectedRecord | None = None,
    recipient_staff: Iterable[User] = (),
    in_reply_to: Message | None = None,
) -> Message:
    """A secure message to partner agencies (their staff who work the family) and to named staff; a reply joins
    the thread of the message it answers. One built from a record (a report from a progress summary) or in
    reply to a message is derived from it.

    The sender's agency owns it, so a treatment program's message is Part 2 whatever its category. A message
    that nobody addressed could read is refused (nothing is saved); the readers are notified and, in
    `message.readers`, returned to the sender.
    """
    purpose = sender.default_purpose
    if not purpose or not people_selectors.families_visible_to(sender, purpose).filter(pk=family.pk).exists():
        raise PermissionDenied("You can write only about families you work.")
    if in_reply_to is not None:
        if in_reply_to.family_id != family.pk or not selectors.may_read(sender, in_reply_to):
            raise PermissionDenied("You can reply only to a message you may read.")
        about = in_reply_to.subject
    if not FamilyMember.unrestricted.filter(family=family, subject=about).exists():
        raise ValidationError({"about": "Choose a member of this family."})
    if category == Category.SUD_COUNSELING_NOTES:
        raise ValidationError({"category": "Counseling notes never leave the program."})
    if category in PART2_CATEGORIES and not selectors.writes_treatment_information(sender):
        raise ValidationError({"category": "Only a treatment program's staff write treatment (Part 2) information."})
    agencies = [agency for agency in recipient_agencies if agency.pk != sender.agency_id]
    staff = [user for user in recipient_staff if user.agency_id != sender.agency_id]
    if not agencies and not staff:
        raise ValidationError({"recipient_agencies": "Choose at least one partner agency or named staff member."})
    working = set(staff_who_work(family).filter(pk__in=[user.pk for user in staff]).values_list("pk", flat=True))
    if strangers := [str(user) for user in staff if user.pk not in working]:
        raise ValidationError({"recipient_staff": f"{', '.join(strangers)} does not work this family."})
    message = new_message(
        sender,
        family=family,
        about=about,
        category=category,
        subject_line=subject_line,
        body=body,
        derived_from=derived_from,
        in_reply_to=in_reply_to,
    )
    message.save()
    message.recipient_agencies.set(agencies)
    message.recipient_staff.set(staff)
    readers = selectors.readers_of(message, recipient_agencies=agencies, recipient_staff=staff)
    if not readers.anyone:
        # Raised inside the transaction: the message and its addressees are rolled back, nothing is sent.
        reasons = " ".join(f"{addressee.name}: {addressee.why_not}" for addressee in readers.addressees)
        raise ValidationError(
            f"Not sent: nobody you addressed could read this message as {message.get_category_display()}. "
            f"{reasons} Choose the kind of information it holds, or address someone who may read it."
        )
    link = reverse("messaging:thread", args=[message.thread_id_or_own])
    for reader in readers.everyone:
        notify(
            reader,
            NotificationKind.MESSAGE,
            f"New secure message about the {family.name} from {sender.agency.name}",
            link=link,
            dedupe_key=f"message:{message.pk}",
        )
    message.readers = readers
    return message


def mark_messages_read(user: Any, messages: Iterable[Message]) -> None:
    """The user opened these messages: they leave the user's unread count (not their colleagues')."""
    MessageRead.objects.bulk_create(
        [MessageRead(message=message, reader=user) for message in messages], ignore_conflicts=True
    )


def previous_month(on: date) -> tuple[date, date]:
    last = on.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def produce_scheduled_reports(on: date) -> int:
    """Create the monthly reports the protocols call for, for every open treatment episode; idempotent."""
    created = 0
    period_start, period_end = previous_month(on)
    for protocol in CommunicationProtocol.objects.filter(frequency=Frequency.MONTHLY).select_related("partnership"):
        agencies = protocol.partnership.agencies.filter(kind=protocol.from_agency_kind)
        episodes = TreatmentEpisode.unrestricted.filter(
            owner_agency__in=agencies, admission_date__lte=period_end
        ).exclude(discharge_date__lt=period_start)
        for episode in episodes.select_related("subject"):
            member = FamilyMember.unrestricted.filter(subject=episode.subject).select_related("family").first()
            if member is None:
                continue
            _, made = ScheduledReport.unrestricted.get_or_create(
                protocol=protocol,
                subject=episode.subject,
                period_start=period_start,
                defaults={
                    "owner_agency": episode.owner_agency,
                    "category": protocol.category,
                    "family": member.family,
                    "period_end": period_end,
                    "due_on": period_end + timedelta(days=protocol.due_within_days),
                },
            )
            created += made
    return created


def _may_write_report(author: User, report: ScheduledReport) -> None:
    if author.agency_id != report.owner_agency_id:
        raise PermissionDenied("Only the agency that owes a report drafts, edits and sends it.")
    if report.sent_on:
        raise ValidationError(f"This report was sent on {us_date(report.sent_on)}; a sent report cannot be changed.")


@transaction.atomic
def draft_scheduled_report(author: User, report: ScheduledReport) -> ScheduledReport:
    """Draft a due report from the period's progress summary, as far as the author may read it; the report is
    then derived from that summary (provenance), so it opens only to those who may also see the summary."""
    _may_write_report(author, report)
    if report.is_drafted:
        raise ValidationError("This report already has a draft: edit it.")
    summary = (
        policy.permitted(
            author,
            ProgressSummary.objects.filter(subject=report.subject, period_end__gte=report.period_start),
            author.default_purpose or "treatment",
        )
        .order_by("-period_end")
        .first()
    )
    if summary is None:
        raise ValidationError("Write this period's progress summary first: the report is built from it.")
    report.summary = summary
    report.draft_body = summary.summary + (
        f"\n\nRecommendations: {summary.recommendations}" if summary.recommendations else ""
    )
    report.drafted_by = author
    report.drafted_at = timezone.now()
    for field, value in derive_provenance(summary).items():
        setattr(report, field, value)
    report.save(update_fields=["summary", "draft_body", "drafted_by", "drafted_at", *PROVENANCE_FIELDS])
    record_event("scheduled_report_drafted", report, details={"summary": summary.pk})
    return report


@transaction.atomic
def edit_scheduled_report(author: User, report: ScheduledReport, *, body: str) -> ScheduledReport:
    """Save the author's text as the draft; the audit log keeps each version. Nothing is sent."""
    _may_write_report(author, report)
    if not report.is_drafted:
        raise ValidationError("Draft the report from the progress summary first.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write the report's text: an empty report is not saved or sent."})
    report.draft_body = body
    report.edited_by = author
    report.edited_at = timezone.now()
    report.save(update_fields=["draft_body", "edited_by", "edited_at"])
    record_event("scheduled_report_edited", report)
    return report


@transaction.atomic
def send_scheduled_report(sender: User, report: ScheduledReport, *, on: date) -> Message:
    """Send a drafted report: its text goes to the protocol's recipients as a message derived from the progress
    summary, which each of them reads only as far as the policy point allows. Who sent it and when are kept; the
    report is frozen from then on. Any error leaves the report unsent and no message behind."""
    _may_write_report(sender, report)
    if not report.is_drafted:
        raise ValidationError("Draft the report and preview it before sending it.")
    if not report.draft_body.strip():
        raise ValidationError("The draft is empty: write the report's text first.")
    message = send_message(
        sender,
        family=report.family,
        about=report.subject,
        category=report.protocol.category,
        recipient_agencies=report.protocol.to_agencies.all(),
        subject_line=report.subject_line,
        body=report.draft_body,
        derived_from=report.summary,
    )
    report.message = message
    report.sent_on = on
    report.sent_by = sender
    report.sent_at = timezone.now()
    report.save(update_fields=["message", "sent_on", "sent_by", "sent_at"])
    record_event("scheduled_report_sent", report, details={"message": message.pk})
    return message


def mark_read(user: Any, notification_ids: Iterable[int]) -> int:
    count = Notification.objects.filter(recipient=user, pk__in=list(notification_ids), read_at=None).update(
        read_at=timezone.now()
    )
    if count:
        record_event("notifications_read", details={"count": count})
    return count
