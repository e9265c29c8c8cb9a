"""Who may do what in the partnership's workspace.

Practice data is about staff opinions and partnership work, not about families, so it does not go
through the consent policy point; but management is still limited: staff of member agencies read
the workspace, answer rounds and acknowledge protocols; partnership coordinators of a member agency
manage rounds, instruments, the Matrix, plans, the catalog and committees; an agency's
supervisors, administrators and coordinators publish that agency's protocols. Anonymous
respondents need no account at all: they hold a round's link.
"""

from django.core.exceptions import PermissionDenied

from familybridge.agencies.models import Partnership, User
from familybridge.agencies.roles import Role

PROTOCOL_PUBLISHER_ROLES = (
    Role.AGENCY_ADMIN,
    Role.PARTNERSHIP_COORDINATOR,
    Role.CW_SUPERVISOR,
    Role.CLINICAL_SUPERVISOR,
    Role.COURT_COORDINATOR,
)


def is_member(user: User, partnership: Partnership) -> bool:
    return bool(user.is_authenticated and user.agency_id and partnership.agencies.filter(pk=user.agency_id).exists())


def is_coordinator(user: User, partnership: Partnership) -> bool:
    return is_member(user, partnership) and user.has_role(Role.PARTNERSHIP_COORDINATOR)


def may_publish_protocols(user: User, partnership: Partnership) -> bool:
    return is_member(user, partnership) and user.has_role(*PROTOCOL_PUBLISHER_ROLES)


def ensure_member(user: User, partnership: Partnership) -> None:
    if not is_member(user, partnership):
        raise PermissionDenied("Only staff of the partnership's member agencies can see its workspace.")


def ensure_coordinator(user: User, partnership: Partnership) -> None:
    if not is_coordinator(user, partnership):
        raise PermissionDenied("Only the partnership's coordinators can do this.")
