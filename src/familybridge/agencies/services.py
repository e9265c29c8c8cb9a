"""Staff accounts and roles. Agency administrators manage their own agency's staff, nobody else's."""

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from familybridge.agencies.models import Agency, StaffRole, Team, TeamMembership, User
from familybridge.agencies.roles import (
    ROLES_BY_AGENCY_KIND,
    SUPERVISING_ROLES,
    Role,
    role_label,
    roles_that_do_not_fit,
)
from familybridge.audit.services import audited_bulk_create


def ensure_can_manage(admin: User, agency: Agency) -> None:
    if admin.is_superuser:
        return
    if not admin.has_role(Role.AGENCY_ADMIN) or admin.agency_id != agency.pk:
        raise PermissionDenied("Agency administrators manage the staff of their own agency only.")


def ensure_not_own_roles(admin: User, staff: User) -> None:
    """Nobody grants roles to themselves: another administrator (or a platform superuser) changes them."""
    if staff.pk == admin.pk:
        raise ValidationError({"roles": "You cannot change your own roles. Ask another administrator."})


def _validate_roles(roles: Iterable[str], agency: Agency) -> list[str]:
    """The roles, once each, when every one exists and fits the kind of agency (`roles.ROLES_BY_AGENCY_KIND`)."""
    roles = sorted(set(roles))
    if not roles:
        raise ValidationError({"roles": "Give the staff member at least one role."})
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationError({"roles": f"Unknown role: {', '.join(unknown)}."})
    misfits = roles_that_do_not_fit(roles, agency.kind)
    if misfits:
        fitting = ", ".join(role_label(r) for r in ROLES_BY_AGENCY_KIND.get(agency.kind, ()))
        raise ValidationError(
            {
                "roles": f"{agency.get_kind_display()} agencies have no {', '.join(map(role_label, misfits))} role. "
                f"Choose from: {fitting}."
            }
        )
    return roles


@transaction.atomic
def create_staff(
    admin: User,
    *,
    agency: Agency,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    email: str = "",
    job_title: str = "",
    roles: Iterable[str],
) -> User:
    ensure_can_manage(admin, agency)
    roles = _validate_roles(roles, agency)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken."})
    user = User(
        username=username, first_name=first_name, last_name=last_name, email=email, job_title=job_title, agency=agency
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audited_bulk_create(StaffRole(user=user, role=role) for role in roles)
    return user


@transaction.atomic
def set_roles(admin: User, staff: User, roles: Iterable[str]) -> None:
    ensure_can_manage(admin, staff.agency)
    ensure_not_own_roles(admin, staff)
    roles = _validate_roles(roles, staff.agency)
    for removed in staff.staff_roles.exclude(role__in=roles):
        removed.delete()
    existing = set(staff.staff_roles.values_list("role", flat=True))
    for role in roles:
        if role not in existing:
            StaffRole.objects.create(user=staff, role=role)
    staff.forget_roles()


@transaction.atomic
def set_active(admin: User, staff: User, active: bool) -> None:
    ensure_can_manage(admin, staff.agency)
    if staff.pk == admin.pk and not active:
        raise ValidationError("You cannot deactivate your own account.")
    staff.is_active = active
    staff.save(update_fields=["is_active"])


# Teams: an agency administrator groups staff under a supervisor, whose caseloads page shows the team.


def _ensure_supervisor_of(agency: Agency, supervisor: User | None) -> None:
    if supervisor is None:
        return
    if supervisor.agency_id != agency.pk or not supervisor.is_active or not supervisor.role_codes & SUPERVISING_ROLES:
        raise ValidationError({"supervisor": "Choose an active supervisor of the agency."})


@transaction.atomic
def create_team(admin: User, agency: Agency, *, name: str, supervisor: User | None) -> Team:
    ensure_can_manage(admin, agency)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the team a name."})
    if Team.objects.filter(agency=agency, name__iexact=name).exists():
        raise ValidationError({"name": f"{agency} already has a team called {name}."})
    _ensure_supervisor_of(agency, supervisor)
    return Team.objects.create(agency=agency, name=name, supervisor=supervisor)


@transaction.atomic
def update_team(admin: User, team: Team, *, name: str, supervisor: User | None, members: Iterable[User]) -> Team:
    """Rename the team, change its supervisor and set its members: a member of another team moves to this one
    (each staff member is on one team)."""
    ensure_can_manage(admin, team.agency)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the team a name."})
    if Team.objects.filter(agency=team.agency, name__iexact=name).exclude(pk=team.pk).exists():
        raise ValidationError({"name": f"{team.agency} already has a team called {name}."})
    _ensure_supervisor_of(team.agency, supervisor)
    members = list(members)
    if any(member.agency_id != team.agency_id for member in members):
        raise ValidationError({"members": "Choose members among the agency's own staff."})
    if (team.name, team.supervisor_id) != (name, supervisor.pk if supervisor else None):
        team.name, team.supervisor = name, supervisor
        team.save(update_fields=["name", "supervisor"])
    for leaving in team.memberships.exclude(user__in=members):
        leaving.delete()
    for member in members:
        membership = TeamMembership.objects.filter(user=member).first()
        if membership is None:
            TeamMembership.objects.create(team=team, user=member)
        elif membership.team_id != team.pk:
            membership.team = team
            membership.save(update_fields=["team"])
    return team
