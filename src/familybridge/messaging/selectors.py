from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import AGENCY_WIDE_ROLES, AgencyKind
from familybridge.audit.services import note_read
from familybridge.consent import policy
from familybridge.consent.categories import PART2_CATEGORIES, Category
from familybridge.messaging.models import (
    MESSAGE_CATEGORIES,
    Message,
    MessageRead,
    Notification,
    ScheduledReport,
    new_message,
)
from familybridge.people.models import CaseloadAssignment, Family, FamilyMember, Person, ProtectedRecord

# What a message holds unless its author says otherwise: the kind of information the sender's own agency keeps.
DEFAULT_CATEGORY_OF_AGENCY_KIND: dict[str, str] = {
    AgencyKind.CHILD_WELFARE: Category.CW_CASE,
    AgencyKind.COURT: Category.COURT_CASE,
    AgencyKind.SUD_TREATMENT: Category.SUD_PROGRESS,
    AgencyKind.HEALTH: Category.HEALTH_MENTAL_HEALTH,
    AgencyKind.COMMUNITY: Category.CW_CASE,
}


def writes_treatment_information(user: User) -> bool:
    """Only a treatment program's staff hold SUD (Part 2) information of their own to write about."""
    agency = user.agency
    return agency is not None and (agency.is_part2_program or agency.kind == AgencyKind.SUD_TREATMENT)


def message_categories(sender: User) -> list[tuple[str, str]]:
    """The categories the sender may give a message: never counseling notes, and the SUD (Part 2) categories
    only for a treatment program's staff, so nobody else labels their own information as a program's."""
    if writes_treatment_information(sender):
        return MESSAGE_CATEGORIES
    return [(value, label) for value, label in MESSAGE_CATEGORIES if value not in PART2_CATEGORIES]


def default_category(sender: User) -> str:
    """The sender's own agency's kind of information: child welfare's case, the court's case, the program's
    treatment progress."""
    return DEFAULT_CATEGORY_OF_AGENCY_KIND.get(sender.agency_kind or "", Category.CW_CASE)


def _received_by(user: User) -> Q:
    """Addressed to the user's agency, or to the user by name."""
    by_agency = Message.recipient_agencies.through.objects.filter(agency_id=user.agency_id).values("message_id")
    by_name = Message.recipient_staff.through.objects.filter(user_id=user.pk).values("message_id")
    return Q(pk__in=by_agency) | Q(pk__in=by_name)


def _mailbox(user: User) -> Q:
    """The messages of the user's own agency and those addressed to it or to the user: what their threads show."""
    return Q(owner_agency=user.agency_id) | _received_by(user)


def _unread_by(user: User) -> Exists:
    return ~Exists(MessageRead.objects.filter(message=OuterRef("pk"), reader=user))


def _listed(messages: QuerySet[Message], user: User, purpose: str) -> QuerySet[Message]:
    """A folder's page: each message with whether the user has opened it, read through the policy point."""
    messages = (
        messages.annotate(unread=_unread_by(user))
        .select_related("sender", "owner_agency", "subject", "family")
        .prefetch_related("recipient_agencies", "recipient_staff")
    )
    return policy.permitted(user, messages, purpose).order_by("-sent_at", "-pk")


def _sent_between(messages: QuerySet[Message], since: date | None, until: date | None) -> QuerySet[Message]:
    if since:
        messages = messages.filter(sent_at__date__gte=since)
    if until:
        messages = messages.filter(sent_at__date__lte=until)
    return messages


def inbox(
    user: User,
    purpose: str,
    *,
    since: date | None = None,
    until: date | None = None,
    from_agency: Agency | None = None,
) -> QuerySet[Message]:
    """Messages addressed to the user's agency or to the user that the policy point lets them read, newest
    first, each with `unread`: a bound queryset to page (reading a page writes the accounting of disclosures
    for Part 2 messages). Filters: the day sent from `since` to `until`, and the sending agency."""
    if not user.agency_id:
        return Message.objects.none()
    messages = _sent_between(Message.objects.filter(_received_by(user)).exclude(sender=user), since, until)
    if from_agency is not None:
        messages = messages.filter(owner_agency=from_agency)
    return _listed(messages, user, purpose)


def sent(user: User, purpose: str, *, since: date | None = None, until: date | None = None) -> QuerySet[Message]:
    """The messages the user sent, newest first, as the policy point lets them read them today."""
    if not user.agency_id:
        return Message.objects.none()
    return _listed(_sent_between(Message.objects.filter(sender=user), since, until), user, purpose)


def unread_message_count(user: User) -> int:
    """How many messages in the user's inbox they may read and have not opened (a check: nothing is disclosed)."""
    purpose = user.default_purpose
    if not purpose or not user.agency_id or not user.works_cases:
        return 0
    unread = Message.objects.filter(_received_by(user)).exclude(sender=user).filter(_unread_by(user))
    return policy.permitted(user, unread, purpose).count()


def message_in_mailbox(user: User, pk: int, purpose: str) -> Message:
    """One message of the user's agency or addressed to it or to them, read through the policy point (Http404
    when it may not be read)."""
    messages = Message.objects.filter(_mailbox(user)).select_related("sender", "owner_agency", "subject", "family")
    message = policy.permitted(user, messages.prefetch_related("recipient_agencies", "recipient_staff"), purpose)
    found = list(message.filter(pk=pk))
    if not found:
        raise Http404("No such message.")
    return found[0]


def thread_of(user: User, pk: int, purpose: str) -> list[Message | policy.Withheld]:
    """The thread of the message `pk`, oldest first, as far as the user may read it: the messages of their
    agency and those addressed to it or to them, each read through the policy point (a withheld marker where
    it says no; nothing at all for a Part 2 message). Http404 when the user may not read the message itself."""
    in_mailbox = Message.objects.filter(_mailbox(user))
    found = list(policy.permitted(user, in_mailbox.filter(pk=pk), purpose).values_list("pk", "thread_id"))
    if not found:
        raise Http404("No such message.")
    message_pk, thread_id = found[0]
    root = thread_id or message_pk
    messages = (
        in_mailbox.filter(Q(pk=root) | Q(thread_id=root))
        .select_related("sender", "owner_agency", "subject", "family")
        .prefetch_related("recipient_agencies", "recipient_staff")
        .order_by("sent_at", "pk")
    )
    return policy.read(user, messages, purpose)


@dataclass(frozen=True)
class Addressee:
    """One agency or named staff member a message is addressed to, and who there could read it."""

    name: str
    readers: tuple[User, ...]
    why_not: str = ""


@dataclass(frozen=True)
class Readers:
    """Who, among those a message is addressed to, could read it under the policy point."""

    addressees: tuple[Addressee, ...]

    @property
    def anyone(self) -> bool:
        return any(addressee.readers for addressee in self.addressees)

    @property
    def everyone(self) -> list[User]:
        """Each reader once, in the order of the addressees."""
        return list({reader.pk: reader for addressee in self.addressees for reader in addressee.readers}.values())

    @property
    def left_out(self) -> list[Addressee]:
        return [addressee for addressee in self.addressees if not addressee.readers]


def may_read(user: User, message: Message) -> bool:
    """Whether the policy point opens the message to the user for their usual purpose (a check, no disclosure)."""
    purpose = user.default_purpose
    return bool(purpose) and policy.permitted(user, Message.objects.filter(pk=message.pk), purpose).exists()


def _why_not(message: Message, to: str, works_the_family: bool) -> str:
    if not works_the_family:
        return f"Nobody at {to} works this family."
    answers = " (or the message it answers)" if message.source_owner_agency_id else ""
    return (
        f"No consent, court order or agreement opens {message.get_category_display()} from "
        f"{message.owner_agency.name}{answers} to {to} for what they do."
    )


def readers_of(
    message: Message, *, recipient_agencies: Iterable[Agency], recipient_staff: Iterable[User] = ()
) -> Readers:
    """For each agency addressed (its staff who work the family) and each named staff member: who may read the
    saved message, as the policy point answers each of them."""
    addressees = []
    for agency in recipient_agencies:
        working = list(staff_who_work(message.family, [agency.pk]).exclude(pk=message.sender_id))
        readers = tuple(user for user in working if may_read(user, message))
        why_not = "" if readers else _why_not(message, agency.name, bool(working))
        addressees.append(Addressee(agency.name, readers, why_not))
    for user in recipient_staff:
        name = f"{user} ({user.agency.name})"
        readable = may_read(user, message)
        addressees.append(
            Addressee(name, (user,) if readable else (), "" if readable else _why_not(message, str(user), True))
        )
    return Readers(tuple(addressees))


class _Trial(Exception):
    """Rolls back the trial message the readers of a draft are asked about."""


def readers_of_draft(
    sender: User,
    *,
    family: Family,
    about: Person,
    category: str,
    recipient_agencies: Iterable[Agency],
    recipient_staff: Iterable[User] = (),
    derived_from: ProtectedRecord | None = None,
    in_reply_to: Message | None = None,
) -> Readers:
    """Who could read a message not yet sent: the message is saved for a moment, each addressee is asked of the
    policy point exactly as for a sent one (owner, category, provenance, need to know), and it is rolled back."""
    try:
        with transaction.atomic():
            draft = new_message(
                sender,
                family=family,
                about=about,
                category=category,
                derived_from=derived_from,
                in_reply_to=in_reply_to,
            )
            draft.save()
            readers = readers_of(draft, recipient_agencies=recipient_agencies, recipient_staff=recipient_staff)
            raise _Trial
    except _Trial:
        pass
    return readers


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
    members = FamilyMember.objects.filter(family=family).values("subject_id")
    assignments = CaseloadAssignment.objects.filter(Q(family=family) | Q(client__in=members))
    working = assignments.in_effect(timezone.localdate())
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
