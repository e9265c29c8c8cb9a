"""Staff accounts and roles. Agency administrators manage their own agency's staff, nobody else's."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from familybridge.agencies.models import Agency, StaffRole, Team, TeamMembership, User
from familybridge.agencies.roles import (
    ROLES_BY_AGENCY_KIND,
    SUPERVISING_ROLES,
    Role,
    can_take_over,
    role_label,
    roles_that_do_not_fit,
    roles_that_take_over,
)
from familybridge.agencies.selectors import roles_worked
from familybridge.audit.services import audited_bulk_create, record_event
from familybridge.messaging.models import NotificationKind
from familybridge.messaging.services import notify
from familybridge.people.models import CaseloadAssignment
from familybridge.people.services import hand_over_caseload, open_assignments_of


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
def deactivate(admin: User, staff: User, *, successor: User | None = None, effective: date | None = None) -> int:
    """End a staff member's access: they cannot sign in, and their open sessions stop working at the next request
    (Django refuses an inactive account's session). Their open caseload (families, clients, docket cases) goes to
    `successor` from the `effective` date (today unless given), all or nothing (`people.services.
    hand_over_caseload`). Returns how many assignments were handed over."""
    ensure_can_manage(admin, staff.agency)
    if staff.pk == admin.pk:
        raise ValidationError("You cannot deactivate your own account. Ask another administrator.")
    if not staff.is_active:
        raise ValidationError(f"{staff}'s account is already deactivated.")
    caseload = list(open_assignments_of(staff))
    details: dict[str, object] = {"assignments": len(caseload)}
    if caseload:
        effective = effective or timezone.localdate()
        _check_hand_over(staff, successor, caseload, effective)
        hand_over_caseload(admin, staff, to=successor, on=effective)
        details |= {"handed_to": successor.pk, "effective": effective}
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    record_event("account_deactivated", staff, details=details)
    if caseload:
        text = f"{staff}'s caseload is now yours from {long_date(effective)}: {caseload_size(len(caseload))}."
        key = f"caseload-handed-over:{staff.pk}:{timezone.now().isoformat()}"
        notify(successor, NotificationKind.CASELOAD_HANDED_OVER, text, link=reverse("web:home"), dedupe_key=key)
    return len(caseload)


def caseload_size(count: int) -> str:
    return f"{count} famil{pluralize(count, 'y,ies')} or client{pluralize(count)}"


def long_date(day: date) -> str:
    return format_date(day, "F j, Y")


def _check_hand_over(staff: User, successor: User | None, caseload: list[CaseloadAssignment], effective: date) -> None:
    """What the hand-over itself does not check: that a colleague is named, that their roles can take the
    caseload, and that the date is neither after today (the account goes now) nor before the caseload began."""
    if successor is None:
        raise ValidationError(
            {"colleague": f"{staff} works {caseload_size(len(caseload))}. Name the colleague who takes them over."}
        )
    if not can_take_over(successor.role_codes, roles_worked(staff)):
        takers = roles_that_take_over(roles_worked(staff))
        named = ", ".join(role.label for role in Role if role in takers)
        raise ValidationError(
            {"colleague": f"{successor} cannot take over this caseload. Choose a colleague who is one of: {named}."}
        )
    if effective > timezone.localdate():
        raise ValidationError({"effective": "The hand-over cannot start after today: the account is deactivated now."})
    latest = max(assignment.assigned_on for assignment in caseload)
    if effective < latest:
        raise ValidationError(
            {"effective": f"The hand-over cannot start before {long_date(latest)}, when {staff} took on the newest "
             "part of this caseload."}
        )


@transaction.atomic
def reactivate(admin: User, staff: User) -> None:
    """Let a deactivated staff member sign in again. Their former caseload stays with whoever took it over."""
    ensure_can_manage(admin, staff.agency)
    staff.is_active = True
    staff.save(update_fields=["is_active"])
    record_event("account_reactivated", staff)


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
