"""The demo agencies and staff: every role, each at an agency where it makes sense."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django_otp.plugins.otp_totp.models import TOTPDevice

from familybridge.agencies.models import Agency, AgencyKind, Partnership, StaffRole, Team, TeamMembership, User
from familybridge.agencies.roles import Role
from familybridge.agencies.services import deactivate
from familybridge.people.models import Family
from familybridge.people.services import assign

DEMO_PASSWORD = "family-bridge-demo"  # noqa: S105 (printed for the demo; never a real deployment)
DEMO_DEVICE_NAME = "demo"

AGENCIES = [
    ("cedar-dcfs", "Cedar County Department of Children and Family Services", AgencyKind.CHILD_WELFARE, False),
    ("new-dawn", "New Dawn Recovery Center", AgencyKind.SUD_TREATMENT, True),
    ("harbor", "Harbor Family Treatment Services", AgencyKind.SUD_TREATMENT, True),
    ("cedar-court", "Cedar County Family Treatment Court", AgencyKind.COURT, False),
]


@dataclass(frozen=True)
class DemoStaff:
    username: str
    first_name: str
    last_name: str
    agency: str
    roles: tuple[str, ...]
    job_title: str
    email: str = ""


STAFF = [
    # Her address lets the demo show a password reset: the email is printed on the server's console.
    DemoStaff(
        "maria.alvarez", "Maria", "Alvarez", "cedar-dcfs", (Role.CASEWORKER,), "Ongoing caseworker",
        email="maria.alvarez@cedar-county.example",
    ),
    DemoStaff("james.brooks", "James", "Brooks", "cedar-dcfs", (Role.CASEWORKER,), "Ongoing caseworker"),
    DemoStaff("lin.chen", "Lin", "Chen", "cedar-dcfs", (Role.CASEWORKER,), "Intake caseworker"),
    DemoStaff("denise.davis", "Denise", "Davis", "cedar-dcfs", (Role.CW_SUPERVISOR,), "Casework supervisor"),
    DemoStaff("paul.ortiz", "Paul", "Ortiz", "cedar-dcfs", (Role.AGENCY_ADMIN,), "Systems administrator"),
    DemoStaff("grace.kim", "Grace", "Kim", "cedar-dcfs", (Role.PARTNERSHIP_COORDINATOR,), "Partnership coordinator"),
    DemoStaff("sam.patel", "Sam", "Patel", "cedar-dcfs", (Role.DATA_ANALYST,), "Data analyst"),
    DemoStaff("rosa.nguyen", "Rosa", "Nguyen", "new-dawn", (Role.COUNSELOR,), "Addiction counselor"),
    DemoStaff("ben.walker", "Ben", "Walker", "new-dawn", (Role.CLINICAL_SUPERVISOR,), "Clinical director"),
    DemoStaff("tasha.green", "Tasha", "Green", "new-dawn", (Role.PEER_RECOVERY_SPECIALIST,), "Peer recovery coach"),
    DemoStaff("omar.haddad", "Omar", "Haddad", "new-dawn", (Role.AGENCY_ADMIN,), "Office manager"),
    DemoStaff("ellen.moore", "Ellen", "Moore", "harbor", (Role.COUNSELOR,), "Family therapist"),
    DemoStaff("victor.lee", "Victor", "Lee", "harbor", (Role.CLINICAL_SUPERVISOR,), "Clinical supervisor"),
    DemoStaff("nina.shah", "Nina", "Shah", "harbor", (Role.AGENCY_ADMIN,), "Administrator"),
    DemoStaff("judge.okafor", "Adaeze", "Okafor", "cedar-court", (Role.JUDGE,), "Presiding judge"),
    DemoStaff("judge.marsh", "Thomas", "Marsh", "cedar-court", (Role.JUDGE,), "Associate judge"),
    DemoStaff("carl.fischer", "Carl", "Fischer", "cedar-court", (Role.COURT_COORDINATOR,), "FTC coordinator"),
    DemoStaff("leah.reyes", "Leah", "Reyes", "cedar-court", (Role.ATTORNEY,), "Parent attorney"),
    DemoStaff("hugo.bauer", "Hugo", "Bauer", "cedar-court", (Role.AGENCY_ADMIN,), "Court clerk"),
]


# A caseworker who left: his account is deactivated and his families handed to a colleague (`load_departure`).
DEPARTED = DemoStaff("tom.harris", "Tom", "Harris", "cedar-dcfs", (Role.CASEWORKER,), "Ongoing caseworker")


def demo_totp_key(username: str) -> str:
    """A fixed key per demo account, so the printed instructions work on every run."""
    return hashlib.sha256(f"familybridge-demo-totp:{username}".encode()).hexdigest()[:40]


def load_agencies() -> tuple[Partnership, dict[str, Agency]]:
    agencies = {}
    for slug, name, kind, part2 in AGENCIES:
        agencies[slug], _ = Agency.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "is_part2_program": part2}
        )
    partnership, _ = Partnership.objects.get_or_create(
        slug="cedar-county",
        defaults={"name": "Cedar County Family Recovery Partnership", "jurisdiction": "Cedar County"},
    )
    partnership.agencies.add(*agencies.values())
    return partnership, agencies


def load_staff(agencies: dict[str, Agency]) -> dict[str, User]:
    return {person.username: load_account(person, agencies) for person in STAFF}


def load_account(person: DemoStaff, agencies: dict[str, Agency]) -> User:
    user, created = User.objects.get_or_create(
        username=person.username,
        defaults={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "agency": agencies[person.agency],
            "job_title": person.job_title,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        StaffRole.objects.bulk_create(StaffRole(user=user, role=role) for role in person.roles)
    # Every account passes a second factor; `familybridge otp code USERNAME` prints the demo's codes.
    TOTPDevice.objects.get_or_create(
        user=user, name=DEMO_DEVICE_NAME, defaults={"key": demo_totp_key(user.username), "confirmed": True}
    )
    return user


def load_departure(agencies: dict[str, Agency], users: dict[str, User], today: date) -> None:
    """Tom Harris co-worked two of Maria Alvarez's open families and left two weeks ago: the administrator
    deactivated his account and handed his caseload to James Brooks, through the staff page's own service."""
    if User.objects.filter(username=DEPARTED.username).exists():
        return
    tom = load_account(DEPARTED, agencies)
    families = Family.objects.filter(
        assignments__staff=users["maria.alvarez"], assignments__ended_on=None, closed_on=None
    ).order_by("case_number")[:2]
    for family in families:
        assign(users["denise.davis"], staff=tom, family=family, on=family.opened_on)
    deactivate(users["paul.ortiz"], tom, successor=users["james.brooks"], effective=today - timedelta(days=14))


# The child welfare supervisor leads the caseworkers' team: her "My team's caseloads" page shows them.
TEAMS = [("cedar-dcfs", "Ongoing services", "denise.davis", ("maria.alvarez", "james.brooks", "lin.chen"))]


def load_teams(agencies: dict[str, Agency], users: dict[str, User]) -> None:
    for agency, name, supervisor, members in TEAMS:
        team, _ = Team.objects.get_or_create(
            agency=agencies[agency], name=name, defaults={"supervisor": users[supervisor]}
        )
        for member in members:
            TeamMembership.objects.get_or_create(user=users[member], defaults={"team": team})
