from django.core.management import call_command

from familybridge.screening.models import ClinicalAssessment, NextStep, ScreeningResult


def test_demo_has_varied_screens_and_assessments_and_loads_once(db):
    call_command("demo", no_serve=True)
    counts = (ScreeningResult.unrestricted.count(), ClinicalAssessment.unrestricted.count())
    assert counts[0] > 60 and counts[1] > 10
    steps = set(ScreeningResult.unrestricted.values_list("next_step", flat=True))
    assert steps == {NextStep.NONE, NextStep.REFER, NextStep.URGENT}
    assert ScreeningResult.unrestricted.filter(observed_impaired_functioning=True).exists()
    call_command("demo", no_serve=True)
    assert (ScreeningResult.unrestricted.count(), ClinicalAssessment.unrestricted.count()) == counts
