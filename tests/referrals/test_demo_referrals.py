"""The demo caseworker follows a referral in progress and is prompted to act on a declined one."""

from django.core.management import call_command
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import Purpose
from familybridge.demo.referrals import DECLINED_REASON, IN_PROGRESS_REASON
from familybridge.messaging.models import Notification, NotificationKind
from familybridge.referrals import selectors
from familybridge.referrals.models import Referral
from familybridge.worklists.selectors import FOLLOW_UP, worklist_for


def test_the_demo_caseworker_follows_her_referrals_and_the_demo_loads_once(db):
    call_command("demo", no_serve=True)
    maria, today = User.objects.get(username="maria.alvarez"), timezone.localdate()
    views = {
        view.referral.reason: view
        for view in selectors.referral_views(
            maria, list(selectors.sent(maria, Purpose.CASE_PLANNING)), Purpose.CASE_PLANNING, today=today
        )
    }
    in_progress, declined = views[IN_PROGRESS_REASON], views[DECLINED_REASON]
    assert in_progress.current_step.startswith("Assessment scheduled on") and in_progress.referral.screening_result
    assert declined.next_action.startswith("Declined by Harbor Family Treatment Services on")
    follow_ups = [
        item for item in worklist_for(maria, Purpose.CASE_PLANNING, today=today).items if item.kind == FOLLOW_UP
    ]
    assert [item.what for item in follow_ups] == [declined.next_action]
    assert Notification.objects.filter(recipient=maria, kind=NotificationKind.REFERRAL_STEP).count() == 3
    count = Referral.unrestricted.count()
    call_command("demo", no_serve=True)
    assert Referral.unrestricted.count() == count
