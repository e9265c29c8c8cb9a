"""The guided consent form, in plain language. Completeness is judged by validation.missing_elements alone."""

from django import forms

from familybridge.agencies.models import Agency
from familybridge.agencies.roles import Purpose
from familybridge.consent.categories import Category
from familybridge.consent.models import ConsentKind, ExpiryEvent, SignerRelationship

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
    Purpose.EVALUATION: "To evaluate the programme",
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
