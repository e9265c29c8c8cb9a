"""The staff roles, the agencies they fit and the purposes they read for. One place, so every rule about
roles reads from here."""

from collections.abc import Iterable

from django.db import models


class AgencyKind(models.TextChoices):
    CHILD_WELFARE = "child_welfare", "Child welfare"
    SUD_TREATMENT = "sud_treatment", "SUD treatment"
    COURT = "court", "Court"
    HEALTH = "health", "Health"
    COMMUNITY = "community", "Community"


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Caseworker"
    CW_SUPERVISOR = "cw_supervisor", "Child welfare supervisor"
    COUNSELOR = "counselor", "Counselor"
    CLINICAL_SUPERVISOR = "clinical_supervisor", "Clinical supervisor"
    PEER_RECOVERY_SPECIALIST = "peer_recovery_specialist", "Peer recovery specialist"
    JUDGE = "judge", "Judge"
    COURT_COORDINATOR = "court_coordinator", "Court coordinator"
    ATTORNEY = "attorney", "Attorney"
    CLINICIAN = "clinician", "Clinician"
    PARTNERSHIP_COORDINATOR = "partnership_coordinator", "Partnership coordinator"
    DATA_ANALYST = "data_analyst", "Data analyst"
    AGENCY_ADMIN = "agency_admin", "Agency administrator"


# Roles that any kind of agency may have: they work no cases.
ROLES_OF_ANY_AGENCY = (Role.AGENCY_ADMIN, Role.DATA_ANALYST, Role.PARTNERSHIP_COORDINATOR)

# The roles that fit each kind of agency: a court has no counselors, a child welfare agency no judges.
ROLES_BY_AGENCY_KIND: dict[str, tuple[Role, ...]] = {
    AgencyKind.CHILD_WELFARE: (Role.CASEWORKER, Role.CW_SUPERVISOR, *ROLES_OF_ANY_AGENCY),
    AgencyKind.SUD_TREATMENT: (
        Role.COUNSELOR,
        Role.CLINICAL_SUPERVISOR,
        Role.PEER_RECOVERY_SPECIALIST,
        *ROLES_OF_ANY_AGENCY,
    ),
    AgencyKind.COURT: (Role.JUDGE, Role.COURT_COORDINATOR, Role.ATTORNEY, *ROLES_OF_ANY_AGENCY),
    AgencyKind.HEALTH: (Role.CLINICIAN, *ROLES_OF_ANY_AGENCY),
    AgencyKind.COMMUNITY: (Role.CASEWORKER, Role.PEER_RECOVERY_SPECIALIST, *ROLES_OF_ANY_AGENCY),
}


def roles_that_do_not_fit(roles: Iterable[str], agency_kind: str) -> list[str]:
    """The roles an agency of this kind cannot give (in the order given)."""
    fitting = ROLES_BY_AGENCY_KIND.get(agency_kind, ())
    return [role for role in roles if role not in fitting]


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


# Roles that see every family of their own agency, not only their caseload (need to know): the supervising
# roles, who also assign the agency's work. A judge's need to know is the docket of cases assigned to them.
AGENCY_WIDE_ROLES = frozenset({Role.CW_SUPERVISOR, Role.CLINICAL_SUPERVISOR, Role.COURT_COORDINATOR})
SUPERVISING_ROLES = AGENCY_WIDE_ROLES

# Roles that work families or clients by assignment (a caseload, a client list, a docket), in the order a
# staff member's capacity is chosen when they hold several.
ASSIGNABLE_ROLES: tuple[Role, ...] = (
    Role.CASEWORKER,
    Role.COUNSELOR,
    Role.PEER_RECOVERY_SPECIALIST,
    Role.JUDGE,
    Role.ATTORNEY,
    Role.CLINICIAN,
    Role.CW_SUPERVISOR,
    Role.CLINICAL_SUPERVISOR,
)

# Roles that work individual families; the others (admin, analyst, coordinator) read no one's records.
CASE_ROLES = frozenset(
    {
        Role.CASEWORKER,
        Role.CW_SUPERVISOR,
        Role.COUNSELOR,
        Role.CLINICAL_SUPERVISOR,
        Role.PEER_RECOVERY_SPECIALIST,
        Role.JUDGE,
        Role.COURT_COORDINATOR,
        Role.ATTORNEY,
        Role.CLINICIAN,
    }
)

# Who may take over a departing colleague's caseload worked in a role: the same role, or the one that supervises it.
CASELOAD_TAKEN_OVER_BY: dict[str, frozenset[Role]] = {
    Role.CASEWORKER: frozenset({Role.CASEWORKER, Role.CW_SUPERVISOR}),
    Role.CW_SUPERVISOR: frozenset({Role.CASEWORKER, Role.CW_SUPERVISOR}),
    Role.COUNSELOR: frozenset({Role.COUNSELOR, Role.CLINICAL_SUPERVISOR}),
    Role.CLINICAL_SUPERVISOR: frozenset({Role.COUNSELOR, Role.CLINICAL_SUPERVISOR}),
    Role.PEER_RECOVERY_SPECIALIST: frozenset({Role.PEER_RECOVERY_SPECIALIST, Role.CLINICAL_SUPERVISOR}),
    Role.JUDGE: frozenset({Role.JUDGE}),
    Role.COURT_COORDINATOR: frozenset({Role.COURT_COORDINATOR}),
    Role.ATTORNEY: frozenset({Role.ATTORNEY}),
    Role.CLINICIAN: frozenset({Role.CLINICIAN}),
}


def roles_that_take_over(departing_roles: Iterable[str]) -> frozenset[Role]:
    """The roles that can take over (part of) the caseload of someone holding these roles. Someone who works no cases
    any more, though families are still assigned to them, hands them to anyone who does."""
    departing = set(departing_roles) & CASE_ROLES
    if not departing:
        return CASE_ROLES
    return frozenset().union(*(CASELOAD_TAKEN_OVER_BY[role] for role in departing))


def can_take_over(successor_roles: Iterable[str], departing_roles: Iterable[str]) -> bool:
    """Whether the successor's roles can take every part of the caseload: for each case role of the departing
    colleague, one of the roles that takes it (`CASELOAD_TAKEN_OVER_BY`)."""
    successor = set(successor_roles)
    departing = set(departing_roles) & CASE_ROLES
    if not departing:
        return bool(successor & CASE_ROLES)
    return all(successor & CASELOAD_TAKEN_OVER_BY[role] for role in departing)


# Medical personnel for the Part 2 medical-emergency exception (§2.51): the role and the kind of agency
# together. A counselor's role at a court (which the registry above refuses anyway) would not count.
MEDICAL_ROLES_BY_AGENCY_KIND: dict[str, frozenset[Role]] = {
    AgencyKind.HEALTH: frozenset({Role.CLINICIAN}),
    AgencyKind.SUD_TREATMENT: frozenset({Role.COUNSELOR, Role.CLINICAL_SUPERVISOR}),
}


def are_medical_personnel(roles: Iterable[str], agency_kind: str | None) -> bool:
    medical = MEDICAL_ROLES_BY_AGENCY_KIND.get(agency_kind or "", frozenset())
    return bool(medical.intersection(roles))


class Purpose(models.TextChoices):
    TREATMENT = "treatment", "Treatment"
    CASE_PLANNING = "case_planning", "Case planning"
    COURT_MONITORING = "court_monitoring", "Court monitoring"
    COURT_PROCEEDING = "court_proceeding", "Use in a court proceeding"
    CARE_COORDINATION = "care_coordination", "Care coordination"
    PAYMENT_OPERATIONS = "payment_operations", "Payment and health care operations"
    EVALUATION = "evaluation", "Evaluation"
    MEDICAL_EMERGENCY = "medical_emergency", "Medical emergency"


# The purposes each role reads for, its usual one first. Administrators and coordinators read for none:
# they work no cases. Analysts read for evaluation, and only aggregates. Medical emergency is added for
# medical personnel only (`purposes_of`), since it depends on the agency's kind as well as the role.
PURPOSES_BY_ROLE: dict[str, tuple[Purpose, ...]] = {
    Role.CASEWORKER: (Purpose.CASE_PLANNING, Purpose.CARE_COORDINATION),
    Role.CW_SUPERVISOR: (Purpose.CASE_PLANNING, Purpose.CARE_COORDINATION),
    Role.COUNSELOR: (Purpose.TREATMENT, Purpose.CARE_COORDINATION, Purpose.PAYMENT_OPERATIONS),
    Role.CLINICAL_SUPERVISOR: (Purpose.TREATMENT, Purpose.CARE_COORDINATION, Purpose.PAYMENT_OPERATIONS),
    Role.PEER_RECOVERY_SPECIALIST: (Purpose.TREATMENT, Purpose.CARE_COORDINATION, Purpose.PAYMENT_OPERATIONS),
    Role.JUDGE: (Purpose.COURT_MONITORING, Purpose.COURT_PROCEEDING),
    Role.COURT_COORDINATOR: (Purpose.COURT_MONITORING, Purpose.COURT_PROCEEDING),
    Role.ATTORNEY: (Purpose.COURT_PROCEEDING,),
    Role.CLINICIAN: (Purpose.TREATMENT, Purpose.CARE_COORDINATION),
    Role.DATA_ANALYST: (Purpose.EVALUATION,),
}


def purposes_of(roles: Iterable[str], agency_kind: str | None) -> tuple[Purpose, ...]:
    """The purposes a holder of these roles at this kind of agency reads for: the union over the roles,
    in the order of `Purpose`, with medical emergency for medical personnel."""
    roles = set(roles)
    allowed = {purpose for role in roles for purpose in PURPOSES_BY_ROLE.get(role, ())}
    if are_medical_personnel(roles, agency_kind):
        allowed.add(Purpose.MEDICAL_EMERGENCY)
    return tuple(purpose for purpose in Purpose if purpose in allowed)


def default_purpose_of(roles: Iterable[str]) -> Purpose | None:
    """The usual purpose of the first of these roles (in the order of `Role`) that reads for any."""
    for role in Role:
        if role in roles and role in PURPOSES_BY_ROLE:
            return PURPOSES_BY_ROLE[role][0]
    return None


# Roles that administer screens (SAFERR): child welfare and treatment staff who work the family.
SCREENING_ROLES = frozenset(
    {Role.CASEWORKER, Role.CW_SUPERVISOR, Role.COUNSELOR, Role.CLINICAL_SUPERVISOR, Role.PEER_RECOVERY_SPECIALIST}
)

# Treatment professionals who record a clinical assessment (diagnosis, ASAM level of care).
ASSESSMENT_ROLES = frozenset({Role.COUNSELOR, Role.CLINICAL_SUPERVISOR})
