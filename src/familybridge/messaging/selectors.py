from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import AGENCY_WIDE_ROLES
from familybridge.audit.services import note_read
from familybridge.consent import policy
from familybridge.messaging.models import Message, Notification, ScheduledReport
from familybridge.people.models import CaseloadAssignment, Family


def messages_for(
    user: Any,
    purpose: str,
    *,
    since: date | None = None,
    until: date | None = None,
    from_agency: Agency | None = None,
) -> QuerySet[Message]:
    """Messages sent by or to the user's agency that the policy point lets the user read, newest first: a bound
    queryset to page (reading a page writes the accounting of disclosures for Part 2 messages from another
    agency). Filters: the day sent from `since` to `until`, and the sending agency."""
    if not user.agency_id:
        return Message.objects.none()
    received = Message.recipient_agencies.through.objects.filter(agency_id=user.agency_id).values("message_id")
    messages = Message.objects.filter(Q(owner_agency=user.agency_id) | Q(pk__in=received))
    if since:
        messages = messages.filter(sent_at__date__gte=since)
    if until:
        messages = messages.filter(sent_at__date__lte=until)
    if from_agency is not None:
        messages = messages.filter(owner_agency=from_agency)
    messages = messages.select_related("sender", "owner_agency", "subject", "family").prefetch_related(
        "recipient_agencies"
    )
    return policy.permitted(user, messages, purpose).order_by("-sent_at", "-pk")


def notifications_of(user: User, *, unread_only: bool = False, kind: str = "") -> QuerySet[Notification]:
    """The user's notifications, newest first; the view notes the page it shows (`note_notifications_shown`)."""
    notifications = user.notifications.all()
    if unread_only:
        notifications = notifications.filter(read_at=None)
    if kind:
        notifications = notifications.filter(kind=kind)
    return notifications.order_by("-created_at", "-pk")


def note_notifications_shown(notifications: list[Notification]) -> None:
    """Notifications' text names people, so showing them is audited like a read."""
    note_read(Notification._meta.label_lower, [n.pk for n in notifications], "")


def unread_notifications(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at=None)


def staff_who_work(family: Family, agency_ids: list[int] | None = None) -> QuerySet[User]:
    """Active staff who work the family today (a caseload, a docket, a client in it), plus the supervising roles
    of those agencies."""
    working = CaseloadAssignment.objects.filter(family=family).in_effect(timezone.localdate())
    on_caseload = Q(pk__in=working.values("staff_id"))
    supervisors = Q(staff_roles__role__in=AGENCY_WIDE_ROLES)
    staff = User.objects.filter(is_active=True).filter(on_caseload | supervisors)
    if agency_ids is not None:
        staff = staff.filter(agency_id__in=agency_ids)
    return staff.distinct()


class ReportStatus:
    DUE = "due"
    LATE = "late"
    SENT = "sent"
    UNSENT = "unsent"  # due or late


REPORT_STATUS_LABELS = {
    ReportStatus.UNSENT: "Not sent (due or late)",
    ReportStatus.LATE: "Late",
    ReportStatus.DUE: "Due",
    ReportStatus.SENT: "Sent",
}


def scheduled_reports(
    user: Any,
    purpose: str,
    *,
    on: date,
    status: str = "",
    since: date | None = None,
    until: date | None = None,
    owed_by: int | None = None,
) -> QuerySet[ScheduledReport]:
    """The reports the user may know of, soonest due first: a bound queryset to page. Filters: the status on the
    day (due, late, sent, or not sent), the due date from `since` to `until`, and the agency that owes them."""
    reports = ScheduledReport.objects.select_related("protocol", "subject", "family", "owner_agency")
    if status == ReportStatus.SENT:
        reports = reports.exclude(sent_on=None)
    elif status in (ReportStatus.DUE, ReportStatus.LATE, ReportStatus.UNSENT):
        reports = reports.filter(sent_on=None)
        if status == ReportStatus.DUE:
            reports = reports.filter(due_on__gte=on)
        elif status == ReportStatus.LATE:
            reports = reports.filter(due_on__lt=on)
    if since:
        reports = reports.filter(due_on__gte=since)
    if until:
        reports = reports.filter(due_on__lte=until)
    if owed_by is not None:
        reports = reports.filter(owner_agency_id=owed_by)
    return policy.permitted(user, reports, purpose).order_by("due_on", "pk")
