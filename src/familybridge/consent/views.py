"""Consent pages: a person's consents, the guided form, revoke, PDF and FHIR copies, the accounting, why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from weasyprint import HTML

from familybridge.agencies.models import Agency
from familybridge.audit.services import record_event
from familybridge.consent import selectors, services
from familybridge.consent.fhir import consent_resource, consents_bundle
from familybridge.consent.forms import ConsentForm
from familybridge.consent.models import REVOCATION_STATEMENT
from familybridge.consent.validation import ConsentTerms
from familybridge.web.views import purpose_for


def pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    pdf = HTML(string=render_to_string(template, context)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def person_consents(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_visible_to(request.user, person_id, purpose_for(request))
    today = timezone.localdate()
    consents = [(consent, consent.status_on(today)) for consent in selectors.consents_of(request.user, person)]
    record_event("view", person, details={"page": "consents"})
    return render(request, "consent/person_consents.html", {"person": person, "consents": consents})


def _partnership_agencies(user) -> "list[Agency]":
    return Agency.objects.filter(partnerships__agencies=user.agency_id).distinct().order_by("name")


@require_http_methods(["GET", "POST"])
@login_required
def consent_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_visible_to(request.user, person_id, purpose_for(request))
    form = ConsentForm(request.POST or None, agencies=_partnership_agencies(request.user))
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
            messages.success(request, "The consent is signed and in effect. Give the person their copy.")
            return redirect("consent:detail", pk=consent.pk)
    context = {"person": person, "form": form, "revocation_statement": REVOCATION_STATEMENT}
    return render(request, "consent/consent_form.html", context)


@login_required
def consent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_visible_to(request.user, pk, purpose_for(request))
    context = {"consent": consent, "status": consent.status_on(timezone.localdate())}
    return render(request, "consent/consent_detail.html", context)


@login_required
def consent_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_visible_to(request.user, pk, purpose_for(request))
    record_event("export", consent, details={"format": "pdf"})
    context = {"consent": consent, "status": consent.status_on(timezone.localdate())}
    return pdf_response("consent/consent_pdf.html", context, f"consent-{consent.pk}.pdf")


@require_POST
@login_required
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_visible_to(request.user, pk, purpose_for(request))
    try:
        services.revoke_consent(consent, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Consent {consent.pk} is revoked. Nothing more is shared under it from now on.")
    return redirect("consent:person", person_id=consent.subject_id)


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
    context = _accounting_context(request, person_id)
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
