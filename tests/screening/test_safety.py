"""Safety flags: who is alerted at once (Part 2 routing included), and the follow-up that closes a flag."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.models import Team, TeamMembership
from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.corrections import correct_record, void_record
from familybridge.consent import services as consent_services
from familybridge.dates import us_date
from familybridge.messaging.models import Notification
from familybridge.people.models import CaseloadAssignment
from familybridge.screening import services
from familybridge.screening.models import SafetyFollowUp, ScreeningResult
from familybridge.worklists.selectors import worklist_for
from tests.conftest import sign_in

PLANNING = Purpose.CASE_PLANNING
PHQ9_ITEM_9 = [1, 1, 1, 1, 1, 1, 1, 1, 1]  # item 9, thoughts of death or self-harm, "several days"
PHQ9_QUIET = [1, 1, 0, 0, 0, 0, 0, 0, 0]


@pytest.fixture
def worker(agencies, family, make_user, assign):
    user = make_user("worker", agencies["cw"], Role.CASEWORKER)
    user.email = "worker@cw.example"
    user.save()
    assign(user, family)
    return user


@pytest.fixture
def supervisor(agencies, make_user, worker):
    user = make_user("supervisor", agencies["cw"], Role.CW_SUPERVISOR)
    user.email = "supervisor@cw.example"
    user.save()
    team = Team.objects.create(agency=agencies["cw"], name="Ongoing", supervisor=user)
    TeamMembership.objects.create(team=team, user=worker)
    return user


@pytest.fixture
def counselor(agencies, family, make_user):
    """The program's counselor, assigned to the mother as her client."""
    user = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    CaseloadAssignment.objects.create(
        client=family.people["mom"], family=family, staff=user, assigned_on=timezone.localdate() - timedelta(days=30)
    )
    return user


@pytest.fixture
def clinical_supervisor(agencies, make_user):
    return make_user("clinical", agencies["sud"], Role.CLINICAL_SUPERVISOR)


def screen(user, family, answers=PHQ9_ITEM_9, instrument="PHQ-9", **kwargs) -> ScreeningResult:
    return services.administer_screen(
        user,
        family=family,
        subject=family.people["mom"],
        instrument_id=instrument,
        answers=answers,
        purpose=user.default_purpose,
        **kwargs,
    )


def alerted(result: ScreeningResult) -> set[str]:
    return set(
        Notification.objects.filter(dedupe_key=f"safety-flag:{result.pk}").values_list("recipient__username", flat=True)
    )


def test_a_flag_a_caseworker_enters_alerts_her_and_her_supervisor_in_the_app_and_by_email(
    worker, supervisor, family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = screen(worker, family)
    assert alerted(result) == {"worker", "supervisor"}
    notice = Notification.objects.get(recipient=worker)
    assert notice.link == reverse("screening:result", args=[result.pk])
    assert notice.text.startswith("Safety flag on Ana Rivera's screen of ")
    # Never the answers, the score or which item raised it.
    assert "PHQ" not in notice.text and "self-harm" not in notice.text and str(result.total) not in notice.text
    assert sorted(message.to[0] for message in mail.outbox) == ["supervisor@cw.example", "worker@cw.example"]


def test_a_quiet_screen_alerts_no_one(worker, supervisor, family):
    result = screen(worker, family, answers=PHQ9_QUIET)
    assert alerted(result) == set()


def test_observed_impairment_alerts_even_on_a_negative_screen(worker, supervisor, family):
    result = screen(worker, family, PHQ9_QUIET, observations=services.Observations(intoxication=True))
    assert not result.positive and alerted(result) == {"worker", "supervisor"}


def test_without_a_team_the_agencys_supervisors_are_alerted(agencies, worker, family, make_user):
    make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    assert alerted(screen(worker, family)) == {"worker", "sup"}


def test_a_parents_answers_through_the_one_time_link_alert_at_once(worker, supervisor, family, mailoutbox):
    invitation, token = services.create_invitation(
        worker, family=family, subject=family.people["mom"], instrument_id="PHQ-9", purpose=PLANNING
    )
    result = services.complete_invitation(token, PHQ9_ITEM_9)
    assert alerted(result) == {"worker", "supervisor"}
    assert Notification.objects.get(recipient=supervisor).text == (
        f"Safety flag on the screen Ana Rivera answered on their own device on {us_date(result.administered_on)}: "
        "follow up now and record what was done."
    )


def test_a_programs_flag_stays_with_the_program_when_no_basis_opens_it_to_child_welfare(
    worker, supervisor, counselor, clinical_supervisor, family
):
    result = screen(counselor, family)
    assert alerted(result) == {"counselor", "clinical"}


def test_a_programs_flag_goes_to_the_caseworker_when_her_consent_opens_it(
    worker, supervisor, counselor, clinical_supervisor, family, consent_terms
):
    consent_services.record_consent(consent_terms(categories=["sud.enrollment", "sud.assessment"]))
    result = screen(counselor, family)
    assert alerted(result) == {"worker", "supervisor"}


def test_the_parents_link_from_a_program_reaches_its_counselor_who_sent_it(
    worker, counselor, clinical_supervisor, family
):
    _, token = services.create_invitation(
        counselor, family=family, subject=family.people["mom"], instrument_id="PHQ-9", purpose=Purpose.TREATMENT
    )
    result = services.complete_invitation(token, PHQ9_ITEM_9)
    assert alerted(result) == {"counselor", "clinical"}


# The follow-up.


def follow_up(user, result, **changes) -> SafetyFollowUp:
    values = {
        "contacted": "Ana Rivera, by phone",
        "contacted_at": timezone.now() - timedelta(minutes=5),
        "action": "Made a safety plan with her; her sister stays tonight.",
        **changes,
    }
    return services.record_follow_up(user, result, purpose=user.default_purpose, **values)


def flags_on_worklist(user) -> list:
    return [
        i for i in worklist_for(user, user.default_purpose, today=timezone.localdate()).items if i.kind == "Safety flag"
    ]


def test_a_flag_stays_on_both_worklists_until_the_follow_up_is_recorded(worker, supervisor, family):
    result = screen(worker, family)
    assert len(flags_on_worklist(worker)) == 1 and len(flags_on_worklist(supervisor)) == 1
    recorded = follow_up(worker, result)
    assert flags_on_worklist(worker) == [] and flags_on_worklist(supervisor) == []
    assert recorded.owner_agency == worker.agency and recorded.recorded_by == worker
    assert recorded.source_record == f"screening.screeningresult:{result.pk}"


def test_voiding_a_follow_up_entered_in_error_puts_the_flag_back_on_the_worklist(worker, family):
    result = screen(worker, family)
    recorded = follow_up(worker, result)
    void_record(worker, family, recorded, "Entered on the wrong screen.")
    assert len(flags_on_worklist(worker)) == 1
    follow_up(worker, result)  # the replacement
    assert flags_on_worklist(worker) == []


def test_a_follow_up_is_corrected_under_the_same_rules(worker, family):
    recorded = follow_up(worker, screen(worker, family))
    corrected = correct_record(
        worker, family, recorded, {"action": "Safety plan; crisis line called together."}, "Typo"
    )
    assert corrected.action == "Safety plan; crisis line called together."
    with pytest.raises(ValidationError):
        correct_record(worker, family, recorded, {"action": " "}, "Cleared by mistake")


def test_a_flag_not_followed_up_within_24_hours_is_overdue(worker, family):
    result = screen(worker, family)
    [item] = flags_on_worklist(worker)
    assert item.urgency(timezone.localdate()) != "overdue"
    ScreeningResult.unrestricted.filter(pk=result.pk).update(created_at=timezone.now() - timedelta(hours=25))
    [item] = flags_on_worklist(worker)
    assert item.urgency(timezone.localdate()) == "overdue" and item.due_words(timezone.localdate()).startswith(
        "Overdue"
    )


def test_a_follow_up_with_nothing_filled_in_names_every_field_and_saves_nothing(worker, family):
    result = screen(worker, family)
    with pytest.raises(ValidationError) as error:
        follow_up(worker, result, contacted=" ", contacted_at=None, action="")
    assert set(error.value.message_dict) == {"contacted", "contacted_at", "action"}
    assert not SafetyFollowUp.unrestricted.exists()


@pytest.mark.parametrize(
    ("when", "message"),
    [(timedelta(hours=2), "cannot be in the future"), (timedelta(days=-3), "cannot be before the screen")],
)
def test_a_follow_up_is_between_the_screen_and_now(worker, family, when, message):
    result = screen(worker, family)
    with pytest.raises(ValidationError) as error:
        follow_up(worker, result, contacted_at=timezone.now() + when)
    assert message in error.value.message_dict["contacted_at"][0]
    assert not SafetyFollowUp.unrestricted.exists()


def test_one_follow_up_per_flag_and_agency_and_only_for_a_flag(worker, family):
    result = screen(worker, family)
    follow_up(worker, result)
    with pytest.raises(ValidationError, match="already recorded"):
        follow_up(worker, result)
    with pytest.raises(ValidationError, match="no safety flag"):
        follow_up(worker, screen(worker, family, answers=PHQ9_QUIET))
    assert SafetyFollowUp.unrestricted.count() == 1


def test_a_programs_follow_up_is_part2_and_closes_the_flag_for_child_welfare_as_far_as_her_consent_reaches(
    worker, counselor, family, consent_terms
):
    consent_services.record_consent(consent_terms(categories=["sud.enrollment", "sud.assessment"]))
    result = screen(counselor, family)
    assert len(flags_on_worklist(worker)) == 1
    recorded = follow_up(counselor, result)
    assert recorded.category == "sud.assessment"
    assert flags_on_worklist(counselor) == [] and flags_on_worklist(worker) == []


# The pages.


def test_recording_the_follow_up_on_its_page_closes_the_flag(client, worker, family):
    result = screen(worker, family)
    sign_in(client, worker)
    page = client.get(reverse("screening:result", args=[result.pk])).content.decode()
    assert "Awaiting follow-up" in page and reverse("screening:follow-up", args=[result.pk]) in page
    response = client.post(
        reverse("screening:follow-up", args=[result.pk]),
        {"contacted": "Ana, by phone", "contacted_at": "", "action": ""},
    )
    assert "Give the day and time of the contact." in response.content.decode() and "Say what was done." in (
        response.content.decode()
    )
    when = timezone.localtime() - timedelta(minutes=10)
    response = client.post(
        reverse("screening:follow-up", args=[result.pk]),
        {"contacted": "Ana, by phone", "contacted_at": when.strftime("%Y-%m-%dT%H:%M"), "action": "Safety plan."},
    )
    assert response.status_code == 302
    page = client.get(reverse("screening:result", args=[result.pk])).content.decode()
    assert "Followed up on " in page and "by Worker Tester" in page
    family_page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert "Safety flags" in family_page and "Followed up on " in family_page


def test_the_parents_confirmation_shows_988_always_and_more_strongly_after_item_9(client, worker, family):
    def answer(answers) -> str:
        _, token = services.create_invitation(
            worker, family=family, subject=family.people["mom"], instrument_id="PHQ-9", purpose=PLANNING
        )
        data = {"action": "save", **{f"a-{n}": str(a) for n, a in enumerate(answers, start=1)}}
        return client.post(reverse("screening:take", args=[token]), data).content.decode()

    quiet = answer(PHQ9_QUIET)
    assert "Call or text 988" in quiet and "988lifeline.org" in quiet and "Call 911" in quiet
    assert 'role="alert"' not in quiet and "Total" not in quiet
    flagged = answer(PHQ9_ITEM_9)
    assert (
        "Call or text 988" in flagged
        and 'role="alert"' in flagged
        and "You do not have to go through this alone" in (flagged)
    )


def family_page_queries(client, family) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:family-detail", args=[family.pk])).status_code == 200
    return len(queries)


def test_the_family_pages_safety_flags_cost_the_same_queries_for_1_or_4(client, worker, family):
    sign_in(client, worker)
    follow_up(worker, screen(worker, family))
    screen(worker, family)
    few = family_page_queries(client, family)
    follow_up(worker, screen(worker, family))
    screen(worker, family)
    assert family_page_queries(client, family) == few
