"""Writes of the outcomes area: the partnership's targets. (Importing extracts: importing.py.)"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from familybridge.agencies.models import Partnership, User
from familybridge.agencies.roles import Role
from familybridge.outcomes.indicators import BY_CODE
from familybridge.outcomes.models import OutcomeTarget


def may_set_targets(user: User, partnership: Partnership) -> bool:
    """Partnership coordinators of a member agency set the partnership's targets."""
    if user.is_superuser:
        return True
    return bool(
        user.agency_id
        and user.has_role(Role.PARTNERSHIP_COORDINATOR)
        and partnership.agencies.filter(pk=user.agency_id).exists()
    )


@transaction.atomic
def set_targets(user: User, partnership: Partnership, targets: dict[str, Decimal | None]) -> None:
    """Set (or, with None, clear) the partnership's target per indicator code."""
    if not may_set_targets(user, partnership):
        raise PermissionDenied("Only the partnership's coordinators set its outcome targets.")
    unknown = set(targets) - BY_CODE.keys()
    if unknown:
        raise ValidationError(f"Unknown indicator: {', '.join(sorted(unknown))}.")
    current = {t.indicator: t for t in OutcomeTarget.objects.filter(partnership=partnership)}
    for code, value in targets.items():
        existing = current.get(code)
        if value is None:
            if existing:
                existing.delete()
        elif existing is None:
            OutcomeTarget.objects.create(partnership=partnership, indicator=code, target=value, set_by=user)
        elif existing.target != value:
            existing.target, existing.set_by = value, user
            existing.save(update_fields=["target", "set_by", "updated_at"])
