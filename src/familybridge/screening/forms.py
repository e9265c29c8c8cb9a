from django import forms
from django.utils import timezone

from familybridge.screening.models import AsamLevel


class ReferralForm(forms.Form):
    provider = forms.ChoiceField(label="Treatment provider")
    referral_date = forms.DateField(label="Referral date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Reason for referral", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Choose a provider")] + [(str(p.pk), p.name) for p in providers]


class AssessmentForm(forms.Form):
    subject = forms.ChoiceField(label="Parent or caregiver assessed")
    assessed_on = forms.DateField(label="Date of assessment", widget=forms.DateInput(attrs={"type": "date"}))
    diagnosis = forms.CharField(
        label="Diagnosis",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Each diagnosis with its code, e.g. F11.20 Opioid use disorder, moderate.",
    )
    asam_level = forms.ChoiceField(label="ASAM level of care", choices=AsamLevel.choices)
    recommendations = forms.CharField(label="Recommendations", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [(str(person.pk), str(person)) for person in people]
        self.fields["assessed_on"].initial = timezone.localdate()


class UrgentProtocolForm(forms.Form):
    urgent_protocol = forms.CharField(
        label="Urgent protocol",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown to staff whenever a screen comes with observed impairment or a safety flag.",
    )


class ImportForm(forms.Form):
    questionnaire = forms.FileField(
        label="Questionnaire JSON file",
        help_text="A FHIR R4 Questionnaire with its scoring block, e.g. an exported instrument with licensed text.",
    )


class FollowUpForm(forms.Form):
    contacted = forms.CharField(
        label="Who was contacted",
        max_length=300,
        required=False,
        help_text="For example: the parent by phone; her sister, who stayed with her; the 988 Lifeline; 911.",
    )
    contacted_at = forms.DateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="The day and time of the contact.",
    )
    action = forms.CharField(
        label="What was done",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you did and agreed: a safety plan, a crisis line called together, a visit, who stays with her.",
    )
