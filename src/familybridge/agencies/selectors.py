from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from familybridge.agencies.models import Agency, Partnership, StaffRole, Team, TeamMembership, User
from familybridge.agencies.roles import ASSIGNABLE_ROLES, SUPERVISING_ROLES, Role, can_take_over
from familybridge.people.services import open_assignments_of

# The staff list's filter: everyone, or only active or only deactivated accounts.
STAFF_STATUSES = {"": "Everyone", "active": "Active", "deactivated": "Deactivated"}


def staff_of(agency: Agency, *, status: str = "") -> QuerySet[User]:
    staff = (
        User.objects.filter(agency=agency)
        .prefetch_related(Prefetch("staff_roles", queryset=StaffRole.objects.order_by("role")))
        .order_by("last_name", "first_name", "username")
    )
    if status:
        staff = staff.filter(is_active=status == "active")
    return staff


def roles_worked(staff: User) -> set[str]:
    """The roles a staff member's open caseload is worked in: each assignment's capacity, or their own roles for
    an assignment that names none."""
    capacities = set(open_assignments_of(staff).values_list("capacity", flat=True))
    if "" in capacities:
        capacities = (capacities - {""}) | staff.role_codes
    return capacities


def colleagues_who_can_take_over(staff: User) -> QuerySet[User]:
    """Active colleagues of the same agency whose roles can take over this staff member's open caseload
    (`roles.can_take_over`)."""
    worked = roles_worked(staff)
    colleagues = staff_of(staff.agency, status="active").exclude(pk=staff.pk)
    able = [c.pk for c in colleagues if can_take_over((r.role for r in c.staff_roles.all()), worked)]
    return colleagues.filter(pk__in=able)


def agencies_administered_by(user: User) -> QuerySet[Agency]:
    if user.is_superuser:
        return Agency.objects.all()
    if user.has_role(Role.AGENCY_ADMIN) and user.agency_id:
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def partnerships_of(user: User) -> QuerySet[Partnership]:
    if not user.agency_id:
        return Partnership.objects.none()
    return Partnership.objects.filter(agencies=user.agency_id).prefetch_related("agencies")


def teams_of(agency: Agency) -> QuerySet[Team]:
    return (
        Team.objects.filter(agency=agency)
        .select_related("supervisor")
        .prefetch_related(Prefetch("memberships", queryset=TeamMembership.objects.select_related("user")))
    )


def supervised_caseworkers(supervisor: User) -> QuerySet[User]:
    """The caseworkers whose caseloads a supervisor watches: their teams' members, or the whole agency's
    caseworkers when they lead no team."""
    caseworkers = User.objects.filter(agency_id=supervisor.agency_id, is_active=True, staff_roles__role=Role.CASEWORKER)
    if Team.objects.filter(supervisor=supervisor).exists():
        caseworkers = caseworkers.filter(team_membership__team__supervisor=supervisor)
    return caseworkers.distinct().order_by("last_name", "first_name")


def case_staff_of(agency_id: int | None) -> QuerySet[User]:
    """The agency's active staff in a role that works families or clients by assignment, by name."""
    if not agency_id:
        return User.objects.none()
    return (
        User.objects.filter(agency_id=agency_id, is_active=True, staff_roles__role__in=ASSIGNABLE_ROLES)
        .distinct()
        .order_by("last_name", "first_name")
    )


def supervisors_of(staff: Iterable[User]) -> QuerySet[User]:
    """The active supervisors of these staff: each one's team supervisor, or, for someone on no team led by a
    supervisor, the supervising roles of their agency."""
    staff = list(staff)
    led = set(
        TeamMembership.objects.filter(user__in=staff, team__supervisor__isnull=False).values_list("user_id", flat=True)
    )
    unled_agencies = {member.agency_id for member in staff if member.pk not in led}
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(teams_led__memberships__user__in=led)
            | Q(agency_id__in=unled_agencies, staff_roles__role__in=SUPERVISING_ROLES)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
