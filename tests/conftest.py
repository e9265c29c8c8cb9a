"""Shared fixtures: a small partnership built through the real models, and the browser."""

import os
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management.commands import flush
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from familybridge.agencies.models import Agency, AgencyKind, Partnership, StaffRole, User
from familybridge.agencies.roles import Role
from familybridge.audit.integrity import audit_purge_permitted
from familybridge.consent.categories import Category
from familybridge.consent.models import REVOCATION_STATEMENT
from familybridge.consent.validation import ConsentTerms
from familybridge.messaging.models import CommunicationProtocol
from familybridge.people.models import CaseloadAssignment, Family, FamilyMember, LocalIdentifier, MemberRole, Person

# Playwright's sync API runs an event loop in the test thread; the ORM calls beside it are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-long-test-password-42"

_original_flush = flush.Command.handle


def _flush_permitting_audit_purge(self, *args, **options):
    # Transactional tests empty the database between tests; the audit triggers allow only that.
    with audit_purge_permitted():
        return _original_flush(self, *args, **options)


flush.Command.handle = _flush_permitting_audit_purge


def totp_now(device: TOTPDevice) -> str:
    """The code an authenticator app holding this device's key shows now."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in(client: Client, user: User) -> Client:
    """Sign the test client in as this staff member the way they do: password, then the second factor,
    which every account passes before it sees anything. Each call enrolls a fresh authenticator, so a
    code is never replayed."""
    device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    client.force_login(user)
    response = client.post(reverse("web:otp-verify"), {"token": totp_now(device)})
    assert response.status_code == 302, "the second factor was refused"
    return client


@pytest.fixture
def agencies(db) -> dict[str, Agency]:
    made = {
        "cw": Agency.objects.create(name="County Children's Services", slug="cw", kind=AgencyKind.CHILD_WELFARE),
        "sud": Agency.objects.create(
            name="Hope Recovery", slug="hope", kind=AgencyKind.SUD_TREATMENT, is_part2_program=True
        ),
        "sud2": Agency.objects.create(
            name="Harbor Treatment", slug="harbor", kind=AgencyKind.SUD_TREATMENT, is_part2_program=True
        ),
        "court": Agency.objects.create(name="Family Court", slug="court", kind=AgencyKind.COURT),
    }
    partnership = Partnership.objects.create(name="Test Partnership", slug="test", jurisdiction="Test County")
    partnership.agencies.add(*made.values())
    return made


@pytest.fixture
def make_user(db):
    def make(username: str, agency: Agency, *roles: str, password: str = PASSWORD) -> User:
        user = User.objects.create_user(
            username=username, password=password, agency=agency, first_name=username.title(), last_name="Tester"
        )
        StaffRole.objects.bulk_create(StaffRole(user=user, role=role) for role in roles)
        return user

    return make


@pytest.fixture
def family(agencies) -> Family:
    """A mother, a father and a child, known to child welfare; the mother is also a treatment client."""
    cw = agencies["cw"]
    fam = Family.objects.create(name="Rivera family", owner_agency=cw, case_number="CW-1", opened_on=date(2026, 1, 5))
    members = {
        "mom": Person.objects.create(first_name="Ana", last_name="Rivera", birth_date=date(1990, 4, 1), sex="F"),
        "dad": Person.objects.create(first_name="Luis", last_name="Rivera", birth_date=date(1988, 7, 9), sex="M"),
        "kid": Person.objects.create(first_name="Sofia", last_name="Rivera", birth_date=date(2019, 2, 3), sex="F"),
    }
    for key, role in (("mom", MemberRole.PARENT), ("dad", MemberRole.PARENT), ("kid", MemberRole.CHILD)):
        FamilyMember.objects.create(owner_agency=cw, subject=members[key], family=fam, role=role)
        LocalIdentifier.objects.create(owner_agency=cw, subject=members[key], identifier=f"CW-{key}")
    LocalIdentifier.objects.create(owner_agency=agencies["sud"], subject=members["mom"], identifier="TX-1")
    fam.people = members
    return fam


@pytest.fixture
def assign():
    def do(user: User, family: Family) -> CaseloadAssignment:
        # On the caseload long before the histories the tests record, so reads "as of" a past day still know it.
        return CaseloadAssignment.objects.create(family=family, staff=user, assigned_on=date(2020, 1, 1))

    return do


# The staff who work the Rivera family: each has it on their caseload.
@pytest.fixture
def worker(agencies, family, make_user, assign) -> User:
    user = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(user, family)
    return user


@pytest.fixture
def counselor(agencies, family, make_user, assign) -> User:
    user = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(user, family)
    return user


@pytest.fixture
def coordinator(agencies, family, make_user, assign) -> User:
    user = make_user("coordinator", agencies["court"], Role.COURT_COORDINATOR)
    assign(user, family)
    return user


@pytest.fixture
def monthly_protocol(agencies):
    protocol = CommunicationProtocol.objects.create(
        partnership=agencies["cw"].partnerships.get(),
        decision_point="sud_monitoring",
        information="Monthly treatment progress report",
        category=Category.SUD_PROGRESS,
        from_agency_kind="sud_treatment",
        frequency="monthly",
        due_within_days=10,
        legal_basis="Consent",
    )
    protocol.to_agencies.set([agencies["cw"], agencies["court"]])
    return protocol


def signed(day: date):
    return timezone.make_aware(datetime.combine(day, time(10)))


@pytest.fixture
def consent_terms(agencies, family):
    """What a mother typically agrees to: her program may tell the court and child welfare how treatment goes."""

    def make(**changes) -> ConsentTerms:
        values = {
            "subject": family.people["mom"],
            "kind": "purpose_specific",
            "disclosers": [agencies["sud"]],
            "recipients": [agencies["court"], agencies["cw"]],
            "purposes": ["court_monitoring", "case_planning"],
            "categories": ["sud.enrollment", "sud.toxicology"],
            "expires_on": timezone.localdate() + timedelta(days=365),
            "signer_name": "Ana Rivera",
            "signed_at": signed(date(2026, 1, 5)),
            "revocation_statement": REVOCATION_STATEMENT,
        }
        values.update(changes)
        return ConsentTerms(**values)

    return make
