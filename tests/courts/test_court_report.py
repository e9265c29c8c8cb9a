from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, Hearing, RemovalEpisode, ToxicologyResult, TreatmentEpisode
from familybridge.consent import services as consent_services
from familybridge.consent.models import Disclosure
from familybridge.courts import services
from familybridge.courts.models import CourtReport, FiledPart
from familybridge.courts.selectors import compile_for_author, read_filed, sha256_of, verify_filed_copy
from tests.conftest import sign_in
from tests.courts.filing import file_new_report


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


@pytest.fixture
def toxicology_consent(agencies, consent_terms):
    return consent_services.record_consent(
        consent_terms(
            kind="proceedings",
            purposes=["court_proceeding"],
            recipients=[agencies["court"]],
            categories=["sud.toxicology"],
        )
    )


@pytest.fixture
def counselor(agencies, family, make_user, assign):
    user = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(user, family)
    return user


def judge_of(hearing):
    return hearing.owner_agency.staff.get(username="judge")


def test_preview_says_what_is_left_out_and_why(hearing, counselor):
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


def test_a_draft_is_neither_signed_off_nor_filed_empty(hearing, counselor, toxicology_consent):
    draft = services.start_report(
        counselor, hearing, purpose=Purpose.COURT_PROCEEDING, narrative="", recommendations=""
    )
    with pytest.raises(ValidationError) as refused:
        services.sign_off(counselor, draft)
    assert set(refused.value.message_dict) == {"narrative", "recommendations"}
    with pytest.raises(ValidationError, match="Sign the report off before filing it"):
        services.file_report(counselor, draft)
    draft.refresh_from_db()
    assert not draft.is_filed and not draft.is_signed_off
    assert not FiledPart.unrestricted.exists() and not Disclosure.objects.exists()


def test_editing_a_signed_off_draft_undoes_the_sign_off(hearing, counselor):
    draft = services.start_report(
        counselor, hearing, purpose=Purpose.COURT_PROCEEDING, narrative="Attending.", recommendations="None."
    )
    services.sign_off(counselor, draft)
    assert draft.signed_off_by == counselor and draft.signed_off_at is not None
    services.edit_draft(
        counselor, draft, purpose=Purpose.COURT_PROCEEDING, narrative="Attending weekly.", recommendations="None."
    )
    assert not draft.is_signed_off


def test_a_draft_is_its_authors_alone_until_filed(agencies, family, hearing, counselor, toxicology_consent, client):
    draft = services.start_report(
        counselor, hearing, purpose=Purpose.COURT_PROCEEDING, narrative="Attending.", recommendations="None."
    )
    assert draft.owner_agency == agencies["sud"]
    sign_in(client, judge_of(hearing))
    assert client.get(reverse("courts:report", args=[draft.pk])).status_code == 404
    assert "Reports filed" not in client.get(reverse("web:family-detail", args=[family.pk])).content.decode()


def test_filing_freezes_what_the_court_read_with_its_hash_and_pdf(hearing, counselor, toxicology_consent, client):
    report = file_new_report(counselor, hearing)
    judge = judge_of(hearing)
    assert report.owner_agency == hearing.owner_agency and report.filed_for == judge
    assert report.signed_off_by == counselor
    # the disclosure to the court is accounted for at filing, once, for the three test results
    [disclosure] = Disclosure.objects.filter(recipient_user=judge)
    assert disclosure.categories == ["sud.toxicology"] and len(disclosure.records) == 3
    assert report.content_hash == sha256_of(report.filed_html.encode()) and verify_filed_copy(report)
    assert "Drug test" in report.filed_html and "42 CFR Part 2" in report.filed_html
    assert "Ana has attended every session" in report.filed_html
    assert bytes(report.filed_pdf).startswith(b"%PDF") and report.pdf_hash == sha256_of(bytes(report.filed_pdf))

    sign_in(client, judge)
    page = client.get(reverse("courts:report", args=[report.pk])).content.decode()
    assert report.content_hash in page and "the stored copy matches it" in page
    assert "Download the filed PDF" in page
    pdf = client.get(reverse("courts:report-pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(report.filed_pdf)


def test_a_reader_who_may_see_everything_reads_exactly_the_filed_copy(hearing, counselor, toxicology_consent, rf):
    report = file_new_report(counselor, hearing)
    filed = read_filed(judge_of(hearing), CourtReport.unrestricted.get(pk=report.pk), report.purpose)
    assert filed.complete
    from django.template.loader import render_to_string

    again = render_to_string(
        "courts/_report_body.html", {"report": filed, "sections": filed.sections, "document": report}
    )
    assert again == report.filed_html


def test_the_filed_copy_never_changes_when_its_records_do(family, hearing, counselor, toxicology_consent, client):
    report = file_new_report(counselor, hearing)
    first = ToxicologyResult.unrestricted.order_by("collected_on").first()
    ToxicologyResult.unrestricted.filter(pk=first.pk).update(outcome="positive")
    last = ToxicologyResult.unrestricted.order_by("collected_on").last()
    ToxicologyResult.unrestricted.filter(pk=last.pk).update(voided_at=timezone.now(), void_reason="Wrong client.")

    stored = CourtReport.unrestricted.get(pk=report.pk)
    assert stored.filed_html == report.filed_html and stored.content_hash == report.content_hash
    assert verify_filed_copy(stored)
    sign_in(client, judge_of(hearing))
    page = client.get(reverse("courts:report", args=[report.pk])).content.decode()
    assert page.count("Negative") == 3 and "Positive" not in page
    # a new report compiles what the records say now
    preview = compile_for_author(counselor, hearing, Purpose.COURT_PROCEEDING)
    toxicology = next(s for s in preview.sections if s.key == "toxicology")
    assert sorted(e.detail for e in toxicology.entries) == ["Negative", "Positive"]


def test_a_changed_stored_copy_fails_verification(hearing, counselor, toxicology_consent):
    report = file_new_report(counselor, hearing)
    CourtReport.unrestricted.filter(pk=report.pk).update(filed_html=report.filed_html.replace("Negative", "Positive"))
    assert not verify_filed_copy(CourtReport.unrestricted.get(pk=report.pk))


@pytest.fixture
def worker(agencies, family, make_user, assign, consent_terms):
    """A caseworker whose report holds child welfare's removal and, by the mother's consent, her drug tests."""
    consent_services.record_agreement(
        name="CW and court",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.placement", "court.case"],
        purposes=[Purpose.CASE_PLANNING, Purpose.COURT_PROCEEDING],
        starts_on=date(2025, 1, 1),
        ends_on=None,
    )
    consent_services.record_consent(
        consent_terms(recipients=[agencies["cw"]], purposes=["case_planning"], categories=["sud.toxicology"])
    )
    user = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(user, family)
    return user


def test_a_revocation_stops_further_disclosure_without_rewriting_history(hearing, worker, toxicology_consent, client):
    report = file_new_report(worker, hearing)
    judge = judge_of(hearing)
    sign_in(client, judge)
    before = client.get(reverse("courts:report", args=[report.pk])).content.decode()
    assert "Drug test" in before and "Removed from home" in before
    disclosed = Disclosure.objects.filter(recipient_user=judge).count()

    consent_services.revoke_consent(toxicology_consent, by=worker)
    page = client.get(reverse("courts:report", args=[report.pk])).content.decode()
    assert "Drug test" not in page and "Removed from home" in page
    assert "3 lines filed in this section are not shown to you" in page and "revoked" in page
    assert report.content_hash in page  # the same filed copy
    assert "Download the filed PDF" not in page and "is not offered to you" in page
    pdf = client.get(reverse("courts:report-pdf", args=[report.pk]))
    assert pdf.status_code == 302 and pdf["Location"] == reverse("courts:report", args=[report.pk])
    assert Disclosure.objects.filter(recipient_user=judge).count() == disclosed  # nothing more disclosed
    stored = CourtReport.unrestricted.get(pk=report.pk)
    assert stored.filed_html == report.filed_html and verify_filed_copy(stored)
    assert "Drug test" in stored.filed_html and FiledPart.unrestricted.filter(report=report).count() == 4


def test_a_report_a_program_filed_closes_to_the_court_with_the_consent_it_rests_on(
    hearing, counselor, toxicology_consent, client
):
    report = file_new_report(counselor, hearing)
    assert report.source_record.startswith("cases.toxicologyresult:")  # Part 2, as its program's information
    consent_services.revoke_consent(toxicology_consent, by=counselor)
    sign_in(client, judge_of(hearing))
    assert client.get(reverse("courts:report", args=[report.pk])).status_code == 404
    assert verify_filed_copy(CourtReport.unrestricted.get(pk=report.pk))


def test_an_amended_version_supersedes_the_filed_one_and_both_remain(hearing, counselor, toxicology_consent, client):
    first = file_new_report(counselor, hearing)
    draft = services.amend_report(counselor, first)
    assert (draft.version, draft.amends, draft.narrative) == (2, first, first.narrative)
    services.edit_draft(
        counselor, draft, purpose=first.purpose, narrative="Ana relapsed once in February.", recommendations="None."
    )
    services.sign_off(counselor, draft)
    second = services.file_report(counselor, draft)
    with pytest.raises(ValidationError, match="already amended"):
        services.amend_report(counselor, first)

    sign_in(client, judge_of(hearing))
    page = client.get(reverse("courts:report", args=[second.pk])).content.decode()
    assert "Version 2, amends version 1 filed on" in page and "Ana relapsed once in February." in page
    earlier = client.get(reverse("courts:report", args=[first.pk])).content.decode()
    assert "version 2, filed on" in earlier and "Ana has attended every session" in earlier
    assert CourtReport.unrestricted.get(pk=first.pk).filed_html == first.filed_html


def test_a_filed_report_cannot_be_edited_or_filed_again(hearing, counselor, toxicology_consent):
    report = file_new_report(counselor, hearing)
    with pytest.raises(ValidationError, match="filed and cannot change"):
        services.edit_draft(counselor, report, purpose=report.purpose, narrative="x", recommendations="y")
    with pytest.raises(ValidationError, match="filed and cannot change"):
        services.file_report(counselor, report)


def test_reports_filed_before_freezing_say_their_content_was_not_kept(hearing, counselor, toxicology_consent, client):
    report = file_new_report(counselor, hearing)
    CourtReport.unrestricted.filter(pk=report.pk).update(content_hash="", filed_html="", filed_pdf=None, pdf_hash="")
    FiledPart.unrestricted.filter(report=report).delete()
    sign_in(client, judge_of(hearing))
    page = client.get(reverse("courts:report", args=[report.pk])).content.decode()
    assert "Filed before reports were frozen" in page and "Drug test" not in page


def test_the_filed_report_page_takes_the_same_queries_whatever_its_length(
    agencies, family, hearing, counselor, toxicology_consent, client
):
    def queries_for_report() -> int:
        report = file_new_report(counselor, hearing)
        sign_in(client, judge_of(hearing))
        client.get(reverse("courts:report", args=[report.pk]))  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("courts:report", args=[report.pk])).status_code == 200
        return len(captured)

    few = queries_for_report()
    episode = TreatmentEpisode.unrestricted.get()
    for day in range(1, 21):
        ToxicologyResult.objects.create(
            owner_agency=agencies["sud"],
            subject=family.people["mom"],
            episode=episode,
            collected_on=date(2026, 2, day),
            outcome="negative",
        )
    assert queries_for_report() == few


def test_filing_from_the_page_asks_first_and_refuses_an_unsigned_report(hearing, worker, toxicology_consent, client):
    sign_in(client, worker)
    started = client.post(
        reverse("courts:prepare", args=[hearing.pk]),
        {"purpose": Purpose.COURT_PROCEEDING, "narrative": "Visits went well.", "recommendations": "None."},
    )
    draft = CourtReport.unrestricted.get()
    assert started["Location"] == reverse("courts:preview", args=[draft.pk])
    unsigned = client.post(reverse("courts:file", args=[draft.pk]))
    assert "Sign the report off before filing it" in unsigned.content.decode()

    client.post(reverse("courts:sign-off", args=[draft.pk]))
    asked = client.post(reverse("courts:file", args=[draft.pk])).content.decode()
    assert "Filed with Judge Tester (Family Court)" in asked and "Once filed it never changes" in asked
    assert not CourtReport.unrestricted.get().is_filed and not Disclosure.objects.filter(
        recipient_user__username="judge"
    )
    done = client.post(reverse("courts:file", args=[draft.pk]), {"confirm": "1"})
    assert done["Location"] == reverse("courts:preview", args=[draft.pk])
    report = CourtReport.unrestricted.get()
    assert report.is_filed and verify_filed_copy(report)
    assert client.get(done["Location"])["Location"] == reverse("courts:report", args=[report.pk])
