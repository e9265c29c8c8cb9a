"""Adding the three systems' records from the family page: thin views over cases.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from familybridge.audit.services import record_event
from familybridge.cases import services
from familybridge.cases.forms import FORM_BY_KIND
from familybridge.people import selectors as people_selectors
from familybridge.web.views import add_form_errors, purpose_for


@require_http_methods(["GET", "POST"])
@login_required
def new_record(request: HttpRequest, family_pk: int, kind: str) -> HttpResponse:
    if kind not in services.RECORD_KINDS:
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
