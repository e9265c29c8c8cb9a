from django.core.management import call_command
from django.utils import timezone

from familybridge.agencies.models import Agency, Team, User
from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, Hearing, RemovalEpisode, TreatmentEpisode
from familybridge.people.models import CaseloadAssignment, Family
from familybridge.referrals import selectors as referral_selectors
from familybridge.referrals.models import Referral


def test_demo_loads_a_whole_partnership_and_is_idempotent(db, capsys):
    call_command("demo", no_serve=True)
    output = capsys.readouterr().out
    assert "every password is" in output and "familybridge otp code USERNAME" in output
    counts = (Family.objects.count(), RemovalEpisode.unrestricted.count(), TreatmentEpisode.unrestricted.count())
    assert counts[0] >= 40 and counts[1] > 10 and counts[2] > 10
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert kinds == {"child_welfare", "sud_treatment", "court"}
    assert Agency.objects.filter(kind="sud_treatment", is_part2_program=True).count() == 2
    roles = set(User.objects.values_list("staff_roles__role", flat=True))
    # The demo has no health agency, so no clinician; every other role is there.
    assert roles == set(Role.values) - {Role.CLINICIAN}
    # Issue 10, finding 7: every account passes a second factor, so every demo login has a device.
    assert not User.objects.exclude(totpdevice__confirmed=True, totpdevice__name="demo").exists()
    assert Hearing.unrestricted.filter(hearing_type="ftc").exists()
    # Issue 11: each judge has a docket, each program a referral waiting in its intake queue, the supervisor a team.
    today = timezone.localdate()
    for judge in ("judge.okafor", "judge.marsh"):
        docket = CaseloadAssignment.objects.in_effect(today).filter(staff__username=judge, capacity=Role.JUDGE)
        assert docket.exists(), judge
    for supervisor in ("ben.walker", "victor.lee"):
        assert referral_selectors.intake_queue(User.objects.get(username=supervisor), Purpose.TREATMENT).exists()
    team = Team.objects.get(supervisor__username="denise.davis")
    assert team.memberships.count() == 3
    assert CourtCase.unrestricted.exclude(closed_on=None).exists()
    queues = Referral.unrestricted.filter(source_id="INTAKE-WAITING").count()

    call_command("demo", no_serve=True)
    assert (
        Family.objects.count(),
        RemovalEpisode.unrestricted.count(),
        TreatmentEpisode.unrestricted.count(),
    ) == counts
    assert Referral.unrestricted.filter(source_id="INTAKE-WAITING").count() == queues == 2
    call_command("audit", "verify")
