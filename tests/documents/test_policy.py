"""Documents are read only through the policy point: a reader without a basis is told a document is withheld (or, for
a Part 2 program's, learns nothing), a document attached to a program's record is Part 2 and reaches only those who
may see that record, and every read across agencies of a Part 2 document is accounted for."""

from datetime import date

import pytest

from familybridge.agencies.roles import Purpose
from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import services as consent_services
from familybridge.consent.models import Disclosure
from familybridge.consent.policy import Withheld
from familybridge.documents import selectors

CASE_PLANNING, COURT_MONITORING = Purpose.CASE_PLANNING, Purpose.COURT_MONITORING


@pytest.fixture
def episode(agencies, family):
    """The mother's treatment episode at the program: Part 2."""
    return TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 2, 1)
    )


def test_a_partner_with_a_basis_reads_the_court_order(
    coordinator, worker, family, store, court_knows_the_family, court_order_agreement
):
    order = store(coordinator, family)
    assert order.category == "court.order"
    assert selectors.documents_for(worker, family, CASE_PLANNING) == [order]


def test_a_partner_without_a_basis_is_told_it_is_withheld_and_nothing_is_disclosed(
    coordinator, worker, family, store, court_knows_the_family
):
    order = store(coordinator, family)
    [item] = selectors.documents_for(worker, family, CASE_PLANNING)
    assert isinstance(item, Withheld) and item.owner_agency == "Family Court"
    assert item.reason == (
        "No consent, court order or agreement opens Court order from Family Court to your agency for case planning."
    )
    assert selectors.document_for(worker, order.pk, CASE_PLANNING) is None
    assert not Disclosure.objects.exists()


def test_a_programs_upload_is_part2_and_leaves_no_trace_without_consent(counselor, worker, family, store):
    form = store(counselor, family, subject=family.people["mom"], kind="consent_form", title="Signed consent")
    assert selectors.documents_for(counselor, family, Purpose.TREATMENT)[0].policy_part2
    assert selectors.documents_for(worker, family, CASE_PLANNING) == []
    assert selectors.document_for(worker, form.pk, CASE_PLANNING) is None


def test_an_attachment_to_a_programs_record_is_part2_and_shown_only_with_its_source(
    agencies, worker, coordinator, family, store, episode, consent_terms, court_knows_the_family
):
    """Child welfare, which may see the episode under the mother's consent, attaches a lab report to it: the report is
    child welfare's, filed as its case, but derived from the program's record, so it is Part 2."""
    consent_services.record_consent(
        consent_terms(recipients=[agencies["cw"]], categories=["sud.enrollment"], purposes=[CASE_PLANNING])
    )
    report = store(
        worker, family, subject=family.people["mom"], kind="lab_report", title="Lab report", attached_to=episode
    )
    assert (report.owner_agency, report.category) == (agencies["cw"], "cw.case")
    assert (report.source_owner_agency, report.source_category) == (agencies["sud"], "sud.enrollment")
    assert report.attached_record == f"cases.treatmentepisode:{episode.pk}"
    [shown] = selectors.documents_for(worker, episode, CASE_PLANNING)
    assert shown == report and shown.policy_part2
    # The court sees child welfare's case files, but not one derived from the program's record: no consent opens
    # that record to the court, so the attachment leaves no trace there.
    case_file = store(worker, family, subject=family.people["mom"], kind="other", title="Case file", category="cw.case")
    assert selectors.documents_for(coordinator, family, COURT_MONITORING) == [case_file]


def test_reading_a_part2_document_across_agencies_is_accounted_for(
    agencies, counselor, worker, family, store, consent_terms
):
    consent_services.record_consent(consent_terms(categories=["sud.enrollment"]))
    form = store(counselor, family, subject=family.people["mom"], kind="consent_form", title="Signed consent")
    shown = selectors.document_for(worker, form.pk, CASE_PLANNING)
    assert shown == form and shown.redisclosure_notice
    [disclosure] = Disclosure.objects.all()
    assert (disclosure.discloser, disclosure.recipient_user, disclosure.records) == (
        agencies["sud"],
        worker,
        [f"documents.document:{form.pk}"],
    )


def test_a_voided_document_leaves_every_list(worker, family, store):
    from familybridge.cases import corrections

    document = store(worker, family, kind="case_plan", title="Case plan (wrong family)")
    corrections.void_record(worker, family, document, "Uploaded to the wrong family.")
    assert selectors.documents_for(worker, family, CASE_PLANNING) == []
    assert selectors.document_for(worker, document.pk, CASE_PLANNING) is None


def test_the_uploader_corrects_a_title_and_category_under_the_upload_rules(worker, family, store):
    from django.core.exceptions import ValidationError

    from familybridge.cases import corrections

    document = store(worker, family, kind="other", title="Plan")
    corrections.correct_record(
        worker, family, document, {"title": "Case plan, March", "kind": "case_plan", "category": "cw.case_plan"}, "Typo"
    )
    assert (document.title, document.kind, document.category) == ("Case plan, March", "case_plan", "cw.case_plan")
    with pytest.raises(ValidationError):
        corrections.correct_record(worker, family, document, {"category": "sud.progress"}, "Wrong category")
