"""Case notes and contacts are corrected and voided like every record kind: by the writer or a supervisor of the
writer's agency, with a reason, under the rules they were written under; the history keeps every version."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import corrections
from familybridge.cases.forms import correction_form
from familybridge.cases.services import kind_of
from familybridge.cases.timeline import family_timeline
from familybridge.notes import selectors
from familybridge.notes.models import ContactParticipant
from tests.notes.conftest import at

CASE_PLANNING = Purpose.CASE_PLANNING


def shown(user, record, family, purpose=CASE_PLANNING, include_voided=False):
    kind = kind_of(record)
    return corrections.record_of_family(user, family, kind, record.pk, purpose, include_voided=include_voided)


def test_the_writer_corrects_a_notes_title_and_category_and_the_history_keeps_the_original(
    worker, family, write_note
):
    note = write_note(worker, family)
    corrections.correct_record(
        worker,
        family,
        shown(worker, note, family),
        {"title": "Safety plan signed", "category": "cw.case_plan"},
        "It was signed, and it belongs to the case plan.",
    )
    history = corrections.versions(shown(worker, note, family))
    assert [v.action for v in history] == ["Recorded", "Corrected"]
    before, after = ({v.label: v for v in version.values} for version in history)
    assert before["Title"].value == "Safety plan reviewed" and after["Title"].value == "Safety plan signed"
    assert after["Category"].value == "Child welfare case plan" and after["Category"].changed
    assert history[1].reason == "It was signed, and it belongs to the case plan."


def test_a_correction_is_held_to_the_notes_rules(worker, family, write_note):
    note = write_note(worker, family)
    with pytest.raises(ValidationError) as error:
        corrections.correct_record(worker, family, shown(worker, note, family), {"category": "sud.progress"}, "Why.")
    assert "Choose a category your agency writes" in str(error.value)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        corrections.correct_record(worker, family, shown(worker, note, family), {"note_date": date(2099, 1, 1)}, "Why.")


def test_the_correction_form_offers_only_the_categories_of_the_correctors_agency(
    worker, counselor, family, write_note
):
    note = write_note(worker, family)
    form = correction_form(kind_of(note), note, user=worker)
    assert [value for value, _ in form.fields["category"].choices] == ["cw.case", "cw.case_plan"]
    session = write_note(counselor, family, subject=family.people["mom"], category="sud.counseling_notes")
    form = correction_form(kind_of(session), session, user=counselor)
    choices = [value for value, _ in form.fields["category"].choices]
    assert "sud.counseling_notes" in choices and "cw.case" not in choices


def test_a_colleague_may_not_correct_anothers_note_a_supervisor_may(
    agencies, make_user, assign, supervisor, family, worker, write_note
):
    note = write_note(worker, family)
    colleague = make_user("colleague", agencies["cw"], Role.CASEWORKER)
    assign(colleague, family)
    record = shown(colleague, note, family)
    assert record is not None and not corrections.may_amend(colleague, record)
    with pytest.raises(PermissionDenied):
        corrections.correct_record(colleague, family, record, {"title": "Mine"}, "Mine now.")
    corrections.correct_record(supervisor, family, shown(supervisor, note, family), {"title": "Reviewed"}, "Review.")


def test_a_contacts_time_is_corrected_and_its_history_tells_the_time(worker, family, log_contact):
    contact = log_contact(worker, family)
    corrections.correct_record(
        worker, family, shown(worker, contact, family), {"occurred_at": at(date(2026, 3, 3), 15)}, "It was 3 PM."
    )
    history = corrections.versions(shown(worker, contact, family))
    times = [{v.label: v.value for v in version.values}["Date and time"] for version in history]
    assert times == ["Mar 3, 2026, 10:00 AM", "Mar 3, 2026, 3:00 PM"]


def test_correcting_a_contacts_category_moves_its_participants_with_it(worker, family, log_contact):
    contact = log_contact(worker, family)
    corrections.correct_record(
        worker, family, shown(worker, contact, family), {"category": "cw.case_plan"}, "A case plan visit."
    )
    assert set(ContactParticipant.unrestricted.filter(contact=contact).values_list("category", flat=True)) == {
        "cw.case_plan"
    }


def test_a_voided_contact_leaves_the_family_page_the_log_and_the_timeline_with_its_participants(
    worker, family, log_contact
):
    contact = log_contact(worker, family)
    corrections.void_record(worker, family, shown(worker, contact, family), "Logged on the wrong family.")
    assert selectors.notes_and_contacts(worker, family, CASE_PLANNING).count() == 0
    assert list(selectors.contact_log(worker, family, CASE_PLANNING, selectors.ContactFilters())) == []
    assert not any(e.title == "Home visit" for e in family_timeline(worker, family, CASE_PLANNING).entries)
    assert not ContactParticipant.unrestricted.filter(contact=contact).exists()
    assert ContactParticipant.unrestricted_with_voided.filter(contact=contact).count() == 2
    record = shown(worker, contact, family, include_voided=True)
    assert record.is_voided and [v.action for v in corrections.versions(record)] == ["Recorded", "Voided"]


def test_the_history_of_a_programs_note_is_shown_only_where_the_note_is(worker, counselor, family, program_note):
    assert shown(counselor, program_note, family, Purpose.TREATMENT) is not None
    assert shown(worker, program_note, family) is None
    assert shown(worker, program_note, family, include_voided=True) is None
