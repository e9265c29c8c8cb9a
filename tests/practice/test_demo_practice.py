from django.utils import timezone

from familybridge.demo.load import load_demo
from familybridge.practice import selectors
from familybridge.practice.models import AssessmentRound, Respondent, Task
from familybridge.practice.report import build_report


def test_demo_shows_disagreement_suppression_and_overdue_work(db):
    load_demo()
    rounds = AssessmentRound.objects.filter(status="closed")
    assert sorted(rounds.values_list("instrument__code", flat=True)) == [
        "capacity-self-assessment",
        "values-inventory",
        "values-inventory",
    ]
    spring = build_report(rounds.get(title="Values inventory, spring"), with_charts=False)
    assert spring.previous is not None and spring.previous.title == "Values inventory, autumn"
    assert {s.code for s in spring.systems if s.suppressed} == {"other"}
    assert {s.code for s in spring.systems if not s.suppressed} == {"child_welfare", "treatment", "court"}
    assert spring.agenda[0].figures["gap"] >= 1.5
    partnership = rounds.first().partnership
    assert selectors.overdue_tasks(partnership, timezone.localdate()).count() >= 2
    counts = (Respondent.objects.count(), Task.objects.count())
    load_demo()
    assert (Respondent.objects.count(), Task.objects.count()) == counts
