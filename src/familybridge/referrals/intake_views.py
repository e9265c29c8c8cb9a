"""A program's intake queue: referrals waiting for a counselor, and the clinical supervisor's assignment of one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from familybridge.agencies.models import User
from familybridge.agencies.roles import Role
from familybridge.audit.services import record_event
from familybridge.referrals import selectors, services
from familybridge.referrals.models import ReferralStatus
from familybridge.web.pagination import paginate
from familybridge.web.views import add_form_errors, purpose_for


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user}{f' ({user.job_title})' if user.job_title else ''}"


class IntakeAssignmentForm(forms.Form):
    counselor = StaffChoiceField(queryset=User.objects.none(), label="Counselor")
    peer = StaffChoiceField(
        queryset=User.objects.none(),
        label="Peer recovery specialist (optional)",
        required=False,
        empty_label="None",
    )
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def __init__(self, *args, program_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = services.active_staff_in_role(program_id, Role.COUNSELOR)
        peers = services.active_staff_in_role(program_id, Role.PEER_RECOVERY_SPECIALIST)
        if peers.exists():
            self.fields["peer"].queryset = peers
        else:
            del self.fields["peer"]


def _intake_supervisor(request: HttpRequest) -> None:
    if not request.user.has_role(Role.CLINICAL_SUPERVISOR) or request.user.agency_kind != "sud_treatment":
        record_event("denied", details={"page": "intake queue"})
        raise PermissionDenied("Only a program's clinical supervisor assigns its referrals.")


@login_required
def intake_queue(request: HttpRequest) -> HttpResponse:
    _intake_supervisor(request)
    purpose = purpose_for(request)
    page = paginate(request, selectors.intake_queue(request.user, purpose))
    for referral in page.object_list:
        referral.status_label = ReferralStatus(referral.current_status).label
    record_event("view_intake_queue", purpose=purpose)
    return render(request, "referrals/intake_queue.html", {"page": page, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
@login_required
def intake_assign(request: HttpRequest, pk: int) -> HttpResponse:
    _intake_supervisor(request)
    purpose = purpose_for(request)
    referral = get_object_or_404(selectors.intake_queue(request.user, purpose), pk=pk)
    form = IntakeAssignmentForm(request.POST or None, program_id=request.user.agency_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assigned = services.assign_from_intake(
                request.user, referral, counselor=data["counselor"], peer=data.get("peer"), note=data["note"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            names = " and ".join(str(a.staff) for a in assigned)
            works = "work" if len(assigned) > 1 else "works"
            messages.success(request, f"{names} now {works} with {referral.subject}. They have been notified.")
            return redirect("referrals:intake-queue")
    return render(request, "referrals/intake_assign.html", {"referral": referral, "form": form})
