"""The intake pages: the queue, receiving a report (details, then its people through the duplicate check and the
allegations), and a report's page with each step of its workflow. Thin: reads through intake.selectors (the policy
point), writes through intake.services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from familybridge.audit.services import record_event
from familybridge.intake import selectors, services
from familybridge.intake.draft import CHILD, PERPETRATOR, Draft
from familybridge.intake.forms import (
    PERPETRATOR_ROLES,
    AllegationForm,
    ApproveForm,
    CloseForm,
    ContactForm,
    FindingsForm,
    OpenCaseForm,
    QueueForm,
    ReceiveForm,
    ReportDetailsForm,
    ReportLinkForm,
    ReportNewPersonForm,
    ReportPersonCheckForm,
    ScreeningForm,
    SendBackForm,
)
from familybridge.intake.models import FINDINGS_OF_TRACK, Allegation, Decision, IntakeReport, ReportStatus
from familybridge.people import families as family_services
from familybridge.people import selectors as people_selectors
from familybridge.people.models import MemberRole
from familybridge.web.pagination import paginate
from familybridge.web.views import add_form_errors, purpose_for

INTAKE_STAFF_ONLY = "Only caseworkers and supervisors of a child welfare agency work intake."


def _ensure_intake_staff(request: HttpRequest, page: str) -> None:
    if not family_services.may_open_families(request.user):
        record_event("denied", details={"page": page})
        raise PermissionDenied(INTAKE_STAFF_ONLY)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The agency's reports the user may see, the most urgent first: to screen, to approve, to respond to, findings
    due; filtered by step, worker, day received and overdue; a page at a time."""
    _ensure_intake_staff(request, "intake queue")
    purpose = purpose_for(request)
    form = QueueForm(request.GET or None, staff=selectors.staff_who_investigate(request.user.agency_id))
    chosen = selectors.QueueFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = selectors.QueueFilter(
            status=data["status"] or "active",
            worker=data["worker"],
            received_from=data["received_from"],
            received_to=data["received_to"],
            overdue_only=data["overdue_only"],
        )
    now = timezone.now()
    page = paginate(request, selectors.queue(request.user, purpose, chosen, now=now))
    selectors.annotate_rows(request.user, purpose, list(page), now=now)
    record_event(
        "search",
        object_type="intake.intakereport",
        purpose=purpose,
        details={"page": "intake queue", "status": chosen.status, "overdue_only": chosen.overdue_only},
    )
    return render(request, "intake/queue.html", {"form": form, "page": page})


# --- receiving a report -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def receive(request: HttpRequest) -> HttpResponse:
    """First step: when the report came, who made it and what they said."""
    _ensure_intake_staff(request, "receive a report")
    draft = Draft.of(request.session)
    if request.POST.get("action") == "discard":
        Draft.discard(request.session)
        messages.info(request, "The report you were putting together is discarded; nothing was recorded.")
        return redirect("intake:queue")
    form = ReportDetailsForm(request.POST or None, initial=draft.details_initial())
    if request.method == "POST" and form.is_valid():
        try:
            services.check_details(form.details())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            draft.keep_details(form.cleaned_data)
            draft.save(request.session)
            return redirect("intake:receive-people")
    return render(request, "intake/receive_details.html", {"form": form, "draft": draft})


def _people_forms(request: HttpRequest, draft: Draft, action: str, named_as: str) -> dict[str, Any]:
    posted = request.POST
    children = [(child["key"], child["name"]) for child in draft.children]
    perpetrators = [(person["key"], person["name"]) for person in draft.perpetrators]
    return {
        "check_form": ReportPersonCheckForm(posted if action in {"check", "link"} else None),
        "new_form": ReportNewPersonForm(posted if action == "create" else None, prefix="new", named_as=named_as),
        "link_form": ReportLinkForm(posted if action == "link" else None),
        "allegation_form": AllegationForm(
            posted if action == "allege" else None, children=children, perpetrators=perpetrators
        ),
    }


def _receive_form(request: HttpRequest, draft: Draft, purpose: str, action: str) -> ReceiveForm:
    families = services.families_of_children(request.user, purpose, draft.linked_child_ids())
    first_child = draft.children[0]["name"].split()[-1] if draft.children else ""
    return ReceiveForm(
        request.POST if action == "receive" else None,
        families=[(family.pk, family.name) for family in families],
        initial={"family_name": f"{first_child} family" if first_child else ""},
    )


@require_http_methods(["GET", "POST"])
@login_required
def receive_people(request: HttpRequest) -> HttpResponse:
    """Second step: the children and alleged perpetrators, each looked for first (the duplicate check) and linked
    or added new; the allegations; then the report is received, all at once."""
    _ensure_intake_staff(request, "receive a report")
    purpose = purpose_for(request)
    draft = Draft.of(request.session)
    if not draft.has_details:
        return redirect("intake:receive")
    action = request.POST.get("action", "")
    posted_as = request.POST.get("new-named_as" if action == "create" else "named_as")
    named_as = posted_as if posted_as in {CHILD, PERPETRATOR} else CHILD
    context: dict[str, Any] = {
        "draft": draft,
        "named_as": named_as,
        "perpetrator_roles": PERPETRATOR_ROLES,
        **_people_forms(request, draft, action, named_as),
    }

    if action == "remove":
        draft.remove_person(request.POST.get("key", ""))
        draft.save(request.session)
        return redirect("intake:receive-people")
    if action == "unallege":
        draft.remove_allegation(int(request.POST.get("index", "-1")) if request.POST.get("index", "").isdigit() else -1)
        draft.save(request.session)
        return redirect("intake:receive-people")
    if action == "allege" and context["allegation_form"].is_valid():
        data = context["allegation_form"].cleaned_data
        draft.add_allegation(data["child"], data["maltreatment_type"], data["perpetrator"])
        draft.save(request.session)
        messages.success(request, "Allegation added.")
        return redirect("intake:receive-people")
    if action in {"check", "link", "create"}:
        done = _name_person(request, draft, purpose, action, named_as, context)
        if done:
            return redirect("intake:receive-people")
    receive_form = _receive_form(request, draft, purpose, action)
    context["receive_form"] = receive_form
    if action == "receive" and receive_form.is_valid():
        receipt = draft.receipt(family_id=receive_form.family_id, family_name=receive_form.cleaned_data["family_name"])
        try:
            report = services.receive_report(request.user, receipt, purpose=purpose)
        except ValidationError as error:
            context["section_errors"] = _place_errors(receive_form, error)
        else:
            Draft.discard(request.session)
            messages.success(request, f"Report {report.pk} is received and awaits screening.")
            return redirect("intake:report", pk=report.pk)
    return render(request, "intake/receive_people.html", context)


SECTIONS = ("children", "perpetrators", "allegations")
DETAIL_FIELDS = (
    "received_at", "reporter_type", "reporter_name", "reporter_contact", "narrative", "address", "zip_code"
)


def _place_errors(form: ReceiveForm, error: ValidationError) -> dict[str, list[str]]:
    """The service's errors next to the section of the page they are about; those about the details on the form,
    with a word that they are in the first step."""
    sections: dict[str, list[str]] = {}
    for field, errors in error.message_dict.items():
        if field in SECTIONS:
            sections[field] = errors
        elif field in DETAIL_FIELDS:
            form.add_error(None, [f"In the report's details: {message}" for message in errors])
        else:
            form.add_error(field if field in form.fields else None, errors)
    return sections


def _name_person(
    request: HttpRequest, draft: Draft, purpose: str, action: str, named_as: str, context: dict[str, Any]
) -> bool:
    """The duplicate check, then naming the person found or a new one. True once the draft has them."""
    check_form, new_form, link_form = context["check_form"], context["new_form"], context["link_form"]
    typed_in = new_form if action == "create" else check_form
    if not typed_in.is_valid():
        context["adding_new"] = action == "create"
        return False
    typed = typed_in.typed()
    candidates = people_selectors.likely_duplicates(request.user, purpose, typed)
    if action == "check":
        record_event(
            "search",
            object_type="people.person",
            purpose=purpose,
            details={"check": "duplicates", "query": f"{typed.first_name} {typed.last_name}", "born": typed.birth_date},
        )
        context["new_form"] = ReportNewPersonForm(
            initial={**check_form.cleaned_data}, prefix="new", named_as=named_as
        )
    elif action == "link" and link_form.is_valid():
        if _link(request, draft, purpose, named_as, link_form):
            return True
    elif action == "create":
        context["check_form"] = ReportPersonCheckForm.holding(typed, named_as=named_as)
        if new_form.confirms_none_of(candidates) and _add_new(request, draft, named_as, new_form):
            return True
    already = {c.person.pk for c in candidates if draft.names(c.person.pk)}
    context.update(checked=True, adding_new=True, candidates=candidates, already_named=already)
    return False


def _link(request: HttpRequest, draft: Draft, purpose: str, named_as: str, link_form: ReportLinkForm) -> bool:
    data = link_form.cleaned_data
    # Checked again here: only a person the user may know of, in the same words as one who does not exist.
    person = people_selectors.known_people(request.user, purpose).filter(pk=data["person"]).first()
    role = data["role"]
    if person is None:
        link_form.add_error(None, "Choose one of the people listed, or add a new person.")
    elif draft.names(person.pk):
        link_form.add_error(None, f"{person} is already named in this report.")
    elif named_as == PERPETRATOR and role not in dict(PERPETRATOR_ROLES):
        link_form.add_error("role", "Say whether they are a parent or another caregiver of the children.")
    else:
        draft.add_person(named_as, name=str(person), role=role, person_id=person.pk)
        draft.save(request.session)
        messages.success(request, f"{person} is named in the report as {_as_words(named_as)}.")
        return True
    return False


def _add_new(request: HttpRequest, draft: Draft, named_as: str, new_form: ReportNewPersonForm) -> bool:
    data = new_form.cleaned_data
    try:
        new = family_services.check_new_person(
            request.user.agency_id,
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
            sex=data["sex"],
            agency_identifier=data["agency_identifier"],
        )
    except ValidationError as error:
        add_form_errors(new_form, error)
        return False
    name = f"{new.first_name} {new.last_name}"
    draft.add_person(
        named_as,
        name=name,
        role=data["role"] if named_as == PERPETRATOR else MemberRole.CHILD,
        new={
            "first_name": new.first_name,
            "last_name": new.last_name,
            "birth_date": new.birth_date,
            "sex": new.sex,
            "agency_identifier": new.agency_identifier,
        },
    )
    draft.save(request.session)
    messages.success(request, f"{name} (new) is named in the report as {_as_words(named_as)}.")
    return True


def _as_words(named_as: str) -> str:
    return "a child" if named_as == CHILD else "an alleged perpetrator"


# --- a report and its workflow ----------------------------------------------------------------------------------


def _report(request: HttpRequest, pk: int, purpose: str) -> IntakeReport:
    return get_object_or_404(selectors.reports_visible_to(request.user, purpose), pk=pk)


def _contact_people(request: HttpRequest, report: IntakeReport, purpose: str) -> list[tuple[int, str]]:
    members = people_selectors.visible_members_of_families(request.user, [report.family_id], purpose)
    return [(member.subject_id, f"{member.subject} ({member.get_role_display().lower()})") for member in members]


def _findings_form(report: IntakeReport, flow: selectors.Workflow, data: Any = None) -> FindingsForm | None:
    if not report.response_track:
        return None
    choices = [(finding.value, finding.label) for finding in FINDINGS_OF_TRACK[report.response_track]]
    allegations = [a for a in flow.allegations if isinstance(a, Allegation)]
    return FindingsForm(data, allegations=allegations, choices=choices)


def _report_page(
    request: HttpRequest, report: IntakeReport, purpose: str, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    flow = selectors.workflow(user, report, purpose)
    responding = report.status == ReportStatus.RESPONDING and services.may_respond(user, report)
    context = {
        "report": report,
        "flow": flow,
        "purpose": purpose,
        "now": timezone.now(),
        "next_step": report.next_step(),
        "shows_reporter": selectors.shows_reporter(user, report),
        "may_screen": report.status == ReportStatus.AWAITING_SCREENING and services.may_screen(user, report),
        "may_review": report.status == ReportStatus.AWAITING_APPROVAL and services.is_supervisor_of(user, report),
        "may_respond": responding,
        "may_decide": report.status == ReportStatus.FINDINGS_RECORDED and services.is_supervisor_of(user, report),
        "screening_form": forms.get("screening_form") or ScreeningForm(),
        "contact_form": forms.get("contact_form")
        or (ContactForm(people=_contact_people(request, report, purpose)) if responding else None),
        "findings_form": forms.get("findings_form") or (_findings_form(report, flow) if responding else None),
    }
    if context["next_step"][1] is not None:
        context["due_words"] = selectors.describe_due(context["next_step"][1], context["now"])
    return render(request, "intake/report_detail.html", context, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    report = _report(request, pk, purpose)
    record_event("view", report, purpose=purpose)
    return _report_page(request, report, purpose)


@require_POST
@login_required
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    report = _report(request, pk, purpose)
    form = ScreeningForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.propose_screening(
                request.user,
                report,
                decision=data["decision"],
                reason=data["reason"],
                note=data["note"],
                response_track=data["response_track"],
                response_hours=data["response_hours"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "The screening decision is proposed. A supervisor approves it or sends it back.")
            return redirect("intake:report", pk=report.pk)
    return _report_page(request, report, purpose, screening_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor approves the proposed decision (a confirmation page: approving cannot be undone) or sends it
    back with what should change."""
    purpose = purpose_for(request)
    report = _report(request, pk, purpose)
    if not services.is_supervisor_of(request.user, report):
        record_event("denied", report, details={"page": "approve a screening decision"})
        raise PermissionDenied("Only a child welfare supervisor of the agency approves screening decisions.")
    flow = selectors.workflow(request.user, report, purpose)
    decision = flow.pending_decision
    if decision is None:
        messages.info(request, "No screening decision is awaiting approval on this report.")
        return redirect("intake:report", pk=report.pk)
    choice = request.POST.get("choice", "")
    staff = selectors.staff_who_investigate(report.owner_agency_id)
    approve_form = ApproveForm(request.POST if choice == "approve" else None, staff=staff)
    send_back_form = SendBackForm(request.POST if choice == "send_back" else None)
    if choice == "approve" and approve_form.is_valid():
        try:
            services.approve_screening(request.user, report, investigator=approve_form.cleaned_data["investigator"])
        except ValidationError as error:
            add_form_errors(approve_form, error)
        else:
            done = "screened in" if decision.decision == Decision.SCREEN_IN else "screened out and closed"
            messages.success(request, f"Approved: report {report.pk} is {done}.")
            return redirect("intake:report", pk=report.pk)
    elif choice == "send_back" and send_back_form.is_valid():
        try:
            services.send_back(request.user, report, note=send_back_form.cleaned_data["review_note"])
        except ValidationError as error:
            add_form_errors(send_back_form, error)
        else:
            messages.success(request, f"The decision is sent back. Report {report.pk} awaits screening again.")
            return redirect("intake:report", pk=report.pk)
    context = {
        "report": report,
        "flow": flow,
        "decision": decision,
        "own_proposal": decision.proposed_by_id == request.user.pk,
        "approve_form": approve_form,
        "send_back_form": send_back_form,
    }
    return render(request, "intake/review.html", context)


@require_POST
@login_required
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    report = _report(request, pk, purpose)
    form = ContactForm(request.POST, people=_contact_people(request, report, purpose))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_contact(
                request.user,
                report,
                person_id=data["person"],
                contacted_at=form.contacted_at,
                method=data["method"],
                note=data["note"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "The contact is recorded.")
            return redirect("intake:report", pk=report.pk)
    return _report_page(request, report, purpose, contact_form=form)


@require_POST
@login_required
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    report = _report(request, pk, purpose)
    form = _findings_form(report, selectors.workflow(request.user, report, purpose), request.POST)
    if form is None:
        messages.error(request, "Findings are recorded once the report is screened in and the children seen.")
        return redirect("intake:report", pk=report.pk)
    if form.is_valid():
        try:
            services.record_findings(request.user, report, findings=form.findings())
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request, "The findings are recorded, with each child's report and finding on the family's timeline."
            )
            return redirect("intake:report", pk=report.pk)
    return _report_page(request, report, purpose, findings_form=form)


def _outcome_report(request: HttpRequest, pk: int, page: str) -> tuple[IntakeReport, str]:
    purpose = purpose_for(request)
    report = _report(request, pk, purpose)
    if not services.is_supervisor_of(request.user, report):
        record_event("denied", report, details={"page": page})
        raise PermissionDenied("Only a child welfare supervisor of the agency opens a case or closes a report.")
    return report, purpose


@require_http_methods(["GET", "POST"])
@login_required
def open_case(request: HttpRequest, pk: int) -> HttpResponse:
    report, purpose = _outcome_report(request, pk, "open a case from a report")
    form = OpenCaseForm(
        request.POST or None,
        staff=selectors.caseworkers_of(report.owner_agency_id),
        initial={"case_number": report.family.case_number},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            family = services.open_case(
                request.user,
                report,
                case_number=data["case_number"],
                opened_on=data["opened_on"],
                caseworker=data["caseworker"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"The case of {family} is open; {data['caseworker']} works it.")
            return redirect("intake:report", pk=report.pk)
    flow = selectors.workflow(request.user, report, purpose)
    return render(request, "intake/open_case.html", {"report": report, "form": form, "flow": flow})


@require_http_methods(["GET", "POST"])
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing a report is a confirmation page: it ends its investigation and, for a family opened only for it, the
    family's involvement with the agency."""
    report, purpose = _outcome_report(request, pk, "close a report")
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.close_report(request.user, report, reason=data["reason"], note=data["note"], on=data["closed_on"])
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"Report {report.pk} is closed.")
            return redirect("intake:report", pk=report.pk)
    flow = selectors.workflow(request.user, report, purpose)
    return render(request, "intake/close.html", {"report": report, "form": form, "flow": flow})
