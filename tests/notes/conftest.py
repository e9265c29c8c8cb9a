"""Notes and contacts on the Rivera family: written by the staff of each agency who work it."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.consent import services as consent_services
from familybridge.notes import services


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def supervisor(agencies, make_user):
    return make_user("supervisor", agencies["cw"], Role.CW_SUPERVISOR)


@pytest.fixture
def peer(agencies, family, make_user, assign):
    user = make_user("peer", agencies["sud"], Role.PEER_RECOVERY_SPECIALIST)
    assign(user, family)
    return user


@pytest.fixture
def write_note():
    def write(user, family, **changes):
        values = {
            "subject": family.people["kid"],
            "note_date": date(2026, 3, 2),
            "category": "cw.case",
            "title": "Safety plan reviewed",
            "narrative": "Reviewed the safety plan with the mother; she agreed to daily check-ins.",
        }
        return services.write_case_note(user, family, **(values | changes))

    return write


@pytest.fixture
def log_contact():
    def log(user, family, **changes):
        values = {
            "subject": family.people["kid"],
            "occurred_at": at(date(2026, 3, 3)),
            "contact_type": "home_visit",
            "category": "cw.case",
            "narrative": "Sofia was playing in her room; the home was clean and stocked with food.",
            "participants": [family.people["mom"], family.people["kid"]],
            "location": "Family home",
            "child_seen": True,
        }
        return services.log_contact(user, family, **(values | changes))

    return log


@pytest.fixture
def program_note(counselor, family, write_note):
    """The mother's counselor writes a progress note: Part 2, because the program holds it."""
    return write_note(
        counselor,
        family,
        subject=family.people["mom"],
        category="sud.progress",
        title="Engaged in group",
        narrative="Ana attended all three groups this week and spoke about her goals.",
    )


@pytest.fixture
def cw_case_agreement(agencies):
    """Child welfare and the court share the child welfare case (cw.case) for court monitoring, as in the demo."""
    return consent_services.record_agreement(
        name="Family court agreement",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.case"],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
