from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import AGENCY_WIDE_ROLES
from familybridge.audit.services import note_read
from familybridge.consent import policy
from familybridge.messaging.models import Message, Notification, ScheduledReport
from familybridge.people.models import CaseloadAssignment, Family


def messages_for(user: Any, purpose: str, *, family: Family | None = None, limit: int = 100) -> list[Message]:
    """Messages sent by or to the user's agency that the policy point lets the user read, newest first."""
    if not user.agency_id:
        return []
    messages = Message.objects.filter(Q(owner_agency=user.agency_id) | Q(recipient_agencies=user.agency_id))
    if family is not None:
        messages = messages.filter(family=family)
    visible = policy.permitted(user, messages.distinct(), purpose).values("pk")[:limit]
    rows = Message.objects.filter(pk__in=visible).order_by("-sent_at")
    rows = rows.select_related("sender", "owner_agency", "subject", "family").prefetch_related("recipient_agencies")
    # read writes the accounting of disclosures for Part 2 messages from another agency
    return [item for item in policy.read(user, rows, purpose) if isinstance(item, Message)]


def notifications_of(user: User, limit: int = 100) -> list[Notification]:
    """The user's newest notifications; their text names people, so reading them is audited."""
    items = list(user.notifications.all()[:limit])
    note_read(Notification._meta.label_lower, [n.pk for n in items], "")
    return items


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


def scheduled_reports_for(user: Any, purpose: str, *, on: date) -> list[tuple[ScheduledReport, str]]:
    """The reports the user may know of, with their status on the day: due, late or sent."""
    reports = ScheduledReport.objects.select_related("protocol", "subject", "family", "owner_agency")
    visible = policy.read(user, reports.order_by("due_on"), purpose)
    return [(report, report.status_on(on)) for report in visible if isinstance(report, ScheduledReport)]
