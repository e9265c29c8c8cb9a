from django.http import HttpRequest

from familybridge.agencies.roles import Role
from familybridge.courts.selectors import may_see_docket
from familybridge.messaging.selectors import unread_message_count, unread_notifications


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_agency_admin": user.is_superuser or user.has_role(Role.AGENCY_ADMIN),
        "nav_works_cases": user.works_cases,
        "nav_sees_docket": may_see_docket(user),
        "nav_unread_notifications": unread_notifications(user).count(),
        "nav_unread_messages": unread_message_count(user),
    }
