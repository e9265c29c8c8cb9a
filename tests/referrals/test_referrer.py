"""The referrer follows her referral: her list, the family page, the screen it came from, the notices of each step
and the next action after a decline, each only as far as the parent's consent lets her agency see the program."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from familybridge.agencies.roles import Purpose, Role
from familybridge.cases import services as case_services
from familybridge.cases.models import TreatmentEpisode
from familybridge.consent import services as consent_services
from familybridge.messaging.models import Notification, NotificationKind
from familybridge.referrals import selectors, services
from familybridge.referrals.models import Referral, ReferralStatus
from familybridge.screening import services as screening_services
from familybridge.worklists.selectors import FOLLOW_UP, worklist_for
from tests.conftest import sign_in
from tests.lists import assert_constant_queries

TODAY = timezone.localdate()


@pytest.fixture
def screen(worker, family):
    """A positive AUDIT of the mother, administered by her caseworker."""
    return screening_services.administer_screen(
        worker,
        family=family,
        subject=family.people["mom"],
        instrument_id="AUDIT",
        answers=[2, 2, 2, 1, 1, 0, 0, 0, 0, 0],
        purpose=worker.default_purpose,
    )


@pytest.fixture
def referral(worker, family, agencies, screen):
    return services.create_referral(
        worker,
        subject=family.people["mom"],
        provider=agencies["sud"],
        referral_date=TODAY,
        reason="Positive AUDIT",
        family=family,
        screening_result=screen,
    )


@pytest.fixture
def consent(consent_terms):
    """The mother lets Hope Recovery tell child welfare and the court of her enrollment (referral steps)."""
    return consent_services.record_consent(consent_terms())


def notices(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("text", flat=True))


def walk_to_admission(counselor, referral) -> None:
    services.record_step(counselor, referral, ReferralStatus.ACCEPTED)
    services.record_step(
        counselor, referral, ReferralStatus.ASSESSMENT_SCHEDULED, scheduled_for=TODAY + timedelta(days=2)
    )
    services.record_step(counselor, referral, ReferralStatus.ASSESSED)
    services.record_step(counselor, referral, ReferralStatus.ADMITTED, level_of_care="1")


def test_without_consent_the_referrer_sees_her_referral_but_no_program_step_and_gets_no_notice(
    client, worker, counselor, referral
):
    walk_to_admission(counselor, referral)
    [view] = selectors.referral_views(
        worker, list(selectors.sent(worker, Purpose.CASE_PLANNING)), "case_planning", today=TODAY
    )
    assert view.steps == [] and not view.shares_steps
    assert view.current_step == f"Sent on {TODAY:%b} {TODAY.day}, {TODAY.year}, awaiting the program's answer"
    assert selectors.engagement_signals(worker, [view], Purpose.CASE_PLANNING, today=TODAY) == {referral.pk: "referred"}
    assert notices(worker) == []  # no content-bearing notice of a step she may not see
    sign_in(client, worker)
    page = client.get(reverse("referrals:worklist")).content.decode()
    assert "Referrals sent" in page and "awaiting the program&#x27;s answer" in page and "Admitted" not in page


def test_with_consent_each_step_notifies_the_referrer_alone_in_the_app_and_by_email(
    worker, counselor, referral, consent, make_user, agencies, django_capture_on_commit_callbacks
):
    colleague = make_user("colleague", agencies["cw"], Role.CW_SUPERVISOR)
    worker.email = "worker@example.org"
    worker.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        walk_to_admission(counselor, referral)
    texts = notices(worker)
    assert [text.split(": ")[1].split(" on ")[0] for text in texts] == [
        "accepted",
        "assessment scheduled",
        "assessed",
        "admitted",
    ]
    assert texts[0].startswith("Referral of Ana Rivera to Hope Recovery: accepted on ")
    assert Notification.objects.filter(kind=NotificationKind.REFERRAL_STEP).count() == 4
    assert notices(colleague) == [] and notices(counselor) == []
    assert [message.to for message in mail.outbox] == [["worker@example.org"]] * 4
    assert "accepted" in mail.outbox[0].subject
    view = selectors.referral_view(worker, referral, Purpose.CASE_PLANNING, today=TODAY)
    assert view.status == ReferralStatus.ADMITTED and view.current_step.startswith("Admitted on ")
    assert [line.met for line in view.timeliness] == [True, True, True]


def test_a_discharge_tells_the_referrer_as_far_as_she_may_see_it(worker, counselor, referral, consent_terms, family):
    consent_services.record_consent(consent_terms(categories=["sud.enrollment", "sud.discharge"]))
    walk_to_admission(counselor, referral)
    episode = TreatmentEpisode.unrestricted.get(subject=referral.subject)
    case_services.discharge_from_treatment(
        counselor, family, episode=episode, discharge_date=TODAY, discharge_reason="completed"
    )
    assert (
        notices(worker)[-1]
        == f"Ana Rivera was discharged from Hope Recovery on {TODAY:%b} {TODAY.day}, {TODAY.year}: treatment completed."
    )


def test_a_screen_is_referred_once_and_shown_as_referred(client, worker, family, agencies, screen, referral):
    with pytest.raises(ValidationError, match="This screen was already referred to Hope Recovery on"):
        services.create_referral(
            worker,
            subject=family.people["mom"],
            provider=agencies["sud2"],
            referral_date=TODAY,
            reason="Again",
            family=family,
            screening_result=screen,
        )
    assert Referral.unrestricted.count() == 1
    sign_in(client, worker)
    result_page = client.get(reverse("screening:result", args=[screen.pk])).content.decode()
    assert "Referred to Hope Recovery" in result_page and "Refer for assessment" not in result_page
    family_page = client.get(reverse("web:family-detail", args=[family.pk])).content.decode()
    assert f'href="/referrals/{referral.pk}/">Referred to Hope Recovery</a>' in family_page
    assert "Referrals to treatment" in family_page and "awaiting the program&#x27;s answer" in family_page


@pytest.fixture
def declined(counselor, referral, consent):
    services.record_step(counselor, referral, ReferralStatus.DECLINED, note="No openings")
    return referral


def test_a_declined_referral_prompts_the_next_action_on_the_worklist_and_the_referral(client, worker, declined):
    prompt = f"Declined by Hope Recovery on {TODAY:%b} {TODAY.day}, {TODAY.year} (No openings): refer elsewhere"
    [item] = [item for item in worklist_for(worker, Purpose.CASE_PLANNING, today=TODAY).items if item.kind == FOLLOW_UP]
    assert item.what.startswith(prompt) and item.link == reverse("referrals:detail", args=[declined.pk])
    assert notices(worker)[-1].endswith("(No openings). Refer elsewhere or close the follow-up.")
    sign_in(client, worker)
    page = client.get(reverse("referrals:detail", args=[declined.pk])).content.decode()
    assert prompt in page and "Refer to another program" in page and "Close the follow-up" in page


def test_without_consent_a_decline_prompts_nothing(worker, counselor, referral):
    services.record_step(counselor, referral, ReferralStatus.DECLINED, note="No openings")
    assert [i for i in worklist_for(worker, Purpose.CASE_PLANNING, today=TODAY).items if i.kind == FOLLOW_UP] == []
    with pytest.raises(ValidationError, match="nothing to follow up"):
        services.close_follow_up(worker, referral, note="Treated elsewhere")


def test_closing_the_follow_up_records_who_and_when_and_clears_the_prompt(client, worker, declined):
    sign_in(client, worker)
    url = reverse("referrals:close-follow-up", args=[declined.pk])
    confirm = client.post(url, {"note": "Entered treatment at a program out of county"})
    assert "What will change" in confirm.content.decode()
    client.post(url, {"note": "Entered treatment at a program out of county", "confirm": "1"})
    declined.refresh_from_db()
    assert declined.follow_up_closed_by == worker and declined.follow_up_closed_at.date() == timezone.now().date()
    assert [i for i in worklist_for(worker, Purpose.CASE_PLANNING, today=TODAY).items if i.kind == FOLLOW_UP] == []
    assert "Follow-up closed" in client.get(reverse("referrals:detail", args=[declined.pk])).content.decode()


def test_referring_elsewhere_follows_the_declined_referral(worker, family, agencies, declined):
    with pytest.raises(ValidationError):
        services.create_referral(
            worker,
            subject=family.people["mom"],
            provider=agencies["sud"],
            referral_date=TODAY,
            reason="x",
            family=family,
            follows=declined,
        )
    elsewhere = services.create_referral(
        worker,
        subject=family.people["mom"],
        provider=agencies["sud2"],
        referral_date=TODAY,
        reason="Declined at Hope",
        family=family,
        follows=declined,
    )
    view = selectors.referral_view(worker, declined, Purpose.CASE_PLANNING, today=TODAY)
    assert view.followed_by == elsewhere and view.next_action == ""


def test_the_supervisor_sees_the_referrals_her_team_sent(worker, referral, make_user, agencies):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    assert list(selectors.sent(supervisor, Purpose.CASE_PLANNING)) == [referral]
    other = make_user("other", agencies["cw"], Role.CASEWORKER)
    assert list(selectors.sent(other, Purpose.CASE_PLANNING)) == []


def referrals_of_the_mother(worker, family, agencies):
    """Adds `count` referrals of the mother by the caseworker: the rows of a query-count test."""

    def refer(count: int) -> None:
        for _ in range(count):
            services.create_referral(
                worker,
                subject=family.people["mom"],
                provider=agencies["sud"],
                referral_date=TODAY,
                reason="r",
                family=family,
            )

    return refer


def test_the_referrers_list_costs_the_same_queries_for_2_or_12_referrals(client, worker, family, agencies, consent):
    sign_in(client, worker)

    assert_constant_queries(client, reverse("referrals:sent"), referrals_of_the_mother(worker, family, agencies))


def test_the_family_pages_referral_section_costs_the_same_queries_for_2_or_12_referrals(
    client, worker, family, agencies, consent
):
    sign_in(client, worker)

    assert_constant_queries(
        client, reverse("web:family-detail", args=[family.pk]), referrals_of_the_mother(worker, family, agencies)
    )
