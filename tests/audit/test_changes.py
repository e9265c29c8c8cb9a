"""Finding 10 (changes): every change is audited by the service that makes it, with values before and after."""

from datetime import date

import pytest

from familybridge.agencies import services as agency_services
from familybridge.agencies.models import Agency, StaffRole
from familybridge.agencies.roles import Role
from familybridge.audit.models import AuditEvent
from familybridge.cases import models as m
from familybridge.cases import services as case_services
from familybridge.consent import services as consent_services
from familybridge.consent.models import Grant


def events_about(model: str, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=model, action=action).order_by("sequence"))


def test_an_update_records_the_changed_fields_before_and_after(agencies):
    court = agencies["court"]
    court.name = "Family and Juvenile Court"
    court.save()
    update = events_about("agencies.agency", "update")[-1]
    assert update.object_id == str(court.pk)
    assert update.details == {"before": {"name": "Family Court"}, "after": {"name": "Family and Juvenile Court"}}


def test_a_create_records_the_new_values_and_a_delete_the_old_ones(db):
    agency = Agency.objects.create(name="Harbor Clinic", slug="clinic", kind="health")
    created = events_about("agencies.agency", "create")[-1]
    assert created.details["before"] == {}
    assert (created.details["after"]["name"], created.details["after"]["slug"]) == ("Harbor Clinic", "clinic")
    pk = agency.pk
    agency.delete()
    deleted = events_about("agencies.agency", "delete")[-1]
    assert deleted.object_id == str(pk)
    assert (deleted.details["before"]["name"], deleted.details["after"]) == ("Harbor Clinic", {})


def test_a_password_change_is_recorded_but_not_the_password(agencies, make_user):
    user = make_user("worker", agencies["cw"], Role.CASEWORKER)
    user.set_password("another-long-password-77")
    user.save()
    update = events_about("agencies.user", "update")[-1]
    assert update.details["before"]["password"] == update.details["after"]["password"] == "(not recorded)"
    assert "another-long-password" not in str(AuditEvent.objects.values_list("details", flat=True))


@pytest.fixture
def removal(agencies, family):
    return m.RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=family.people["kid"], family=family, removal_date=date(2026, 2, 1)
    )


def test_finding10_a_placement_change_audits_the_end_date_it_gives_the_setting_before(worker, family, removal):
    first = case_services.record_placement(
        worker, family, episode=removal, setting_type="foster", setting_start=date(2026, 2, 1)
    )
    case_services.record_placement(
        worker, family, episode=removal, setting_type="relative", setting_start=date(2026, 3, 15)
    )
    ended = events_about("cases.placementsetting", "update")[-1]
    assert ended.details["rows"] == [
        {"id": first.pk, "before": {"setting_end": None}, "after": {"setting_end": "2026-03-15"}}
    ]


def test_finding10_discharge_from_care_audits_the_placement_it_ends(worker, family, removal):
    setting = case_services.record_placement(
        worker, family, episode=removal, setting_type="foster", setting_start=date(2026, 2, 1)
    )
    case_services.discharge_removal(
        worker, family, episode=removal, discharge_date=date(2026, 5, 1), discharge_reason="reunification"
    )
    ended = events_about("cases.placementsetting", "update")[-1]
    assert ended.details["rows"] == [
        {"id": setting.pk, "before": {"setting_end": None}, "after": {"setting_end": "2026-05-01"}}
    ]
    episode = events_about("cases.removalepisode", "update")[-1]
    assert episode.details["before"]["discharge_date"] is None
    assert (episode.details["after"]["discharge_date"], episode.details["after"]["discharge_reason"]) == (
        "2026-05-01",
        "reunification",
    )


def test_finding10_a_new_accounts_roles_are_audited(agencies, make_user):
    admin = make_user("cwadmin", agencies["cw"], Role.AGENCY_ADMIN)
    user = agency_services.create_staff(
        admin,
        agency=agencies["cw"],
        username="newworker",
        password="correct horse battery staple",
        first_name="New",
        last_name="Worker",
        roles=[Role.CASEWORKER, Role.CW_SUPERVISOR],
    )
    granted = events_about("agencies.staffrole", "create")[-1]
    role_ids = dict(StaffRole.objects.filter(user=user).values_list("role", "pk"))
    assert granted.details["count"] == 2
    assert sorted((row["id"], row["after"]["role"], row["after"]["user_id"]) for row in granted.details["rows"]) == (
        sorted((pk, role, user.pk) for role, pk in role_ids.items())
    )
    assert all(row["before"] == {} for row in granted.details["rows"])


def test_finding10_the_grants_a_consent_opens_are_audited(consent_terms):
    consent = consent_services.record_consent(consent_terms())
    opened = events_about("consent.grant", "create")[-1]
    grants = Grant.objects.filter(consent=consent)
    assert opened.details["count"] == grants.count() > 0
    recorded = {(row["id"], row["after"]["category"], row["after"]["purpose"]) for row in opened.details["rows"]}
    assert recorded == set(grants.values_list("pk", "category", "purpose"))
    consent_services.revoke_consent(consent)
    closed = events_about("consent.grant", "delete")
    assert {event.object_id for event in closed} >= {str(pk) for pk, _, _ in recorded}
