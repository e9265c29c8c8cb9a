"""The pages: adding a note and a contact from the family page's menu, the family page's "Notes and contacts"
section, and the contact log (filters, pages, printing); each page's queries are the same for few and many rows."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from familybridge.agencies.roles import Role
from familybridge.audit.models import AuditEvent
from familybridge.consent import services as consent_services
from familybridge.notes.models import CaseNote, ContactLogEntry, ContactParticipant
from tests.conftest import sign_in
from tests.notes.conftest import at


def new_record(family, kind: str) -> str:
    return reverse("cases:new-record", args=[family.pk, kind])


def family_page(family) -> str:
    return reverse("web:family-detail", args=[family.pk])


def contact_log(family) -> str:
    return reverse("notes:contact-log", args=[family.pk])


def section_of(html: str) -> str:
    return html.split('id="notes-heading"')[1].split("</section>")[0]


def titles_in(html: str) -> list[str]:
    return re.findall(r'<h3 id="(?:note|contact)-\d+">([^<]+)', section_of(html))


def test_the_menu_offers_a_note_and_a_contact_and_the_note_is_saved(client, worker, family):
    sign_in(client, worker)
    page = client.get(family_page(family)).content.decode()
    assert new_record(family, "case-note") in page and new_record(family, "contact") in page
    form = client.get(new_record(family, "case-note")).context["form"]
    assert [value for value, _ in form.fields["category"].choices] == ["cw.case", "cw.case_plan"]
    assert set(form.fields["subject"].queryset) == set(family.people.values())
    response = client.post(
        new_record(family, "case-note"),
        {
            "subject": family.people["kid"].pk,
            "note_date": "2026-03-02",
            "category": "cw.case",
            "title": "School meeting",
            "narrative": "Met her teacher; attendance is back to normal.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == family_page(family)
    html = response.content.decode()
    assert "Case note recorded for Sofia Rivera." in html
    assert titles_in(html) == ["School meeting"]
    assert CaseNote.unrestricted.get().recorded_by == worker


def test_a_contact_with_two_participants_from_the_form(client, worker, family):
    sign_in(client, worker)
    response = client.post(
        new_record(family, "contact"),
        {
            "subject": family.people["kid"].pk,
            "occurred_at": "2026-03-03T10:30",
            "contact_type": "home_visit",
            "participants": [family.people["mom"].pk, family.people["kid"].pk],
            "location": "Family home",
            "child_seen": "true",
            "category": "cw.case",
            "narrative": "All well.",
        },
        follow=True,
    )
    assert "Contact log entry recorded for Sofia Rivera." in response.content.decode()
    contact = ContactLogEntry.unrestricted.get()
    assert contact.child_seen is True and ContactParticipant.unrestricted.filter(contact=contact).count() == 2
    section = section_of(response.content.decode())
    assert "Home visit, <time" in section and "Ana Rivera, Sofia Rivera" in section


def test_a_refused_contact_says_why_beside_the_field_and_saves_nothing(client, worker, family):
    sign_in(client, worker)
    response = client.post(
        new_record(family, "contact"),
        {
            "subject": family.people["kid"].pk,
            "occurred_at": "2026-03-03T10:30",
            "contact_type": "home_visit",
            "child_seen": "unknown",
            "category": "cw.case",
            "narrative": "All well.",
        },
    )
    assert response.status_code == 200
    assert "Say whether the child was seen" in response.context["form"].errors["child_seen"][0]
    assert not ContactLogEntry.unrestricted.exists()


def test_the_section_lists_newest_first_a_page_at_a_time(client, worker, family, write_note, log_contact):
    for day in range(30):
        write_note(worker, family, note_date=date(2026, 1, 1) + timedelta(days=day), title=f"Note {day:02}")
    log_contact(worker, family, occurred_at=at(date(2026, 1, 15), 9))
    sign_in(client, worker)
    html = client.get(family_page(family)).content.decode()
    titles = titles_in(html)
    assert titles[:2] == ["Note 29", "Note 28"] and len(titles) == 25
    # The contact sits among the notes by its day (Jan 15, after the note of that day written later).
    assert titles[15:17] == ["Note 14", "Home visit, "]
    assert "Showing 1–25 of 31" in html
    second = client.get(family_page(family), {"notes_page": 2}).content.decode()
    assert titles_in(second) == [f"Note {day:02}" for day in range(5, -1, -1)] and "Showing 26–31 of 31" in second


def test_a_programs_note_read_under_consent_says_why_and_carries_the_notice(
    client, worker, family, program_note, consent_terms
):
    consent_services.record_consent(consent_terms(categories=["sud.progress"]))
    sign_in(client, worker)
    html = client.get(family_page(family)).content.decode()
    section = section_of(html)
    assert "Engaged in group" in section and "by Counselor Tester, Hope Recovery" in section
    # The family page shows the notice once, where it ends; the section links to it.
    assert 'href="#redisclosure-notice"' in section and html.count("42 CFR Part 2 — do not redisclose.") == 1
    why = reverse("consent:why", args=["notes.casenote", program_note.pk])
    assert why in section and "Correct" not in section
    assert "Consent" in client.get(why).content.decode()


def test_the_partner_sees_the_withheld_count_and_reason_and_nothing_of_the_program(
    client, coordinator, family, worker, write_note, program_note
):
    write_note(worker, family)
    sign_in(client, coordinator)
    section = section_of(client.get(family_page(family)).content.decode())
    assert "<strong>Withheld:</strong> 1 note or contact of Child welfare case held by County Children" in section
    assert "No notes or contacts you can see." in section
    assert "Hope Recovery" not in section and "Engaged in group" not in section


@pytest.fixture
def contacts(worker, family, log_contact, agencies, make_user, assign):
    colleague = make_user("colleague", agencies["cw"], Role.CW_SUPERVISOR)
    made = [
        log_contact(worker, family, occurred_at=at(date(2026, 3, 1)), narrative="First visit."),
        log_contact(
            worker,
            family,
            occurred_at=at(date(2026, 3, 10)),
            contact_type="phone_call",
            child_seen=None,
            participants=[family.people["mom"]],
            narrative="Called about the school meeting.",
        ),
        log_contact(colleague, family, occurred_at=at(date(2026, 4, 2)), narrative="Supervisor's visit."),
    ]
    return made


def narratives_in(html: str) -> list[str]:
    return re.findall(r"<td>([^<]+?)<span class=\"no-print\">", html)


def test_the_contact_log_filters_by_type_days_and_writer(client, worker, family, contacts):
    sign_in(client, worker)
    everything = client.get(contact_log(family)).content.decode()
    assert narratives_in(everything) == ["Supervisor&#x27;s visit.", "Called about the school meeting.", "First visit."]
    calls = client.get(contact_log(family), {"contact_type": "phone_call"}).content.decode()
    assert narratives_in(calls) == ["Called about the school meeting."]
    march = client.get(contact_log(family), {"since": "2026-03-02", "until": "2026-03-31"}).content.decode()
    assert narratives_in(march) == ["Called about the school meeting."]
    by_worker = client.get(contact_log(family), {"author": worker.pk}).content.decode()
    assert narratives_in(by_worker) == ["Called about the school meeting.", "First visit."]
    event = AuditEvent.objects.filter(action="view_contact_log").latest("sequence")
    assert event.object_id == str(family.pk) and event.details["author"] == worker.pk
    backwards = client.get(contact_log(family), {"since": "2026-04-01", "until": "2026-03-01"})
    assert backwards.context["form"].errors["until"] == ["The last day cannot be before the first."]


def test_the_contact_log_pages_and_prints_every_contact_the_filters_match(client, worker, family, log_contact):
    for day in range(30):
        log_contact(worker, family, occurred_at=at(date(2026, 1, 1) + timedelta(days=day)), narrative=f"Visit {day}.")
    sign_in(client, worker)
    html = client.get(contact_log(family)).content.decode()
    assert len(narratives_in(html)) == 25 and "Showing 1–25 of 30" in html
    assert "print=1" in html
    printed = client.get(contact_log(family), {"print": "1", "since": "2026-01-11"}).content.decode()
    assert len(narratives_in(printed)) == 20 and "Showing" not in printed
    assert "20 contacts from Jan 11, 2026. Printed" in printed


def test_the_contact_logs_withheld_count_is_the_same_whatever_the_filters(client, coordinator, family, contacts):
    sign_in(client, coordinator)
    for params in ({}, {"contact_type": "phone_call"}, {"since": "2026-04-01"}):
        html = client.get(contact_log(family), params).content.decode()
        assert "<strong>Withheld:</strong> 3 contacts of Child welfare case held by County Children" in html
        assert narratives_in(html) == []


def count_queries(client, url: str, **params) -> int:
    client.get(url, params)  # the session's first look warms what every later request reuses
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_the_family_page_and_the_contact_log_read_in_as_many_queries_for_2_as_for_10_rows(
    client, worker, counselor, family, write_note, log_contact, consent_terms
):
    # The mother's consent shows child welfare her program's notes: Part 2 disclosures are written too.
    consent_services.record_consent(consent_terms(categories=["sud.progress"]))

    def add(rows: int) -> None:
        for number in range(rows // 2):
            log_contact(worker, family, occurred_at=at(date(2026, 2, 1) + timedelta(days=number)))
            write_note(counselor, family, subject=family.people["mom"], category="sud.progress", title=f"P{number}")

    sign_in(client, worker)
    counts = []
    for rows in (2, 8):
        add(rows)
        counts.append((count_queries(client, family_page(family)), count_queries(client, contact_log(family))))
    assert len(titles_in(client.get(family_page(family)).content.decode())) == 10
    assert counts[0] == counts[1]
