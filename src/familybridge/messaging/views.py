from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from familybridge.agencies.models import Agency
from familybridge.agencies.selectors import partnerships_of
from familybridge.audit.services import record_event
from familybridge.consent import policy
from familybridge.consent.categories import is_part2
from familybridge.consent.selectors import partnership_agencies
from familybridge.messaging import selectors, services
from familybridge.messaging.forms import (
    InboxFilterForm,
    MessageForm,
    NotificationFilterForm,
    ReportDraftForm,
    ReportFilterForm,
    SendReportForm,
)
from familybridge.messaging.models import CommunicationProtocol, ScheduledReport
from familybridge.people import selectors as people_selectors
from familybridge.people.models import Person
from familybridge.web.confirmation import confirmed_change
from familybridge.web.pagination import paginate, with_rows
from familybridge.web.views import add_form_errors, purpose_for


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    purpose = purpose_for(request)
    filters = InboxFilterForm(request.GET, agencies=partnership_agencies(request.user))
    record_event("view_messages", purpose=purpose, details={"filters": sorted(filters.filters)})
    page = paginate(request, selectors.messages_for(request.user, purpose, **filters.filters))
    return render(request, "messaging/inbox.html", {"page": page, "filters": filters})


@require_http_methods(["GET", "POST"])
@login_required
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(request.user, purpose), pk=pk)
    people = Person.objects.filter(pk__in=people_selectors.visible_member_ids(request.user, family, purpose))
    partners = Agency.objects.filter(partnerships__in=partnerships_of(request.user)).exclude(pk=request.user.agency_id)
    form = MessageForm(request.POST or None, people=people, agencies=partners.distinct())
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(request.user, family=family, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            flash.success(request, "Message sent. Partners read it as far as consent and agreements allow.")
            return redirect("web:family-detail", pk=family.pk)
    return render(request, "messaging/compose.html", {"family": family, "form": form})


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
