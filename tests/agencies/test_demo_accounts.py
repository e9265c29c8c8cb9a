from familybridge.agencies.models import User
from familybridge.demo.load import load_demo
from familybridge.messaging.models import Notification, NotificationKind
from familybridge.people.models import CaseloadAssignment


def test_the_demo_has_a_departed_caseworker_whose_families_were_handed_over(db):
    summary = load_demo()
    tom = User.objects.get(username="tom.harris")
    assert not tom.is_active and tom not in summary.staff  # the printed demo logins are the accounts that sign in
    handed = CaseloadAssignment.objects.filter(staff=tom).values_list("family_id", flat=True)
    assert len(handed) == 2 and not CaseloadAssignment.objects.filter(staff=tom, ended_on=None).exists()
    james = CaseloadAssignment.objects.filter(staff__username="james.brooks", family__in=handed, ended_on=None)
    assert james.count() == 2
    assert Notification.objects.filter(
        recipient__username="james.brooks", kind=NotificationKind.CASELOAD_HANDED_OVER
    ).exists()
    assert User.objects.get(username="maria.alvarez").email  # her reset email prints on the demo's console

    counts = (CaseloadAssignment.objects.count(), Notification.objects.count())
    load_demo()
    assert (CaseloadAssignment.objects.count(), Notification.objects.count()) == counts
