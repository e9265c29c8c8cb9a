"""The staff roles and what each implies. One place, so every rule about roles reads from here."""

from django.db import models


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Caseworker"
    CW_SUPERVISOR = "cw_supervisor", "Child welfare supervisor"
    COUNSELOR = "counselor", "Counselor"
    CLINICAL_SUPERVISOR = "clinical_supervisor", "Clinical supervisor"
    PEER_RECOVERY_SPECIALIST = "peer_recovery_specialist", "Peer recovery specialist"
    JUDGE = "judge", "Judge"
    COURT_COORDINATOR = "court_coordinator", "Court coordinator"
    ATTORNEY = "attorney", "Attorney"
    PARTNERSHIP_COORDINATOR = "partnership_coordinator", "Partnership coordinator"
    DATA_ANALYST = "data_analyst", "Data analyst"
    AGENCY_ADMIN = "agency_admin", "Agency administrator"


# Roles whose holders can be shown 42 CFR Part 2 records: they must pass a second factor.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.COUNSELOR,
        Role.CLINICAL_SUPERVISOR,
        Role.PEER_RECOVERY_SPECIALIST,
        Role.JUDGE,
        Role.COURT_COORDINATOR,
        Role.ATTORNEY,
    }
)

# Roles that see every family of their own agency, not only their caseload (need to know).
# Judges included: a dependency or family treatment court's judge hears every family before that court,
# and the issue's own scenario opens a consented record to a judge with no caseload.
AGENCY_WIDE_ROLES = frozenset({Role.CW_SUPERVISOR, Role.CLINICAL_SUPERVISOR, Role.COURT_COORDINATOR, Role.JUDGE})

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
    }
)

# Medical personnel for the Part 2 medical-emergency exception (§2.51).
MEDICAL_ROLES = frozenset({Role.COUNSELOR, Role.CLINICAL_SUPERVISOR})


class Purpose(models.TextChoices):
    TREATMENT = "treatment", "Treatment"
    CASE_PLANNING = "case_planning", "Case planning"
    COURT_MONITORING = "court_monitoring", "Court monitoring"
    COURT_PROCEEDING = "court_proceeding", "Use in a court proceeding"
    CARE_COORDINATION = "care_coordination", "Care coordination"
    PAYMENT_OPERATIONS = "payment_operations", "Payment and health care operations"
    EVALUATION = "evaluation", "Evaluation"
    MEDICAL_EMERGENCY = "medical_emergency", "Medical emergency"


# The purpose a role reads for when it does not say otherwise.
DEFAULT_PURPOSE_BY_ROLE = {
    Role.CASEWORKER: Purpose.CASE_PLANNING,
    Role.CW_SUPERVISOR: Purpose.CASE_PLANNING,
    Role.COUNSELOR: Purpose.TREATMENT,
    Role.CLINICAL_SUPERVISOR: Purpose.TREATMENT,
    Role.PEER_RECOVERY_SPECIALIST: Purpose.TREATMENT,
    Role.JUDGE: Purpose.COURT_MONITORING,
    Role.COURT_COORDINATOR: Purpose.COURT_MONITORING,
    Role.ATTORNEY: Purpose.COURT_PROCEEDING,
}

# Roles that administer screens (SAFERR): child welfare and treatment staff who work the family.
SCREENING_ROLES = frozenset(
    {Role.CASEWORKER, Role.CW_SUPERVISOR, Role.COUNSELOR, Role.CLINICAL_SUPERVISOR, Role.PEER_RECOVERY_SPECIALIST}
)

# Treatment professionals who record a clinical assessment (diagnosis, ASAM level of care).
ASSESSMENT_ROLES = frozenset({Role.COUNSELOR, Role.CLINICAL_SUPERVISOR})
