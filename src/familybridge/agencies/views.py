"""The agency administrator's Teams page: teams of staff under a supervisor. Thin views over agencies.services."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from familybridge.agencies import selectors, services
from familybridge.agencies.models import Agency, Team, User
from familybridge.agencies.roles import SUPERVISING_ROLES
from familybridge.audit.services import record_event
from familybridge.web.views import add_form_errors


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user}{f' ({user.job_title})' if user.job_title else ''}"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user: User) -> str:
        team = getattr(getattr(user, "team_membership", None), "team", None)
        return f"{user}{f' ({user.job_title})' if user.job_title else ''}{f' · now on {team}' if team else ''}"


class TeamForm(forms.Form):
    name = forms.CharField(label="Team name", max_length=120)
    supervisor = StaffChoiceField(queryset=User.objects.none(), label="Supervisor", required=False)

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = (
            User.objects.filter(agency=agency, is_active=True, staff_roles__role__in=SUPERVISING_ROLES)
            .distinct()
            .order_by("last_name", "first_name")
        )


class TeamMembersForm(TeamForm):
    members = StaffMultipleChoiceField(
        queryset=User.objects.none(), label="Members", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, agency=agency, **kwargs)
        self.fields["members"].queryset = (
            User.objects.filter(agency=agency, is_active=True)
            .select_related("team_membership__team")
            .order_by("last_name", "first_name")
        )


def _administered_agency(request: HttpRequest, slug: str) -> Agency:
    agency = get_object_or_404(Agency, slug=slug)
    try:
        services.ensure_can_manage(request.user, agency)
    except PermissionDenied:
        record_event("denied", agency, details={"page": "teams"})
        raise
    return agency


@require_http_methods(["GET", "POST"])
@login_required
def teams(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _administered_agency(request, slug)
    form = TeamForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(request.user, agency, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"Team {team} created. Add its members.")
            return redirect("agencies:team-edit", slug=agency.slug, pk=team.pk)
    return render(request, "agencies/teams.html", {"agency": agency, "teams": selectors.teams_of(agency), "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def team_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    agency = _administered_agency(request, slug)
    team = get_object_or_404(Team, pk=pk, agency=agency)
    initial = {"name": team.name, "supervisor": team.supervisor, "members": [m.user for m in team.memberships.all()]}
    form = TeamMembersForm(request.POST or None, agency=agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_team(request.user, team, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, f"Team {team} saved.")
            return redirect("agencies:teams", slug=agency.slug)
    return render(request, "agencies/team_edit.html", {"agency": agency, "team": team, "form": form})
