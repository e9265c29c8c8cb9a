from typing import Any

from django import forms
from django.db.models import QuerySet

from familybridge.agencies.models import Agency
from familybridge.practice.elements import ELEMENT_CHOICES, Level, Standing
from familybridge.practice.models import (
    AGREEMENT_SCALE,
    Answering,
    CommitteeKind,
    ProtocolTopic,
    RespondentRole,
    RoundStatus,
    System,
    TaskStatus,
)
from familybridge.web.filters import ListFilterForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class StandingForm(forms.Form):
    standing = forms.ChoiceField(choices=Standing.choices, label="Where the partnership stands")
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Evidence")


class BenchmarkForm(forms.Form):
    def __init__(self, *args, initial_texts: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for level, label in Level.choices:
            self.fields[level] = forms.CharField(
                label=f"{label} benchmark", widget=forms.Textarea(attrs={"rows": 3}), initial=initial_texts[level]
            )


class InstrumentForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    items_text = forms.CharField(
        label="Statements",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text='One statement per line. Start a line with an element number and "|" to tie it to an element, '
        'for example "6 | Progress reports reach the court in time."',
    )


class OpenRoundForm(forms.Form):
    instrument = forms.ModelChoiceField(queryset=None, empty_label=None)
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty for the instrument and month.")
    answering = forms.ChoiceField(
        choices=Answering.choices,
        initial=Answering.CODES,
        widget=forms.RadioSelect,
        label="How people answer",
        error_messages={"required": "Choose single-use codes or an open link."},
    )

    def __init__(self, *args, instruments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments


class IssueCodesForm(forms.Form):
    count = forms.IntegerField(
        label="Number of codes",
        min_value=1,
        max_value=500,
        error_messages={
            "required": "Give the number of codes to issue.",
            "invalid": "Give the number of codes as a whole number.",
            "min_value": "Issue from 1 to 500 codes at a time.",
            "max_value": "Issue from 1 to 500 codes at a time.",
        },
        help_text="One for each person you will ask to answer; you can issue more later.",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Results file (CSV)",
        help_text="Columns respondent_id, system, item_id, score and optionally element; "
        "system is child_welfare, treatment, court or other.",
    )


class AnswerForm(forms.Form):
    """The anonymous questionnaire: system and role, then one 5-point question per statement."""

    system = forms.ChoiceField(
        choices=System.choices,
        widget=forms.RadioSelect,
        label="The system you work in",
        error_messages={"required": "Choose the system you work in."},
    )
    role = forms.ChoiceField(
        choices=[c for c in RespondentRole.choices if c[0] != RespondentRole.NOT_RECORDED],
        widget=forms.RadioSelect,
        label="Your role",
        error_messages={"required": "Choose your role."},
    )

    def __init__(self, *args, items, with_code: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"] = forms.CharField(
                label="Your code",
                max_length=40,
                help_text="The code on the slip you were given. It lets in one set of answers "
                "and is not kept with them.",
                error_messages={"required": "Enter the code from your slip."},
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
            )
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.code}"] = forms.TypedChoiceField(
                choices=AGREEMENT_SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
                label=item.text,
            )

    def item_fields(self):
        for item in self.items:
            yield item, self[f"item_{item.code}"]

    def scores(self) -> dict[str, int | None]:
        return {item.code: self.cleaned_data.get(f"item_{item.code}") or None for item in self.items}


class ActionPlanForm(forms.Form):
    title = forms.CharField(max_length=200)
    based_on_round = forms.ModelChoiceField(queryset=None, required=False, label="Based on the round")

    def __init__(self, *args, rounds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["based_on_round"].queryset = rounds


class ObjectiveForm(forms.Form):
    text = forms.CharField(label="Objective", widget=forms.Textarea(attrs={"rows": 2}))
    elements = forms.TypedMultipleChoiceField(
        choices=ELEMENT_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple, label="Elements it advances"
    )
    indicator = forms.CharField(max_length=300, label="Indicator that shows progress")


class TaskForm(forms.Form):
    objective = forms.ModelChoiceField(queryset=None, empty_label=None)
    text = forms.CharField(max_length=300, label="Task")
    owner_agency = forms.ModelChoiceField(queryset=None, label="Owner agency")
    due_on = forms.DateField(required=False, widget=DATE_INPUT, label="Due date")

    def __init__(self, *args, objectives, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives
        self.fields["owner_agency"].queryset = agencies


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)


class ProtocolForm(forms.Form):
    title = forms.CharField(max_length=200)
    topic = forms.ChoiceField(choices=ProtocolTopic.choices)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Protocol")


class ProtocolVersionForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Protocol")
    change_note = forms.CharField(max_length=300, required=False, label="What changed")


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200, label="Course title")
    audience = forms.ChoiceField(choices=[("", "All systems"), *System.choices], required=False)
    hours = forms.IntegerField(min_value=1, max_value=200, required=False)


class CompletionForm(forms.Form):
    course = forms.ModelChoiceField(queryset=None, label="Course")
    completed_on = forms.DateField(widget=DATE_INPUT, label="Completed on")
    staff = forms.ModelChoiceField(queryset=None, required=False, label="Staff member", empty_label="Me")

    def __init__(self, *args, courses, staff=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        if staff is None:
            del self.fields["staff"]
        else:
            self.fields["staff"].queryset = staff


class CommitteeForm(forms.Form):
    kind = forms.ChoiceField(choices=CommitteeKind.choices)
    name = forms.CharField(max_length=200)
    charge = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reports_to = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, committees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reports_to"].queryset = committees


class MemberForm(forms.Form):
    member = forms.ModelChoiceField(queryset=None, label="Staff member")
    is_chair = forms.BooleanField(required=False, label="Chair")

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = staff


class MeetingForm(forms.Form):
    held_on = forms.DateField(widget=DATE_INPUT, label="Held on")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decisions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text='One decision per line; start with an element number and "|" to tie it to an element.',
    )


class RoundFilterForm(ListFilterForm):
    status = forms.ChoiceField(label="Status", choices=[("", "Open or closed"), *RoundStatus.choices])


class AgencyFilterForm(ListFilterForm):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), empty_label="Any agency")

    def __init__(self, data: Any, *, agencies: QuerySet[Agency]) -> None:
        super().__init__(data)
        self.fields["agency"].queryset = agencies


class ProtocolFilterForm(AgencyFilterForm):
    topic = forms.ChoiceField(label="Topic", choices=[("", "Any topic"), *ProtocolTopic.choices])
