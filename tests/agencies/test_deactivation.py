"""Deactivating and reactivating accounts, and handing a deactivated staff member's caseload to a named colleague."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.utils import IntegrityError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies import selectors, services
from familybridge.agencies.models import Agency, AgencyKind, User
from familybridge.agencies.roles import Role
from familybridge.audit.models import AuditEvent
from familybridge.messaging.models import Notification, NotificationKind
from familybridge.people import selectors as people_selectors
from familybridge.people.models import CaseloadAssignment, Family
from tests.conftest import PASSWORD, sign_in


@pytest.fixture
def cw_admin(agencies, make_user) -> User:
    return make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)


@pytest.fixture
def colleague(agencies, make_user) -> User:
    return make_user("colleague", agencies["cw"], Role.CASEWORKER)


@pytest.fixture
def second_family(agencies) -> Family:
    return Family.objects.create(
        name="Okafor family", owner_agency=agencies["cw"], case_number="CW-2", opened_on=date(2026, 2, 1)
    )


@pytest.fixture
def caseload(worker, family, second_family, assign) -> list[Family]:
    """The worker works the Rivera family (conftest) and the Okafor family."""
    assign(worker, second_family)
    return [family, second_family]


def open_families(user: User) -> set[int]:
    return set(CaseloadAssignment.objects.filter(staff=user, ended_on=None).values_list("family_id", flat=True))


# --- Without a caseload ---------------------------------------------------------------------------------------------


def test_an_account_without_a_caseload_is_deactivated_without_a_colleague(agencies, cw_admin, make_user):
    analyst = make_user("analyst", agencies["cw"], Role.DATA_ANALYST)
    assert services.deactivate(cw_admin, analyst) == 0
    analyst.refresh_from_db()
    assert not analyst.is_active
    event = AuditEvent.objects.get(action="account_deactivated")
    assert event.object_id == str(analyst.pk) and event.details == {"assignments": 0}


def test_an_administrator_deactivates_only_his_own_agencys_staff(agencies, cw_admin, make_user):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    with pytest.raises(PermissionDenied):
        services.deactivate(cw_admin, counselor)
    assert User.objects.get(pk=counselor.pk).is_active


def test_an_account_already_deactivated_is_refused(cw_admin, colleague):
    services.deactivate(cw_admin, colleague)
    with pytest.raises(ValidationError, match="already deactivated"):
        services.deactivate(cw_admin, colleague)


# --- With a caseload ------------------------------------------------------------------------------------------------


def test_a_caseload_needs_a_named_colleague(cw_admin, worker, caseload):
    with pytest.raises(ValidationError) as refused:
        services.deactivate(cw_admin, worker)
    assert refused.value.message_dict == {
        "colleague": ["Worker Tester works 2 families or clients. Name the colleague who takes them over."]
    }
    assert User.objects.get(pk=worker.pk).is_active
    assert open_families(worker) == {f.pk for f in caseload}


def test_the_caseload_is_handed_over_from_the_effective_date(cw_admin, worker, colleague, caseload):
    handed_on = timezone.localdate() - timedelta(days=3)
    assert services.deactivate(cw_admin, worker, successor=colleague, effective=handed_on) == 2
    assert not User.objects.get(pk=worker.pk).is_active
    assert open_families(worker) == set()
    assert set(CaseloadAssignment.objects.filter(staff=worker).values_list("ended_on", flat=True)) == {handed_on}
    assert open_families(colleague) == {f.pk for f in caseload}
    assert set(CaseloadAssignment.objects.filter(staff=colleague).values_list("assigned_on", flat=True)) == {handed_on}
    # The colleague now sees the families through the policy point's need to know.
    assert set(people_selectors.caseload_families(colleague).values_list("pk", flat=True)) == {f.pk for f in caseload}


def test_the_effective_date_is_today_unless_given(cw_admin, worker, colleague, caseload):
    services.deactivate(cw_admin, worker, successor=colleague)
    today = timezone.localdate()
    assert set(CaseloadAssignment.objects.filter(staff=colleague).values_list("assigned_on", flat=True)) == {today}


def test_the_colleague_is_notified_in_the_app(cw_admin, worker, colleague, caseload):
    services.deactivate(cw_admin, worker, successor=colleague, effective=date(2026, 3, 2))
    notification = Notification.objects.get(recipient=colleague)
    assert notification.kind == NotificationKind.CASELOAD_HANDED_OVER
    assert notification.text == "Worker Tester's caseload is now yours from March 2, 2026: 2 families or clients."
    assert notification.link == reverse("web:home")


def test_the_hand_over_is_audited(cw_admin, worker, colleague, caseload):
    services.deactivate(cw_admin, worker, successor=colleague, effective=date(2026, 3, 2))
    event = AuditEvent.objects.get(action="account_deactivated")
    assert event.details == {"assignments": 2, "handed_to": colleague.pk, "effective": "2026-03-02"}
    changes = AuditEvent.objects.filter(object_type="people.caseloadassignment").values_list("action", flat=True)
    assert {"update", "create"} <= set(changes)


def test_a_family_the_colleague_already_works_stays_with_her_and_the_leavers_share_ends(
    cw_admin, worker, colleague, caseload, assign
):
    """`people.services.hand_over_caseload`: no second assignment to the same family; the leaver's simply ends."""
    assign(colleague, caseload[0])
    services.deactivate(cw_admin, worker, successor=colleague, effective=timezone.localdate())
    assert not User.objects.get(pk=worker.pk).is_active
    assert open_families(worker) == set()
    assert open_families(colleague) == {f.pk for f in caseload}
    assert CaseloadAssignment.objects.filter(staff=colleague, family=caseload[0], ended_on=None).count() == 1


def test_a_supervisor_can_take_a_caseworkers_families(agencies, cw_admin, worker, caseload, make_user):
    supervisor = make_user("supervisor", agencies["cw"], Role.CW_SUPERVISOR)
    assert services.deactivate(cw_admin, worker, successor=supervisor) == 2


def test_a_counselors_clients_go_to_a_counselor_or_clinical_supervisor(agencies, family, counselor, make_user):
    admin = make_user("hopeadmin", agencies["sud"], Role.AGENCY_ADMIN)
    peer = make_user("peer", agencies["sud"], Role.PEER_RECOVERY_SPECIALIST)
    clinical = make_user("clinical", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    assert list(selectors.colleagues_who_can_take_over(counselor)) == [clinical]
    with pytest.raises(ValidationError) as refused:
        services.deactivate(admin, counselor, successor=peer)
    assert refused.value.message_dict["colleague"] == [
        "Peer Tester cannot take over this caseload. Choose a colleague who is one of: Counselor, Clinical supervisor."
    ]
    assert services.deactivate(admin, counselor, successor=clinical) == 1


def test_the_colleague_needs_the_roles_the_caseload_is_worked_in(agencies, family, make_user):
    """A counselor who is also a peer recovery specialist, with clients worked as a counselor only: a counselor
    can take them; with none of the roles worked named, a colleague must be able to take both."""
    admin = make_user("hopeadmin", agencies["sud"], Role.AGENCY_ADMIN)
    both = make_user("both", agencies["sud"], Role.COUNSELOR, Role.PEER_RECOVERY_SPECIALIST)
    counselor = make_user("other", agencies["sud"], Role.COUNSELOR)
    unnamed = CaseloadAssignment.objects.create(family=family, staff=both, assigned_on=date(2026, 1, 5))
    assert list(selectors.colleagues_who_can_take_over(both)) == []
    unnamed.delete()
    CaseloadAssignment.objects.create(
        family=family, client=family.people["mom"], staff=both, capacity=Role.COUNSELOR, assigned_on=date(2026, 1, 5)
    )
    assert list(selectors.colleagues_who_can_take_over(both)) == [counselor]
    assert services.deactivate(admin, both, successor=counselor) == 1
    assert CaseloadAssignment.objects.get(staff=counselor, ended_on=None).client == family.people["mom"]


@pytest.mark.parametrize(
    ("agency", "role", "message"),
    [
        ("sud", Role.COUNSELOR, "Successor Tester cannot take over this caseload."),
        ("cw2", Role.CASEWORKER, "Choose an active colleague of the same agency."),
        ("cw", Role.DATA_ANALYST, "cannot take over this caseload"),
        ("cw", Role.AGENCY_ADMIN, "cannot take over this caseload"),
    ],
)
def test_a_colleague_of_another_agency_or_with_the_wrong_role_is_refused(
    agencies, make_user, cw_admin, worker, caseload, agency, role, message
):
    if agency == "cw2":
        agencies[agency] = Agency.objects.create(name="Next County", slug="next", kind=AgencyKind.CHILD_WELFARE)
    successor = make_user("successor", agencies[agency], role)
    with pytest.raises(ValidationError, match=message):
        services.deactivate(cw_admin, worker, successor=successor)
    assert User.objects.get(pk=worker.pk).is_active
    assert open_families(worker) == {f.pk for f in caseload}
    assert open_families(successor) == set()


def test_a_deactivated_colleague_or_the_staff_member_himself_is_refused(cw_admin, worker, colleague, caseload):
    services.deactivate(cw_admin, colleague)
    for successor in (colleague, worker):
        with pytest.raises(ValidationError):
            services.deactivate(cw_admin, worker, successor=successor)


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "cannot start after today"), (None, "cannot start before January 1, 2020, when Worker Tester took on")],
)
def test_a_hand_over_date_in_the_future_or_before_the_caseload_is_refused(
    cw_admin, worker, colleague, caseload, days, message
):
    effective = timezone.localdate() + timedelta(days=days) if days else date(2019, 12, 31)
    with pytest.raises(ValidationError, match=message):
        services.deactivate(cw_admin, worker, successor=colleague, effective=effective)
    assert open_families(worker) == {f.pk for f in caseload}


def test_nothing_is_half_saved_when_a_step_fails(cw_admin, worker, colleague, caseload):
    failing = mock.patch("familybridge.agencies.services.notify", side_effect=IntegrityError("mail server down"))
    with failing, pytest.raises(IntegrityError):
        services.deactivate(cw_admin, worker, successor=colleague)
    assert User.objects.get(pk=worker.pk).is_active
    assert open_families(worker) == {f.pk for f in caseload}
    assert open_families(colleague) == set()
    assert not AuditEvent.objects.filter(action="account_deactivated").exists()


# --- Sign-in and sessions -------------------------------------------------------------------------------------------


def test_a_deactivated_user_cannot_sign_in(client, cw_admin, colleague):
    services.deactivate(cw_admin, colleague)
    response = client.post(reverse("web:login"), {"username": "colleague", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_deactivated_users_open_session_stops_working(cw_admin, colleague):
    browser = Client()
    assert browser.post(reverse("web:login"), {"username": "colleague", "password": PASSWORD}).status_code == 302
    signed_in = sign_in(Client(), colleague)
    services.deactivate(cw_admin, colleague)
    for session in (browser, signed_in):
        response = session.get(reverse("web:home"))
        assert response.status_code == 302 and response.url.startswith(reverse("web:login"))
    assert signed_in.get("/api/v1/me/").status_code == 403


def test_reactivation_restores_sign_in_but_not_the_caseload(client, cw_admin, worker, colleague, caseload):
    services.deactivate(cw_admin, worker, successor=colleague)
    services.reactivate(cw_admin, worker)
    assert client.post(reverse("web:login"), {"username": "worker", "password": PASSWORD}).status_code == 302
    assert open_families(worker) == set()
    assert open_families(colleague) == {f.pk for f in caseload}
    assert AuditEvent.objects.filter(action="account_reactivated", object_id=str(worker.pk)).exists()


def test_an_administrator_reactivates_only_his_own_agencys_staff(agencies, cw_admin, make_user):
    admin = make_user("hopeadmin", agencies["sud"], Role.AGENCY_ADMIN)
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    services.deactivate(admin, counselor)
    with pytest.raises(PermissionDenied):
        services.reactivate(cw_admin, counselor)
    assert not User.objects.get(pk=counselor.pk).is_active


# --- The pages ------------------------------------------------------------------------------------------------------


def test_deactivation_asks_on_its_own_page_and_names_the_colleague(client, cw_admin, worker, colleague, caseload):
    sign_in(client, cw_admin)
    url = reverse("web:staff-deactivate", args=["cw", worker.pk])
    page = client.get(url)
    assert "works <strong>2 families or clients</strong>" in page.content.decode()
    assert list(page.context["form"].fields["colleague"].queryset) == [colleague]
    refused = client.post(url, {"effective": timezone.localdate().isoformat()})
    assert refused.status_code == 200 and "This field is required." in refused.context["form"].errors["colleague"]
    assert User.objects.get(pk=worker.pk).is_active
    done = client.post(url, {"colleague": colleague.pk, "effective": timezone.localdate().isoformat()}, follow=True)
    shown = done.content.decode().replace("&#x27;", "'")
    assert "Worker Tester is deactivated and can no longer sign in." in shown
    assert "Their caseload (2 families or clients) is now Colleague Tester's." in shown
    assert open_families(colleague) == {f.pk for f in caseload}


def test_a_colleague_of_another_agency_cannot_be_posted(client, agencies, make_user, cw_admin, worker, caseload):
    outsider = make_user("outsider", agencies["sud"], Role.COUNSELOR)
    sign_in(client, cw_admin)
    response = client.post(
        reverse("web:staff-deactivate", args=["cw", worker.pk]),
        {"colleague": outsider.pk, "effective": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200 and response.context["form"].errors["colleague"]
    assert User.objects.get(pk=worker.pk).is_active


def test_the_deactivation_page_of_another_agency_is_forbidden(client, agencies, make_user, cw_admin):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    sign_in(client, cw_admin)
    assert client.get(reverse("web:staff-deactivate", args=["hope", counselor.pk])).status_code == 403
    assert client.get(reverse("web:staff-deactivate", args=["cw", counselor.pk])).status_code == 404


def test_the_staff_list_shows_and_filters_deactivated_accounts(client, cw_admin, colleague, make_user, agencies):
    services.deactivate(cw_admin, colleague)
    sign_in(client, cw_admin)

    def listed(status: str) -> list[str]:
        response = client.get(reverse("web:agency-staff", args=["cw"]), {"status": status})
        return [user.username for user in response.context["page"]]

    assert listed("") == ["colleague", "cwadmin"]
    assert listed("deactivated") == ["colleague"]
    assert listed("active") == ["cwadmin"]
    assert listed("nonsense") == listed("")
    page = client.get(reverse("web:agency-staff", args=["cw"])).content.decode()
    assert '<span class="status status-deactivated">Deactivated</span>' in page


def test_the_staff_list_is_paginated(client, cw_admin, make_user, agencies):
    for n in range(30):
        make_user(f"staff{n:02}", agencies["cw"], Role.CASEWORKER)
    sign_in(client, cw_admin)
    first = client.get(reverse("web:agency-staff", args=["cw"])).content.decode()
    assert "Showing 1–25 of 31" in first and 'rel="next"' in first
    second = client.get(reverse("web:agency-staff", args=["cw"]), {"page": 2}).content.decode()
    assert "Showing 26–31 of 31" in second and 'rel="prev"' in second


def test_the_staff_lists_query_count_does_not_grow_with_the_staff(client, cw_admin, make_user, agencies):
    sign_in(client, cw_admin)
    url = reverse("web:agency-staff", args=["cw"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_user("first", agencies["cw"], Role.CASEWORKER, Role.CW_SUPERVISOR)
    few = queries()
    for n in range(8):
        make_user(f"more{n}", agencies["cw"], Role.CASEWORKER)
    assert User.objects.filter(agency=agencies["cw"]).count() == 10
    assert queries() == few


def test_the_deactivation_pages_query_count_does_not_grow_with_the_colleagues(
    client, agencies, make_user, cw_admin, worker, caseload
):
    sign_in(client, cw_admin)
    url = reverse("web:staff-deactivate", args=["cw", worker.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(2):
        make_user(f"colleague{n}", agencies["cw"], Role.CASEWORKER, Role.CW_SUPERVISOR)
    few = queries()
    for n in range(2, 10):
        make_user(f"colleague{n}", agencies["cw"], Role.CASEWORKER)
    assert queries() == few
