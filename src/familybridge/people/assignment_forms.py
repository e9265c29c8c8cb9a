"""The forms of assigning work: who, from which day, and why. The rules are in the services they submit to."""

from django import forms
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.cases.models import CourtCaseClosure
from familybridge.people.models import CaseClosure, CaseloadAssignment, Person


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user}{f' ({user.job_title})' if user.job_title else ''}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return str(person)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EffectiveDateForm(forms.Form):
    """An effective date, today unless the user says otherwise, and a note for the history."""

    on = forms.DateField(
        label="Effective date", widget=date_input(), help_text="The first day the change is in effect."
    )
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())


class AssignStaffForm(EffectiveDateForm):
    staff = StaffChoiceField(queryset=User.objects.none(), label="Caseworker")
    field_order = ["staff", "on", "note"]

    def __init__(self, *args, staff: "forms.models.QuerySet[User]", label: str = "Caseworker", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label = label


class AttorneyForm(AssignStaffForm):
    represents = PersonChoiceField(queryset=Person.objects.none(), label="Party represented")
    field_order = ["staff", "represents", "on", "note"]

    def __init__(self, *args, parties: "forms.models.QuerySet[Person]", **kwargs):
        super().__init__(*args, label="Attorney", **kwargs)
        self.fields["represents"].queryset = parties


class CloseCaseForm(forms.Form):
    closed_on = forms.DateField(label="Closed on", widget=date_input())
    reason = forms.ChoiceField(label="Reason", choices=[("", "Choose"), *CaseClosure.choices])

    def __init__(self, *args, reasons=CaseClosure.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("closed_on", timezone.localdate())
        self.fields["reason"].choices = [("", "Choose"), *reasons]


class CloseCourtCaseForm(CloseCaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, reasons=CourtCaseClosure.choices, **kwargs)


class AssignmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, assignment: CaseloadAssignment) -> str:
        return str(assignment.family)


class TransferCaseloadForm(EffectiveDateForm):
    """Transfer some of a worker's families to a colleague from a day on."""

    assignments = AssignmentChoiceField(
        queryset=CaseloadAssignment.objects.none(),
        label="Families to transfer",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one family to transfer."},
    )
    staff = StaffChoiceField(queryset=User.objects.none(), label="Transfer to")
    field_order = ["assignments", "staff", "on", "note"]

    def __init__(self, *args, assignments, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignments"].queryset = assignments
        self.fields["staff"].queryset = colleagues
