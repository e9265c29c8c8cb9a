"""Consents as the law describes them: every element, revocation at once, expiry by event, disclosures."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.consent import Consent as FhirConsent

from familybridge.agencies.roles import Purpose, Role
from familybridge.audit.models import AuditEvent
from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import policy, services
from familybridge.consent.fhir import consent_resource
from familybridge.consent.models import Consent, Disclosure, ExpiryEvent
from familybridge.people.models import Person

TODAY = date(2026, 2, 1)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"signer_name": ""}, "signer_name", "signature"),
        ({"signed_at": None}, "signed_at", "date signed"),
        ({"recipients": []}, "recipients", "who may receive"),
        ({"disclosers": []}, "disclosers", "who may disclose"),
        ({"purposes": []}, "purposes", "purpose"),
        ({"categories": []}, "categories", "what information"),
        ({"expires_on": None}, "expires_on", "when the consent ends"),
        ({"revocation_statement": " "}, "revocation_statement", "right to revoke"),
    ],
)
def test_a_consent_missing_an_element_is_not_saved_and_says_which(consent_terms, change, field, words):
    with pytest.raises(ValidationError) as error:
        services.record_consent(consent_terms(**change))
    assert words in " ".join(error.value.message_dict[field])
    assert not Consent.objects.exists()


def test_counseling_notes_are_never_combined(consent_terms):
    with pytest.raises(ValidationError, match="consent of their own"):
        services.record_consent(consent_terms(categories=["sud.counseling_notes", "sud.toxicology"]))


def test_revocation_closes_access_at_once_and_keeps_past_disclosures(
    agencies, family, episode, consented, make_user, assign
):
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    today = timezone.localdate()
    assert policy.read(worker, TreatmentEpisode.objects.all(), Purpose.CASE_PLANNING, on=today) == [episode]
    assert Disclosure.objects.count() == 1
    services.revoke_consent(consented, by=worker, how="in_person")
    assert policy.read(worker, TreatmentEpisode.objects.all(), Purpose.CASE_PLANNING, on=today) == []
    assert Disclosure.objects.count() == 1


def test_a_revocation_records_how_the_person_asked_and_says_what_is_missing(consented, worker):
    with pytest.raises(ValidationError) as error:
        services.revoke_consent(consented, by=worker, how="by_carrier_pigeon")
    assert error.value.message_dict == {"how": ["Choose how the person asked to revoke."]}
    with pytest.raises(ValidationError) as error:
        services.revoke_consent(consented, by=worker, how="other", note="  ")
    assert error.value.message_dict == {"note": ["Say how the person asked to revoke."]}
    consented.refresh_from_db()
    assert consented.revoked_at is None  # nothing half-saved
    services.revoke_consent(consented, by=worker, how="through_attorney", note="Ms. Lee, her attorney, by letter")
    consented.refresh_from_db()
    assert (consented.revoked_by, consented.revocation_method) == (worker, "through_attorney")
    event = AuditEvent.objects.filter(action="consent_revoked").get()
    assert event.details["how"] == "through_attorney"
    assert event.details["note"] == "Ms. Lee, her attorney, by letter"


def test_discharge_ends_a_consent_that_ends_with_it(agencies, family, episode, consent_terms, make_user, assign):
    services.record_consent(consent_terms(expires_on=None, expires_on_event=ExpiryEvent.DISCHARGED))
    judge = make_user("j", agencies["court"], Role.JUDGE)
    assign(judge, family)
    assert policy.permitted(judge, TreatmentEpisode.objects.all(), Purpose.COURT_MONITORING, on=TODAY).exists()
    episode.discharge_date = date(2026, 3, 1)
    episode.save()
    for day, visible in ((date(2026, 2, 28), True), (date(2026, 3, 1), False)):
        assert (
            policy.permitted(judge, TreatmentEpisode.objects.all(), Purpose.COURT_MONITORING, on=day).exists()
            is visible
        )


def test_a_cross_agency_part2_read_writes_one_disclosure_record(
    agencies, family, episode, consented, make_user, assign
):
    judge = make_user("j", agencies["court"], Role.JUDGE)
    assign(judge, family)
    policy.read(judge, TreatmentEpisode.objects.all(), Purpose.COURT_MONITORING, on=TODAY)
    disclosure = Disclosure.objects.get()
    assert (disclosure.recipient_user, disclosure.recipient_agency, disclosure.discloser) == (
        judge,
        agencies["court"],
        agencies["sud"],
    )
    assert disclosure.consent == consented and disclosure.categories == ["sud.enrollment"]
    assert disclosure.records == [f"cases.treatmentepisode:{episode.pk}"] and disclosure.purpose == "court_monitoring"
    # The program reading its own record discloses nothing.
    counselor = make_user("c", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    policy.read(counselor, TreatmentEpisode.objects.all(), Purpose.TREATMENT)
    assert Disclosure.objects.count() == 1


def test_reading_many_records_across_agencies_takes_a_constant_number_of_queries(
    agencies, family, consent_terms, make_user, assign
):
    judge = make_user("j", agencies["court"], Role.JUDGE)
    assign(judge, family)

    def queries_to_read() -> int:
        with CaptureQueriesContext(connection) as queries:
            items = policy.read(judge, TreatmentEpisode.objects.all(), Purpose.COURT_MONITORING, on=TODAY)
        return len(queries), len(items)

    def add_mothers(count: int) -> None:
        for i in range(count):
            mother = Person.objects.create(first_name=f"M{i}", last_name="X")
            family.members.create(owner_agency=agencies["cw"], subject=mother, role="parent")
            TreatmentEpisode.objects.create(owner_agency=agencies["sud"], subject=mother, admission_date=TODAY)
            services.record_consent(consent_terms(subject=mother))

    add_mothers(2)
    queries_to_read()  # the judge's roles are loaded once and cached
    few, shown = queries_to_read()
    add_mothers(20)
    many, shown_after = queries_to_read()
    assert (shown, shown_after) == (2, 22)
    assert many == few


def test_a_withheld_marker_says_the_agency_shares_but_not_with_this_caseworker(agencies, family, make_user):
    services.record_agreement(
        name="MOU",
        parties=[agencies["cw"], agencies["court"]],
        categories=["court.case"],
        purposes=["case_planning"],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    from familybridge.cases.models import CourtCase

    CourtCase.objects.create(owner_agency=agencies["court"], subject=family.people["kid"], docket_number="JD-1")
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    [item] = policy.read(worker, CourtCase.objects.all(), Purpose.CASE_PLANNING, on=TODAY)
    assert isinstance(item, policy.Withheld) and "not on your caseload" in item.reason


def test_emergency_access_needs_a_medical_role_and_a_reason_and_tells_the_program(
    agencies, family, episode, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied

    supervisor = make_user("sup", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    supervisor.email = "sup@hope.example"
    supervisor.save()
    worker = make_user("w", agencies["cw"], Role.CASEWORKER)
    doctor = make_user("d", agencies["sud2"], Role.COUNSELOR)
    with pytest.raises(PermissionDenied):
        services.open_emergency_access(worker, family.people["mom"], agencies["sud"], "reason")
    with pytest.raises(ValidationError):
        services.open_emergency_access(doctor, family.people["mom"], agencies["sud"], "  ")
    assert not policy.permitted(doctor, TreatmentEpisode.objects.all(), Purpose.MEDICAL_EMERGENCY).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.open_emergency_access(doctor, family.people["mom"], agencies["sud"], "Found unresponsive")
    assert list(policy.permitted(doctor, TreatmentEpisode.objects.all(), Purpose.MEDICAL_EMERGENCY)) == [episode]
    assert mailoutbox[0].to == ["sup@hope.example"] and "Found unresponsive" in mailoutbox[0].body


def test_child_abuse_report_becomes_child_welfare_record_without_the_treatment_record(agencies, family, make_user):
    counselor = make_user("c", agencies["sud"], Role.COUNSELOR)
    report = services.file_child_abuse_report(
        counselor,
        child=family.people["kid"],
        family=family,
        child_welfare_agency=agencies["cw"],
        summary="Child arrived with bruises",
    )
    assert report.owner_agency == agencies["cw"] and report.category == "cw.allegation"
    assert not policy.permitted(counselor, TreatmentEpisode.objects.filter(subject=family.people["kid"]), "treatment")


def test_fhir_export_is_a_valid_r4_consent(consented):
    resource = consent_resource(consented)
    again = FhirConsent.model_validate(resource.model_dump(mode="json"))
    assert again.status == "active" and again.patient.reference == f"Patient/{consented.subject_id}"
    assert {c.coding[0].code for c in again.provision.code} == {"sud.enrollment", "sud.toxicology"}
    assert {p.code for p in again.provision.purpose} == {"court_monitoring", "case_planning"}
