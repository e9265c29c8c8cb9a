from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from familybridge.agencies import selectors as agency_selectors
from familybridge.audit.services import record_event
from familybridge.consent import policy
from familybridge.consent.selectors import partnership_agencies
from familybridge.people import selectors as people_selectors
from familybridge.people.models import FamilyMember, MemberRole, Person
from familybridge.referrals import selectors, services
from familybridge.referrals.fhir import referral_bundle
from familybridge.referrals.forms import ReferralForm, StepForm, WorklistFilterForm
from familybridge.referrals.models import NEXT_STEPS, Referral
from familybridge.web.pagination import paginate, with_rows
from familybridge.web.views import add_form_errors, purpose_for


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """The program's referrals, a page at a time, filtered by status, date, referring agency and worker."""
    purpose = purpose_for(request)
    today = timezone.localdate()
    user = request.user
    filters = WorklistFilterForm(
        request.GET,
        agencies=partnership_agencies(user).exclude(pk=user.agency_id),
        workers=agency_selectors.case_staff_of(user.agency_id),
    )
    page = paginate(request, selectors.worklist(user, purpose, today=today, **filters.filters))
    views = selectors.referral_views(user, list(page.object_list), purpose, today=today)
    record_event("view_referrals", purpose=purpose, details={"filters": sorted(filters.filters)})
    return render(request, "referrals/worklist.html", {"page": with_rows(page, views), "filters": filters})


def _visible_referral(request: HttpRequest, pk: int, purpose: str) -> Referral:
    referrals = Referral.objects.select_related("subject", "owner_agency", "referring_agency")
    return get_object_or_404(policy.permitted(request.user, referrals, purpose), pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    purpose = purpose_for(request)
    referral = _visible_referral(request, pk, purpose)
    today = timezone.localdate()
    view = selectors.referral_view(request.user, referral, purpose, today=today)
    is_provider = request.user.agency_id == referral.owner_agency_id
    form = StepForm(request.POST or None, allowed=NEXT_STEPS[view.status]) if is_provider else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.record_step(request.user, referral, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, "Step recorded.")
            return redirect("referrals:detail", pk=referral.pk)
    record_event("view", referral, purpose=purpose)
    context = {
        "view": view,
        "form": form,
        "signal": selectors.SIGNAL_LABELS[selectors.engagement_signal(request.user, referral, purpose, today=today)],
        # the way back to the family, only where the user may see that family (its name is child welfare's)
        "family_member": policy.permitted(
            request.user,
            FamilyMember.objects.filter(
                subject=referral.subject, family__in=people_selectors.families_visible_to(request.user, purpose)
            ),
            purpose,
        )
        .select_related("family")
        .first(),
    }
    return render(request, "referrals/detail.html", context)


@login_required
def fhir_export(request: HttpRequest, pk: int) -> JsonResponse:
    purpose = purpose_for(request)
    referral = _visible_referral(request, pk, purpose)
    view = selectors.referral_view(request.user, referral, purpose, today=timezone.localdate())
    record_event("export_fhir", referral, purpose=purpose)
    return JsonResponse(referral_bundle(view))


@require_http_methods(["GET", "POST"])
@login_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer a parent of the family to a treatment program."""
    purpose = purpose_for(request)
    family = get_object_or_404(people_selectors.families_visible_to(request.user, purpose), pk=pk)
    visible = people_selectors.visible_member_ids(request.user, family, purpose)
    parents = Person.objects.filter(
        pk__in=FamilyMember.objects.filter(family=family).exclude(role=MemberRole.CHILD).values("subject_id"),
    ).filter(pk__in=visible)
    providers = services.treatment_providers_for(request.user)
    form = ReferralForm(
        request.POST or None, providers=providers, people=parents, initial={"referral_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_referral(
                request.user,
                subject=parents.get(pk=form.cleaned_data["subject"]),
                provider=next(p for p in providers if str(p.pk) == form.cleaned_data["provider"]),
                referral_date=form.cleaned_data["referral_date"],
                reason=form.cleaned_data["reason"],
                family=family,
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, "Referral sent. What comes back depends on the parent's consent.")
            return redirect("web:family-detail", pk=family.pk)
    return render(request, "referrals/refer.html", {"family": family, "form": form})
