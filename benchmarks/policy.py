"""Policy point: listing 1,000 records through it versus unfiltered, and single-record decisions per second.

A partnership of three agencies; 500 mothers in 500 families, each with two Part 2 records at a
treatment program; 450 of them consented to child welfare; an agreement adds grants for every
subject; a caseworker has 500 families on caseload, a supervisor sees the whole agency.
"""

from datetime import date, datetime, timedelta

from _setup import best_of, django_on_scratch_database

django_on_scratch_database()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from familybridge.agencies.models import Agency, StaffRole, User  # noqa: E402
from familybridge.consent import policy, services  # noqa: E402
from familybridge.consent.models import ScenarioRecord  # noqa: E402
from familybridge.consent.validation import ConsentTerms  # noqa: E402
from familybridge.people.models import CaseloadAssignment, Family, FamilyMember, Person  # noqa: E402

MOTHERS = 500
CONSENTED = 450
DAY = date(2026, 3, 1)

cw = Agency.objects.create(name="Child welfare", slug="cw", kind="child_welfare")
hope = Agency.objects.create(name="Hope", slug="hope", kind="sud_treatment", is_part2_program=True)
court = Agency.objects.create(name="Court", slug="court", kind="court")
worker = User.objects.create(username="worker", agency=cw)
StaffRole.objects.create(user=worker, role="caseworker")
supervisor = User.objects.create(username="supervisor", agency=cw)
StaffRole.objects.create(user=supervisor, role="cw_supervisor")

people = Person.objects.bulk_create(Person(first_name=f"M{i}", last_name="Bench") for i in range(MOTHERS))
families = Family.objects.bulk_create(
    Family(name=f"F{i}", owner_agency=cw, opened_on=date(2025, 6, 1)) for i in range(MOTHERS)
)
FamilyMember.objects.bulk_create(
    FamilyMember(owner_agency=cw, subject=p, family=f, role="parent") for p, f in zip(people, families, strict=True)
)
CaseloadAssignment.objects.bulk_create(
    CaseloadAssignment(family=f, staff=worker, assigned_on=date(2025, 6, 1)) for f in families
)
ScenarioRecord.objects.bulk_create(
    ScenarioRecord(owner_agency=hope, subject=p, category=c, label="r", recorded_on=DAY)
    for p in people
    for c in ("sud.toxicology", "sud.attendance")
)
signed = timezone.make_aware(datetime(2026, 1, 5, 12))
for person in people[:CONSENTED]:
    services.record_consent(
        ConsentTerms(
            subject=person,
            kind="purpose_specific",
            disclosers=[hope],
            recipients=[cw, court],
            purposes=["case_planning", "court_monitoring"],
            categories=["sud.toxicology", "sud.attendance"],
            expires_on=DAY + timedelta(days=300),
            signer_name=str(person),
            signed_at=signed,
            revocation_statement="I may revoke this consent.",
        )
    )
services.record_agreement(
    name="MOU",
    parties=[cw, hope, court],
    categories=["cw.case", "court.case", "cw.case_plan"],
    purposes=["case_planning", "court_monitoring", "treatment"],
    starts_on=date(2026, 1, 1),
    ends_on=None,
)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

records = ScenarioRecord.objects.select_related("subject").order_by("pk")
# The baseline reads without the policy point, as only a system job may.
everything = ScenarioRecord.unrestricted.select_related("subject").order_by("pk")
assert everything.count() == 2 * MOTHERS
REPEATS = 7


def unfiltered() -> None:
    list(everything.all())


print(f"database: {connection.vendor}")
base = best_of(REPEATS, unfiltered)
print(f"list {everything.count()} records unfiltered: {base * 1000:.1f} ms")
for name, user in (("caseworker (caseload)", worker), ("supervisor (whole agency)", supervisor)):
    filtered = best_of(REPEATS, lambda u=user: list(policy.permitted(u, records.all(), "case_planning", on=DAY)))
    read_only = best_of(REPEATS, lambda u=user: policy.read(u, records, "case_planning", on=DAY, disclose=False))
    shown = policy.permitted(user, records.all(), "case_planning", on=DAY).count()
    print(
        f"{name}: permitted {filtered * 1000:.1f} ms (ratio {filtered / base:.2f}, {shown} shown); "
        f"read {read_only * 1000:.1f} ms (ratio {read_only / base:.2f})"
    )

disclosing = best_of(3, lambda: policy.read(worker, records, "case_planning", on=DAY))
print(f"read with disclosure records written (one insert): {disclosing * 1000:.1f} ms (ratio {disclosing / base:.2f})")

pks = list(everything.values_list("pk", flat=True)[:500])


def single_decisions() -> None:
    for pk in pks:
        policy.permitted(worker, ScenarioRecord.objects.filter(pk=pk), "case_planning", on=DAY).exists()


seconds = best_of(3, single_decisions)
print(f"single-record decisions: {len(pks) / seconds:,.0f} per second")
