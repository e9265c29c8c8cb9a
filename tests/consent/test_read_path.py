"""One read path (issue 10, finding 9): every page that shows another agency's Part 2 records under a
basis writes the accounting of disclosures and shows the §2.32 notice, and nothing it does not show
is accounted for."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, Hearing, ToxicologyResult, TreatmentEpisode
from familybridge.consent import services as consent_services
from familybridge.consent.models import Disclosure
from familybridge.consent.notices import REDISCLOSURE_NOTICE
from familybridge.outcomes.engine import Period
from familybridge.outcomes.indicators import BY_CODE
from familybridge.outcomes.selectors import cohort, cohort_rows
from familybridge.referrals import services as referral_services
from familybridge.screening.models import ScreeningResult
from tests.conftest import sign_in

NOTICE_START = REDISCLOSURE_NOTICE[:60]


def disclosed_records(user) -> list[str]:
    return [key for d in Disclosure.objects.filter(recipient_user=user) for key in d.records]


@pytest.fixture
def consented(consent_terms):
    return consent_services.record_consent(
        consent_terms(categories=["sud.enrollment", "sud.toxicology", "sud.assessment"])
    )


@pytest.fixture
def referral(worker, family, agencies):
    return referral_services.create_referral(
        worker,
        subject=family.people["mom"],
        provider=agencies["sud"],
        referral_date=timezone.localdate(),
        reason="Positive UNCOPE screen",
    )


def test_finding_9_referral_page_accounts_for_the_referral_and_shows_the_notice(
    client, coordinator, referral, consented
):
    sign_in(client, coordinator)
    page = client.get(reverse("referrals:detail", args=[referral.pk]), {"purpose": "court_monitoring"})
    assert page.status_code == 200
    assert NOTICE_START in page.content.decode()
    assert f"referrals.referral:{referral.pk}" in disclosed_records(coordinator)


def test_finding_9_referral_fhir_export_accounts_for_the_referral_and_carries_the_notice(
    client, coordinator, referral, consented
):
    sign_in(client, coordinator)
    bundle = client.get(reverse("referrals:fhir", args=[referral.pk]), {"purpose": "court_monitoring"}).json()
    service_request = bundle["entry"][0]["resource"]
    assert service_request["note"] == [{"text": REDISCLOSURE_NOTICE}]
    assert service_request["meta"]["security"][0]["code"] == "42CFRPart2"
    assert f"referrals.referral:{referral.pk}" in disclosed_records(coordinator)


def test_finding_9_screening_result_page_accounts_for_a_programs_screen_and_shows_the_notice(
    client, worker, family, agencies, consented
):
    screen = ScreeningResult.objects.create(
        owner_agency=agencies["sud"],
        subject=family.people["mom"],
        category="sud.assessment",
        family=family,
        instrument="uncope",
        instrument_title="UNCOPE",
        instrument_version="1",
        administered_on=date(2026, 1, 12),
        answers=[1, 1, 0, 0, 1, 0],
        total=3,
        positive=True,
        questionnaire_response={},
    )
    sign_in(client, worker)
    page = client.get(reverse("screening:result", args=[screen.pk]), {"purpose": "case_planning"})
    assert page.status_code == 200
    assert NOTICE_START in page.content.decode()
    assert disclosed_records(worker) == [f"screening.screeningresult:{screen.pk}"]


def test_finding_9_hearing_report_preview_accounts_for_what_it_shows_its_author(
    client, worker, family, agencies, consented, make_user, assign
):
    mom, kid = family.people["mom"], family.people["kid"]
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=mom, admission_date=date(2026, 1, 9)
    )
    test = ToxicologyResult.objects.create(
        owner_agency=agencies["sud"], subject=mom, episode=episode, collected_on=date(2026, 1, 10), outcome="negative"
    )
    case = CourtCase.objects.create(owner_agency=agencies["court"], subject=kid, family=family, docket_number="JD-9")
    hearing = Hearing.objects.create(
        owner_agency=agencies["court"],
        subject=kid,
        court_case=case,
        hearing_date=date(2026, 3, 1),
        hearing_type="review",
    )
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    assign(judge, family)
    consent_services.record_agreement(
        name="Child welfare and the court",
        parties=[agencies["cw"], agencies["court"]],
        categories=["court.case"],
        purposes=["case_planning"],
        starts_on=date(2025, 1, 1),
        ends_on=None,
    )
    sign_in(client, worker)
    started = client.post(
        reverse("courts:prepare", args=[hearing.pk]),
        {"purpose": "court_monitoring", "narrative": "", "recommendations": ""},
    )
    page = client.get(started["Location"])
    assert page.status_code == 200
    assert NOTICE_START in page.content.decode()
    assert f"cases.toxicologyresult:{test.pk}" in disclosed_records(worker)
    assert disclosed_records(judge) == []  # checking what the judge will see shows the judge nothing


class OneEpisodeCohort:
    """Outcome data whose T2 cohort is one treatment episode."""

    def __init__(self, episode: TreatmentEpisode) -> None:
        self.episode = episode

    def cohort(self, code: str, period: Period) -> list[tuple[int, int, bool]]:
        return [(self.episode.pk, self.episode.subject_id, True)]


def test_finding_9_outcomes_drill_down_accounts_for_program_records_and_attaches_the_notice(
    agencies, family, make_user, consented
):
    supervisor = make_user("super", agencies["cw"], Role.CW_SUPERVISOR)
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 1, 9)
    )
    data = OneEpisodeCohort(episode)
    found = cohort(supervisor, BY_CODE["T2"], Period.twelve_months_to(date(2026, 9, 30)), data=data)
    [row] = cohort_rows(supervisor, BY_CODE["T2"], found, list(found.records))
    assert row.redisclosure_notice == REDISCLOSURE_NOTICE
    assert disclosed_records(supervisor) == [f"cases.treatmentepisode:{episode.pk}"]


def test_finding_9_timeline_of_one_system_accounts_for_nothing_it_hides(client, worker, family, agencies, consented):
    episode = TreatmentEpisode.objects.create(
        owner_agency=agencies["sud"], subject=family.people["mom"], admission_date=date(2026, 1, 9)
    )
    sign_in(client, worker)
    url = reverse("web:family-timeline", args=[family.pk])
    page = client.get(url, {"system": "child_welfare", "purpose": Purpose.CASE_PLANNING}).content.decode()
    assert "Admitted to treatment" not in page
    assert disclosed_records(worker) == []
    page = client.get(url, {"purpose": Purpose.CASE_PLANNING}).content.decode()
    assert "Admitted to treatment" in page and NOTICE_START in page
    assert disclosed_records(worker) == [f"cases.treatmentepisode:{episode.pk}"]
