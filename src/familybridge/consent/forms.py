"""The guided consent form, in plain language. Completeness is judged by validation.missing_elements alone."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from familybridge.agencies.models import Agency
from familybridge.agencies.roles import Purpose
from familybridge.consent.categories import Category
from familybridge.consent.models import ConsentKind, ExpiryEvent, RevocationMethod, SignerRelationship
from familybridge.people.models import Person
from familybridge.web.filters import DateInput, ListFilterForm

KIND_HELP = {
    ConsentKind.PURPOSE_SPECIFIC: "Share for the reasons ticked below, for example so the court can follow recovery.",
    ConsentKind.TPO: "Share with treatment providers for treatment, payment and running their services.",
    ConsentKind.PROCEEDINGS: "Let the court use the information in my court case.",
    ConsentKind.COUNSELING_NOTES: "My counselor's own session notes, on their own form.",
}
PLAIN_PURPOSES = {
    Purpose.TREATMENT: "To treat me",
    Purpose.CASE_PLANNING: "To plan my family's child welfare case",
    Purpose.COURT_MONITORING: "So the court can follow my progress",
    Purpose.COURT_PROCEEDING: "To be used in my court case",
    Purpose.CARE_COORDINATION: "So the people helping my family can work together",
    Purpose.PAYMENT_OPERATIONS: "To pay for and run services",
    Purpose.EVALUATION: "To evaluate the program",
    Purpose.MEDICAL_EMERGENCY: "In a medical emergency",
}


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(
        label="1. What kind of permission is this?",
        choices=[(k.value, f"{k.label} — {KIND_HELP[k]}") for k in ConsentKind],
        widget=forms.RadioSelect,
        required=False,
    )
    disclosers = forms.ModelMultipleChoiceField(
        label="2. Who may share the information?",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label="3. What information may they share?",
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipients = forms.ModelMultipleChoiceField(
        label="4. Who may receive it?",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purposes = forms.MultipleChoiceField(
        label="5. Why may they share it?",
        choices=[(p.value, PLAIN_PURPOSES[p]) for p in Purpose],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label="6. Until what date?",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty if it should end with an event instead.",
    )
    expires_on_event = forms.ChoiceField(
        label="Or it ends when…",
        choices=[("", "No event")] + ExpiryEvent.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    signer_relationship = forms.ChoiceField(
        label="7. Who is signing?",
        choices=SignerRelationship.choices,
        initial=SignerRelationship.SELF,
        widget=forms.RadioSelect,
    )
    signer_name = forms.CharField(
        label="8. Type your full name to sign",
        max_length=200,
        required=False,
        help_text="Typing your name here is your signature. Pressing “Sign the consent” records the date and time.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disclosers"].queryset = agencies
        self.fields["recipients"].queryset = agencies


def _agency_choices(label: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label, queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"})
    )


class CourtOrderForm(forms.Form):
    """A court order as written: the fields are the elements of a subpart E order; the service judges the scope."""

    court_name = forms.CharField(label="Court", max_length=200)
    case_number = forms.CharField(label="Case number", max_length=64)
    judge_name = forms.CharField(label="Judge", max_length=200)
    issued_on = _date("Date of the order")
    disclosers = _agency_choices("Who must disclose")
    recipients = _agency_choices("Who may receive")
    categories = forms.MultipleChoiceField(
        label="What information", choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    purposes = forms.MultipleChoiceField(
        label="For what purposes", choices=Purpose.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    ends_on = _date("The order ends on")

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disclosers"].queryset = agencies
        self.fields["recipients"].queryset = agencies


class AgreementForm(forms.Form):
    name = forms.CharField(label="Name of the agreement", max_length=200)
    parties = _agency_choices("Parties (at least two)")
    categories = forms.MultipleChoiceField(
        label="What information it shares",
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Never Part 2 information (SUD …): only the person's consent or a court order opens it.",
    )
    purposes = forms.MultipleChoiceField(
        label="For what purposes", choices=Purpose.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = _date("In effect from")
    ends_on = _date("Until", required=False, help_text="Leave empty while the agreement runs with no end date.")

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = agencies


class ConsentRejectionForm(forms.Form):
    reason = forms.CharField(
        label="Why will your agency not disclose under this consent?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by your agency's staff only; the agency that recorded the consent sees it as not verified.",
    )


class EmergencyAccessForm(forms.Form):
    program = forms.ModelChoiceField(
        label="Treatment program whose records you need", queryset=Agency.objects.none(), empty_label="Choose…"
    )
    reason = forms.CharField(
        label="What is the medical emergency?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what is happening and why you cannot wait for the person's consent.",
    )

    def __init__(self, *args, programs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class RestrictionRequestForm(forms.Form):
    request = forms.CharField(
        label="What does the person ask you not to disclose, and to whom?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the person's own words, as far as you can.",
    )


class RestrictionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your program's answer",
        choices=[("agree", "Agree to the restriction"), ("refuse", "Refuse it")],
        widget=forms.RadioSelect,
    )
    recipients = _agency_choices("Agreed: not to these recipients")
    categories = forms.MultipleChoiceField(
        label="Agreed: not this information",
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none to restrict every recipient, or every kind of information.",
    )

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = agencies


class ChildAbuseReportForm(forms.Form):
    child = forms.ModelChoiceField(label="Which child", queryset=Person.objects.none(), empty_label="Choose…")
    summary = forms.CharField(
        label="What makes you suspect abuse or neglect?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you saw or heard, when, and from whom. Do not include treatment information.",
    )

    def __init__(self, *args, children, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children


class SignedFilterForm(ListFilterForm):
    since = forms.DateField(label="Signed on or after", widget=DateInput())
    until = forms.DateField(label="Signed on or before", widget=DateInput())


class OpenedFilterForm(ListFilterForm):
    since = forms.DateField(label="Opened on or after", widget=DateInput())
    until = forms.DateField(label="Opened on or before", widget=DateInput())


class PartyFilterForm(ListFilterForm):
    party = forms.ModelChoiceField(label="Party", queryset=Agency.objects.none(), empty_label="Any agency")

    def __init__(self, data: Any, *, agencies: QuerySet[Agency]) -> None:
        super().__init__(data)
        self.fields["party"].queryset = agencies


class DisclosureFilterForm(ListFilterForm):
    since = forms.DateField(label="Disclosed on or after", widget=DateInput())
    until = forms.DateField(label="Disclosed on or before", widget=DateInput())
    recipient = forms.ModelChoiceField(label="To", queryset=Agency.objects.none(), empty_label="Any agency")

    def __init__(self, data: Any, *, agencies: QuerySet[Agency]) -> None:
        super().__init__(data)
        self.fields["recipient"].queryset = agencies


class RevocationForm(forms.Form):
    """How the person asked to revoke; the confirmation page then says what stops and what does not."""

    how = forms.ChoiceField(
        label="How the person asked",
        choices=RevocationMethod.choices,
        widget=forms.RadioSelect,
        help_text="Any of these revokes the consent at once: a person may revoke in writing or by telling staff.",
    )
    note = forms.CharField(
        label="Note (optional; required for another way)",
        required=False,
        max_length=300,
        help_text="For example who took the call, or the attorney's name.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("how") == RevocationMethod.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "Say how the person asked to revoke.")
        return data
