"""Part 2 follows the information (issue 10, findings 1 to 4): a Part 2 program's records are Part 2 whatever
their category, and a record derived from a Part 2 record is shown only to those who may also see its source."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import models as m
from familybridge.cases import services as case_services
from familybridge.consent import policy
from familybridge.consent import services as consent_services
from familybridge.consent.categories import is_part2
from familybridge.consent.models import ScenarioRecord
from familybridge.consent.policy import Withheld
from familybridge.courts.models import CourtReport
from familybridge.courts.selectors import reports_for_family
from familybridge.messaging.models import Notification
from familybridge.messaging.selectors import inbox, sent
from familybridge.messaging.services import send_message
from familybridge.outcomes.engine import Period
from familybridge.outcomes.indicators import INDICATORS
from familybridge.outcomes.selectors import cohort, cohort_rows
from familybridge.people.models import derive_provenance
from tests.conftest import sign_in
from tests.courts.filing import file_new_report

ALL_PURPOSES = [Purpose.CASE_PLANNING, Purpose.COURT_MONITORING, Purpose.COURT_PROCEEDING, Purpose.TREATMENT]


@pytest.fixture
def staff(agencies, family, make_user, assign) -> dict:
    """Someone on the family's caseload in each agency."""
    made = {
        "worker": make_user("worker", agencies["cw"], Role.CASEWORKER),
        "counselor": make_user("counselor", agencies["sud"], Role.COUNSELOR),
        "other_program": make_user("harbor", agencies["sud2"], Role.COUNSELOR),
        "judge": make_user("judge", agencies["court"], Role.JUDGE),
        "coordinator": make_user("coordinator", agencies["court"], Role.COURT_COORDINATOR),
    }
    for user in made.values():
        assign(user, family)
    return made


def partnership_agreement(agencies, categories: list[str]) -> None:
    """The partnership's data-sharing agreement among all four agencies, for every purpose staff read for."""
    consent_services.record_agreement(
        name="Partnership agreement",
        parties=list(agencies.values()),
        categories=categories,
        purposes=ALL_PURPOSES,
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )


def visible(user, queryset, purpose: str) -> list:
    return [item for item in policy.read(user, queryset, purpose, disclose=False) if not isinstance(item, Withheld)]


def test_the_rule_a_programs_record_or_one_derived_from_part2_is_part2_whatever_its_category():
    assert is_part2("cw.case", owner_is_part2_program=True)
    assert is_part2("person.identity", owner_is_part2_program=True)
    assert is_part2("court.order", False, source_category="sud.toxicology")
    assert is_part2("court.case", False, source_category="court.case", source_owner_is_part2_program=True)
    assert not is_part2("court.order", False, source_category="cw.case")


# Finding 1


def test_finding1_a_programs_message_filed_as_cw_case_is_closed_to_partners_once_consent_is_revoked(
    agencies, family, staff, consent_terms
):
    partnership_agreement(agencies, ["cw.case", "court.case"])
    consent = consent_services.record_consent(
        consent_terms(recipients=[agencies["cw"]], purposes=["case_planning"], categories=["cw.case"])
    )
    partners = [agencies["cw"], agencies["court"], agencies["sud2"]]
    about = {"family": family, "about": family.people["mom"], "recipient_agencies": partners}
    under_consent = send_message(
        staff["counselor"], **about, category="cw.case", subject_line="Ana's schedule", body="Groups on Tuesdays."
    )
    # The consent opens it to child welfare only: the agreement opens nothing a program holds.
    assert [n.recipient for n in Notification.objects.all()] == [staff["worker"]]
    assert list(inbox(staff["worker"], Purpose.CASE_PLANNING)) == [under_consent]

    consent_services.revoke_consent(consent)
    for category in ("cw.case", "court.case"):
        # Nobody addressed may read it any more, so it is not sent at all.
        with pytest.raises(ValidationError, match="Not sent"):
            send_message(
                staff["counselor"], **about, category=category, subject_line="Missed group", body="Ana relapsed."
            )
    assert Notification.objects.count() == 1
    for reader, purpose in (
        (staff["worker"], Purpose.CASE_PLANNING),
        (staff["judge"], Purpose.COURT_MONITORING),
        (staff["other_program"], Purpose.TREATMENT),
    ):
        assert list(inbox(reader, purpose)) == []
    assert list(sent(staff["counselor"], Purpose.TREATMENT)) == [under_consent]


# Finding 2


@pytest.fixture
def ftc_case(agencies, family) -> m.CourtCase:
    return m.CourtCase.objects.create(
        owner_agency=agencies["court"],
        subject=family.people["kid"],
        family=family,
        docket_number="FTC-26-4",
        filed_on=date(2026, 1, 10),
        is_family_treatment_court=True,
    )


def test_finding2_an_ftc_response_to_a_test_is_closed_to_child_welfare_when_consent_is_revoked(
    client, agencies, family, staff, episode, ftc_case, consent_terms
):
    partnership_agreement(agencies, ["cw.case", "court.case", "court.order"])
    consent = consent_services.record_consent(consent_terms(categories=["sud.toxicology"]))
    test = m.ToxicologyResult.objects.create(
        owner_agency=agencies["sud"],
        subject=family.people["mom"],
        episode=episode,
        collected_on=date(2026, 2, 2),
        outcome="positive",
        substances="fentanyl",
    )
    mom, coordinator = family.people["mom"], staff["coordinator"]
    phase = case_services.record_ftc_phase(
        coordinator, family, court_case=ftc_case, subject=mom, phase=1, started_on=date(2026, 1, 20)
    )
    response = case_services.record_ftc_response(
        coordinator,
        family,
        court_case=ftc_case,
        subject=mom,
        response_date=date(2026, 2, 5),
        kind="therapeutic",
        description="Therapeutic adjustment after a positive test: added individual counseling.",
        responds_to=test,
    )
    worker = staff["worker"]
    [shown] = visible(worker, m.FtcResponse.unrestricted.all(), Purpose.CASE_PLANNING)
    assert shown == response and shown.policy_part2
    sign_in(client, worker)
    why = client.get(reverse("consent:why", args=["cases.ftcresponse", response.pk]) + "?purpose=case_planning")
    assert "derived from SUD toxicology results held by Hope Recovery" in why.content.decode()

    consent_services.revoke_consent(consent)
    # Closed, and like any Part 2 denial it leaves no trace; participation stays under the agreement.
    assert policy.read(worker, m.FtcResponse.objects.all(), Purpose.CASE_PLANNING) == []
    assert visible(worker, m.FtcPhase.unrestricted.all(), Purpose.CASE_PLANNING) == [phase]


def test_finding2_a_record_derived_from_a_response_keeps_the_test_as_its_source(
    agencies, family, staff, episode, ftc_case, consent_terms
):
    partnership_agreement(agencies, ["cw.case"])
    consent_services.record_consent(consent_terms(categories=["sud.toxicology"]))
    test = m.ToxicologyResult.objects.create(
        owner_agency=agencies["sud"],
        subject=episode.subject,
        episode=episode,
        collected_on=date(2026, 2, 2),
        outcome="missed",
    )
    response = case_services.record_ftc_response(
        staff["coordinator"],
        family,
        court_case=ftc_case,
        subject=episode.subject,
        response_date=date(2026, 2, 5),
        kind="sanction",
        description="Sanction: two missed tests.",
        responds_to=test,
    )
    assert derive_provenance(response) == {
        "source_owner_agency": agencies["sud"],
        "source_category": "sud.toxicology",
        "source_subject": episode.subject,
        "source_record": f"cases.toxicologyresult:{test.pk}",
    }


# Finding 3


@pytest.fixture
def left_treatment(agencies, family, episode) -> m.TreatmentEpisode:
    episode.discharge_date, episode.discharge_reason = date(2026, 3, 2), m.TedsDischargeReason.LEFT
    episode.save()
    m.DischargeSummary.objects.create(
        owner_agency=agencies["sud"],
        subject=episode.subject,
        episode=episode,
        discharged_on=date(2026, 3, 2),
        reason=m.TedsDischargeReason.LEFT,
    )
    return episode


def cohort_of(user, indicator, period, *, data) -> list:
    """Every row of the drill-down, as its pages list them."""
    found = cohort(user, indicator, period, data=data)
    return cohort_rows(user, indicator, found, list(found.records))


class CohortOf:
    """Outcome data whose cohort is the given episodes, each counted in the numerator as its reason says."""

    def __init__(self, *episodes: m.TreatmentEpisode) -> None:
        self.episodes = episodes

    def cohort(self, code: str, period: Period) -> list[tuple[int, str, bool]]:
        return [(e.pk, "", e.discharge_reason == m.TedsDischargeReason.COMPLETED) for e in self.episodes]


def test_finding3_discharge_reason_is_shown_only_under_a_basis_for_the_discharge_summary(
    client, agencies, family, staff, left_treatment, consent_terms
):
    enrollment_only = {"recipients": [agencies["cw"]], "purposes": ["case_planning"]}
    consent_services.record_consent(consent_terms(**enrollment_only, categories=["sud.enrollment"]))
    worker = staff["worker"]
    sign_in(client, worker)
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "admitted Jan 20, 2026" in page and "discharged Mar 2, 2026" in page
    assert "left against professional advice" not in page
    completion = next(i for i in INDICATORS if i.code == "T3")
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    [row] = cohort_of(worker, completion, period, data=CohortOf(left_treatment))
    assert (row.record, row.discharge_reason, row.counted) == (left_treatment, "", None)

    consent_services.record_consent(consent_terms(**enrollment_only, categories=["sud.discharge"]))
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "discharged Mar 2, 2026 — left against professional advice" in page
    [row] = cohort_of(worker, completion, period, data=CohortOf(left_treatment))
    assert (row.discharge_reason, row.counted) == ("Left against professional advice", False)


# Finding 4


@pytest.fixture
def hearing(agencies, family) -> m.Hearing:
    kid = family.people["kid"]
    m.RemovalEpisode.objects.create(
        owner_agency=agencies["cw"], subject=kid, family=family, removal_date=date(2026, 1, 3)
    )
    court_case = m.CourtCase.objects.create(
        owner_agency=agencies["court"], subject=kid, family=family, docket_number="JD-9"
    )
    return m.Hearing.objects.create(
        owner_agency=agencies["court"],
        subject=kid,
        court_case=court_case,
        hearing_date=date(2026, 3, 1),
        hearing_type="review",
    )


def test_finding4_a_program_files_no_report_that_tells_the_court_of_a_client_without_consent(
    agencies, family, staff, episode, hearing
):
    # The agreement lets the counselor and the court see the removal: a report could hold only that,
    # yet its author's agency would tell every partner the mother is a client.
    partnership_agreement(agencies, ["cw.placement", "court.case"])
    with pytest.raises(ValidationError, match="No consent or court order lets Hope Recovery tell the court"):
        file_new_report(staff["counselor"], hearing, Purpose.COURT_PROCEEDING)
    assert not CourtReport.unrestricted.exclude(sent_at=None).exists()


def test_finding4_a_report_filed_by_a_program_is_hidden_from_partners_without_a_basis(
    client, agencies, family, staff, episode, hearing, consent_terms
):
    partnership_agreement(agencies, ["cw.placement", "court.case"])
    consent_services.record_consent(
        consent_terms(
            kind="proceedings",
            recipients=[agencies["court"]],
            purposes=["court_proceeding"],
            categories=["sud.enrollment"],
        )
    )
    report = file_new_report(staff["counselor"], hearing, Purpose.COURT_PROCEEDING)
    assert reports_for_family(staff["judge"], family, Purpose.COURT_PROCEEDING) == [report]
    for partner, purpose in ((staff["worker"], Purpose.CASE_PLANNING), (staff["other_program"], Purpose.TREATMENT)):
        assert policy.read(partner, CourtReport.objects.all(), purpose) == []
    sign_in(client, staff["worker"])
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Reports filed" not in page and "Counselor Tester" not in page
    # derived from the program's record of the client: Part 2, with the source the "why" page names
    assert report.source_record == f"cases.treatmentepisode:{episode.pk}"


def test_a_derived_record_that_is_not_part2_is_withheld_with_the_reason_when_its_source_is_closed(
    agencies, family, staff
):
    mom = family.people["mom"]
    case_note = ScenarioRecord.objects.create(
        owner_agency=agencies["cw"], subject=mom, category="cw.case", label="case note", recorded_on=date(2026, 2, 1)
    )
    court_note = ScenarioRecord.objects.create(
        owner_agency=agencies["court"],
        subject=mom,
        category="court.case",
        label="court's summary of the case note",
        recorded_on=date(2026, 2, 2),
        **derive_provenance(case_note),
    )
    consent_services.record_agreement(
        name="Court and Harbor",
        parties=[agencies["court"], agencies["sud2"]],
        categories=["court.case"],
        purposes=[Purpose.TREATMENT],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    [withheld] = policy.read(staff["other_program"], ScenarioRecord.objects.filter(pk=court_note.pk), Purpose.TREATMENT)
    assert withheld.reason == "It is derived from another record, which is not open to you for this purpose."
