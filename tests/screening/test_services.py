"""Administering, storing and reading screens and assessments, through the policy point."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from familybridge.agencies.models import Partnership
from familybridge.agencies.roles import Purpose, Role
from familybridge.consent.categories import Category
from familybridge.referrals.models import Referral
from familybridge.screening import selectors, services
from familybridge.screening.instruments import find_built_in
from familybridge.screening.models import NextStep, ScreeningResult
from tests.conftest import sign_in

PLANNING = Purpose.CASE_PLANNING


@pytest.fixture
def worker(agencies, make_user, family, assign):
    user = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(user, family)
    return user


@pytest.fixture
def coordinator(agencies, make_user):
    return make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR)


def administer(user, family, person, instrument_id, answers, **kwargs):
    return services.administer_screen(
        user,
        family=family,
        subject=person,
        instrument_id=instrument_id,
        answers=answers,
        purpose=user.default_purpose,
        **kwargs,
    )


def test_a_screen_is_stored_as_a_scored_questionnaire_response(worker, family, agencies):
    result = administer(worker, family, family.people["mom"], "AUDIT", [2, 2, 2, 1, 1, 0, 0, 0, 0, 0])
    assert (result.total, result.band, result.positive, result.next_step) == (8, "II", True, NextStep.REFER)
    assert result.owner_agency == agencies["cw"] and result.category == Category.SCREENING_RESULT
    QuestionnaireResponse.model_validate(result.questionnaire_response)
    score = result.questionnaire_response["extension"][0]["extension"]
    assert {"url": "total", "valueInteger": 8} in score
    assert {"url": "cutoff", "valueString": "positive=7"} in score  # the mother: women's cut-off
    assert result.instrument_version == "1" and result.cutoffs_used == {"positive": 7}


def test_a_part2_program_screen_is_sud_assessment_and_invisible_to_child_welfare(
    agencies, family, make_user, assign, worker
):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    result = administer(counselor, family, family.people["mom"], "PHQ-2", [1, 1])
    assert result.category == Category.SUD_ASSESSMENT
    assert selectors.family_screening(worker, family, PLANNING).results == []
    assert selectors.result_visible_to(worker, result.pk, PLANNING) is None
    assert selectors.family_screening(counselor, family, Purpose.TREATMENT).results == [result]


@pytest.mark.parametrize(
    ("answers", "observations", "step"),
    [
        ([0] * 9, services.Observations(), NextStep.NONE),
        ([2] * 5 + [0] * 4, services.Observations(), NextStep.REFER),
        ([0] * 9, services.Observations(withdrawal=True), NextStep.URGENT),
        ([0] * 8 + [1], services.Observations(), NextStep.URGENT),
    ],
)
def test_saferr_next_step(worker, family, answers, observations, step):
    result = administer(worker, family, family.people["dad"], "PHQ-9", answers, observations=observations)
    assert result.next_step == step


def test_only_a_parent_of_a_family_on_the_caseload_can_be_screened(agencies, family, make_user, worker):
    with pytest.raises(PermissionDenied):
        administer(worker, family, family.people["kid"], "PHQ-2", [0, 0])
    stranger = make_user("stranger", agencies["cw"], Role.CASEWORKER)
    with pytest.raises(PermissionDenied):
        administer(stranger, family, family.people["mom"], "PHQ-2", [0, 0])
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    with pytest.raises(PermissionDenied):
        administer(judge, family, family.people["mom"], "PHQ-2", [0, 0])


def test_bad_answers_save_nothing(worker, family):
    with pytest.raises(ValidationError, match="out of range"):
        administer(worker, family, family.people["mom"], "PHQ-2", [0, 9])
    assert not ScreeningResult.unrestricted.exists()


def test_partnership_cutoff_applies_and_is_recorded(worker, coordinator, family):
    partnership = Partnership.objects.get(slug="test")
    services.set_cutoff(
        coordinator, partnership, instrument_id="UNCOPE", name="positive", applies_to="default", value=3
    )
    result = administer(worker, family, family.people["dad"], "UNCOPE", [1, 1, 0, 0, 0, 0])
    assert (result.positive, result.cutoffs_used) == (False, {"positive": 3})
    with pytest.raises(ValidationError):
        services.set_cutoff(
            coordinator, partnership, instrument_id="PHQ-9", name="positive", applies_to="default", value=8
        )
    with pytest.raises(PermissionDenied):
        services.set_cutoff(worker, partnership, instrument_id="UNCOPE", name="positive", applies_to="default", value=1)


def test_importing_licensed_text_replaces_the_instrument_for_the_partnership(worker, coordinator, family):
    partnership = Partnership.objects.get(slug="test")
    resource = json.loads(find_built_in("DAST-10").to_json())
    resource["item"][0]["text"] = "Licensed question one?"
    with pytest.raises(ValidationError, match="already in use"):
        services.import_instrument(coordinator, partnership, json.dumps(resource))
    resource["version"] = "1-licensed"
    services.import_instrument(coordinator, partnership, json.dumps(resource))
    instrument = selectors.instrument_for(partnership, "DAST-10")
    assert instrument.items[0].text == "Licensed question one?"
    result = administer(worker, family, family.people["dad"], "DAST-10", [1] * 10)
    assert (result.instrument_version, result.total) == ("1-licensed", 9)
    with pytest.raises(ValidationError, match="not valid JSON"):
        services.import_instrument(coordinator, partnership, "{")
    del resource["extension"]
    resource["version"] = "2"
    with pytest.raises(ValidationError, match="scoring block"):
        services.import_instrument(coordinator, partnership, json.dumps(resource))


def test_clinical_assessment_is_part2_and_flows_back_only_through_the_policy_point(
    agencies, family, make_user, assign, worker
):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    with pytest.raises(PermissionDenied):
        services.record_assessment(
            worker,
            family=family,
            subject=family.people["mom"],
            purpose=PLANNING,
            assessed_on=date(2026, 2, 1),
            diagnosis="x",
            asam_level="1",
            recommendations="y",
        )
    assessment = services.record_assessment(
        counselor,
        family=family,
        subject=family.people["mom"],
        purpose=Purpose.TREATMENT,
        assessed_on=date(2026, 2, 1),
        diagnosis="F10.20 Alcohol use disorder, moderate",
        asam_level="2.1",
        recommendations="Intensive outpatient, three evenings a week.",
    )
    assert assessment.category == Category.SUD_ASSESSMENT and assessment.owner_agency == agencies["sud"]
    assert selectors.family_screening(worker, family, PLANNING).assessments == []
    assert selectors.family_screening(counselor, family, Purpose.TREATMENT).assessments == [assessment]


def test_one_time_link_works_once(worker, family, client):
    invitation, token = services.create_invitation(
        worker, family=family, subject=family.people["mom"], instrument_id="GAD-7", purpose=PLANNING
    )
    url = reverse("screening:take", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200 and "Hello Ana" in page.content.decode()
    assert "Rivera family" not in page.content.decode()
    answers = {f"a-{i}": "2" for i in range(1, 8)}
    done = client.post(url, {**answers, "action": "save"})
    assert "Thank you, Ana" in done.content.decode()
    result = ScreeningResult.unrestricted.get()
    assert (result.total, result.band, result.mode, result.administered_by) == (14, "moderate", "parent_device", worker)
    assert client.get(url).status_code == 410
    with pytest.raises(ValidationError, match="oral"):
        services.create_invitation(
            worker, family=family, subject=family.people["mom"], instrument_id="UNCOPE", purpose=PLANNING
        )


def test_referral_prefilled_from_a_positive_screen(worker, family, client, agencies):
    result = administer(worker, family, family.people["dad"], "CAGE-AID", [1, 1, 0, 0])
    sign_in(client, worker)
    form = client.get(reverse("screening:refer", args=[result.pk])).content.decode()
    assert "CAGE-AID on" in form and "positive (total 2)" in form
    assert "Hope Recovery" in form and "Harbor Treatment" in form
    response = client.post(
        reverse("screening:refer", args=[result.pk]),
        {"provider": agencies["sud2"].pk, "referral_date": "2026-03-02", "reason": "Positive CAGE-AID."},
    )
    assert response.status_code == 302
    referral = Referral.unrestricted.get()
    assert (referral.owner_agency, referral.subject, referral.referring_agency) == (
        agencies["sud2"],
        family.people["dad"],
        agencies["cw"],
    )
    assert referral.reason == "Positive CAGE-AID." and referral.source == "child_welfare"


def test_export_and_history_chart(worker, family, client):
    sign_in(client, worker)
    exported = client.get(reverse("screening:export", args=["CRAFFT-2.1"]))
    assert exported["Content-Type"] == "application/fhir+json"
    assert json.loads(exported.content)["id"] == "CRAFFT-2.1"
    for day, answers in ((date(2026, 1, 10), [2, 2, 2, 2, 2, 0, 0, 0, 0]), (date(2026, 3, 1), [1] * 9)):
        administer(worker, family, family.people["mom"], "PHQ-9", answers, administered_on=day)
    page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "data:image/svg+xml;base64," in page
    assert "Moderately severe" not in page and "Moderate" in page and "Mild" in page


def test_self_report_form_redraws_with_skip_logic(worker, family, client):
    sign_in(client, worker)
    url = reverse("screening:administer", args=[family.pk, family.people["mom"].pk, "CRAFFT-2.1"])
    zero = client.post(url, {"a-A1": "0", "a-A2": "0", "a-A3": "0"}, headers={"HX-Request": "true"}).content.decode()
    assert 'name="a-C"' in zero and 'name="a-R"' not in zero and "<html" not in zero
    some = client.post(url, {"a-A1": "4", "a-A2": "0", "a-A3": "0"}, headers={"HX-Request": "true"}).content.decode()
    assert 'name="a-R"' in some and 'name="a-T"' in some


def test_a_bad_number_on_the_form_keeps_the_other_answers(client, worker, family):
    sign_in(client, worker)
    url = reverse("screening:administer", args=[family.pk, family.people["mom"].pk, "CRAFFT-2.1"])
    response = client.post(url, {"a-A1": "5", "a-A2": "-1", "action": "next"})
    page = response.content.decode()
    assert "below the smallest allowed value" in page
    assert 'value="5"' in page


def test_the_settings_page_names_whom_each_cutoff_applies_to_in_words(client, agencies, make_user):
    sign_in(client, make_user("coord", agencies["cw"], Role.PARTNERSHIP_COORDINATOR))
    page = client.get(reverse("screening:settings")).content.decode()
    assert "<td>Older adults</td>" in page and "<td>Women</td>" in page
    assert "positive cut-off (older adults)</label>" in page
    assert "older_adult<" not in page and "Olderadult" not in page
