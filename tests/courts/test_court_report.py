from datetime import date

import pytest
from django.core.exceptions import ValidationError

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import corrections
from familybridge.cases.models import CourtCase, Hearing, RemovalEpisode, ToxicologyResult, TreatmentEpisode
from familybridge.cases.services import kind_of
from familybridge.consent import services as consent_services
from familybridge.consent.models import Disclosure
from familybridge.courts.selectors import compile_for_author, compile_for_court
from familybridge.courts.services import send_court_report
from tests.conftest import sign_in


@pytest.fixture
def hearing(agencies, family, make_user, assign):
    kid, mom = family.people["kid"], family.people["mom"]
    RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=kid, family=family, removal_date=date(2026, 1, 3)
    )
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=mom, admission_date=date(2026, 1, 9)
    )
    for day in (10, 17, 24):
        ToxicologyResult.objects.create(
            owner_agency=agencies["sud"],
            subject=mom,
            episode=episode,
            collected_on=date(2026, 1, day),
            outcome="negative",
        )
    case = CourtCase.objects.create(owner_agency=agencies["court"], subject=kid, family=family, docket_number="JD-7")
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    return Hearing.objects.create(
        owner_agency=agencies["court"],
        subject=kid,
        court_case=case,
        hearing_date=date(2026, 3, 1),
        hearing_type="review",
    )


def test_preview_says_what_is_left_out_and_why(agencies, family, hearing, make_user, assign):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    report = compile_for_author(counselor, hearing, Purpose.COURT_PROCEEDING)
    assert report.court_reader.username == "judge"
    assert report.included == []
    lines = {(item.what, item.reason) for item in report.left_out}
    assert (
        "Drug test — Ana Rivera (and 2 more like it)",
        "No consent, court order or agreement opens SUD toxicology results from Hope Recovery to the court "
        "for use in a court proceeding.",
    ) in lines
    # the author cannot see child welfare's removal, so it is neither shown nor listed
    assert not any("Removed" in what for what, _ in lines)


def test_nothing_is_filed_when_the_court_may_see_nothing(agencies, family, hearing, make_user, assign):
    worker = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    with pytest.raises(ValidationError, match="nothing to send"):
        send_court_report(worker, hearing, Purpose.COURT_PROCEEDING)


def test_with_consent_the_court_gets_toxicology_with_the_notice(
    agencies, family, hearing, make_user, assign, consent_terms, client
):
    consent_services.record_consent(
        consent_terms(
            kind="proceedings",
            purposes=["court_proceeding"],
            recipients=[agencies["court"]],
            categories=["sud.toxicology"],
        )
    )
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    preview = compile_for_author(counselor, hearing, Purpose.COURT_PROCEEDING)
    toxicology = next(s for s in preview.sections if s.key == "toxicology")
    assert [e.detail for e in toxicology.entries] == ["Negative"] * 3 and toxicology.part2
    # enrollment itself was not consented: the episode stays out, with the reason
    assert any(item.category_label == "SUD enrollment" for item in preview.left_out)
    assert not Disclosure.objects.exists()  # a preview discloses nothing

    report = send_court_report(counselor, hearing, Purpose.COURT_PROCEEDING)
    judge = hearing.owner_agency.staff.get(username="judge")
    sign_in(client, judge)
    page = client.get(f"/court-reports/{report.pk}/").content.decode()
    assert "Drug test" in page and "42 CFR Part 2" in page
    [disclosure] = Disclosure.objects.filter(recipient_user=judge)
    assert disclosure.categories == ["sud.toxicology"] and len(disclosure.records) == 3
    pdf = client.get(f"/court-reports/{report.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_consent_revoked_after_filing_takes_the_records_out_at_once(
    agencies, family, hearing, make_user, assign, consent_terms
):
    consent = consent_services.record_consent(
        consent_terms(
            kind="proceedings",
            purposes=["court_proceeding"],
            recipients=[agencies["court"]],
            categories=["sud.toxicology"],
        )
    )
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    report = send_court_report(counselor, hearing, Purpose.COURT_PROCEEDING)
    judge = hearing.owner_agency.staff.get(username="judge")
    assert any(s.entries for s in compile_for_court(judge, report).sections)
    consent_services.revoke_consent(consent, by=counselor)
    assert not any(s.entries for s in compile_for_court(judge, report).sections)


def test_a_voided_test_result_leaves_the_report_even_one_already_sent(
    agencies, family, hearing, make_user, assign, consent_terms
):
    consent_services.record_consent(
        consent_terms(
            kind="proceedings",
            purposes=["court_proceeding"],
            recipients=[agencies["court"]],
            categories=["sud.toxicology"],
        )
    )
    supervisor = make_user("clinical", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    assign(supervisor, family)
    report = send_court_report(supervisor, hearing, Purpose.COURT_PROCEEDING)
    first = ToxicologyResult.unrestricted.order_by("collected_on").first()
    shown = corrections.record_of_family(supervisor, family, kind_of(first), first.pk, Purpose.TREATMENT)
    corrections.void_record(supervisor, family, shown, "Another client's sample.")

    preview = compile_for_author(supervisor, hearing, Purpose.COURT_PROCEEDING)
    toxicology = next(s for s in preview.sections if s.key == "toxicology")
    assert len(toxicology.entries) == 2
    judge = hearing.owner_agency.staff.get(username="judge")
    filed = compile_for_court(judge, report)
    assert len(next(s for s in filed.sections if s.key == "toxicology").entries) == 2
