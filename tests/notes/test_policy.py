"""Notes and contacts are read only through the policy point: a partner sees a child welfare note only under a basis
covering its category (otherwise it is withheld with the reason), a program's note reaches no one without consent —
not even its existence — and counseling notes only under a consent for counseling notes alone."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import services as case_services
from familybridge.cases.timeline import family_timeline
from familybridge.consent import services as consent_services
from familybridge.consent.models import Disclosure
from familybridge.courts.selectors import compile_for_author
from familybridge.notes import selectors
from familybridge.notes.models import CaseNote, ContactLogEntry
from familybridge.people.models import LocalIdentifier

CASE_PLANNING, COURT_MONITORING, TREATMENT = Purpose.CASE_PLANNING, Purpose.COURT_MONITORING, Purpose.TREATMENT


def page_of(user, family, purpose):
    """What the family page's section shows the user: the records of the first page, and the withheld groups."""
    rows = list(selectors.notes_and_contacts(user, family, purpose))
    return selectors.read_entries(user, family, purpose, rows), selectors.withheld(user, family, purpose)


@pytest.fixture
def cw_note(worker, family, write_note):
    return write_note(worker, family)


def test_the_writers_colleagues_with_the_family_see_the_note(agencies, family, make_user, assign, cw_note):
    colleague = make_user("colleague", agencies["cw"], Role.CASEWORKER)
    assign(colleague, family)
    entries, withheld = page_of(colleague, family, CASE_PLANNING)
    assert entries == [cw_note] and withheld == []
    assert entries[0].policy_basis.kind == "own_agency"


def test_a_caseworker_without_the_family_sees_nothing(agencies, family, make_user, cw_note):
    other = make_user("other", agencies["cw"], Role.CASEWORKER)
    entries, withheld = page_of(other, family, CASE_PLANNING)
    assert entries == []
    assert [(g.count, g.reason) for g in withheld] == [(1, "This family is not on your caseload.")]


def test_a_partner_without_a_basis_is_told_the_note_is_withheld_and_why_and_knows_nothing_of_the_programs(
    coordinator, family, cw_note, program_note
):
    entries, withheld = page_of(coordinator, family, COURT_MONITORING)
    assert entries == []
    assert [(g.count, g.category_label, g.owner_agency, g.reason) for g in withheld] == [
        (
            1,
            "Child welfare case",
            "County Children's Services",
            "No consent, court order or agreement opens Child welfare case from County Children's Services "
            "to your agency for court monitoring.",
        )
    ]
    # The program's note is not counted, not withheld, not anywhere: it is as if it did not exist.
    assert selectors.notes_and_contacts(coordinator, family, COURT_MONITORING).count() == 0
    timeline = family_timeline(coordinator, family, COURT_MONITORING)
    assert timeline.entries == [] and "Hope Recovery" not in {g.owner_agency for g in timeline.withheld}


def test_an_agreement_covering_the_notes_category_opens_it(
    coordinator, family, worker, write_note, cw_note, cw_case_agreement
):
    plan_note = write_note(worker, family, category="cw.case_plan", title="Services")
    entries, withheld = page_of(coordinator, family, COURT_MONITORING)
    assert entries == [cw_note]
    assert entries[0].policy_basis.kind == "grant"
    # The agreement names the child welfare case, not the case plan: that note stays withheld.
    assert [(g.count, g.category_label) for g in withheld] == [(1, "Child welfare case plan")]
    assert plan_note not in entries


def test_a_programs_note_reaches_child_welfare_only_under_the_parents_consent_and_is_accounted_for(
    worker, family, program_note, consent_terms, agencies
):
    assert page_of(worker, family, CASE_PLANNING) == ([], [])
    consent_services.record_consent(consent_terms(categories=["sud.progress"]))
    entries, withheld = page_of(worker, family, CASE_PLANNING)
    assert entries == [program_note] and withheld == []
    assert entries[0].policy_part2 and entries[0].redisclosure_notice
    disclosure = Disclosure.objects.get(recipient_user=worker)
    assert disclosure.discloser == agencies["sud"] and disclosure.records == [f"notes.casenote:{program_note.pk}"]


def test_counseling_notes_open_only_under_a_consent_for_counseling_notes_alone(
    worker, counselor, family, write_note, consent_terms
):
    session = write_note(
        counselor,
        family,
        subject=family.people["mom"],
        category="sud.counseling_notes",
        title="Individual session",
        narrative="What was said in session.",
    )
    # The program's own counselor reads it; a general consent cannot even name it.
    assert page_of(counselor, family, TREATMENT)[0] == [session]
    with pytest.raises(ValidationError, match="Counseling notes need a consent of their own"):
        consent_services.record_consent(consent_terms(categories=["sud.progress", "sud.counseling_notes"]))
    consent_services.record_consent(consent_terms(categories=["sud.progress", "sud.enrollment"]))
    assert page_of(worker, family, CASE_PLANNING) == ([], [])
    consent_services.record_consent(consent_terms(kind="counseling_notes", categories=["sud.counseling_notes"]))
    assert page_of(worker, family, CASE_PLANNING)[0] == [session]


def test_each_participants_name_is_shown_only_where_the_policy_opens_their_part(
    worker, counselor, family, log_contact, consent_terms, agencies
):
    visit = log_contact(worker, family, subject=family.people["mom"], category="cw.case_plan")
    mine, _ = page_of(worker, family, CASE_PLANNING)
    assert mine[0].participant_names == ["Ana Rivera", "Sofia Rivera"] and mine[0].other_participants == 0
    # The mother lets child welfare tell her program about her case plan: her part opens, her daughter's does not.
    consent_services.record_consent(
        consent_terms(
            disclosers=[agencies["cw"]],
            recipients=[agencies["sud"]],
            purposes=["treatment"],
            categories=["cw.case_plan"],
        )
    )
    entries, _ = page_of(counselor, family, TREATMENT)
    assert entries == [visit]
    assert entries[0].participant_names == ["Ana Rivera"] and entries[0].other_participants == 1


def test_a_programs_contact_names_no_one_it_does_not_open_and_hints_at_no_one(
    worker, counselor, family, log_contact, consent_terms, agencies
):
    mom, dad = family.people["mom"], family.people["dad"]
    # The program knows the father too (its own number for him): a family session with both parents.
    LocalIdentifier.objects.create(owner_agency=agencies["sud"], subject=dad, identifier="TX-2")
    session = log_contact(
        counselor,
        family,
        subject=mom,
        contact_type="office_visit",
        category="sud.attendance",
        participants=[mom, dad],
        child_seen=False,
        location="New Dawn office",
    )
    consent_services.record_consent(consent_terms(categories=["sud.attendance"]))
    entries, withheld = page_of(worker, family, CASE_PLANNING)
    assert entries == [session] and withheld == []
    # The mother's consent opens her part only; that the father was there is his own Part 2 information.
    assert entries[0].participant_names == ["Ana Rivera"] and entries[0].other_participants == 0


def test_the_timeline_shows_notes_and_contacts_in_the_writers_system(
    worker, counselor, family, cw_note, program_note, log_contact
):
    log_contact(worker, family)
    titles = {(e.system, e.title, e.detail) for e in family_timeline(worker, family, CASE_PLANNING).entries}
    assert ("child_welfare", "Case note", "Safety plan reviewed") in titles
    assert ("child_welfare", "Home visit", "Family home, child seen") in titles
    assert not any(title == "Engaged in group" for _, _, title in titles)
    program = family_timeline(counselor, family, TREATMENT, system="treatment").entries
    assert [(e.title, e.detail) for e in program] == [("Case note", "Engaged in group")]


def test_notes_are_not_in_a_court_report(agencies, family, worker, cw_note, log_contact, make_user, assign):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    consent_services.record_agreement(
        name="Everything child welfare",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.case", "cw.case_plan"],
        purposes=[COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    log_contact(worker, family)
    court_case = case_services.open_court_case(
        judge, family, subject=family.people["kid"], docket_number="D-1", filed_on=date(2026, 2, 1), judge=judge
    )
    hearing = case_services.record_hearing(
        judge, family, court_case=court_case, hearing_date=date(2026, 4, 1), hearing_type="review"
    )
    # The court could read them (the agreement opens both categories); the report still leaves them to the notes.
    assert len(page_of(judge, family, COURT_MONITORING)[0]) == 2
    compiled = compile_for_author(worker, hearing, COURT_MONITORING)
    assert not any(isinstance(record, (CaseNote, ContactLogEntry)) for record in compiled.records)
    assert not any(item.what.startswith(("Case note", "Home visit")) for item in compiled.left_out)
