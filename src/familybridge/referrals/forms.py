from django import forms

from familybridge.referrals.models import ReferralStatus


class ReferralForm(forms.Form):
    """Refer a parent to a treatment program: whom, where, when and why."""

    provider = forms.ChoiceField(label="Treatment provider")
    referral_date = forms.DateField(label="Date of referral", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Reason for referral", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, providers, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Choose a provider")] + [(str(p.pk), p.name) for p in providers]
        if people is not None:
            self.fields = {
                "subject": forms.ChoiceField(label="Who is referred", choices=[(str(p.pk), str(p)) for p in people]),
                **self.fields,
            }


class StepForm(forms.Form):
    status = forms.ChoiceField(label="Next step", choices=ReferralStatus.choices)
    scheduled_for = forms.DateField(
        label="Assessment date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When you schedule the assessment.",
    )
    level_of_care = forms.CharField(
        label="ASAM level of care", required=False, max_length=8, help_text="When you admit, such as 1, 2.1 or 3.5."
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        help_text="Required when you decline: the reason, so the referrer can act on it.",
    )

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ReferralStatus(s).label) for s in allowed]
