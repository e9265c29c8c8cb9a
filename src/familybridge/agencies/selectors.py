from django.db.models import Prefetch, QuerySet

from familybridge.agencies.models import Agency, Partnership, StaffRole, User
from familybridge.agencies.roles import ASSIGNABLE_ROLES, Role


def staff_of(agency: Agency) -> QuerySet[User]:
    return (
        User.objects.filter(agency=agency)
        .prefetch_related(Prefetch("staff_roles", queryset=StaffRole.objects.order_by("role")))
        .order_by("last_name", "first_name")
    )


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


def case_staff_of(agency_id: int | None) -> QuerySet[User]:
    """The agency's active staff in a role that works families or clients by assignment, by name."""
    if not agency_id:
        return User.objects.none()
    return (
        User.objects.filter(agency_id=agency_id, is_active=True, staff_roles__role__in=ASSIGNABLE_ROLES)
        .distinct()
        .order_by("last_name", "first_name")
    )
