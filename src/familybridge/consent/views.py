"""Consent pages: a person's consents, the guided form, revoke, PDF and FHIR copies, the accounting, why."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from weasyprint import HTML

from familybridge.agencies.models import Agency
from familybridge.agencies.roles import Purpose
from familybridge.audit.services import record_event
from familybridge.consent import access, selectors, services
from familybridge.consent.categories import PART2_CATEGORIES, Category
from familybridge.consent.fhir import consent_resource, consents_bundle
from familybridge.consent.forms import (
    AgreementForm,
    ChildAbuseReportForm,
    ConsentForm,
    ConsentRejectionForm,
    CourtOrderForm,
    DisclosureFilterForm,
    EmergencyAccessForm,
    OpenedFilterForm,
    PartyFilterForm,
    RestrictionDecisionForm,
    RestrictionRequestForm,
    RevocationForm,
    SignedFilterForm,
)
from familybridge.consent.models import REVOCATION_STATEMENT, Agreement, Consent, RestrictionRequest, RevocationMethod
from familybridge.consent.validation import ConsentTerms
from familybridge.dates import us_date, us_time
from familybridge.people import selectors as people_selectors
from familybridge.web.confirmation import confirmed_change
from familybridge.web.pagination import paginate, with_rows
from familybridge.web.views import add_form_errors, purpose_for


def pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    pdf = HTML(string=render_to_string(template, context)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def person_consents(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_visible_to(request.user, person_id, purpose_for(request))
    today = timezone.localdate()
    user = request.user
    context = {
        "person": person,
        "consents": [(consent, consent.status_on(today)) for consent in selectors.consents_of(user, person)],
        "orders": [(order, order.status_on(today)) for order in selectors.court_orders_of(user, person)],
        "restrictions": selectors.restrictions_of(user, person),
        "may_record_court_order": access.may_record_court_order(user),
        "may_open_emergency_access": access.may_open_emergency_access(user),
        "may_handle_restrictions": access.may_handle_restrictions(user),
    }
    record_event("view", person, details={"page": "consents"})
    return render(request, "consent/person_consents.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def consent_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_visible_to(request.user, person_id, purpose_for(request))
    form = ConsentForm(request.POST or None, agencies=selectors.partnership_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        terms = ConsentTerms(
            subject=person,
            kind=data["kind"],
            disclosers=list(data["disclosers"]),
            recipients=list(data["recipients"]),
            purposes=data["purposes"],
            categories=data["categories"],
            expires_on=data["expires_on"],
            expires_on_event=data["expires_on_event"],
            signer_name=data["signer_name"],
            signer_relationship=data["signer_relationship"],
            signed_at=timezone.now() if data["signer_name"].strip() else None,
            revocation_statement=REVOCATION_STATEMENT,
        )
        try:
            consent = services.record_consent(terms, recorded_by=request.user)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _recorded_message(consent))
            return redirect("consent:detail", pk=consent.pk)
    context = {"person": person, "form": form, "revocation_statement": REVOCATION_STATEMENT}
    return render(request, "consent/consent_form.html", context)


def _recorded_message(consent: Consent) -> str:
    """The same words whether or not the person is known to the agencies named: recording reveals nothing."""
    waiting = selectors.disclosers_not_verified(consent)
    if not waiting:
        return "The consent is signed and in effect. Give the person their copy."
    return (
        f"The consent is signed and recorded. It opens nothing from {waiting} until that agency verifies it; "
        "each agency named to share verifies for itself. Give the person their copy."
    )


@login_required
def consent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_visible_to(request.user, pk, purpose_for(request))
    context = {
        "consent": consent,
        "status": consent.status_on(timezone.localdate()),
        "discloser_states": selectors.discloser_states(consent, request.user.agency),
    }
    return render(request, "consent/consent_detail.html", context)


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    _refuse_unless(request, access.may_verify_consents(request.user), "verify consents")
    filters = SignedFilterForm(request.GET)
    page = paginate(request, selectors.consents_awaiting_verification(request.user, **filters.filters))
    shown = [consent.pk for consent in page.object_list]
    record_event("view", request.user.agency, details={"page": "consents to verify", "consents": shown})
    return render(request, "consent/verification_queue.html", {"page": page, "filters": filters})


@require_http_methods(["GET", "POST"])
@login_required
def consent_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Verify (a confirmation) or reject (with a reason) a consent waiting for the user's agency."""
    _refuse_unless(request, access.may_verify_consents(request.user), "verify consents")
    consent = get_object_or_404(selectors.consents_awaiting_verification(request.user), pk=pk)
    agency = request.user.agency
    decision = request.POST.get("decision")
    form = ConsentRejectionForm(request.POST if decision == "reject" else None)
    if decision == "verify" or (decision == "reject" and form.is_valid()):
        try:
            if decision == "verify":
                services.verify_consent(consent, agency, by=request.user)
                done = f"verified: {agency} now shares under it"
            else:
                services.reject_consent(consent, agency, reason=form.cleaned_data["reason"], by=request.user)
                done = f"rejected: {agency} shares nothing under it"
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"Consent {consent.pk} is {done}.")
            return redirect("consent:verification-queue")
    else:
        record_event("view", consent, details={"page": "verify a consent"})
    return render(request, "consent/consent_verify.html", {"consent": consent, "form": form})


@login_required
def consent_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_visible_to(request.user, pk, purpose_for(request))
    record_event("export", consent, details={"format": "pdf"})
    context = {"consent": consent, "status": consent.status_on(timezone.localdate())}
    return pdf_response("consent/consent_pdf.html", context, f"consent-{consent.pk}.pdf")


def _names(agencies: list[Agency], kind_label: str = "") -> str:
    names = [agency.name for agency in agencies]
    if kind_label:
        names.append(f"any {kind_label.lower()} agency")
    return ", ".join(names) or "no agency"


def _what_revoking_stops(consent: Consent, how: str, note: str, recorder: Any) -> list[str]:
    """What stops (who loses what, from when) and what does not, in the words of the confirmation page."""
    now = timezone.localtime()
    when = f"from {us_date(now)}, {us_time(now)} (the moment you confirm)"
    what = ", ".join(consent.category_labels)
    disclosers = _names(list(consent.disclosers.all()), consent.get_discloser_class_display())
    receivers = [agency.name for agency in consent.recipients.all()]
    receivers += [f"{staff} ({staff.agency})" for staff in consent.recipient_staff.select_related("agency")]
    if consent.recipient_class:
        receivers.append(f"any {consent.get_recipient_class_display().lower()} agency")
    past = selectors.disclosures_under(consent)
    return [
        *(
            f"{receiver} no longer sees {what} from {disclosers} under consent {consent.pk}, {when}."
            for receiver in receivers
        ),
        "Other bases are not affected: another consent, a court order, or an agency's own staff reading its records.",
        f"What does not change: the {past} {'disclosure' if past == 1 else 'disclosures'} already made under it "
        f"stay in {consent.subject}'s accounting of disclosures; revoking does not undo what was done in reliance "
        "on it.",
        f"How {consent.subject} asked: {RevocationMethod(how).label}{f' ({note})' if note else ''}. "
        f"Recorded by {recorder}.",
    ]


@require_http_methods(["GET", "POST"])
@login_required
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_visible_to(request.user, pk, purpose_for(request))
    back = reverse("consent:person", args=[consent.subject_id])
    if consent.revoked_at:
        messages.error(request, f"Consent {consent.pk} was already revoked on {us_date(consent.revoked_on)}.")
        return redirect(back)
    return confirmed_change(
        request,
        RevocationForm(request.POST if request.method == "POST" else None),
        title=f"Revoke consent {consent.pk} of {consent.subject}",
        intro="Record how the person asked. Revoking stops every disclosure under this consent from the moment "
        "you confirm; what was already disclosed stays in the accounting.",
        describe=lambda d: _what_revoking_stops(consent, d["how"], d["note"].strip(), request.user),
        change=lambda d: services.revoke_consent(consent, by=request.user, how=d["how"], note=d["note"]),
        done=lambda _: f"Consent {consent.pk} is revoked. Nothing more is shared under it from now on.",
        back=back,
        back_label=f"Consents of {consent.subject}",
        submit="Continue",
        context={"consent": consent},
    )


@login_required
def person_consents_fhir(request: HttpRequest, person_id: int) -> JsonResponse:
    person = selectors.person_visible_to(request.user, person_id, purpose_for(request))
    consents = list(selectors.consents_of(request.user, person))
    record_event("export", person, details={"format": "fhir", "consents": [c.pk for c in consents]})
    return JsonResponse(consents_bundle(consents).model_dump(mode="json"), content_type="application/fhir+json")


@login_required
def consent_fhir(request: HttpRequest, pk: int) -> JsonResponse:
    consent = selectors.consent_visible_to(request.user, pk, purpose_for(request))
    record_event("export", consent, details={"format": "fhir"})
    return JsonResponse(consent_resource(consent).model_dump(mode="json"), content_type="application/fhir+json")


def _accounting_context(request: HttpRequest, person_id: int) -> dict:
    person = selectors.person_visible_to(request.user, person_id, purpose_for(request))
    return {
        "person": person,
        "agency": request.user.agency,
        "disclosures": selectors.accounting_of(request.user, person),
        "today": timezone.localdate(),
    }


@login_required
def accounting(request: HttpRequest, person_id: int) -> HttpResponse:
    """The accounting a page at a time, filtered by date and recipient; its PDF holds every disclosure."""
    context = _accounting_context(request, person_id)
    filters = DisclosureFilterForm(request.GET, agencies=selectors.partnership_agencies(request.user))
    page = paginate(request, selectors.accounting_of(request.user, context["person"], **filters.filters))
    context.update(disclosures=page, page=page, filters=filters)
    record_event("view", context["person"], details={"page": "accounting of disclosures"})
    return render(request, "consent/accounting.html", context)


@login_required
def accounting_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    context = _accounting_context(request, person_id)
    record_event("export", context["person"], details={"format": "pdf", "page": "accounting of disclosures"})
    return pdf_response("consent/accounting_pdf.html", context, f"disclosures-{person_id}.pdf")


@login_required
def why(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    explanation = selectors.explain(request.user, label, pk, purpose)
    return render(request, "consent/why.html", {"explanation": explanation, "purpose": purpose})


def _refuse_unless(request: HttpRequest, allowed: bool, page: str) -> None:
    if not allowed:
        record_event("denied", request.user, details={"page": page})
        raise PermissionDenied(f"Your role does not {page}.")


@require_http_methods(["GET", "POST"])
@login_required
def court_order_new(request: HttpRequest, person_id: int) -> HttpResponse:
    _refuse_unless(request, access.may_record_court_order(request.user), "record court orders")
    person = selectors.person_visible_to(request.user, person_id, purpose_for(request))
    agencies = selectors.partnership_agencies(request.user)
    form = CourtOrderForm(request.POST or None, agencies=agencies, initial={"court_name": request.user.agency.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.record_court_order(
                subject=person,
                court_name=data["court_name"],
                case_number=data["case_number"],
                judge_name=data["judge_name"],
                issued_on=data["issued_on"],
                ends_on=data["ends_on"],
                disclosers=list(data["disclosers"]),
                recipients=list(data["recipients"]),
                categories=data["categories"],
                purposes=data["purposes"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request, f"{order} is recorded. It opens only what it names, until {us_date(order.ends_on)}."
            )
            return redirect("consent:person", person_id=person.pk)
    return render(request, "consent/court_order_form.html", {"person": person, "form": form})


@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    _refuse_unless(request, bool(request.user.agency_id), "see the partnership's agreements")
    today = timezone.localdate()
    filters = PartyFilterForm(request.GET, agencies=selectors.partnership_agencies(request.user))
    page = paginate(request, selectors.agreements_of(request.user, **filters.filters))
    listed = [
        (
            agreement,
            agreement.status_on(today),
            [Category(c).label for c in agreement.categories if c in PART2_CATEGORIES],
        )
        for agreement in page.object_list
    ]
    context = {
        "page": with_rows(page, listed),
        "filters": filters,
        "may_record": access.may_record_agreement(request.user),
    }
    return render(request, "consent/agreements.html", context)


def _agreement_context(request: HttpRequest, pk: int) -> dict:
    agreement = get_object_or_404(selectors.agreements_of(request.user), pk=pk)
    party = next((p for p in agreement.parties.all() if p.pk == request.user.agency_id), None)
    return {
        "agreement": agreement,
        "status": agreement.status_on(timezone.localdate()),
        "closed": services.agreement_part2_categories(agreement),
        "approvals": selectors.party_approvals(agreement),
        "party": party if party and access.may_approve_agreement(request.user, party) else None,
        "approved": any(a.agency_id == request.user.agency_id for a in agreement.approvals.all()),
    }


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_unless(request, bool(request.user.agency_id), "see the partnership's agreements")
    return render(request, "consent/agreement_detail.html", _agreement_context(request, pk))


@require_http_methods(["GET", "POST"])
@login_required
def agreement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approving binds the administrator's own agency: a confirmation page first, then the approval."""
    _refuse_unless(request, access.may_approve_agreement(request.user), "approve agreements")
    context = _agreement_context(request, pk)
    if context["party"] is None:
        raise PermissionDenied("Your agency is not a party to this agreement.")
    if request.method == "POST":
        try:
            services.approve_agreement(context["agreement"], context["party"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _approval_message(context["agreement"], context["party"]))
        return redirect("consent:agreement", pk=pk)
    return render(request, "consent/agreement_approve.html", context)


def _waiting_for_approval(agreement: Agreement) -> bool:
    fresh = Agreement.objects.prefetch_related("parties", "approvals").get(pk=agreement.pk)
    return fresh.status_on(timezone.localdate()) == "waiting for approval"


def _approval_message(agreement: Agreement, party: Agency) -> str:
    if _waiting_for_approval(agreement):
        return f"{party} approved “{agreement}”. It takes effect when every party has approved."
    return f"{party} approved “{agreement}”. Every party has approved: it is in effect as written."


def _recorded_agreement_message(agreement: Agreement) -> str:
    if _waiting_for_approval(agreement):
        return (
            f"The agreement “{agreement}” is recorded. It takes effect when an administrator of every party "
            "has approved it on this page."
        )
    return f"The agreement “{agreement}” is recorded and in effect among its parties."


@require_POST
@login_required
def agreement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_unless(request, access.may_approve_agreement(request.user), "approve agreements")
    context = _agreement_context(request, pk)
    if context["party"] is None:
        raise PermissionDenied("Your agency is not a party to this agreement.")
    try:
        services.withdraw_agreement_approval(context["agreement"], context["party"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{context['party']} withdrew its approval: the agreement opens nothing from now on.")
    return redirect("consent:agreement", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    _refuse_unless(request, access.may_record_agreement(request.user), "record interagency agreements")
    form = AgreementForm(request.POST or None, agencies=selectors.partnership_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.record_agreement(
                name=data["name"],
                parties=list(data["parties"]),
                categories=data["categories"],
                purposes=data["purposes"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _recorded_agreement_message(agreement))
            return redirect("consent:agreement", pk=agreement.pk)
    return render(request, "consent/agreement_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def emergency_new(request: HttpRequest, person_id: int) -> HttpResponse:
    _refuse_unless(request, access.may_open_emergency_access(request.user), "use medical-emergency access")
    person = selectors.person_visible_to(request.user, person_id, purpose_for(request))
    form = EmergencyAccessForm(request.POST or None, programs=selectors.emergency_programs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            emergency = services.open_emergency_access(
                request.user, person, form.cleaned_data["program"], form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.warning(
                request,
                f"Emergency access to {person}'s records at {emergency.program} is open until "
                f"{us_date(emergency.ends_on)}. Read them with the purpose “Medical emergency”. "
                f"{emergency.program} has been told.",
            )
            family = (
                people_selectors.families_visible_to(request.user, Purpose.MEDICAL_EMERGENCY)
                .filter(members__subject=person)
                .first()
            )
            if family is None:
                return redirect("consent:person", person_id=person.pk)
            return redirect(f"{reverse('web:family-detail', args=[family.pk])}?purpose={Purpose.MEDICAL_EMERGENCY}")
    return render(request, "consent/emergency_form.html", {"person": person, "form": form})


@login_required
def emergency_log(request: HttpRequest) -> HttpResponse:
    _refuse_unless(request, access.sees_emergency_log(request.user), "see the program's emergency accesses")
    record_event("view", request.user.agency, details={"page": "emergency accesses"})
    filters = OpenedFilterForm(request.GET)
    page = paginate(request, selectors.emergency_log(request.user, **filters.filters))
    context = {"page": page, "filters": filters, "today": timezone.localdate()}
    return render(request, "consent/emergency_log.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def restriction_new(request: HttpRequest, person_id: int) -> HttpResponse:
    _refuse_unless(request, access.may_handle_restrictions(request.user), "record restriction requests")
    person = selectors.person_visible_to(request.user, person_id, purpose_for(request))
    form = RestrictionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_restriction(
                subject=person,
                program=request.user.agency,
                request=form.cleaned_data["request"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "The request is recorded. Decide it below: agree or refuse.")
            return redirect("consent:person", person_id=person.pk)
    return render(request, "consent/restriction_form.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def restriction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_unless(request, access.may_handle_restrictions(request.user), "decide restriction requests")
    restriction = get_object_or_404(
        RestrictionRequest.objects.select_related("subject"), pk=pk, program_id=request.user.agency_id
    )
    selectors.person_visible_to(request.user, restriction.subject_id, purpose_for(request))
    form = RestrictionDecisionForm(request.POST or None, agencies=selectors.partnership_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_restriction(
                restriction,
                agree=data["decision"] == "agree",
                recipients=list(data["recipients"]),
                categories=data["categories"],
                decided_by=request.user,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"The request is {restriction.get_status_display().lower()}.")
            return redirect("consent:person", person_id=restriction.subject_id)
    return render(request, "consent/restriction_decide.html", {"restriction": restriction, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def child_abuse_report(request: HttpRequest, family_id: int) -> HttpResponse:
    _refuse_unless(request, access.may_file_child_abuse_report(request.user), "file child abuse reports here")
    purpose = purpose_for(request)
    family = get_object_or_404(
        people_selectors.families_visible_to(request.user, purpose).select_related("owner_agency"), pk=family_id
    )
    form = ChildAbuseReportForm(
        request.POST or None, children=selectors.children_visible_to(request.user, family, purpose)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.file_child_abuse_report(
                request.user,
                child=form.cleaned_data["child"],
                family=family,
                child_welfare_agency=family.owner_agency,
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                f"Your report is filed with {family.owner_agency}. It is their record now; "
                "no treatment record went with it.",
            )
            return redirect("web:family-detail", pk=family.pk)
    return render(request, "consent/child_abuse_report_form.html", {"family": family, "form": form})
