from typing import Any

from django import forms

from familybridge.agencies.roles import Purpose
from familybridge.cases.models import HearingOutcome
from familybridge.web.filters import DateInput, ListFilterForm

DAY, WEEK = "day", "week"


class DocketForm(ListFilterForm):
    """Which docket to show: a day or a week around a date, and (for the coordinator) one judge's cases."""

    view = forms.ChoiceField(label="Show", choices=[(DAY, "One day"), (WEEK, "One week")])
    date = forms.DateField(label="Date", widget=DateInput())
    judge = forms.ChoiceField(label="Judge")

    def __init__(self, data: Any, *, judges: list | None) -> None:
        super().__init__(data)
        self.judges = {str(judge.pk): judge for judge in judges or []}
        if judges is None:
            del self.fields["judge"]
        else:
            self.fields["judge"].choices = [("", "All judges"), *((pk, str(j)) for pk, j in self.judges.items())]

    def clean_judge(self) -> Any:
        return self.judges.get(self.cleaned_data.get("judge") or "")


class HearingOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "Choose"), *HearingOutcome.choices])
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        help_text="For a continuance: to when, or why. Otherwise what the court decided, in a line.",
    )


REPORT_PURPOSES = [
    (Purpose.COURT_PROCEEDING, Purpose.COURT_PROCEEDING.label),
    (Purpose.COURT_MONITORING, Purpose.COURT_MONITORING.label),
]


class ReportDraftForm(forms.Form):
    """What the author writes: the purpose the court reads it for, the narrative and the recommendations."""

    purpose = forms.ChoiceField(
        label="Purpose of the report",
        choices=REPORT_PURPOSES,
        help_text="The court's purpose decides which records it may see.",
    )
    narrative = forms.CharField(
        label="Narrative",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you saw and what it means for the family, in your own words.",
    )
    recommendations = forms.CharField(
        label="Recommendations",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you ask the court to order or consider.",
    )


class FileReportForm(forms.Form):
    """Filing asks nothing more: the confirmation page says what will be filed and to whom."""
