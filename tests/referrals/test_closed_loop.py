from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import policy
from familybridge.referrals import selectors, services
from familybridge.referrals.fhir import referral_bundle
from familybridge.referrals.models import ReferralStatus, ReferralStep
from familybridge.referrals.timeliness import business_days_between, measure
from tests.conftest import sign_in


@pytest.fixture
def referral(agencies, family, make_user, assign):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    return services.create_referral(
        worker,
        subject=family.people["mom"],
        provider=agencies["sud"],
        referral_date=timezone.localdate(),
        reason="Positive UNCOPE screen",
    )


def test_a_referral_arrives_received_and_belongs_to_the_provider(referral, agencies):
    assert referral.owner_agency == agencies["sud"] and referral.category == "sud.enrollment"
    assert list(ReferralStep.unrestricted.filter(referral=referral).values_list("status", flat=True)) == ["received"]


def test_the_provider_walks_the_loop_to_admission(referral, counselor):
    services.record_step(counselor, referral, ReferralStatus.ACCEPTED)
    services.record_step(
        counselor, referral, ReferralStatus.ASSESSMENT_SCHEDULED, scheduled_for=timezone.localdate() + timedelta(days=2)
    )
    services.record_step(counselor, referral, ReferralStatus.ASSESSED)
    services.record_step(counselor, referral, ReferralStatus.ADMITTED, level_of_care="2.1")
    assert TreatmentEpisode.unrestricted.get(subject=referral.subject).level_of_care == "2.1"
    view = selectors.referral_view(counselor, referral, Purpose.TREATMENT, today=timezone.localdate())
    assert view.status == ReferralStatus.ADMITTED
    assert [line.met for line in view.timeliness] == [True, True, True]
    assert selectors.engagement_signal(counselor, referral, Purpose.TREATMENT, today=timezone.localdate()) == "admitted"


def test_steps_out_of_order_are_refused_and_nothing_saved(referral, counselor):
    with pytest.raises(ValidationError, match="After received comes accepted, declined"):
        services.record_step(counselor, referral, ReferralStatus.ADMITTED)
    with pytest.raises(ValidationError, match="Say why"):
        services.record_step(counselor, referral, ReferralStatus.DECLINED)
    assert ReferralStep.unrestricted.filter(referral=referral).count() == 1


def test_only_the_receiving_program_records_steps(referral, agencies, make_user):
    other = make_user("other", agencies["sud2"], Role.COUNSELOR)
    with pytest.raises(PermissionDenied):
        services.record_step(other, referral, ReferralStatus.ACCEPTED)


def test_declined_is_a_disengaged_signal(referral, counselor):
    services.record_step(counselor, referral, ReferralStatus.DECLINED, note="No openings; try Harbor.")
    assert selectors.engagement_signal(counselor, referral, Purpose.TREATMENT, today=timezone.localdate()) == (
        "disengaged"
    )


def test_without_consent_the_referrer_learns_nothing_from_the_program(referral, agencies, counselor):
    services.record_step(counselor, referral, ReferralStatus.ACCEPTED)
    worker = referral.referring_agency.staff.get(username="worker")
    steps = selectors.referral_view(worker, referral, Purpose.CASE_PLANNING, today=timezone.localdate()).steps
    assert steps == []
    assert selectors.engagement_signal(worker, referral, Purpose.CASE_PLANNING, today=timezone.localdate()) == (
        "referred"
    )


def test_fhir_bundle_is_valid_r4(referral, counselor):
    services.record_step(counselor, referral, ReferralStatus.DECLINED, note="No openings")
    view = selectors.referral_view(counselor, referral, Purpose.TREATMENT, today=timezone.localdate())
    bundle = referral_bundle(view)
    Bundle.model_validate(bundle)
    request, task = (entry["resource"] for entry in bundle["entry"])
    assert request["resourceType"] == "ServiceRequest" and request["reasonCode"][0]["text"] == "Positive UNCOPE screen"
    assert task["status"] == "rejected" and task["statusReason"]["text"] == "No openings"


def test_business_days_skip_weekends():
    friday = date(2026, 11, 20)
    assert business_days_between(friday, date(2026, 11, 23)) == 1  # Monday
    assert business_days_between(friday, date(2026, 11, 27)) == 5
    assert business_days_between(friday, date(2026, 12, 4)) == 10


def test_an_unanswered_referral_misses_its_target_after_three_business_days():
    friday = date(2026, 11, 20)
    lines = measure(
        friday,
        responded_on=None,
        assessed_on=None,
        admitted_on=None,
        today=date(2026, 11, 26),
        respond_business_days=3,
        assess_days=7,
        admit_days=14,
    )
    assert (lines[0].elapsed, lines[0].met) == ("4 business days so far", False)
    assert lines[1].met is None and lines[2].met is None


def test_the_referrer_sees_the_referral_it_made_but_not_the_programs_steps(referral, counselor):
    services.record_step(counselor, referral, ReferralStatus.ACCEPTED)
    worker = referral.referring_agency.staff.get(username="worker")
    assert list(policy.permitted(worker, type(referral).objects.all(), Purpose.CASE_PLANNING)) == [referral]
    [item] = policy.read(worker, type(referral).objects.all(), Purpose.CASE_PLANNING)
    assert item.policy_basis.kind == "originator"
    assert selectors.referral_view(worker, referral, Purpose.CASE_PLANNING, today=timezone.localdate()).steps == []


def test_the_referral_page_links_to_the_family_only_for_those_who_may_see_it(client, referral, agencies, make_user):
    supervisor = make_user("clinical", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    sign_in(client, supervisor)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Referral of Ana Rivera to Hope Recovery" in page
    assert "Rivera family" not in page  # child welfare's family record is not open to the program here

    worker = referral.referring_agency.staff.get(username="worker")
    sign_in(client, worker)
    assert "Rivera family" in client.get(f"/referrals/{referral.pk}/").content.decode()
