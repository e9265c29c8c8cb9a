from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import Role
from familybridge.cases.models import Hearing, RemovalEpisode, TreatmentEpisode
from familybridge.people.models import Family
from familybridge.referrals.models import Referral
from familybridge.screening.models import ScreeningResult


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
    # The docket: every hearing at a time and in a courtroom, each judge's week set, a few outcomes recorded.
    assert not Hearing.unrestricted.filter(hearing_time=None).exists()
    assert not Hearing.unrestricted.filter(courtroom="").exists()
    today = timezone.localdate()
    for judge in User.objects.filter(staff_roles__role=Role.JUDGE):
        docket = judge.assignments.exclude(about_id=None).values("about_id")
        this_week = Hearing.unrestricted.filter(
            court_case__in=docket, hearing_date__gte=today, hearing_date__lte=today + timedelta(days=6)
        )
        assert this_week.exists(), f"{judge} has no hearing this week"
    assert Hearing.unrestricted.exclude(outcome="").exists()
    counts += (Hearing.unrestricted.count(), Referral.unrestricted.count(), ScreeningResult.unrestricted.count())

    call_command("demo", no_serve=True)
    assert (
        Family.objects.count(),
        RemovalEpisode.unrestricted.count(),
        TreatmentEpisode.unrestricted.count(),
        Hearing.unrestricted.count(),
        Referral.unrestricted.count(),
        ScreeningResult.unrestricted.count(),
    ) == counts
    call_command("audit", "verify")
