"""The forms of the intake pages. Each bad input gets a message next to its field; the rules themselves are in
intake/services.py, whose errors the views put on the same fields."""

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.intake.draft import CHILD, PERPETRATOR
from familybridge.intake.models import (
    SCREEN_IN_REASONS,
    SCREEN_OUT_REASONS,
    Allegation,
    CloseReason,
    ContactMethod,
    Decision,
    MaltreatmentType,
    ReporterType,
    ResponseTime,
    ResponseTrack,
)
from familybridge.intake.selectors import QUEUE_STATUSES
from familybridge.intake.services import ReportDetails
from familybridge.people.forms import LinkMemberForm, NewPersonForm, PersonCheckForm, has_control_characters
from familybridge.people.models import MemberRole

CHOOSE = ("", "Choose…")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _moment(day: Any, clock: Any) -> datetime | None:
    if day is None or clock is None:
        return None
    return timezone.make_aware(datetime.combine(day, clock))


class ReportDetailsForm(forms.Form):
    """What the reporter said, and who they are (kept for the agency's child welfare staff only)."""

    received_on = forms.DateField(label="Day received", widget=_date_input())
    received_time = forms.TimeField(label="Time received", widget=_time_input())
    reporter_type = forms.ChoiceField(label="Who made the report", choices=[CHOOSE, *ReporterType.choices])
    reporter_name = forms.CharField(
        label="Reporter's name (optional)",
        max_length=200,
        required=False,
        help_text="Confidential: shown only to your agency's child welfare staff who see the report.",
    )
    reporter_contact = forms.CharField(
        label="Reporter's phone, email or address (optional)", max_length=200, required=False
    )
    narrative = forms.CharField(
        label="What the reporter said",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text="What happened, to whom, when and where; what the children need now.",
    )
    address = forms.CharField(label="Where the children are (address)", max_length=300, required=False)
    zip_code = forms.CharField(label="ZIP code", max_length=10, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.initial.setdefault("received_on", now.date())
        self.initial.setdefault("received_time", now.strftime("%H:%M"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("reporter_name", "reporter_contact", "address", "zip_code"):
            if has_control_characters(cleaned.get(name) or ""):
                self.add_error(name, "Use letters, digits, spaces and punctuation only.")
        cleaned["received_at"] = _moment(cleaned.get("received_on"), cleaned.get("received_time"))
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        """The services speak of the moment received; the form asks for its day and time."""
        for field, messages in error.message_dict.items():
            field = "received_on" if field == "received_at" else field
            self.add_error(field if field in self.fields else None, messages)

    def details(self) -> ReportDetails:
        data = self.cleaned_data
        return ReportDetails(
            received_at=data["received_at"],
            reporter_type=data["reporter_type"],
            narrative=data["narrative"],
            reporter_name=data["reporter_name"],
            reporter_contact=data["reporter_contact"],
            address=data["address"],
            zip_code=data["zip_code"],
        )


NAMED_AS = [(CHILD, "A child the report is about"), (PERPETRATOR, "An alleged perpetrator")]
PERPETRATOR_ROLES = [
    (MemberRole.PARENT, "Parent of the children"),
    (MemberRole.CAREGIVER, "Another caregiver in the household"),
]


class ReportPersonCheckForm(PersonCheckForm):
    """Who is being named in the report: the duplicate check looks for them first."""

    named_as = forms.ChoiceField(label="This person is", choices=NAMED_AS, widget=forms.RadioSelect, initial=CHILD)

    field_order = ["named_as", "first_name", "last_name", "birth_date", "identifier"]


class ReportNewPersonForm(NewPersonForm):
    """A person nobody has recorded yet, named in the report once the check found no one who is them."""

    named_as = forms.ChoiceField(choices=NAMED_AS, widget=forms.HiddenInput)

    def __init__(self, *args: Any, named_as: str = CHILD, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if named_as == PERPETRATOR:
            self.fields["role"].choices = PERPETRATOR_ROLES
            self.fields["role"].label = "In the children's household"
        else:
            self.fields["role"].choices = [(MemberRole.CHILD, "Child")]
            self.fields["role"].widget = forms.HiddenInput()
            self.initial["role"] = MemberRole.CHILD


class ReportLinkForm(LinkMemberForm):
    """One of the people the duplicate check found, named in the report."""

    named_as = forms.ChoiceField(choices=NAMED_AS, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(MemberRole.CHILD, "Child"), *PERPETRATOR_ROLES]


class AllegationForm(forms.Form):
    child = forms.ChoiceField(label="Child")
    maltreatment_type = forms.ChoiceField(label="Maltreatment alleged", choices=[CHOOSE, *MaltreatmentType.choices])
    perpetrator = forms.ChoiceField(label="Alleged perpetrator", required=False)

    def __init__(self, *args: Any, children: list[tuple[str, str]], perpetrators: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [CHOOSE, *children]
        self.fields["perpetrator"].choices = [("", "No one named"), *perpetrators]


class ReceiveForm(forms.Form):
    """The last step: which family the report belongs to."""

    family = forms.ChoiceField(label="The report belongs to", widget=forms.RadioSelect)
    family_name = forms.CharField(
        label="Name of the new family",
        max_length=200,
        required=False,
        help_text="How staff will refer to the household, e.g. “Garcia family”.",
    )

    NEW = "new"

    def __init__(self, *args: Any, families: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(pk), f"{name} (a re-report: the children are in this family)") for pk, name in families]
        self.fields["family"].choices = [*choices, (self.NEW, "A new family, opened now at intake")]
        self.initial.setdefault("family", choices[0][0] if choices else self.NEW)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("family") == self.NEW and not (cleaned.get("family_name") or "").strip():
            self.add_error("family_name", "Enter the new family's name.")
        return cleaned

    @property
    def family_id(self) -> int | None:
        chosen = self.cleaned_data["family"]
        return None if chosen == self.NEW else int(chosen)


# --- the report's workflow --------------------------------------------------------------------------------------


def _labels(reasons: tuple) -> list[tuple[str, str]]:
    return [(reason.value, reason.label) for reason in reasons]


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label="Reason",
        choices=[CHOOSE, ("Screen in", _labels(SCREEN_IN_REASONS)), ("Screen out", _labels(SCREEN_OUT_REASONS))],
    )
    note = forms.CharField(
        label="In words (needed for “other”)", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    response_track = forms.ChoiceField(
        label="Response (screen in)", choices=[CHOOSE, *ResponseTrack.choices], required=False
    )
    response_hours = forms.TypedChoiceField(
        label="See the children (screen in)",
        choices=[CHOOSE, *ResponseTime.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Counted from when the report was received.",
    )


class ApproveForm(forms.Form):
    investigator = forms.ModelChoiceField(
        label="Worker who investigates or assesses",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose…",
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = staff


class SendBackForm(forms.Form):
    review_note = forms.CharField(
        label="What should change", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ContactForm(forms.Form):
    person = forms.TypedChoiceField(label="With", coerce=int)
    contacted_on = forms.DateField(label="Day", widget=_date_input())
    contacted_time = forms.TimeField(label="Time", widget=_time_input())
    method = forms.ChoiceField(label="How", choices=[CHOOSE, *ContactMethod.choices])
    note = forms.CharField(label="Note (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [CHOOSE, *people]

    @property
    def contacted_at(self) -> datetime | None:
        return _moment(self.cleaned_data.get("contacted_on"), self.cleaned_data.get("contacted_time"))


class FindingsForm(forms.Form):
    """A finding for each allegation, from the findings of the report's response track."""

    def __init__(self, *args: Any, allegations: list[Allegation], choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for allegation in allegations:
            perpetrator = f", by {allegation.perpetrator}" if allegation.perpetrator_id else ""
            self.fields[f"finding_{allegation.pk}"] = forms.ChoiceField(
                label=f"{allegation.get_maltreatment_type_display()} of {allegation.subject}{perpetrator}",
                choices=[CHOOSE, *choices],
            )

    def findings(self) -> dict[int, str]:
        return {
            int(name.removeprefix("finding_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("finding_")
        }


class OpenCaseForm(forms.Form):
    case_number = forms.CharField(
        label="Case number",
        max_length=64,
        required=False,
        help_text="Your agency's number for the family's case (a family whose case is open keeps its number).",
    )
    opened_on = forms.DateField(label="Case opened on", widget=_date_input())
    caseworker = forms.ModelChoiceField(
        label="Ongoing caseworker", queryset=User.objects.none(), empty_label="Choose…"
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = staff
        self.initial.setdefault("opened_on", timezone.localdate())


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why the report is closed",
        choices=[CHOOSE, *[(r.value, r.label) for r in CloseReason if r != CloseReason.SCREENED_OUT]],
    )
    note = forms.CharField(
        label="In words (needed for “other”)", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    closed_on = forms.DateField(label="Closed on", widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("closed_on", timezone.localdate())


class QueueForm(forms.Form):
    status = forms.ChoiceField(label="Show", choices=QUEUE_STATUSES, required=False)
    worker = forms.ModelChoiceField(
        label="Worked by", queryset=User.objects.none(), required=False, empty_label="Anyone"
    )
    received_from = forms.DateField(label="Received from", required=False, widget=_date_input())
    received_to = forms.DateField(label="Received to", required=False, widget=_date_input())
    overdue_only = forms.BooleanField(label="Only what is overdue", required=False)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = staff

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", "Choose a day on or after the first day.")
        return cleaned

