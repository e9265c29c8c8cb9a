from django.core.management import call_command
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.screening.models import (
    AdministrationMode,
    ClinicalAssessment,
    NextStep,
    SafetyFollowUp,
    ScreeningResult,
)
from familybridge.worklists.selectors import worklist_for


def test_demo_has_varied_screens_and_assessments_and_loads_once(db):
    call_command("demo", no_serve=True)
    counts = (
        ScreeningResult.unrestricted.count(),
        ClinicalAssessment.unrestricted.count(),
        SafetyFollowUp.unrestricted.count(),
    )
    assert counts[0] > 60 and counts[1] > 10
    steps = set(ScreeningResult.unrestricted.values_list("next_step", flat=True))
    assert steps == {NextStep.NONE, NextStep.REFER, NextStep.URGENT}
    assert ScreeningResult.unrestricted.filter(observed_impaired_functioning=True).exists()
    call_command("demo", no_serve=True)
    assert (
        ScreeningResult.unrestricted.count(),
        ClinicalAssessment.unrestricted.count(),
        SafetyFollowUp.unrestricted.count(),
    ) == counts


def test_demo_caseworker_has_one_flag_awaiting_follow_up_and_one_followed_up_from_a_parents_phone(db):
    call_command("demo", no_serve=True)
    maria = User.objects.get(username="maria.alvarez")
    today = timezone.localdate()
    [flag] = [
        item for item in worklist_for(maria, maria.default_purpose, today=today).items if item.kind == "Safety flag"
    ]
    assert flag.urgency(today) == "overdue"
    followed = SafetyFollowUp.unrestricted.get(recorded_by=maria)
    assert followed.result.mode == AdministrationMode.PARENT_DEVICE and followed.result.instrument == "EPDS"
