import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from familybridge.agencies import services
from familybridge.agencies.models import User
from familybridge.agencies.roles import Role
from tests.conftest import sign_in


@pytest.fixture
def cw_admin(agencies, make_user):
    return make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)


def test_admin_creates_staff_in_own_agency(agencies, cw_admin):
    user = services.create_staff(
        cw_admin,
        agency=agencies["cw"],
        username="newworker",
        password="correct horse battery staple",
        first_name="New",
        last_name="Worker",
        roles=[Role.CASEWORKER],
    )
    assert user.agency == agencies["cw"]
    assert user.role_codes == {Role.CASEWORKER}
    assert user.check_password("correct horse battery staple")


def test_admin_cannot_create_staff_in_another_agency(agencies, cw_admin):
    with pytest.raises(PermissionDenied):
        services.create_staff(
            cw_admin,
            agency=agencies["sud"],
            username="spy",
            password="correct horse battery staple",
            first_name="S",
            last_name="Py",
            roles=[Role.COUNSELOR],
        )
    assert not User.objects.filter(username="spy").exists()


def test_admin_cannot_change_roles_of_another_agencys_staff(agencies, cw_admin, make_user):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    with pytest.raises(PermissionDenied):
        services.set_roles(cw_admin, counselor, [Role.CLINICAL_SUPERVISOR])
    assert User.objects.get(pk=counselor.pk).role_codes == {Role.COUNSELOR}


def test_a_caseworker_is_not_an_admin(agencies, make_user):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    with pytest.raises(PermissionDenied):
        services.deactivate(worker, worker)


def test_weak_password_is_refused_and_nothing_saved(agencies, cw_admin):
    with pytest.raises(ValidationError):
        services.create_staff(
            cw_admin,
            agency=agencies["cw"],
            username="weak",
            password="password",
            first_name="W",
            last_name="K",
            roles=[Role.CASEWORKER],
        )
    assert not User.objects.filter(username="weak").exists()


def test_staff_page_of_another_agency_is_forbidden(client, agencies, cw_admin):
    sign_in(client, cw_admin)
    assert client.get(reverse("web:agency-staff", args=["cw"])).status_code == 200
    assert client.get(reverse("web:agency-staff", args=["hope"])).status_code == 403


def test_admin_form_reports_missing_roles(client, agencies, cw_admin):
    sign_in(client, cw_admin)
    response = client.post(
        reverse("web:staff-create", args=["cw"]),
        {"username": "x", "first_name": "X", "last_name": "Y", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_admin_cannot_deactivate_themselves(agencies, cw_admin):
    with pytest.raises(ValidationError):
        services.deactivate(cw_admin, cw_admin)
