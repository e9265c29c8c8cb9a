from collections.abc import Iterable

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import role_label
from familybridge.agencies.selectors import partnerships_of
from familybridge.audit.services import record_event
from familybridge.consent import policy
from familybridge.consent.categories import Category, is_part2
from familybridge.consent.selectors import partnership_agencies
from familybridge.documents import selectors as document_selectors
from familybridge.documents import services as document_services
from familybridge.documents.forms import UploadForm
from familybridge.messaging import selectors, services
from familybridge.messaging.forms import (
    InboxFilterForm,
    MessageForm,
    NotificationFilterForm,
    ReportDraftForm,
    ReportFilterForm,
    SendReportForm,
    SentFilterForm,
)
from familybridge.messaging.models import CommunicationProtocol, Message, ScheduledReport
from familybridge.people import selectors as people_selectors
from familybridge.people.models import Family, Person, record_label
from familybridge.web.confirmation import confirmed_change
from familybridge.web.pagination import paginate, with_rows
from familybridge.web.views import add_form_errors, purpose_for


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    purpose = purpose_for(request)
    filters = InboxFilterForm(request.GET, agencies=partnership_agencies(request.user))
    record_event("view_messages", purpose=purpose, details={"folder": "inbox", "filters": sorted(filters.filters)})
    page = paginate(request, selectors.inbox(request.user, purpose, **filters.filters))
    return render(request, "messaging/folder.html", {"page": page, "filters": filters, "folder": "inbox"})


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    purpose = purpose_for(request)
    filters = SentFilterForm(request.GET)
    record_event("view_messages", purpose=purpose, details={"folder": "sent", "filters": sorted(filters.filters)})
    page = paginate(request, selectors.sent(request.user, purpose, **filters.filters))
    return render(request, "messaging/folder.html", {"page": page, "filters": filters, "folder": "sent"})


@login_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """A thread as far as the user may read it; opening it marks what they read as read."""
    purpose = purpose_for(request)
    items = selectors.thread_of(request.user, pk, purpose)
    shown = [item for item in items if isinstance(item, Message)]
    services.mark_messages_read(request.user, shown)
    files = document_selectors.attachments_of(request.user, shown, purpose)
    for message in shown:
        message.files = files[record_label(message)]
    context = {"items": items, "first": shown[0], "latest": shown[-1], "purpose": purpose}
    return render(request, "messaging/thread.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    """The sender attaches a file to her message: a document about the message's person, under its category and
    derived from it, so each reader opens it only as far as the policy point opens the message's information."""
    purpose = purpose_for(request)
    message = selectors.message_in_mailbox(request.user, pk, purpose)
    if message.sender_id != request.user.pk:
        record_event("denied", message, details={"page": "attach a file to a message"})
        raise PermissionDenied("Only the message's sender attaches files to it.")
    family = message.family
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, family=family, purpose=purpose)
    del form.fields["subject"], form.fields["category"]
    back = reverse("messaging:thread", args=[message.thread_id_or_own])
    if request.method == "POST" and form.is_valid():
        try:
            document = document_services.store_document(
                request.user,
                family=family,
                subject=message.subject,
                category=message.category,
                attached_to=message,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            flash.success(request, f"“{document.title}” is attached to your message.")
            return redirect(back)
    context = {"message": message, "form": form, "back": back}
    return render(request, "messaging/attach.html", context)


def _partners(user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(partnerships__in=partnerships_of(user)).exclude(pk=user.agency_id).distinct()


def _named_staff(family: Family, partners: QuerySet[Agency]) -> QuerySet[User]:
    """Staff of partner agencies who work the family, whom a message may name."""
    staff = selectors.staff_who_work(family, list(partners.values_list("pk", flat=True)))
    return staff.select_related("agency").order_by("agency__name", "last_name", "first_name")


def _reader_names(readers: Iterable[User]) -> str:
    return ", ".join(f"{user} ({', '.join(sorted(role_label(role) for role in user.role_codes))})" for user in readers)


def _preview(sender: User, family: Family, data: dict, in_reply_to: Message | None = None) -> list[str]:
    """What the author sees before sending: who, among those addressed, will be able to read it."""
    about = in_reply_to.subject if in_reply_to is not None else data["about"]
    readers = selectors.readers_of_draft(
        sender,
        family=family,
        about=about,
        category=data["category"],
        recipient_agencies=data["recipient_agencies"],
        recipient_staff=data.get("recipient_staff", ()),
        in_reply_to=in_reply_to,
    )
    return [
        f"Send “{data['subject_line']}” about {about}, as {Category(data['category']).label}.",
        *_reader_lines(readers),
    ]


def _reader_lines(readers: selectors.Readers) -> list[str]:
    """Per addressee, who will be able to read it, or a warning that nobody there will, and why."""
    return [
        f"{addressee.name}: {_reader_names(addressee.readers)} will be able to read it."
        if addressee.readers
        else f"Warning: {addressee.name} will not be able to read it. {addressee.why_not}"
        for addressee in readers.addressees
    ]


def _report_readers(user: User, report: ScheduledReport) -> list[str]:
    """The scheduled report's preview asks the same question as a message's: who could read it if sent now."""
    readers = selectors.readers_of_draft(
        user,
        family=report.family,
        about=report.subject,
        category=report.category,
        recipient_agencies=_recipients(report),
        derived_from=report.summary,
    )
    return _reader_lines(readers)


def _sent(message: Message) -> str:
    return f"Message sent. {_reader_names(message.readers.everyone)} can read it."


@require_http_methods(["GET", "POST"])
@login_required
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    user = request.user
    family = get_object_or_404(people_selectors.families_visible_to(user, purpose), pk=pk)
    people = Person.objects.filter(pk__in=people_selectors.visible_member_ids(user, family, purpose))
    partners = _partners(user)
    form = MessageForm(
        request.POST or None, sender=user, people=people, agencies=partners, staff=_named_staff(family, partners)
    )
    return confirmed_change(
        request,
        form,
        title=f"New secure message about the {family.name}",
        intro="Next you see who will be able to read it, before it is sent.",
        describe=lambda data: _preview(user, family, data),
        change=lambda data: services.send_message(user, family=family, **data),
        done=_sent,
        back=reverse("web:family-detail", args=[family.pk]),
        context={"family": family},
        submit="Preview",
    )


@require_http_methods(["GET", "POST"])
@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    user = request.user
    message = selectors.message_in_mailbox(user, pk, purpose)
    family = message.family
    partners = _partners(user)
    staff = _named_staff(family, partners)
    answered = {message.owner_agency_id, *(agency.pk for agency in message.recipient_agencies.all())}
    named = {message.sender_id, *(person.pk for person in message.recipient_staff.all())}
    initial = {
        "recipient_agencies": [agency for agency in partners if agency.pk in answered],
        "recipient_staff": [person for person in staff if person.pk in named],
        "subject_line": message.subject_line
        if message.subject_line.startswith("Re: ")
        else f"Re: {message.subject_line}",
    }
    form = MessageForm(request.POST or None, sender=user, agencies=partners, staff=staff, initial=initial)
    return confirmed_change(
        request,
        form,
        title=f"Reply to “{message.subject_line}”",
        intro=f"From {message.sender} ({message.owner_agency.name}), about {message.subject}. "
        "Your reply is shown only to those who may also read this message.",
        describe=lambda data: _preview(user, family, data, in_reply_to=message),
        change=lambda data: services.send_message(
            user, family=family, about=message.subject, in_reply_to=message, **data
        ),
        done=_sent,
        back=reverse("messaging:thread", args=[message.thread_id_or_own]),
        back_label="The thread",
        context={},
        submit="Preview",
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    filters = NotificationFilterForm(request.GET)
    page = paginate(request, selectors.notifications_of(request.user, **filters.filters))
    selectors.note_notifications_shown(list(page.object_list))
    return render(request, "messaging/notifications.html", {"page": page, "filters": filters})


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(request.user, request.user.notifications.filter(read_at=None).values_list("pk", flat=True))
    return redirect("messaging:notifications")


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    purpose = purpose_for(request)
    today = timezone.localdate()
    filters = ReportFilterForm(request.GET, agencies=partnership_agencies(request.user))
    page = paginate(request, selectors.scheduled_reports(request.user, purpose, on=today, **filters.filters))
    context = {
        "page": with_rows(page, [(report, report.status_on(today)) for report in page.object_list]),
        "filters": filters,
        "protocols": CommunicationProtocol.objects.filter(partnership__in=partnerships_of(request.user))
        .prefetch_related("to_agencies")
        .order_by("decision_point"),
        "today": today,
    }
    return render(request, "messaging/reports.html", context)


def _owed_report(request: HttpRequest, pk: int) -> ScheduledReport:
    """A report the user may read through the policy point, and that their own agency owes: its draft is the
    agency's work in progress, shown to no one else."""
    reports = ScheduledReport.objects.select_related("protocol", "subject", "family", "owner_agency")
    report = get_object_or_404(policy.permitted(request.user, reports, purpose_for(request)), pk=pk)
    if report.owner_agency_id != request.user.agency_id:
        record_event("denied", report, details={"page": "scheduled report"})
        raise PermissionDenied("Only the agency that owes a report drafts and sends it.")
    return report


def _recipients(report: ScheduledReport) -> list[Agency]:
    return list(report.protocol.to_agencies.exclude(pk=report.owner_agency_id).order_by("name"))


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as its recipients will read it, with who receives it under which category."""
    report = _owed_report(request, pk)
    record_event("view", report, details={"page": "scheduled report"})
    context = {
        "report": report,
        "recipients": _recipients(report),
        "status": report.status_on(timezone.localdate()),
        "is_part2": is_part2(report.category, report.owner_agency.is_part2_program),
        "reader_lines": _report_readers(request.user, report) if report.is_drafted and not report.sent_on else [],
    }
    return render(request, "messaging/report_detail.html", context)


@require_POST
@login_required
def report_draft(request: HttpRequest, pk: int) -> HttpResponse:
    report = _owed_report(request, pk)
    try:
        services.draft_scheduled_report(request.user, report)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
        return redirect("messaging:report", pk=report.pk)
    flash.success(request, "Draft written from the progress summary. Edit it, preview it, then send it.")
    return redirect("messaging:report-edit", pk=report.pk)


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _owed_report(request, pk)
    back = reverse("messaging:report", args=[report.pk])
    if report.sent_on:
        flash.error(request, "This report was sent; a sent report cannot be changed.")
        return redirect(back)
    form = ReportDraftForm(request.POST or None, initial={"body": report.draft_body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_scheduled_report(request.user, report, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            flash.success(request, "Draft saved. Nothing is sent until you confirm.")
            return redirect(back)
    context = {
        "title": f"Edit the draft: {report.subject_line}",
        "intro": f"About {report.subject}, for {', '.join(a.name for a in _recipients(report))}.",
        "form": form,
        "back": back,
        "back_label": "The report",
        "submit": "Save draft",
    }
    return render(request, "web/change_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    report = _owed_report(request, pk)
    recipients = _recipients(report)
    to = ", ".join(agency.name for agency in recipients)

    def describe(_: dict) -> list[str]:
        return [
            f"“{report.subject_line}” goes to {to} as a secure message about {report.subject}, "
            f"from {report.owner_agency.name}.",
            f"Its category is {report.get_category_display()}: each agency's staff read it only as far as "
            "consent, a court order or an agreement opens that category to them.",
            *_report_readers(request.user, report),
            f"The text sent: {report.draft_body}",
            "Once sent, the report cannot be edited.",
        ]

    return confirmed_change(
        request,
        SendReportForm(request.POST if request.method == "POST" else None),
        title=f"Send {report.subject_line}",
        intro=f"To {to}, about {report.subject}.",
        describe=describe,
        change=lambda _: services.send_scheduled_report(request.user, report, on=timezone.localdate()),
        done=lambda _: f"Sent: {report} to {to}.",
        back=reverse("messaging:report", args=[report.pk]),
        back_label="The report",
        context={"report": report},
    )
