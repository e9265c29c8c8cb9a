from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from familybridge.agencies.models import Agency
from familybridge.agencies.selectors import partnerships_of
from familybridge.audit.services import record_event
from familybridge.consent import policy
from familybridge.consent.selectors import partnership_agencies
from familybridge.messaging import selectors, services
from familybridge.messaging.forms import InboxFilterForm, MessageForm, NotificationFilterForm, ReportFilterForm
from familybridge.messaging.models import CommunicationProtocol, ScheduledReport
from familybridge.people import selectors as people_selectors
from familybridge.people.models import Person
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


@require_POST
@login_required
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    report = get_object_or_404(policy.permitted(request.user, ScheduledReport.objects.all(), purpose), pk=pk)
    try:
        services.send_scheduled_report(request.user, report, on=timezone.localdate())
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(request, f"Sent: {report}.")
    return redirect("messaging:reports")
