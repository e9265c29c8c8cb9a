"""Adding the three systems' records from the family page, correcting and voiding them, and their history:
thin views over cases.services and cases.corrections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from familybridge.audit.services import record_event
from familybridge.cases import corrections, services
from familybridge.cases.forms import FORM_BY_KIND, VoidForm, correction_form
from familybridge.people import selectors as people_selectors
from familybridge.people.models import ProtectedRecord
from familybridge.web.views import add_form_errors, purpose_for


@require_http_methods(["GET", "POST"])
@login_required
def new_record(request: HttpRequest, family_pk: int, kind: str) -> HttpResponse:
    if kind not in services.RECORD_KINDS or not services.RECORD_KINDS[kind].in_add_menu:
        raise Http404("No such kind of record.")
    purpose = purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(request.user, purpose), pk=family_pk)
    try:
        record_kind = services.ensure_may_write(request.user, kind)
    except PermissionDenied:
        record_event("denied", family, details={"page": f"add a record: {kind}"})
        raise
    form = FORM_BY_KIND[kind](request.POST or None, user=request.user, family=family, purpose=purpose)
    if request.method == "POST" and form.is_valid():
        try:
            record = record_kind.write(request.user, family, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"{record_kind.label} recorded for {record.subject}.")
            return redirect("web:family-detail", pk=family.pk)
    return render(request, "cases/record_form.html", {"family": family, "form": form, "kind": record_kind})


# Correcting the record


def _amendable(request: HttpRequest, family_pk: int, kind_slug: str, pk: int, *, include_voided: bool = False):
    """The family, the record kind and the record as the policy point shows them to the user, or 404."""
    purpose = purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(request.user, purpose), pk=family_pk)
    kind = corrections.record_kind(kind_slug)
    if kind is None:
        raise Http404("No such kind of record.")
    record = corrections.record_of_family(request.user, family, kind, pk, purpose, include_voided=include_voided)
    if record is None:
        raise Http404("No such record, or it is not open to you.")
    return family, kind, record, purpose


def _ensure_may_amend(request: HttpRequest, record: ProtectedRecord, page: str) -> None:
    if not corrections.may_amend(request.user, record):
        record_event("denied", record, details={"page": page})
        raise PermissionDenied(
            "Only the staff member who wrote this record, or a supervisor of the agency that wrote it, "
            "corrects or voids it."
        )


@require_http_methods(["GET", "POST"])
@login_required
def correct_record(request: HttpRequest, family_pk: int, kind: str, pk: int) -> HttpResponse:
    family, record_kind, record, purpose = _amendable(request, family_pk, kind, pk)
    _ensure_may_amend(request, record, "correct a record")
    form = correction_form(record_kind, record, request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items() if name != "reason"}
        try:
            corrections.correct_record(request.user, family, record, changes, form.cleaned_data["reason"])
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"{record_kind.label} about {record.subject} corrected.")
            return redirect(f"{reverse('web:family-detail', args=[family.pk])}?purpose={purpose}")
    context = {"family": family, "kind": record_kind, "record": record, "form": form, "purpose": purpose}
    return render(request, "cases/correct_record.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def void_record(request: HttpRequest, family_pk: int, kind: str, pk: int) -> HttpResponse:
    family, record_kind, record, purpose = _amendable(request, family_pk, kind, pk)
    _ensure_may_amend(request, record, "void a record")
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.void_record(request.user, family, record, form.cleaned_data["reason"])
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"{record_kind.label} about {record.subject} voided as entered in error.")
            # Gone from every other page: its history, where it stays, is where the user sees what they did.
            history = reverse("cases:record-history", args=[family.pk, record_kind.slug, record.pk])
            return redirect(f"{history}?purpose={purpose}")
    context = {
        "family": family,
        "kind": record_kind,
        "record": record,
        "form": form,
        "purpose": purpose,
        "current": corrections.current_values(record),
    }
    return render(request, "cases/void_record.html", context)


@login_required
def record_history(request: HttpRequest, family_pk: int, kind: str, pk: int) -> HttpResponse:
    """Every version of a record the user may see, voided ones too: who saved each, when and why."""
    family, record_kind, record, purpose = _amendable(request, family_pk, kind, pk, include_voided=True)
    record_event("view_history", record, purpose=purpose)
    context = {
        "family": family,
        "kind": record_kind,
        "record": record,
        "purpose": purpose,
        "versions": corrections.versions(record),
    }
    return render(request, "cases/record_history.html", context)
