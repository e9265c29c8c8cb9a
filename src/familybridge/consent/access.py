"""Who may record or open each legal basis from the pages: one place, so every such rule reads from here.

Reads stay with the policy point; these rules decide only who may write a basis or see its log.
"""

from typing import Any

from familybridge.agencies.models import AgencyKind
from familybridge.agencies.roles import Role

COURT_ORDER_ROLES = frozenset({Role.JUDGE, Role.COURT_COORDINATOR})
AGREEMENT_ROLES = frozenset({Role.AGENCY_ADMIN, Role.PARTNERSHIP_COORDINATOR})
# The program's clinical supervisors review its emergency log and are told of each access; its
# administrators are not: they read no one's records, and the log names the clients.
EMERGENCY_LOG_ROLES = frozenset({Role.CLINICAL_SUPERVISOR})
TREATMENT_STAFF_ROLES = frozenset({Role.COUNSELOR, Role.CLINICAL_SUPERVISOR, Role.PEER_RECOVERY_SPECIALIST})
# Who answers for a disclosing agency that a consent naming it is on file and signed: a program's
# counselors and clinical supervisors; elsewhere the supervising role that sees the whole agency.
CONSENT_VERIFIER_ROLES = frozenset(
    {Role.COUNSELOR, Role.CLINICAL_SUPERVISOR, Role.CW_SUPERVISOR, Role.COURT_COORDINATOR}
)


def may_record_court_order(user: Any) -> bool:
    """A court's judges and court coordinators record the orders their court issues."""
    return bool(user.agency_id and user.agency.kind == AgencyKind.COURT and user.role_codes & COURT_ORDER_ROLES)


def may_record_agreement(user: Any) -> bool:
    return bool(user.agency_id and user.role_codes & AGREEMENT_ROLES)


def may_approve_agreement(user: Any, party: Any = None) -> bool:
    """An agency's administrators approve agreements for their own agency only (and, given one, for that party)."""
    if not (user.agency_id and Role.AGENCY_ADMIN in user.role_codes):
        return False
    return party is None or party.pk == user.agency_id


def may_verify_consents(user: Any, discloser: Any = None) -> bool:
    """Verifiers of the user's own agency answer for it alone: a consent never binds an agency by another's word."""
    if not (user.agency_id and user.role_codes & CONSENT_VERIFIER_ROLES):
        return False
    return discloser is None or discloser.pk == user.agency_id


def may_open_emergency_access(user: Any) -> bool:
    """Medical personnel only (§2.51): clinicians of a health agency, counselors and clinical supervisors of a
    treatment program — the role and the kind of agency together (`roles.MEDICAL_ROLES_BY_AGENCY_KIND`)."""
    return bool(user.agency_id and user.is_medical_personnel)


def sees_emergency_log(user: Any) -> bool:
    """The clinical supervisors of a Part 2 program: those the program's notice goes to."""
    return bool(user.agency_id and user.agency.is_part2_program and user.role_codes & EMERGENCY_LOG_ROLES)


def may_handle_restrictions(user: Any, program: Any = None) -> bool:
    """Treatment staff of the Part 2 program the request is made to (or, without a program, of any)."""
    if not (user.agency_id and user.agency.is_part2_program and user.role_codes & TREATMENT_STAFF_ROLES):
        return False
    return program is None or program.pk == user.agency_id


def may_file_child_abuse_report(user: Any) -> bool:
    """Treatment staff of a treatment program make the initial report (§2.12)."""
    return bool(
        user.agency_id and user.agency.kind == AgencyKind.SUD_TREATMENT and user.role_codes & TREATMENT_STAFF_ROLES
    )
