from django.core.management import call_command

from familybridge.screening.models import ClinicalAssessment, NextStep, ScreeningResult


def test_demo_has_varied_screens_and_assessments_and_loads_once(db):
    call_command("demo", no_serve=True)
    counts = (ScreeningResult.objects.count(), ClinicalAssessment.objects.count())
    assert counts[0] > 60 and counts[1] > 10
    steps = set(ScreeningResult.objects.values_list("next_step", flat=True))
    assert steps == {NextStep.NONE, NextStep.REFER, NextStep.URGENT}
    assert ScreeningResult.objects.filter(observed_impaired_functioning=True).exists()
    call_command("demo", no_serve=True)
    assert (ScreeningResult.objects.count(), ClinicalAssessment.objects.count()) == counts
