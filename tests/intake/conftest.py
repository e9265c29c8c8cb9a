"""Intake's staff and a helper that receives a report the way the "Receive a report" pages put it together."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.intake import services
from familybridge.intake.models import IntakeReport, MaltreatmentType, ReporterType
from familybridge.intake.services import AllegationEntry, NewPerson, Receipt, ReportDetails, ReportPerson

PLANNING = Purpose.CASE_PLANNING


@pytest.fixture
def intake_worker(agencies, make_user):
    """A caseworker who works no family yet: she takes the reports that come in."""
    return make_user("lin", agencies["cw"], Role.CASEWORKER)


@pytest.fixture
def supervisor(agencies, make_user):
    return make_user("denise", agencies["cw"], Role.CW_SUPERVISOR)


@pytest.fixture
def second_supervisor(agencies, make_user):
    return make_user("omar", agencies["cw"], Role.CW_SUPERVISOR)


@pytest.fixture
def investigator(agencies, make_user):
    return make_user("james", agencies["cw"], Role.CASEWORKER)


def details(received_at: datetime | None = None, **changes) -> ReportDetails:
    values = {
        "received_at": received_at or timezone.now() - timedelta(hours=2),
        "reporter_type": ReporterType.EDUCATION,
        "reporter_name": "Ms. Patel",
        "reporter_contact": "555-0100",
        "narrative": "The children came to school hungry and with bruises on their arms, three days running.",
        "zip_code": "60601",
    }
    values.update(changes)
    return ReportDetails(**values)


def new_child(key: str, first: str, last: str = "Lopez", born=None) -> ReportPerson:
    return ReportPerson(key=key, name=f"{first} {last}", role="child", new=NewPerson(first, last, born, "F"))


def receipt_about_new_children(**changes) -> Receipt:
    """Two children nobody knows and their mother's partner, also new: physical abuse and neglect."""
    values = {
        "details": details(),
        "children": [new_child("c1", "Mia"), new_child("c2", "Leo")],
        "perpetrators": [
            ReportPerson(key="p1", name="Carl Boyd", role="caregiver", new=NewPerson("Carl", "Boyd", None, "M"))
        ],
        "allegations": [
            AllegationEntry("c1", MaltreatmentType.PHYSICAL_ABUSE, "p1"),
            AllegationEntry("c2", MaltreatmentType.NEGLECT, ""),
        ],
        "family_name": "Lopez family",
    }
    values.update(changes)
    return Receipt(**values)


@pytest.fixture
def received(intake_worker) -> IntakeReport:
    return services.receive_report(intake_worker, receipt_about_new_children(), purpose=PLANNING)


@pytest.fixture
def screened_in(received, intake_worker, supervisor, investigator) -> IntakeReport:
    services.propose_screening(
        intake_worker,
        received,
        decision="screen_in",
        reason="meets_definition",
        response_track="investigation",
        response_hours=24,
    )
    return services.approve_screening(supervisor, received, investigator=investigator)
