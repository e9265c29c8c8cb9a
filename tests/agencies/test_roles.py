"""Issue 10, findings 6 and 8: roles fit the agency's kind, nobody grants roles to themselves, medical
emergency is for medical personnel, and each role reads for its own purposes only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from familybridge.agencies import services
from familybridge.agencies.models import Agency, AgencyKind, StaffRole, User
from familybridge.agencies.roles import Purpose, Role, roles_that_do_not_fit
from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import access, policy
from familybridge.consent import services as consent_services
from familybridge.consent.models import EmergencyAccess
from familybridge.consent.scenarios import ScenarioError, load
from familybridge.demo.staff import AGENCIES, STAFF
from tests.conftest import sign_in


@pytest.fixture
def cw_admin(agencies, make_user):
    return make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)


@pytest.fixture
def health(db) -> Agency:
    return Agency.objects.create(name="County Health Clinic", slug="clinic", kind=AgencyKind.HEALTH)


def new_staff(admin: User, agency: Agency, *roles: str) -> User:
    return services.create_staff(
        admin,
        agency=agency,
        username="newcomer",
        password="correct horse battery staple",
        first_name="New",
        last_name="Comer",
        roles=roles,
    )


def test_finding_6_an_admin_cannot_give_himself_any_role(agencies, cw_admin):
    with pytest.raises(ValidationError) as error:
        services.set_roles(cw_admin, cw_admin, [Role.AGENCY_ADMIN, Role.CW_SUPERVISOR])
    assert "You cannot change your own roles" in str(error.value)
    assert User.objects.get(pk=cw_admin.pk).role_codes == {Role.AGENCY_ADMIN}


def test_finding_6_the_staff_page_does_not_offer_an_admin_his_own_roles(client, agencies, cw_admin):
    sign_in(client, cw_admin)
    url = reverse("web:staff-edit", args=["cw", cw_admin.pk])
    page = client.get(url).content.decode()
    assert "You cannot change your own roles" in page and "Save roles" not in page
    response = client.post(url, {"roles": [Role.AGENCY_ADMIN, Role.CW_SUPERVISOR]})
    assert "You cannot change your own roles" in response.content.decode()
    assert User.objects.get(pk=cw_admin.pk).role_codes == {Role.AGENCY_ADMIN}


@pytest.mark.parametrize(
    ("agency", "role"),
    [
        ("cw", Role.COUNSELOR),
        ("cw", Role.JUDGE),
        ("cw", Role.CLINICIAN),
        ("sud", Role.CASEWORKER),
        ("sud", Role.ATTORNEY),
        ("court", Role.COUNSELOR),
        ("court", Role.CW_SUPERVISOR),
    ],
)
def test_finding_6_a_role_that_does_not_fit_the_agency_is_refused(agencies, make_user, agency, role):
    admin = make_user("admin", agencies[agency], Role.AGENCY_ADMIN)
    colleague = make_user("colleague", agencies[agency], Role.DATA_ANALYST)
    with pytest.raises(ValidationError) as error:
        new_staff(admin, agencies[agency], role)
    assert f"agencies have no {Role(role).label} role" in str(error.value)
    assert not User.objects.filter(username="newcomer").exists()
    with pytest.raises(ValidationError):
        services.set_roles(admin, colleague, [Role.DATA_ANALYST, role])
    assert User.objects.get(pk=colleague.pk).role_codes == {Role.DATA_ANALYST}


def test_roles_of_every_kind_of_agency(agencies, health, make_user):
    community = Agency.objects.create(name="Family Resource Center", slug="frc", kind=AgencyKind.COMMUNITY)
    fitting = {
        agencies["cw"]: [Role.CASEWORKER, Role.CW_SUPERVISOR],
        agencies["sud"]: [Role.COUNSELOR, Role.CLINICAL_SUPERVISOR, Role.PEER_RECOVERY_SPECIALIST],
        agencies["court"]: [Role.JUDGE, Role.COURT_COORDINATOR, Role.ATTORNEY],
        health: [Role.CLINICIAN],
        community: [Role.CASEWORKER, Role.PEER_RECOVERY_SPECIALIST],
    }
    for agency, roles in fitting.items():
        admin = make_user(f"admin-{agency.slug}", agency, Role.AGENCY_ADMIN)
        staff = new_staff(admin, agency, *roles, Role.DATA_ANALYST, Role.PARTNERSHIP_COORDINATOR)
        assert staff.role_codes == {*roles, Role.DATA_ANALYST, Role.PARTNERSHIP_COORDINATOR}
        staff.delete()


def test_finding_6_the_staff_form_offers_only_the_roles_of_the_agencys_kind(client, agencies, cw_admin):
    sign_in(client, cw_admin)
    page = client.get(reverse("web:staff-create", args=["cw"])).content.decode()
    assert 'value="caseworker"' in page and 'value="agency_admin"' in page
    for other in (Role.COUNSELOR, Role.JUDGE, Role.CLINICIAN, Role.ATTORNEY):
        assert f'value="{other}"' not in page
    response = client.post(
        reverse("web:staff-create", args=["cw"]),
        {
            "username": "x",
            "first_name": "X",
            "last_name": "Y",
            "password": "correct horse battery staple",
            "roles": [Role.CASEWORKER, Role.COUNSELOR],
        },
    )
    assert "Select a valid choice. counselor is not one of the available choices." in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_finding_6_a_child_welfare_admin_holding_a_counselor_role_cannot_open_emergency_access(
    agencies, family, cw_admin
):
    """Even where a counselor role row exists at child welfare (written past the service), the check looks at
    the agency's kind as well as the role."""
    StaffRole.objects.create(user=cw_admin, role=Role.COUNSELOR)
    admin = User.objects.get(pk=cw_admin.pk)
    assert not access.may_open_emergency_access(admin)
    with pytest.raises(PermissionDenied):
        consent_services.open_emergency_access(admin, family.people["mom"], agencies["sud"], "Overdose")
    assert not EmergencyAccess.objects.exists()
    assert Purpose.MEDICAL_EMERGENCY not in admin.allowed_purposes


@pytest.mark.parametrize(
    ("agency", "role", "medical"),
    [
        ("sud", Role.COUNSELOR, True),
        ("sud", Role.CLINICAL_SUPERVISOR, True),
        ("health", Role.CLINICIAN, True),
        ("sud", Role.PEER_RECOVERY_SPECIALIST, False),
        ("sud", Role.AGENCY_ADMIN, False),
        ("cw", Role.CW_SUPERVISOR, False),
        ("court", Role.JUDGE, False),
        ("court", Role.COURT_COORDINATOR, False),
    ],
)
def test_medical_emergency_access_is_for_medical_personnel_only(agencies, health, make_user, agency, role, medical):
    user = make_user("someone", health if agency == "health" else agencies[agency], role)
    assert access.may_open_emergency_access(user) is medical
    assert (Purpose.MEDICAL_EMERGENCY in user.allowed_purposes) is medical


@pytest.mark.parametrize(
    ("roles", "agency", "purposes"),
    [
        ((Role.CASEWORKER,), "cw", {"case_planning", "care_coordination"}),
        ((Role.CW_SUPERVISOR,), "cw", {"case_planning", "care_coordination"}),
        ((Role.PEER_RECOVERY_SPECIALIST,), "sud", {"treatment", "care_coordination", "payment_operations"}),
        (
            (Role.COUNSELOR,),
            "sud",
            {"treatment", "care_coordination", "payment_operations", "medical_emergency"},
        ),
        ((Role.JUDGE,), "court", {"court_monitoring", "court_proceeding"}),
        ((Role.COURT_COORDINATOR,), "court", {"court_monitoring", "court_proceeding"}),
        ((Role.ATTORNEY,), "court", {"court_proceeding"}),
        ((Role.CLINICIAN,), "health", {"treatment", "care_coordination", "medical_emergency"}),
        ((Role.DATA_ANALYST,), "cw", {"evaluation"}),
        ((Role.AGENCY_ADMIN,), "cw", set()),
        ((Role.PARTNERSHIP_COORDINATOR,), "cw", set()),
        ((Role.ATTORNEY, Role.COURT_COORDINATOR), "court", {"court_monitoring", "court_proceeding"}),
    ],
)
def test_each_role_reads_for_its_own_purposes_the_union_over_its_roles(
    agencies, health, make_user, roles, agency, purposes
):
    user = make_user("someone", health if agency == "health" else agencies[agency], *roles)
    assert set(user.allowed_purposes) == purposes


@pytest.fixture
def episode(agencies, family) -> TreatmentEpisode:
    return TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 1, 20)
    )


@pytest.fixture
def consent_for_case_planning_to_the_court(agencies, family, consent_terms):
    """A consent naming the court and case planning: the purpose the attorney would claim."""
    return consent_services.record_consent(
        consent_terms(recipients=[agencies["court"], agencies["cw"]], purposes=["case_planning"])
    )


def test_finding_8_an_attorney_stating_case_planning_is_refused_and_sees_nothing(
    client, agencies, family, episode, consent_for_case_planning_to_the_court, make_user, assign
):
    attorney = make_user("attorney", agencies["court"], Role.ATTORNEY)
    assign(attorney, family)
    episodes = TreatmentEpisode.unrestricted.filter(pk=episode.pk)
    assert policy.permitted(attorney, episodes, Purpose.CASE_PLANNING).count() == 0
    assert policy.read(attorney, episodes, Purpose.CASE_PLANNING) == []
    sign_in(client, attorney)
    url = reverse("web:family-detail", args=[family.pk])
    response = client.get(url + "?purpose=case_planning")
    assert response.status_code == 403
    assert "Hope Recovery: admitted" not in response.content.decode()
    page = client.get(url).content.decode()
    assert "Hope Recovery: admitted" not in page
    assert '<option value="case_planning"' not in page and '<option value="court_proceeding"' in page


def test_a_caseworker_reads_the_same_consent_for_case_planning(
    client, agencies, family, episode, consent_for_case_planning_to_the_court, make_user, assign
):
    """The refusal above is about the attorney's purpose, not the consent: child welfare reads it."""
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(client, worker)
    page = client.get(reverse("web:family-detail", args=[family.pk]) + "?purpose=case_planning").content.decode()
    assert "Hope Recovery: admitted Jan 20, 2026" in page


SCENARIO = {
    "agencies": [
        {"id": "dcfs", "kind": "child_welfare"},
        {"id": "hope", "kind": "sud_treatment", "part2": True},
    ],
    "users": [{"id": "cw1", "agency": "dcfs", "roles": ["caseworker"]}],
    "people": [{"id": "mom", "birth_date": date(1990, 4, 1)}],
    "families": [],
    "caseloads": [],
    "records": [],
    "consents": [],
    "checks": [],
}


def test_finding_6_a_scenario_user_whose_roles_do_not_fit_the_agency_does_not_load(db):
    data = {**SCENARIO, "users": [{"id": "boss", "agency": "dcfs", "roles": ["agency_admin", "counselor"]}]}
    with pytest.raises(ScenarioError) as error:
        load(data)
    assert str(error.value).startswith("users[0]: a child_welfare agency has no counselor role; its roles are")


def test_finding_6_a_scenario_emergency_by_someone_who_is_not_medical_personnel_does_not_load(db):
    emergency = {"user": "cw1", "subject": "mom", "program": "hope", "reason": "Wants to know", "on": date(2026, 3, 1)}
    with pytest.raises(ScenarioError) as error:
        load({**SCENARIO, "emergencies": [emergency]})
    assert "emergencies[0]: cw1 is not medical personnel" in str(error.value)


def test_every_demo_account_holds_roles_that_fit_its_agency():
    kinds = {slug: kind for slug, _, kind, _ in AGENCIES}
    misfits = {s.username: roles_that_do_not_fit(s.roles, kinds[s.agency]) for s in STAFF}
    assert {username: roles for username, roles in misfits.items() if roles} == {}
