"""Writing case notes and logging contacts: who may, and what each refuses with a message beside the field."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from familybridge.agencies.roles import Role
from familybridge.cases.services import writable_kinds
from familybridge.notes import services
from familybridge.notes.models import CaseNote, ContactLogEntry, ContactParticipant
from familybridge.people.models import Person
from tests.notes.conftest import at

NOTE_KINDS = {"case-note", "contact"}


def message_of(error: pytest.ExceptionInfo, field: str) -> str:
    return " ".join(error.value.message_dict[field])


@pytest.mark.parametrize(
    "agency, roles, writes",
    [
        ("cw", (Role.CASEWORKER,), True),
        ("cw", (Role.CW_SUPERVISOR,), True),
        ("sud", (Role.COUNSELOR,), True),
        ("sud", (Role.CLINICAL_SUPERVISOR,), True),
        ("sud", (Role.PEER_RECOVERY_SPECIALIST,), True),
        ("court", (Role.COURT_COORDINATOR,), True),
        ("court", (Role.JUDGE,), False),
        ("court", (Role.ATTORNEY,), False),
        ("cw", (Role.DATA_ANALYST,), False),
        ("cw", (Role.AGENCY_ADMIN,), False),
    ],
)
def test_the_staff_who_work_families_write_notes_and_contacts(agencies, make_user, agency, roles, writes):
    user = make_user("someone", agencies[agency], *roles)
    writable = {kind.slug for kind in writable_kinds(user)}
    assert (NOTE_KINDS & writable == NOTE_KINDS) is writes


def test_a_treatment_agency_that_is_not_a_part2_program_writes_none(agencies, make_user):
    agencies["sud2"].is_part2_program = False
    agencies["sud2"].save()
    counselor = make_user("other", agencies["sud2"], Role.COUNSELOR)
    assert not NOTE_KINDS & {kind.slug for kind in writable_kinds(counselor)}


def test_a_caseworker_writes_a_note_her_agency_owns(worker, family, write_note, agencies):
    note = write_note(worker, family)
    assert (note.owner_agency, note.recorded_by, note.family) == (agencies["cw"], worker, family)
    assert (note.subject, note.category, note.title) == (family.people["kid"], "cw.case", "Safety plan reviewed")


def test_a_judge_is_refused(agencies, family, make_user, assign, write_note):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    with pytest.raises(PermissionDenied, match="record a case note"):
        write_note(judge, family, category="court.case")
    assert not CaseNote.unrestricted.exists()


def test_a_family_not_open_to_the_writer_is_refused(agencies, family, make_user, write_note):
    stranger = make_user("stranger", agencies["cw"], Role.CASEWORKER)
    with pytest.raises(PermissionDenied, match="not open to you"):
        write_note(stranger, family)


def test_a_note_cannot_be_dated_in_the_future_nor_be_empty(worker, family, write_note):
    with pytest.raises(ValidationError) as future:
        write_note(worker, family, note_date=timezone.localdate() + timedelta(days=1))
    assert message_of(future, "note_date") == "The note's date cannot be in the future."
    with pytest.raises(ValidationError) as untitled:
        write_note(worker, family, title="   ")
    assert message_of(untitled, "title") == "Give the note a title."
    with pytest.raises(ValidationError) as empty:
        write_note(worker, family, narrative="")
    assert message_of(empty, "narrative") == "Write the note."
    assert not CaseNote.unrestricted.exists()


@pytest.mark.parametrize(
    "writer, category",
    [("worker", "sud.progress"), ("worker", "court.case"), ("counselor", "cw.case"), ("coordinator", "cw.case")],
)
def test_the_category_must_be_one_the_writers_agency_writes(
    request, family, write_note, cw_case_agreement, writer, category
):
    user = request.getfixturevalue(writer)
    subject = family.people["mom"] if writer == "counselor" else family.people["kid"]
    with pytest.raises(ValidationError) as error:
        write_note(user, family, subject=subject, category=category)
    assert message_of(error, "category").startswith("Choose a category your agency writes:")


def test_a_court_coordinator_writes_court_notes_about_the_members_the_court_knows(
    coordinator, family, write_note, cw_case_agreement, agencies
):
    note = write_note(coordinator, family, category="court.case", title="Parties notified")
    assert (note.owner_agency, note.category) == (agencies["court"], "court.case")


def test_a_counselor_may_write_counseling_notes_a_peer_may_not(counselor, peer, family, write_note):
    mom = family.people["mom"]
    note = write_note(counselor, family, subject=mom, category="sud.counseling_notes", title="Session")
    assert note.category == "sud.counseling_notes"
    with pytest.raises(ValidationError) as error:
        write_note(peer, family, subject=mom, category="sud.counseling_notes")
    assert "SUD counseling notes" not in message_of(error, "category")
    assert write_note(peer, family, subject=mom, category="sud.progress").category == "sud.progress"
    assert services.categories_for(peer) == ["sud.progress", "sud.treatment_plan", "sud.attendance"]


def test_the_subject_is_a_member_the_writer_may_see(worker, counselor, family, write_note):
    outsider = Person.objects.create(first_name="Pat", last_name="Outside", birth_date=date(1980, 1, 1))
    with pytest.raises(ValidationError) as error:
        write_note(worker, family, subject=outsider)
    assert message_of(error, "subject") == "Choose a member of the Rivera family you work with."
    # The program knows the mother (its client), not the father.
    with pytest.raises(ValidationError):
        write_note(counselor, family, subject=family.people["dad"], category="sud.progress")


def test_a_home_visit_with_two_participants(worker, family, log_contact, agencies):
    contact = log_contact(worker, family)
    assert (contact.owner_agency, contact.contact_type, contact.child_seen) == (agencies["cw"], "home_visit", True)
    rows = ContactParticipant.unrestricted.filter(contact=contact)
    assert {row.subject for row in rows} == {family.people["mom"], family.people["kid"]}
    # Each part is a record of the contact's agency and category, about the person who took part.
    assert {(row.owner_agency_id, row.category, row.recorded_by_id) for row in rows} == {
        (agencies["cw"].pk, "cw.case", worker.pk)
    }


def test_participants_must_be_members_the_writer_may_see(worker, family, log_contact):
    outsider = Person.objects.create(first_name="Pat", last_name="Outside", birth_date=date(1980, 1, 1))
    with pytest.raises(ValidationError) as error:
        log_contact(worker, family, participants=[family.people["mom"], outsider])
    assert message_of(error, "participants") == "Choose members of the Rivera family you work with."
    assert not ContactLogEntry.unrestricted.exists() and not ContactParticipant.unrestricted.exists()


def test_a_contact_cannot_be_in_the_future(worker, family, log_contact):
    with pytest.raises(ValidationError) as error:
        log_contact(worker, family, occurred_at=timezone.now() + timedelta(hours=2))
    assert message_of(error, "occurred_at") == "The contact cannot be in the future."


def test_a_visit_in_person_says_whether_the_child_was_seen_a_call_does_not(worker, family, log_contact):
    with pytest.raises(ValidationError) as error:
        log_contact(worker, family, child_seen=None)
    assert "Say whether the child was seen" in message_of(error, "child_seen")
    not_seen = log_contact(worker, family, contact_type="office_visit", child_seen=False)
    assert not_seen.child_seen is False
    call = log_contact(worker, family, contact_type="phone_call", child_seen=True, participants=[family.people["mom"]])
    assert call.child_seen is None


def test_an_attempted_contact_needs_no_participants(worker, family, log_contact):
    attempt = log_contact(
        worker,
        family,
        contact_type="attempted",
        participants=[],
        child_seen=None,
        occurred_at=at(date(2026, 3, 5)),
        narrative="No one answered the door; left a card.",
    )
    assert not ContactParticipant.unrestricted.filter(contact=attempt).exists()
